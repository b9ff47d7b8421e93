"""Cohort-stage state changes, one function per transition (see each module's docstrings)."""

from .cohorts import save_cohort, save_programme

__all__ = ["save_cohort", "save_programme"]
