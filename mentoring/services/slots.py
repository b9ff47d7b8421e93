"""Offered session slots: an expert offers times and withdraws them, the company's
representatives book one (it becomes a planned session). Moving a session to another offered
slot: slot_moves.py."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clinic import versioning
from clinic.services import audit
from clinic.transitions import Refused

from .. import permissions
from ..models import OfferedSlot, Session
from ..models.sessions import Mode
from .sessions import check_free, check_meeting, next_number, notify, reminder_covered

Status = Session.Status


@transaction.atomic
def offer_slot(
    actor,
    *,
    starts_at,
    duration_minutes=90,
    mode=Mode.ONLINE,
    address="",
    meeting_url="",
    phone="",
    time_zone="Asia/Shanghai",
):
    """An expert offers a time their SMEs may book (the same time again returns that slot).

    Side-effects: an OfferedSlot; audit record "slot_offered".
    """
    if not permissions.is_expert(actor):
        raise Refused("not_permitted")
    check_meeting(mode, address, meeting_url, phone)
    if starts_at <= timezone.now():
        raise Refused("invalid", _("Offer a time in the future."))
    versioning.lock(actor)
    repeated = OfferedSlot.objects.filter(expert=actor, starts_at=starts_at).first()
    if repeated is not None:
        return repeated
    slot = OfferedSlot.objects.create(
        expert=actor,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        mode=mode,
        address=address if mode == Mode.ON_SITE else "",
        meeting_url=meeting_url if mode == Mode.ONLINE else "",
        phone=phone if mode == Mode.PHONE else "",
        time_zone=time_zone,
    )
    audit.record(slot, "slot_offered", actor=actor)
    return slot


@transaction.atomic
def withdraw_slot(actor, slot):
    """The expert withdraws a free slot. Side-effects: the slot is deleted; audit record.
    Checked on the locked row (a booking at the same moment wins or waits); withdrawing a
    withdrawn slot again changes nothing."""
    if slot.expert_id != actor.pk and not permissions.is_officer(actor):
        raise Refused("not_permitted")
    slot = OfferedSlot.objects.select_for_update().filter(pk=slot.pk).first()
    if slot is None:
        return  # withdrawn already
    if not slot.is_free:
        raise Refused("wrong_state", _("This slot is booked: cancel the session instead."))
    audit.record(slot, "slot_withdrawn", actor=actor)
    slot.delete()


def bookable_slots(participation):
    """Free future slots of the participant's active experts."""
    experts = participation.assignments.filter(ended_at__isnull=True).values("expert")
    return OfferedSlot.objects.filter(
        expert__in=experts, session__isnull=True, starts_at__gt=timezone.now()
    ).select_related("expert")


def booked_from(participation, slot_id):
    """The planned session ``participation`` booked from the offered slot ``slot_id``, if any."""
    return Session.objects.filter(
        participation=participation, status=Status.PLANNED, slot__pk=slot_id
    ).first()


@transaction.atomic
def book_slot(actor, participation, slot, agenda=""):
    """A representative books one of its expert's offered slots as a session.

    Side-effects: a planned Session with the slot's time, place and the cohort's time zone; the
    slot is taken; audit record "session_booked" -> planned; mail "session_scheduled" with the
    .ics to both sides. Booking a slot this participant booked already returns that session.
    """
    if not permissions.can_book(actor, participation):
        raise Refused("not_permitted")
    slot = OfferedSlot.objects.select_for_update().get(pk=slot.pk)
    repeated = booked_from(participation, slot.pk)
    if repeated is not None:
        return repeated  # booked already by this participant (a double click): nothing again
    if not bookable_slots(participation).filter(pk=slot.pk).exists():
        raise Refused("wrong_state", _("This slot is no longer available."))
    check_free(slot.expert, slot.starts_at, slot.duration_minutes)
    session = Session.objects.create(
        participation=participation,
        expert=slot.expert,
        number=next_number(participation),
        starts_at=slot.starts_at,
        time_zone=participation.cohort.time_zone,
        duration_minutes=slot.duration_minutes,
        mode=slot.mode,
        address=slot.address,
        meeting_url=slot.meeting_url,
        phone=slot.phone,
        agenda=agenda,
        scheduled_by=actor,
        reminder_sent_at=reminder_covered(slot.starts_at),
    )
    slot.session = session
    slot.save(update_fields=["session"])
    audit.record(session, "session_booked", actor=actor, to_state=Status.PLANNED)
    notify(session, "session_scheduled")
    return session
