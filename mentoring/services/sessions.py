"""Mentoring sessions: schedule, offer and book slots, reschedule, cancel and the 24-hour
reminder. Notes, follow-ups and ratings after a session live in ``session_notes``.

Sessions are data: the participation stays in its mentoring stage while they happen. Messages to
the SME never carry the expert's private notes (they are not even loaded here for messages).
"""

from datetime import timedelta

from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from clinic import jobs, versioning
from clinic.services import audit
from clinic.services.outbox import attachment, queue_message
from clinic.transitions import Refused

from .. import permissions
from ..models import OfferedSlot, Session
from ..models.sessions import Mode
from ..transitions import SESSION
from .calendar import CONTENT_TYPE, ics_filename, session_ics

Status = Session.Status


MEETING_FIELDS = ("starts_at", "duration_minutes", "mode", "address", "meeting_url", "phone")


REMINDER_HOURS = 24


def check_meeting(mode, address="", meeting_url="", phone=""):
    """Each mode needs its detail: an address on site, a link online, a number by phone."""
    if mode == Mode.ON_SITE and not address.strip():
        raise Refused("invalid", _("Give the address of an on-site session."))
    if mode == Mode.ONLINE and not meeting_url.strip():
        raise Refused("invalid", _("Give the meeting link of an online session."))
    if mode == Mode.PHONE and not phone.strip():
        raise Refused("invalid", _("Give the phone number to call."))


def reminder_covered(starts_at):
    """A session (re)scheduled less than 24 hours ahead needs no separate reminder: the
    invitation just sent is one. Returns the value for ``reminder_sent_at``."""
    now = timezone.now()
    return now if starts_at - now <= timedelta(hours=REMINDER_HOURS) else None


def check_free(expert, starts_at, duration_minutes, exclude=None):
    """Refuse a future time that overlaps another planned session of the same expert (a session
    recorded after the fact is not checked)."""
    ends_at = starts_at + timedelta(minutes=duration_minutes)
    if ends_at <= timezone.now():
        return
    nearby = (
        Session.objects.filter(
            expert=expert,
            status=Status.PLANNED,
            starts_at__lt=ends_at,
            starts_at__gt=starts_at - timedelta(hours=12),
        )
        .exclude(pk=getattr(exclude, "pk", None))
        .select_related("participation__company")
    )
    for other in nearby:
        if other.ends_at > starts_at:
            raise Refused(
                "wrong_state",
                _("%(expert)s already has a session then: %(when)s with %(company)s.")
                % {
                    "expert": expert,
                    "when": other.when,
                    "company": other.participation.company.legal_name,
                },
            )


def lead_expert(participation):
    lead = (
        participation.assignments.filter(ended_at__isnull=True)
        .select_related("expert")
        .order_by("role")  # "lead" sorts before "support"
        .first()
    )
    return lead.expert if lead else None


def session_expert(actor, participation, refusal, code="wrong_state"):
    """Who a session of ``participation`` is with: the acting expert, else the lead expert;
    refused (``code``, ``refusal``) while it has no lead expert."""
    expert = actor if permissions.is_mentor_of(actor, participation) else lead_expert(participation)
    if expert is None:
        raise Refused(code, refusal)
    return expert


def new_session(actor, participation, expert, meeting, **fields):
    """A new session of ``participation`` (numbered next, in the cohort's time zone): the
    ``meeting`` (starts_at, duration_minutes, agenda, mode; address, meeting_url or phone: only
    its mode's) and the other ``fields``."""
    meeting = dict(meeting)
    mode = meeting.pop("mode")
    return Session.objects.create(
        participation=participation,
        expert=expert,
        number=next_number(participation),
        starts_at=meeting["starts_at"],
        time_zone=participation.cohort.time_zone,
        mode=mode,
        address=meeting.pop("address", "") if mode == Mode.ON_SITE else "",
        meeting_url=meeting.pop("meeting_url", "") if mode == Mode.ONLINE else "",
        phone=meeting.pop("phone", "") if mode == Mode.PHONE else "",
        duration_minutes=meeting["duration_minutes"],
        agenda=meeting.get("agenda", ""),
        scheduled_by=actor,
        **fields,
    )


def record_new_time(actor, session, action, old_start):
    """A planned session's time changed: audit record ``action`` (old -> new start) and the
    rescheduled mail with its .ics (same UID, next sequence) to both sides."""
    audit.record(
        session,
        action,
        actor=actor,
        from_state=Status.PLANNED,
        to_state=Status.PLANNED,
        reason=f"{old_start:%Y-%m-%d %H:%M} → {session.local_start:%Y-%m-%d %H:%M} "
        f"({session.time_zone})",
    )
    notify(session, "session_rescheduled", {"old_start": old_start})


def next_number(participation):
    return (participation.sessions.aggregate(top=Max("number"))["top"] or 0) + 1


def _participants(session):
    """Everyone a session message goes to: the expert and the company's representatives."""
    return [session.expert, *session.participation.company.representatives.all()]


def notify(session, kind, extra=None, *, method=None):
    """Queue ``kind`` to both sides with the session's .ics attached (each in their language)."""
    url = reverse("mentoring:session", args=[session.pk])
    for recipient in _participants(session):
        content = session_ics(session, method=method, language=recipient.preferred_language)
        queue_message(
            recipient,
            kind,
            {
                "session": session,
                "url": url,
                "company": session.participation.company,
                **(extra or {}),
            },
            attachments=[attachment(ics_filename(session), CONTENT_TYPE, content)],
            related=session,
        )


@transaction.atomic
def schedule_session(
    actor,
    participation,
    *,
    starts_at,
    duration_minutes=90,
    mode=Mode.ONLINE,
    address="",
    meeting_url="",
    phone="",
    agenda="",
):
    """The participant's expert (or an officer) schedules a session.

    The time zone is the cohort's; a time that overlaps another planned session of the expert is
    refused (checked with the participation and the expert locked). The same session scheduled
    again (a second click) is returned as it is, with no side-effect. Side-effects: a planned
    Session (next number, calendar sequence 0); audit record "session_scheduled" -> planned;
    mail "session_scheduled" with the .ics (METHOD:REQUEST) to the expert and every
    representative.
    """
    if not permissions.can_schedule(actor, participation):
        raise Refused("not_permitted")
    check_meeting(mode, address, meeting_url, phone)
    expert = session_expert(
        actor, participation, _("Assign a lead expert before scheduling sessions.")
    )
    versioning.lock(participation)
    versioning.lock(expert)
    repeated = participation.sessions.filter(
        expert=expert, starts_at=starts_at, status=Status.PLANNED
    ).first()
    if repeated is not None:
        return repeated
    check_free(expert, starts_at, duration_minutes)
    meeting = {"mode": mode, "address": address, "meeting_url": meeting_url, "phone": phone}
    meeting.update(starts_at=starts_at, duration_minutes=duration_minutes, agenda=agenda)
    covered = reminder_covered(starts_at)
    session = new_session(actor, participation, expert, meeting, reminder_sent_at=covered)
    audit.record(session, "session_scheduled", actor=actor, to_state=Status.PLANNED)
    notify(session, "session_scheduled")
    return session


@transaction.atomic
def reschedule_session(actor, session, **changes):
    """The expert (or an officer) changes a planned session's time, place or agenda.

    Side-effects: the session's fields; calendar SEQUENCE + 1 (same UID); the reminder is due
    again; audit record "session_rescheduled" with the old and new time; mail
    "session_rescheduled" with the updated .ics (METHOD:REQUEST) to both sides. The same
    values again change nothing.
    """
    session = SESSION.lock(session)
    if not permissions.can_change_session(actor, session):
        raise Refused("not_permitted")
    if session.status != Status.PLANNED:
        raise Refused("wrong_state", _("Only a planned session can be rescheduled."))
    fields = [name for name in (*MEETING_FIELDS, "agenda") if name in changes]
    if all(getattr(session, name) == changes[name] for name in fields):
        return session  # nothing changes (the same form again): no new invitation
    old_start = session.local_start
    for name in (*MEETING_FIELDS, "agenda"):
        if name in changes:
            setattr(session, name, changes[name])
    check_meeting(session.mode, session.address, session.meeting_url, session.phone)
    check_free(session.expert, session.starts_at, session.duration_minutes, exclude=session)
    session.sequence += 1
    session.reminder_sent_at = reminder_covered(session.starts_at)
    session.save()
    record_new_time(actor, session, "session_rescheduled", old_start)
    return session


@SESSION.mailer
def _tell_both_sides(session, kind, context, **_move):
    """The move's mail: a cancellation to both sides with the .ics (METHOD:CANCEL)."""
    notify(session, kind, {"reason": session.cancel_reason, **context}, method="CANCEL")


@transaction.atomic
def cancel_session(actor, session, reason=""):
    """Either side (or an officer) cancels a planned session.

    Side-effects: status planned -> cancelled with the reason; calendar SEQUENCE + 1; an offered
    slot it was booked from is free again; audit record "session_cancelled"; mail
    "session_cancelled" with the .ics (METHOD:CANCEL) to both sides. Cancelling a cancelled
    session again changes nothing.
    """
    session = SESSION.lock(session)
    if session.status == Status.CANCELLED:
        return session  # cancelled already (a double click, the other side): nothing again
    if not permissions.can_cancel_session(actor, session):
        raise Refused("not_permitted")
    session.cancel_reason = reason
    session.sequence += 1
    SESSION.move(
        session,
        "session_cancelled",
        actor=actor,
        reason=reason,
        fields=["cancel_reason", "sequence"],
        message=_("Only a planned session can be cancelled."),
    )
    OfferedSlot.objects.filter(session=session).update(session=None)
    return session


@jobs.register
def send_session_reminders(now=None):
    """Remind both sides of each planned session starting within the next 24 hours (once).

    Side-effects per session: ``reminder_sent_at``; mail "session_reminder" with the .ics to
    the expert and every representative; audit record "session_reminder_sent" (system actor).
    Returns the count. Rescheduling makes the reminder due again; a session (re)scheduled less
    than 24 hours ahead gets none (its invitation was the reminder).
    """
    now = now or timezone.now()
    due = Session.objects.filter(
        status=Status.PLANNED,
        reminder_sent_at__isnull=True,
        starts_at__gt=now,
        starts_at__lte=now + timedelta(hours=REMINDER_HOURS),
    ).select_related("participation__company", "expert")
    count = 0
    for session in due:
        with transaction.atomic():
            if not Session.objects.filter(pk=session.pk, reminder_sent_at__isnull=True).update(
                reminder_sent_at=now
            ):
                continue
            audit.record(session, "session_reminder_sent", to_state=session.status)
            notify(session, "session_reminder")
            count += 1
    return count
