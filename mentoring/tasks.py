"""Thin Celery tasks of mentoring: keyword IDs, re-fetch, delegate to the services."""

from celery import shared_task
from celery.signals import worker_process_init

from .services import plan_rendering


@shared_task(acks_late=True)
def render_plan_version(*, version_id):
    """Render one action plan version (idempotent: a ready version is left alone)."""
    version = plan_rendering.render_version(version_id)
    return version.state if version is not None else None


@shared_task
def sweep_plan_versions():
    """Re-queue plan versions whose render task was lost, and render again those whose stored
    PDF is gone or altered."""
    return plan_rendering.sweep() + plan_rendering.check_ready_files()


@worker_process_init.connect(dispatch_uid="mentoring.warm_pdf_renderer")
def warm_pdf_renderer(**kwargs):
    """Load reportlab and register the CJK font when a worker process starts, not in its first
    render (that takes about 0.2 s once per process)."""
    import reportlab.platypus  # noqa: F401

    from .pdf import cjk_font_name

    cjk_font_name()


@shared_task(acks_late=True)
def render_impact_report(*, report_id):
    """Render one cohort impact report PDF (idempotent: a ready one is left alone)."""
    from .insight import impact_pdf

    report = impact_pdf.render(report_id)
    return report.state if report is not None else None
