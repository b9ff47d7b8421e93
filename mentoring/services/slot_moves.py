"""The company moves a planned session to another time its expert offers (no need to cancel and
book again): the session keeps its number, its UID and its agenda."""

from django.db import transaction
from django.utils.translation import gettext as _

from clinic.transitions import Refused

from .. import permissions
from ..models import OfferedSlot, Session
from ..transitions import SESSION
from .sessions import check_free, record_new_time, reminder_covered
from .slots import bookable_slots

Status = Session.Status
MOVED_FIELDS = ("starts_at", "duration_minutes", "mode", "address", "meeting_url", "phone")


def move_slots(session):
    """Free future slots of the session's own expert it may move to."""
    return bookable_slots(session.participation).filter(expert=session.expert)


@transaction.atomic
def move_to_slot(actor, session, slot):
    """A representative moves a planned session to another free slot of the same expert.

    Checks: ``permissions.can_move_session``; the slot free, in the future and the session's
    expert's. Moving to the slot the session already holds (a second click) changes nothing.
    Side-effects: the session takes the slot's time, length and place; the slot it came from
    (if booked from one) is offered again; calendar SEQUENCE + 1 (same UID); the reminder is due
    again; audit record "session_moved" with the old and new time; mail "session_rescheduled"
    with the updated .ics to the expert and every representative.
    """
    session = SESSION.lock(session)
    if not permissions.can_move_session(actor, session):
        raise Refused("not_permitted")
    slot = OfferedSlot.objects.select_for_update().filter(pk=slot.pk).first()
    if slot is not None and slot.session_id == session.pk:
        return session  # moved there already (a double click)
    if slot is None or not move_slots(session).filter(pk=slot.pk).exists():
        raise Refused("wrong_state", _("This time is no longer offered: choose another one."))
    check_free(slot.expert, slot.starts_at, slot.duration_minutes, exclude=session)
    old_start = session.local_start
    OfferedSlot.objects.filter(session=session).update(session=None)
    for name in MOVED_FIELDS:
        setattr(session, name, getattr(slot, name))
    session.sequence += 1
    session.reminder_sent_at = reminder_covered(session.starts_at)
    session.save()
    slot.session = session
    slot.save(update_fields=["session"])
    record_new_time(actor, session, "session_moved", old_start)
    return session
