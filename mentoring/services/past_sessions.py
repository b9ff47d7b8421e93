"""A session recorded after it happened (an unplanned call, a meeting nobody scheduled here).

It is logged as held at once; its notes, private notes and follow-ups are then written on the
same notes page as any session's (``session_notes.save_notes``), and the 7-day edit window of
its notes counts from when it was logged (``Session.notes_lock_at``).
"""

import zoneinfo
from datetime import datetime, time

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clinic import versioning
from clinic.services import audit
from clinic.transitions import Refused

from .. import permissions
from ..models import Session
from ..models.sessions import Mode
from .sessions import new_session, session_expert

Status = Session.Status


def earliest_start(cohort):
    """The first moment a past session may be logged at: the cohort's start date, 00:00 in its
    time zone."""
    return datetime.combine(cohort.start_date, time.min, tzinfo=zoneinfo.ZoneInfo(cohort.time_zone))


def check_past(cohort, starts_at, now):
    """Refuse a time outside the cohort's start date .. now."""
    if starts_at > now:
        raise Refused("invalid", _("A session logged after the fact must have started already."))
    if starts_at < earliest_start(cohort):
        raise Refused(
            "invalid",
            _("A session can only be logged from the cohort's start date (%(date)s).")
            % {"date": cohort.start_date.isoformat()},
        )


@transaction.atomic
def log_past_session(
    actor,
    participation,
    *,
    starts_at,
    duration_minutes=60,
    mode=Mode.ONLINE,
    address="",
    meeting_url="",
    phone="",
    agenda="",
    now=None,
):
    """The participant's expert (or an officer) records a session that already took place.

    Checks: ``permissions.can_schedule`` (the same people who schedule); the start between the
    cohort's start date and now (like any session in the past, overlaps are not checked: see
    ``sessions.check_free``). The same session
    logged again (a second click) is returned as it is, with no side-effect. Side-effects: a
    held Session (next number, ``logged_at`` now, no reminder, no calendar invitation: the
    meeting is over); audit record "session_logged" -> held. Notes follow on the notes page.
    """
    now = now or timezone.now()
    if not permissions.can_schedule(actor, participation):
        raise Refused("not_permitted")
    check_past(participation.cohort, starts_at, now)
    refusal = _("Assign a lead expert before logging sessions.")
    expert = session_expert(actor, participation, refusal, code="invalid")
    versioning.lock(participation)
    versioning.lock(expert)
    repeated = (
        participation.sessions.filter(expert=expert, starts_at=starts_at)
        .exclude(status=Status.CANCELLED)
        .first()
    )
    if repeated is not None:
        return repeated
    meeting = {"mode": mode, "address": address, "meeting_url": meeting_url, "phone": phone}
    meeting.update(starts_at=starts_at, duration_minutes=duration_minutes, agenda=agenda)
    held = {"status": Status.HELD, "logged_at": now, "reminder_sent_at": now}
    session = new_session(actor, participation, expert, meeting, **held)
    audit.record(session, "session_logged", actor=actor, to_state=Status.HELD)
    return session
