"""Cohort-stage state changes, one function per transition (see each module's docstrings)."""

from clinic.services.accounts import NotAllowed
from clinic.transitions import Refused

from .cohorts import save_cohort, save_programme


class InvalidTransition(Refused):
    """The object is not in a state that allows this change; the message says why."""

    def __init__(self, message="", code="wrong_state"):
        super().__init__(code, message)


__all__ = ["InvalidTransition", "NotAllowed", "Refused", "save_cohort", "save_programme"]
