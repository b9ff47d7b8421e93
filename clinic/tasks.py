import io
import logging

from celery import shared_task
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

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


@shared_task(acks_late=True)
def deliver_webhook(*, delivery_id):
    """Send one webhook delivery; a failed attempt is retried by its own countdown."""
    from .services import webhooks

    delivery = webhooks.deliver(delivery_id)
    if delivery.status == delivery.Status.QUEUED and delivery.next_attempt_at is not None:
        countdown = max(1, int((delivery.next_attempt_at - timezone.now()).total_seconds()))
        deliver_webhook.apply_async(kwargs={"delivery_id": delivery_id}, countdown=countdown)


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
