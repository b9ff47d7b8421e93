"""Thin Celery tasks of mentoring: keyword IDs, re-fetch, delegate to the services."""

from celery import shared_task

from .services import plan_versions


@shared_task(acks_late=True)
def render_plan_version(*, version_id):
    """Render one action plan version (idempotent: a ready version is left alone)."""
    version = plan_versions.render_version(version_id)
    return version.state


@shared_task
def sweep_plan_versions():
    """Re-queue plan versions whose render task was lost."""
    return plan_versions.sweep()
