"""Events: save (create or edit), publish, cancel, mark held; speakers, agenda and materials.

Each state change locks the event row, re-reads its state and is safe to run twice (a second
click finds the target state and changes nothing).
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clinic.files import sha256
from clinic.limits import enforce
from clinic.services import audit
from clinic.services.evidence import check_evidence_file
from clinic.transitions import Refused

from .. import permissions
from ..models import AgendaItem, Event, Material, Registration
from ..transitions import CHANGEABLE, EVENT, OPEN_REGISTRATION
from . import invitations, registrations
from .mail import notify

State = Event.State
MEETING_FIELDS = ("starts_at", "duration_minutes", "mode", "address", "meeting_url", "phone")
MATERIALS_PER_EVENT = 30


def check_manager(actor):
    if not permissions.can_manage_events(actor):
        raise Refused("not_permitted", _("Only programme officers manage events."))


def check_meeting(event):
    if event.mode == "on_site" and not event.address.strip():
        raise Refused("invalid", _("Give the place of an on-site event."))
    if event.mode == "online" and not event.meeting_url.strip():
        raise Refused("invalid", _("Give the link of an online event."))
    if event.cohort_id and event.cohort.programme_id != event.programme_id:
        raise Refused("invalid", _("The cohort belongs to another programme."))


@transaction.atomic
def save_event(actor, event, changed=()):
    """An officer creates an event (draft) or saves changes to one.

    Side-effects, new: the row; audit "event_created" -> draft. Edited: the changed fields
    (audit "event_changed" before -> after); a change of time or place of a published event
    raises the calendar SEQUENCE and mails every registered person the updated .ics; a larger
    capacity seats the waitlist. A cancelled or held event is not edited.
    """
    check_manager(actor)
    check_meeting(event)
    enforce(event, [field.name for field in Event._meta.concrete_fields])
    if event.pk is None:
        event.created_by = actor
        event.save()
        audit.record(event, "event_created", actor=actor, to_state=State.DRAFT)
        return event
    stored = EVENT.lock(event)
    if stored.state not in CHANGEABLE:
        raise Refused("wrong_state", _("A held or cancelled event no longer changes."))
    before = audit.changes(event, list(changed) or None)
    moved = any(getattr(stored, name) != getattr(event, name) for name in MEETING_FIELDS)
    event.state, event.sequence = stored.state, stored.sequence + (1 if moved else 0)
    event.save()
    if before:
        audit.record(event, "event_changed", actor=actor, changes=before)
    if moved and event.state == State.PUBLISHED:
        for registration in event.registrations.filter(state=Registration.State.REGISTERED):
            notify(registration, "event_updated")
    if event.capacity > stored.capacity:
        registrations.seat_waitlist(event)
    return event


@transaction.atomic
def publish_event(actor, event):
    """draft -> published. Side-effects: audit; the invitations made so far are mailed."""
    check_manager(actor)
    if EVENT.move(event, "event_published", actor=actor):
        invitations.send_pending(event)
    return event


@transaction.atomic
def cancel_event(actor, event, reason):
    """draft | published -> cancelled with a reason. Side-effects: SEQUENCE + 1; audit; every
    registered and waitlisted person gets the cancellation with the .ics (METHOD:CANCEL)."""
    check_manager(actor)
    if not (reason or "").strip():
        raise Refused("invalid", _("Give a reason for cancelling."))
    event.cancel_reason = reason.strip()
    stored = EVENT.lock(event)
    event.sequence = stored.sequence + 1
    EVENT.move(
        event,
        "event_cancelled",
        actor=actor,
        reason=event.cancel_reason,
        fields=["cancel_reason", "sequence"],
    )
    return event


@transaction.atomic
def mark_held(actor, event):
    """published -> held once it has started: closes the check-in list.

    Side-effects: every person still only registered becomes absent (audit each); audit
    "event_held"; attendees are asked for their feedback.
    """
    check_manager(actor)
    if event.starts_at > timezone.now():
        raise Refused("wrong_state", _("An event is marked held once it has started."))
    if not EVENT.move(event, "event_held", actor=actor):
        return event
    for registration in event.registrations.filter(state=Registration.State.REGISTERED):
        registrations.move(actor, registration, Registration.State.ABSENT, "absence_recorded")
    return event


@EVENT.mailer
def _tell_registered(event, kind, context, **_move):
    """The move's mail: a cancellation (with the .ics, METHOD:CANCEL) to everyone registered or
    waitlisted; the feedback request to those who attended."""
    if kind == "event_feedback":
        wanted, calendar = (Registration.State.ATTENDED,), False
    else:
        wanted, calendar = OPEN_REGISTRATION, True
    for registration in event.registrations.filter(state__in=wanted).order_by("pk"):
        notify(registration, kind, context, calendar=calendar)


# --- programme: speakers, agenda, materials ------------------------------------------------


def _editable(actor, event):
    check_manager(actor)
    stored = EVENT.lock(event)
    if stored.state == State.CANCELLED:
        raise Refused("wrong_state", _("A cancelled event no longer changes."))
    return stored


@transaction.atomic
def add_speaker(actor, speaker):
    """Side-effects: a Speaker; audit "speaker_added" on the event."""
    event = _editable(actor, speaker.event)
    enforce(speaker, ["name", "organisation", "bio", "bio_zh"])
    speaker.position = event.speakers.count()
    speaker.save()
    audit.record(event, "speaker_added", actor=actor, reason=speaker.name)
    return speaker


@transaction.atomic
def remove_speaker(actor, speaker):
    """Side-effects: the Speaker deleted (agenda items keep their time); audit on the event."""
    event = _editable(actor, speaker.event)
    audit.record(event, "speaker_removed", actor=actor, reason=speaker.name)
    speaker.delete()


@transaction.atomic
def add_agenda_item(actor, item):
    """Side-effects: an AgendaItem; audit "agenda_item_added" on the event."""
    event = _editable(actor, item.event)
    if item.speaker_id and item.speaker.event_id != event.pk:
        raise Refused("invalid", _("Choose a speaker of this event."))
    enforce(item, ["title", "title_zh"])
    item.save()
    audit.record(event, "agenda_item_added", actor=actor, reason=item.title)
    return item


@transaction.atomic
def remove_agenda_item(actor, item):
    event = _editable(actor, item.event)
    audit.record(event, "agenda_item_removed", actor=actor, reason=item.title)
    item.delete()


@transaction.atomic
def add_material(actor, event, uploaded, title=""):
    """An officer uploads slides or a handout: type checked from the content and size capped
    (the evidence rules), stored under a random name named by its detected type, served only
    through the permission-checking download. Side-effects: a Material; audit on the event."""
    event = _editable(actor, event)
    if event.materials.count() >= MATERIALS_PER_EVENT:
        raise Refused(
            "invalid",
            _("An event can have at most %(limit)d files.") % {"limit": MATERIALS_PER_EVENT},
        )
    content_type = check_evidence_file(uploaded)
    uploaded.seek(0)
    checksum = sha256(uploaded.read())
    uploaded.seek(0)
    name = (uploaded.name or "material").replace("/", "_").replace("\\", "_")[-200:]
    material = Material.objects.create(
        event=event,
        title=(title or "").strip()[:200] or name,
        file=uploaded,
        original_name=name,
        content_type=content_type,
        size=uploaded.size,
        checksum=checksum,
        uploaded_by=actor,
    )
    audit.record(event, "material_added", actor=actor, reason=material.title)
    return material


@transaction.atomic
def remove_material(actor, material):
    event = _editable(actor, material.event)
    audit.record(event, "material_removed", actor=actor, reason=material.title)
    material.file.delete(save=False)
    material.delete()


def speakers_agenda(event):
    """Speakers and agenda items of an event, two queries."""
    return (
        list(event.speakers.select_related("user")),
        list(AgendaItem.objects.filter(event=event).select_related("speaker")),
    )
