"""Cohort-stage state changes, one function per transition (see each module's docstrings)."""

from clinic.services.accounts import NotAllowed

from .cohorts import save_cohort, save_programme


class InvalidTransition(Exception):
    """The object is not in a state that allows this change; the message says why."""


__all__ = ["InvalidTransition", "NotAllowed", "save_cohort", "save_programme"]
