"""Cohort-stage state changes, one function per transition (see each module's docstrings)."""

from .cohorts import save_cohort, save_programme

__all__ = ["flow_events", "save_cohort", "save_programme"]


def flow_events():
    """cohorts/flows.py, imported when a service tells a flow that something happened (the
    flows import the views, which import these services)."""
    from .. import flows

    return flows
