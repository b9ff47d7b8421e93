"""After a session: the expert's notes (shared and private), follow-ups and the SME's rating.

Messages to the SME never carry the expert's private notes: only the shared part is sent.
"""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from clinic.dimensions import Dimension
from clinic.limits import LONG_TEXT_MAX
from clinic.services import audit
from clinic.services.outbox import queue_message
from clinic.transitions import Refused

from .. import permissions
from ..models import (
    FollowUp,
    NoteRevision,
    PrivateNote,
    Rating,
    Session,
    SessionNote,
)
from ..transitions import SESSION

Status = Session.Status


@transaction.atomic
def save_notes(
    actor,
    session,
    *,
    outcome,
    summary="",
    dimensions=(),
    recommendations="",
    private_notes=None,
    follow_ups=(),
    share=False,
    now=None,
):
    """The expert logs (or edits) the notes of a session that has started.

    ``outcome`` is held or no_show. ``follow_ups`` is a list of dicts (``id`` for an existing
    one, ``title``, ``owner``, ``due_date``, ``delete``). ``private_notes`` None leaves them as
    they are; only someone who may see them (``can_see_private_notes``) writes them. ``share``
    makes the shared part visible
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
            raise Refused(
                "wrong_state",
                _(
                    "The notes locked 7 days after the session. "
                    "Ask a programme officer to change them."
                ),
            )
        raise Refused("not_permitted")
    if private_notes is not None and not permissions.can_see_private_notes(actor, session):
        raise Refused("not_permitted")
    if session.status == Status.CANCELLED:
        raise Refused("wrong_state", _("A cancelled session has no notes."))
    if session.starts_at > now:
        raise Refused("wrong_state", _("Notes can be logged once the session has started."))
    if outcome not in (Status.HELD, Status.NO_SHOW):
        raise Refused(
            "wrong_state", _("Say whether the session was held or the company did not show.")
        )
    values = note_values(summary, dimensions, recommendations)
    changed = []
    if session.status != outcome:
        SESSION.move(
            session, "session_held" if outcome == Status.HELD else "session_no_show", actor=actor
        )
    note, _created = SessionNote.objects.get_or_create(session=session)
    for name, value in values.items():
        if getattr(note, name) != value:
            changed.append(str(SessionNote._meta.get_field(name).verbose_name))
            setattr(note, name, value)
    first_share = share and note.shared_at is None
    if first_share:
        note.shared_at = now
    note.updated_by = actor
    note.save()
    if private_notes is not None and _save_private_notes(actor, session, private_notes):
        changed.append(str(PrivateNote._meta.get_field("text").verbose_name))
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


def _save_private_notes(actor, session, text):
    """Write the session's private notes; True when they changed."""
    private, _created = PrivateNote.objects.get_or_create(session=session)
    if private.text == text.strip():
        return False
    private.text = text.strip()
    private.updated_by = actor
    private.save()
    return True


def note_values(summary, dimensions, recommendations):
    """The shared part as stored, refused (``invalid``) over the limits every door shares."""
    summary, recommendations = summary.strip(), recommendations.strip()
    if max(len(summary), len(recommendations)) > LONG_TEXT_MAX:
        raise Refused(
            "invalid",
            _("A summary or recommendations may have at most %(limit)s characters.")
            % {"limit": LONG_TEXT_MAX},
        )
    try:
        dimensions = sorted({Dimension(int(d)).value for d in dimensions})
    except (TypeError, ValueError):
        raise Refused("invalid", _("Choose dimensions from the eleven of the audit.")) from None
    return {"summary": summary, "dimensions": dimensions, "recommendations": recommendations}


def _save_follow_ups(session, items):
    """Create, change or delete follow-ups from ``items``; returns whether anything changed.

    A new item equal to an existing follow-up is a repeat (a second call adds nothing); a
    session keeps at most FollowUp.PER_SESSION_MAX of them.
    """
    changed = False
    existing = {f.pk: f for f in session.follow_ups.all()}
    kept = {(f.title, f.owner, f.due_date) for f in existing.values()}
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
            if tuple(fields.values()) in kept:
                continue
            FollowUp.objects.create(session=session, participation=session.participation, **fields)
            kept.add(tuple(fields.values()))
            changed = True
        elif any(getattr(follow_up, k) != v for k, v in fields.items()):
            for key, value in fields.items():
                setattr(follow_up, key, value)
            follow_up.save()
            changed = True
    if session.follow_ups.count() > FollowUp.PER_SESSION_MAX:
        raise Refused(
            "invalid",
            _("A session has at most %(limit)s follow-ups.") % {"limit": FollowUp.PER_SESSION_MAX},
        )
    return changed


@transaction.atomic
def set_follow_up_done(actor, follow_up, done=True):
    """A representative (or an officer) ticks a follow-up done, or opens it again.

    Side-effects: done, done_at, done_by; audit record "follow_up_done" / "follow_up_reopened".
    Ticking a ticked follow-up again changes nothing.
    """
    if not permissions.can_tick_follow_up(actor, follow_up):
        raise Refused("not_permitted")
    follow_up = FollowUp.objects.select_for_update().get(pk=follow_up.pk)
    if follow_up.done == done:
        return follow_up  # ticked (or opened) already: nothing again
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

    Side-effects: the Rating row; audit record "session_rated" with the score. The same rating
    again changes nothing.
    """
    session = SESSION.lock(session)
    if not permissions.can_rate(actor, session):
        raise Refused("not_permitted")
    score = int(score)
    if not 1 <= score <= 5:
        raise Refused("invalid", _("Rate the session from 1 to 5."))
    same = Rating.objects.filter(session=session, score=score, comment=comment.strip()).first()
    if same is not None:
        return same  # the same rating again: nothing again
    rating, created = Rating.objects.update_or_create(
        session=session, defaults={"score": score, "comment": comment.strip(), "rated_by": actor}
    )
    audit.record(session, "session_rated", actor=actor, to_state=str(score))
    return rating
