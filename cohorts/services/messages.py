"""Messages to a cohort's applicants or participants: written once by an officer, sent as one
outbox message per recipient in the recipient's language."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from clinic import versioning
from clinic.models import User
from clinic.services import audit
from clinic.services.outbox import queue_message
from clinic.transitions import Refused

from .. import permissions
from ..models import Application, BulkMessage

# Later stages narrow "participants" (e.g. mentoring leaves out who dropped out): each is
# ``narrow(applications) -> applications``.
_PARTICIPANT_FILTERS = []


def register_participant_filter(narrow):
    _PARTICIPANT_FILTERS.append(narrow)
    return narrow


def audience_applications(cohort, audience, states=()):
    """The applications of ``cohort`` a message to ``audience`` goes to."""
    applications = cohort.applications.all()
    if audience == BulkMessage.Audience.PARTICIPANTS:
        applications = applications.filter(state=Application.State.CONFIRMED)
        for narrow in _PARTICIPANT_FILTERS:
            applications = narrow(applications)
        return applications
    return applications.filter(state__in=list(states))


def recipients(cohort, audience, states=()):
    """The active representatives of those applications' companies, each once."""
    applications = audience_applications(cohort, audience, states)
    return (
        User.objects.filter(is_active=True, companies__applications__in=applications)
        .distinct()
        .order_by("pk")
    )


@transaction.atomic
def send_bulk_message(actor, cohort, message):
    """Send ``message`` (an unsaved BulkMessage with its confirm form's token) to its audience.

    Checks: officer; at least one recipient. Runs once at a time per cohort (the cohort row is
    locked); the same token again (a second click, a second tab) finds the message already sent
    and sends nothing more. Returns ``(message, sent_now)``.
    Side-effects: the BulkMessage row; one outbox message per recipient, in their language
    (the subject and text of that language, else the other one's); audit record.
    """
    if not permissions.can_send_bulk_messages(actor):
        raise Refused("not_permitted")
    versioning.lock(cohort)
    existing = BulkMessage.objects.filter(token=message.token).first()
    if existing is not None:
        return existing, False
    people = list(recipients(cohort, message.audience, message.states))
    if not people:
        raise Refused("invalid", _("Nobody would receive this message: choose other states."))
    message.cohort, message.sent_by, message.recipient_count = cohort, actor, len(people)
    try:
        with transaction.atomic():
            message.save()
    except IntegrityError:  # the same token saved by a request that did not lock the cohort
        return BulkMessage.objects.get(token=message.token), False
    for person in people:
        queue_message(
            person, "bulk_message", {"message": message, "cohort": cohort}, related=message
        )
    audit.record(
        message,
        "bulk_message_sent",
        actor=actor,
        to_state="sent",
        reason=f"{message.audience_label()}: {len(people)}",
    )
    return message, True
