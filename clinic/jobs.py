"""Periodic jobs (deadlines, reminders) that later stages register; run by Celery beat."""

import logging

logger = logging.getLogger(__name__)
_JOBS = []


def register(func):
    """Register a job: a function with no arguments, safe to run any number of times."""
    _JOBS.append(func)
    return func


def run_all():
    results = {}
    for job in _JOBS:
        name = f"{job.__module__}.{job.__name__}"
        try:
            results[name] = job()
        except Exception:
            logger.exception("Periodic job %s failed", name)
            results[name] = "error"
    return results
