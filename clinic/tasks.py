import io
import logging

from celery import shared_task
from django.conf import settings
from django.core.management import call_command

from .services import outbox

logger = logging.getLogger(__name__)


@shared_task(bind=True, max_retries=None, acks_late=True)
def send_outbox_message(self, *, message_id):
    try:
        outbox.deliver(message_id)
    except outbox.TransientSendError as error:
        attempts = self.request.retries + 1
        raise self.retry(
            exc=error, countdown=settings.OUTBOX_RETRY_BACKOFF * 2 ** (attempts - 1)
        ) from error


@shared_task
def sweep_outbox():
    return outbox.sweep()


@shared_task
def fire_workflow_timers():
    """Fire due viewflow timers; its summary goes to the log at INFO, not to the worker's
    console every minute."""
    summary = io.StringIO()
    call_command("workflow_timers", stdout=summary)
    logger.info(summary.getvalue().strip())


@shared_task
def run_periodic_jobs():
    """Deadlines and reminders of every stage, every 15 minutes; each stage registers its jobs in
    clinic.jobs."""
    from .jobs import run_all

    return run_all()
