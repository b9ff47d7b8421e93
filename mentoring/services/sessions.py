"""Mentoring sessions: schedule, book an offered slot, reschedule, cancel, log notes, follow-ups,
ratings and the 24-hour reminder.

Sessions are data: the participation stays in its mentoring stage while they happen. Messages to
the SME never carry the expert's private notes (they are not even loaded here for messages).
"""

from datetime import timedelta

from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from clinic import jobs
from clinic.services import audit
from clinic.services.accounts import NotAllowed
from clinic.services.outbox import attachment, queue_message

from .. import permissions
from ..models import (
    FollowUp,
    NoteRevision,
    OfferedSlot,
    PrivateNote,
    Rating,
    Session,
    SessionNote,
)
from ..models.sessions import Mode
from . import MentoringError
from .calendar import CONTENT_TYPE, ics_filename, session_ics

Status = Session.Status
MEETING_FIELDS = ("starts_at", "duration_minutes", "mode", "address", "meeting_url", "phone")
REMINDER_HOURS = 24


def check_meeting(mode, address="", meeting_url="", phone=""):
    """Each mode needs its detail: an address on site, a link online, a number by phone."""
    if mode == Mode.ON_SITE and not address.strip():
        raise MentoringError(_("Give the address of an on-site session."))
    if mode == Mode.ONLINE and not meeting_url.strip():
        raise MentoringError(_("Give the meeting link of an online session."))
    if mode == Mode.PHONE and not phone.strip():
        raise MentoringError(_("Give the phone number to call."))


def _reminder_covered(starts_at):
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
            raise MentoringError(
                _("%(expert)s already has a session then: %(when)s with %(company)s.")
                % {
                    "expert": expert,
                    "when": other.when,
                    "company": other.participation.company.legal_name,
                }
            )


def lead_expert(participation):
    lead = (
        participation.assignments.filter(ended_at__isnull=True)
        .select_related("expert")
        .order_by("role")  # "lead" sorts before "support"
        .first()
    )
    return lead.expert if lead else None


def _next_number(participation):
    return (participation.sessions.aggregate(top=Max("number"))["top"] or 0) + 1


def _participants(session):
    """Everyone a session message goes to: the expert and the company's representatives."""
    return [session.expert, *session.participation.company.representatives.all()]


def _notify(session, kind, extra=None, *, method=None):
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
    refused. Side-effects: a planned Session (next number, calendar
    sequence 0); audit record "session_scheduled" -> planned; mail "session_scheduled" with the
    .ics (METHOD:REQUEST) to the expert and every representative.
    """
    if not permissions.can_schedule(actor, participation):
        raise NotAllowed
    check_meeting(mode, address, meeting_url, phone)
    expert = actor if permissions.is_mentor_of(actor, participation) else lead_expert(participation)
    if expert is None:
        raise MentoringError(_("Assign a lead expert before scheduling sessions."))
    check_free(expert, starts_at, duration_minutes)
    session = Session.objects.create(
        participation=participation,
        expert=expert,
        number=_next_number(participation),
        starts_at=starts_at,
        time_zone=participation.cohort.time_zone,
        duration_minutes=duration_minutes,
        mode=mode,
        address=address if mode == Mode.ON_SITE else "",
        meeting_url=meeting_url if mode == Mode.ONLINE else "",
        phone=phone if mode == Mode.PHONE else "",
        agenda=agenda,
        scheduled_by=actor,
        reminder_sent_at=_reminder_covered(starts_at),
    )
    audit.record(session, "session_scheduled", actor=actor, to_state=Status.PLANNED)
    _notify(session, "session_scheduled")
    return session


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
    """An expert offers a time their SMEs may book.

    Side-effects: an OfferedSlot; audit record "slot_offered".
    """
    if not permissions.is_expert(actor):
        raise NotAllowed
    check_meeting(mode, address, meeting_url, phone)
    if starts_at <= timezone.now():
        raise MentoringError(_("Offer a time in the future."))
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
    """The expert withdraws a free slot. Side-effects: the slot is deleted; audit record."""
    if slot.expert_id != actor.pk and not permissions.is_officer(actor):
        raise NotAllowed
    if not slot.is_free:
        raise MentoringError(_("This slot is booked: cancel the session instead."))
    audit.record(slot, "slot_withdrawn", actor=actor)
    slot.delete()


def bookable_slots(participation):
    """Free future slots of the participant's active experts."""
    experts = participation.assignments.filter(ended_at__isnull=True).values("expert")
    return OfferedSlot.objects.filter(
        expert__in=experts, session__isnull=True, starts_at__gt=timezone.now()
    ).select_related("expert")


@transaction.atomic
def book_slot(actor, participation, slot, agenda=""):
    """A representative books one of its expert's offered slots as a session.

    Side-effects: a planned Session with the slot's time, place and the cohort's time zone; the
    slot is taken; audit record "session_booked" -> planned; mail "session_scheduled" with the
    .ics to both sides.
    """
    if not permissions.can_book(actor, participation):
        raise NotAllowed
    slot = OfferedSlot.objects.select_for_update().get(pk=slot.pk)
    if not bookable_slots(participation).filter(pk=slot.pk).exists():
        raise MentoringError(_("This slot is no longer available."))
    check_free(slot.expert, slot.starts_at, slot.duration_minutes)
    session = Session.objects.create(
        participation=participation,
        expert=slot.expert,
        number=_next_number(participation),
        starts_at=slot.starts_at,
        time_zone=participation.cohort.time_zone,
        duration_minutes=slot.duration_minutes,
        mode=slot.mode,
        address=slot.address,
        meeting_url=slot.meeting_url,
        phone=slot.phone,
        agenda=agenda,
        scheduled_by=actor,
        reminder_sent_at=_reminder_covered(slot.starts_at),
    )
    slot.session = session
    slot.save(update_fields=["session"])
    audit.record(session, "session_booked", actor=actor, to_state=Status.PLANNED)
    _notify(session, "session_scheduled")
    return session


@transaction.atomic
def reschedule_session(actor, session, **changes):
    """The expert (or an officer) changes a planned session's time, place or agenda.

    Side-effects: the session's fields; calendar SEQUENCE + 1 (same UID); the reminder is due
    again; audit record "session_rescheduled" with the old and new time; mail
    "session_rescheduled" with the updated .ics (METHOD:REQUEST) to both sides.
    """
    session = Session.objects.select_for_update().get(pk=session.pk)
    if not permissions.can_change_session(actor, session):
        raise NotAllowed
    if session.status != Status.PLANNED:
        raise MentoringError(_("Only a planned session can be rescheduled."))
    old_start = session.local_start
    for name in (*MEETING_FIELDS, "agenda"):
        if name in changes:
            setattr(session, name, changes[name])
    check_meeting(session.mode, session.address, session.meeting_url, session.phone)
    check_free(session.expert, session.starts_at, session.duration_minutes, exclude=session)
    session.sequence += 1
    session.reminder_sent_at = _reminder_covered(session.starts_at)
    session.save()
    audit.record(
        session,
        "session_rescheduled",
        actor=actor,
        from_state=Status.PLANNED,
        to_state=Status.PLANNED,
        reason=f"{old_start:%Y-%m-%d %H:%M} → {session.local_start:%Y-%m-%d %H:%M} "
        f"({session.time_zone})",
    )
    _notify(session, "session_rescheduled", {"old_start": old_start})
    return session


@transaction.atomic
def cancel_session(actor, session, reason=""):
    """Either side (or an officer) cancels a planned session.

    Side-effects: status planned -> cancelled with the reason; calendar SEQUENCE + 1; an offered
    slot it was booked from is free again; audit record "session_cancelled"; mail
    "session_cancelled" with the .ics (METHOD:CANCEL) to both sides.
    """
    session = Session.objects.select_for_update().get(pk=session.pk)
    may = permissions.can_change_session(actor, session) or (
        session.is_open and permissions.is_representative_of(actor, session.participation)
    )
    if not may:
        raise NotAllowed
    session.status = Status.CANCELLED
    session.cancel_reason = reason
    session.sequence += 1
    session.save()
    OfferedSlot.objects.filter(session=session).update(session=None)
    audit.record(
        session,
        "session_cancelled",
        actor=actor,
        from_state=Status.PLANNED,
        to_state=Status.CANCELLED,
        reason=reason,
    )
    _notify(session, "session_cancelled", {"reason": reason}, method="CANCEL")
    return session


@transaction.atomic
def save_notes(
    actor,
    session,
    *,
    outcome,
    summary="",
    dimensions=(),
    recommendations="",
    private_notes="",
    follow_ups=(),
    share=False,
    now=None,
):
    """The expert logs (or edits) the notes of a session that has started.

    ``outcome`` is held or no_show. ``follow_ups`` is a list of dicts (``id`` for an existing
    one, ``title``, ``owner``, ``due_date``, ``delete``). ``share`` makes the shared part visible
    to the SME (a draft stays with the expert). The expert may edit for 7 days after the session
    ends; after that only an officer. Side-effects: status -> held / no-show (audit record
    "session_held" / "session_no_show" when it changes); SessionNote, PrivateNote and FollowUp
    rows; a NoteRevision with the shared part as saved; audit record "notes_saved" /
    "notes_shared" / "notes_changed_after_lock" naming the changed parts (never their text);
    when first shared, mail "session_notes_shared" (the shared notes and follow-ups only) to
    every representative.
    """
    now = now or timezone.now()
    session = Session.objects.select_for_update().get(pk=session.pk)
    if not permissions.can_edit_notes(actor, session, now):
        if permissions.is_mentor_of(actor, session.participation):
            raise MentoringError(
                _(
                    "The notes locked 7 days after the session. "
                    "Ask a programme officer to change them."
                )
            )
        raise NotAllowed
    if session.status == Status.CANCELLED:
        raise MentoringError(_("A cancelled session has no notes."))
    if session.starts_at > now:
        raise MentoringError(_("Notes can be logged once the session has started."))
    if outcome not in (Status.HELD, Status.NO_SHOW):
        raise MentoringError(_("Say whether the session was held or the company did not show."))
    changed = []
    if session.status != outcome:
        from_state = session.status
        session.status = outcome
        session.save(update_fields=["status", "updated_at"])
        audit.record(
            session,
            "session_held" if outcome == Status.HELD else "session_no_show",
            actor=actor,
            from_state=from_state,
            to_state=outcome,
        )
    note, _created = SessionNote.objects.get_or_create(session=session)
    values = {
        "summary": summary.strip(),
        "dimensions": sorted({int(d) for d in dimensions}),
        "recommendations": recommendations.strip(),
    }
    for name, value in values.items():
        if getattr(note, name) != value:
            changed.append(str(SessionNote._meta.get_field(name).verbose_name))
            setattr(note, name, value)
    first_share = share and note.shared_at is None
    if first_share:
        note.shared_at = now
    note.updated_by = actor
    note.save()
    private, _created = PrivateNote.objects.get_or_create(session=session)
    if private.text != private_notes.strip():
        changed.append(str(PrivateNote._meta.get_field("text").verbose_name))
        private.text = private_notes.strip()
        private.updated_by = actor
        private.save()
    if _save_follow_ups(session, follow_ups):
        changed.append(str(FollowUp._meta.verbose_name_plural))
    NoteRevision.objects.create(
        session=session,
        saved_by=actor,
        outcome=session.status,
        summary=note.summary,
        dimensions=note.dimensions,
        recommendations=note.recommendations,
        follow_ups=[
            {
                "title": f.title,
                "owner": f.owner,
                "due_date": f.due_date.isoformat() if f.due_date else "",
            }
            for f in session.follow_ups.order_by("pk")
        ],
        shared=note.is_shared,
    )
    if session.notes_locked(now):
        action = "notes_changed_after_lock"
    elif first_share:
        action = "notes_shared"
    else:
        action = "notes_saved"
    audit.record(
        session,
        action,
        actor=actor,
        to_state="shared" if note.is_shared else "draft",
        reason=", ".join(changed),
    )
    if first_share:
        follow_up_list = list(session.follow_ups.order_by("due_date", "pk"))
        for representative in session.participation.company.representatives.all():
            queue_message(
                representative,
                "session_notes_shared",
                {
                    "session": session,
                    "note": note,
                    "follow_ups": follow_up_list,
                    "company": session.participation.company,
                    "url": reverse("mentoring:session", args=[session.pk]),
                },
                related=session,
            )
    return session


def _save_follow_ups(session, items):
    """Create, change or delete follow-ups from ``items``; returns whether anything changed."""
    changed = False
    existing = {f.pk: f for f in session.follow_ups.all()}
    for item in items:
        follow_up = existing.get(item.get("id")) if item.get("id") else None
        if item.get("delete"):
            if follow_up is not None:
                follow_up.delete()
                changed = True
            continue
        title = (item.get("title") or "").strip()
        if not title:
            continue
        fields = {
            "title": title,
            "owner": (item.get("owner") or "").strip(),
            "due_date": item.get("due_date"),
        }
        if follow_up is None:
            FollowUp.objects.create(session=session, participation=session.participation, **fields)
            changed = True
        elif any(getattr(follow_up, k) != v for k, v in fields.items()):
            for key, value in fields.items():
                setattr(follow_up, key, value)
            follow_up.save()
            changed = True
    return changed


@transaction.atomic
def set_follow_up_done(actor, follow_up, done=True):
    """A representative (or an officer) ticks a follow-up done, or opens it again.

    Side-effects: done, done_at, done_by; audit record "follow_up_done" / "follow_up_reopened".
    """
    if not permissions.can_tick_follow_up(actor, follow_up):
        raise NotAllowed
    if follow_up.done == done:
        return follow_up
    follow_up.done = done
    follow_up.done_at = timezone.now() if done else None
    follow_up.done_by = actor if done else None
    follow_up.save(update_fields=["done", "done_at", "done_by"])
    audit.record(
        follow_up,
        "follow_up_done" if done else "follow_up_reopened",
        actor=actor,
        from_state="open" if done else "done",
        to_state="done" if done else "open",
    )
    return follow_up


@transaction.atomic
def rate_session(actor, session, score, comment=""):
    """A representative rates a held session 1-5 (and may change the rating later).

    Side-effects: the Rating row; audit record "session_rated" with the score.
    """
    session = Session.objects.select_related("participation__company").get(pk=session.pk)
    if not permissions.can_rate(actor, session):
        raise NotAllowed
    score = int(score)
    if not 1 <= score <= 5:
        raise MentoringError(_("Rate the session from 1 to 5."))
    rating, created = Rating.objects.update_or_create(
        session=session, defaults={"score": score, "comment": comment.strip(), "rated_by": actor}
    )
    audit.record(session, "session_rated", actor=actor, to_state=str(score))
    return rating


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
            _notify(session, "session_reminder")
            count += 1
    return count
