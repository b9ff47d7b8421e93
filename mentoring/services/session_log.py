"""Reading sessions for the company: what later stages (assessment, action plan, its PDF) may show.

Everything here is safe to show the SME: cancelled sessions and unshared (draft) notes are left
out, and the expert's ``PrivateNote`` is never loaded (it is a separate table these queries do
not join). Use these functions rather than reading ``Session`` rows directly when building
anything the company sees.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Prefetch

from ..models import FollowUp, Session, SessionNote


@dataclass(frozen=True)
class LoggedSession:
    number: int
    starts_at: object  # aware datetime (UTC); ``local_start`` is in the cohort's time zone
    local_start: object
    time_zone: str
    status: str  # held or no_show
    expert: str
    summary: str = ""
    dimensions: tuple = ()  # dimension numbers discussed
    recommendations: str = ""
    follow_ups: tuple = field(default_factory=tuple)
    rating: int | None = None


@dataclass(frozen=True)
class SharedFollowUp:
    title: str
    owner: str
    due_date: object
    done: bool
    session_number: int


def shared_session_log(participation):
    """Held and no-show sessions in date order, each with its shared notes and follow-ups."""
    sessions = (
        Session.objects.filter(
            participation=participation,
            status__in=[Session.Status.HELD, Session.Status.NO_SHOW],
        )
        .select_related("expert")
        .prefetch_related(
            Prefetch(
                "note",
                queryset=SessionNote.objects.filter(shared_at__isnull=False),
            ),
            Prefetch("follow_ups", queryset=FollowUp.objects.order_by("due_date", "pk")),
            "rating",
        )
        .order_by("starts_at", "number")
    )
    log = []
    for session in sessions:
        note = _shared_note(session)
        rating = getattr(session, "rating", None) if _has(session, "rating") else None
        log.append(
            LoggedSession(
                number=session.number,
                starts_at=session.starts_at,
                local_start=session.local_start,
                time_zone=session.time_zone,
                status=session.status,
                expert=str(session.expert),
                summary=note.summary if note else "",
                dimensions=tuple(note.dimensions) if note else (),
                recommendations=note.recommendations if note else "",
                follow_ups=tuple(_follow_up(f, session.number) for f in session.follow_ups.all())
                if note
                else (),
                rating=rating.score if rating else None,
            )
        )
    return log


def open_follow_ups(participation):
    """Follow-ups of shared notes that the company has not ticked done (starting points for the
    action plan)."""
    return [
        _follow_up(f, f.session.number)
        for f in FollowUp.objects.filter(
            participation=participation, done=False, session__note__shared_at__isnull=False
        )
        .select_related("session")
        .order_by("due_date", "pk")
    ]


def _follow_up(follow_up, number):
    return SharedFollowUp(
        title=follow_up.title,
        owner=follow_up.owner,
        due_date=follow_up.due_date,
        done=follow_up.done,
        session_number=number,
    )


def _has(session, name):
    try:
        return getattr(session, name) is not None
    except ObjectDoesNotExist:  # no such reverse one-to-one row
        return False


def _shared_note(session):
    if not _has(session, "note"):
        return None
    note = session.note
    return note if note.is_shared else None
