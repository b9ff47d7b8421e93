"""Notifications: every message is an outbox row first, then a Celery task sends it."""

import base64
import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import DatabaseError, transaction
from django.template import Context
from django.template.loader import get_template
from django.utils import timezone, translation

from .. import celery
from ..models import OutboxMessage
from ..transitions import Machine, Move, Refused

logger = logging.getLogger(__name__)


def attachment(filename, content_type, content):
    """An attachment entry for ``queue_message``; ``content`` is bytes or text."""
    if isinstance(content, str):
        content = content.encode()
    return {
        "filename": filename,
        "content_type": content_type,
        "content": base64.b64encode(content).decode(),
    }


def queue_message(
    recipient, kind, context=None, *, attachments=(), sensitive=False, related=None, email=None
):
    """Render ``<kind>`` in the recipient's language and queue it for sending.

    Side-effects: one OutboxMessage row (status queued); a send task queued after commit.
    Templates: ``email/<kind>_subject.txt`` and ``email/<kind>_body.txt``.
    """
    language = getattr(recipient, "preferred_language", None) or settings.LANGUAGE_CODE
    context = {"recipient": recipient, "site_url": settings.SITE_URL, **(context or {})}
    with translation.override(language):
        subject = " ".join(render_text(f"email/{kind}_subject.txt", context).split())
        body = render_text(f"email/{kind}_body.txt", context).strip() + "\n"
    message = OutboxMessage.objects.create(
        recipient=recipient if getattr(recipient, "pk", None) else None,
        to_email=email or recipient.email,
        language=language,
        kind=kind,
        subject=subject[:250],
        body=body,
        attachments=list(attachments),
        sensitive=sensitive,
        related_type=related._meta.label_lower if related is not None else "",
        related_id=str(related.pk) if related is not None else "",
    )
    transaction.on_commit(lambda: enqueue(message.pk))
    return message


def render_text(template_name, context):
    """Render a plain-text mail template: no HTML escaping (a name like Xi'an stays as it is)."""
    return get_template(template_name).template.render(Context(context, autoescape=False))


def enqueue(message_id):
    """Hand the message to the broker; if the broker is down the row stays queued for the sweep."""
    celery.enqueue("clinic.tasks.send_outbox_message", message_id=message_id)


Q = OutboxMessage.Status
OUTBOX = Machine(
    OutboxMessage,
    state_field="status",
    badges={"colours": {"success": (Q.SENT,), "danger": (Q.FAILED,)}, "default": "warning"},
    moves=[
        # sending is not audited (one record per mail would drown the log): deliver() sets it
        Move("sent", (Q.QUEUED,), Q.SENT),
        Move("send_failed", (Q.QUEUED,), Q.FAILED),
        Move("retry", (Q.FAILED,), Q.QUEUED, "can_see_outbox"),
    ],
)


class TransientSendError(Exception):
    """Sending failed but may succeed later."""


def deliver(message_id):
    """Send one queued message. Returns the row.

    The row says sent before the mail goes out (in a savepoint that a failed send rolls back):
    a database that refuses the write refuses it before anything was sent, so the sweep never
    sends a mail twice (SQLite's "database is locked" after sending did).
    Side-effects: an email is sent; the row becomes sent, or records the attempt and error and
    becomes failed after OUTBOX_MAX_ATTEMPTS (raises TransientSendError before that so the caller
    retries with backoff).
    """
    with transaction.atomic():
        message = OutboxMessage.objects.select_for_update().get(pk=message_id)
        if message.status != OutboxMessage.Status.QUEUED:
            return message
        message.attempts += 1
        try:
            with transaction.atomic():
                message.status = OutboxMessage.Status.SENT
                message.sent_at = timezone.now()
                message.last_error = ""
                message.save(update_fields=["attempts", "status", "sent_at", "last_error"])
                build_email(message).send(fail_silently=False)
        except DatabaseError:
            raise
        except Exception as error:
            message.status, message.sent_at = OutboxMessage.Status.QUEUED, None
            record_failure(message, error)
    if message.status == OutboxMessage.Status.QUEUED:
        raise TransientSendError(message.last_error)
    return message


def record_failure(message, error):
    message.last_error = f"{type(error).__name__}: {error}"[:2000]
    if message.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
        message.next_attempt_at = None
        OUTBOX.move(message, "send_failed", fields=["attempts", "last_error", "next_attempt_at"])
        return
    message.next_attempt_at = timezone.now() + retry_delay(message.attempts)
    message.save(update_fields=["attempts", "last_error", "next_attempt_at"])


def retry_delay(attempts):
    return timedelta(seconds=settings.OUTBOX_RETRY_BACKOFF * 2 ** (attempts - 1))


def build_email(message):
    email = EmailMessage(
        subject=message.subject,
        body=message.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.to_email],
    )
    for item in message.attachments:
        email.attach(item["filename"], base64.b64decode(item["content"]), item["content_type"])
    return email


def sweep():
    """Re-queue messages whose task was lost (broker restart, failed publish); returns the count."""
    cutoff = timezone.now() - timedelta(seconds=settings.OUTBOX_SWEEP_AFTER)
    due = OutboxMessage.objects.filter(status=OutboxMessage.Status.QUEUED).filter(
        next_attempt_at__lte=timezone.now()
    ) | OutboxMessage.objects.filter(
        status=OutboxMessage.Status.QUEUED, next_attempt_at__isnull=True, created_at__lte=cutoff
    )
    ids = list(due.values_list("pk", flat=True)[:500])
    for message_id in ids:
        enqueue(message_id)
    return len(ids)


@transaction.atomic
def retry_failed(message, actor):
    """An officer sends a failed message again.

    Checks, on the locked row: the message is still failed (a second click, or a second
    officer, finds it queued or sent and changes nothing).
    Side-effects: the row goes back to queued with a fresh attempt count; audit record; task queued.
    """
    from ..permissions import can_see_outbox

    if not can_see_outbox(actor):
        raise Refused("not_permitted")
    message = OUTBOX.lock(message)
    if message.status != OutboxMessage.Status.FAILED:
        return message
    message.attempts, message.next_attempt_at = 0, None
    OUTBOX.move(
        message,
        "retry",
        actor=actor,
        fields=["attempts", "next_attempt_at"],
    )
    transaction.on_commit(lambda: enqueue(message.pk))
    return message
