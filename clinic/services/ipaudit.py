"""IP audit: questionnaire versions and the audit's state transitions.

Questionnaire versions live in clinic/services/questionnaires.py (``current_version``,
``questionnaire_for`` and ``ensure_default_version`` are re-exported here); evidence files
in clinic/services/evidence.py.

Audit states: draft -> submitted -> returned -> submitted ... Each submission is kept as a round
with the answers and scores as submitted; a return adds the officer's comments to that round.

Answers, completion and scores: clinic/services/ipaudit_answers.py.
"""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import jobs, permissions, signals, todos
from ..models import Answer, AuditRound, IPAsset, IPAudit
from ..transitions import Badges, Machine, Move, Refused
from . import audit
from .ipaudit_answers import (
    NOTE_MAX_LENGTH,
    answer_values,
    clean_value,
    compute_scores,
    missing_required,
)
from .outbox import queue_message
from .questionnaires import current_version, ensure_default_version, questionnaire_for

AUDIT_DAYS = 14


__all__ = ["current_version", "ensure_default_version", "questionnaire_for"]  # re-exported


def _notify_representatives(audit_obj, kind, context=None, **_move):
    link = reverse("ipaudit:detail", args=[audit_obj.pk])
    for representative in audit_obj.company.representatives.filter(is_active=True):
        queue_message(
            representative,
            kind,
            {"audit": audit_obj, "company": audit_obj.company, "link": link, **(context or {})},
            related=audit_obj,
        )


AUDIT = Machine(
    IPAudit,
    related=("version", "company"),
    notify=_notify_representatives,
    badges={
        "colours": {"success": (IPAudit.State.SUBMITTED,), "warning": (IPAudit.State.RETURNED,)}
    },
    moves=[
        Move(
            "audit_submitted",
            IPAudit.OPEN_STATES,
            IPAudit.State.SUBMITTED,
            "can_fill_audit",
            ("audit_submitted",),
        ),
        Move(
            "audit_returned",
            (IPAudit.State.SUBMITTED,),
            IPAudit.State.RETURNED,
            "can_return_audit",
            ("audit_returned",),
        ),
    ],
)

# the asset register's status (a choice, not a workflow: no machine)
Badges(
    IPAsset,
    "status",
    colours={
        "success": (IPAsset.Status.GRANTED,),
        "info": (IPAsset.Status.FILED,),
        "dark": (IPAsset.Status.LAPSED,),
    },
    default="light",
)


@transaction.atomic
def start_audit(company, version=None, *, actor=None, due_days=AUDIT_DAYS):
    """Open an IP audit for ``company`` on ``version`` (default: the current version).

    Idempotent: an audit of the company on that version is returned as it is.
    Called by the participation flow when a place is confirmed (actor None = the system).
    Side-effects (new audit only): IPAudit in draft, due in ``due_days`` days; audit record;
    "audit_started" mail to each representative.
    """
    version = version or current_version() or ensure_default_version()
    if not version.is_published:
        raise Refused("wrong_state", _("Audits are answered on published versions only."))
    existing = IPAudit.objects.filter(company=company, version=version).first()
    if existing is not None:
        return existing
    now = timezone.now()
    audit_obj = IPAudit.objects.create(
        company=company, version=version, started_at=now, due_at=now + timedelta(days=due_days)
    )
    audit.record(audit_obj, "audit_started", actor=actor, to_state=IPAudit.State.DRAFT)
    _notify_representatives(audit_obj, "audit_started")
    return audit_obj


def check_filler(actor, audit_obj):
    if not permissions.can_fill_audit(actor, audit_obj):
        raise Refused("not_permitted")
    if not audit_obj.is_open:
        raise Refused(
            "wrong_state", _("The audit is submitted: it can be changed only after it is returned.")
        )


def _check_text(*texts):
    """Typed text is refused with Django's own message when it holds a null character (the
    database cannot store it)."""
    for text in texts:
        try:
            ProhibitNullCharactersValidator()(text or "")
        except ValidationError as error:
            raise Refused("invalid", error.messages[0]) from error


def save_answer(actor, audit_obj, question_key, value, note=None):
    """A representative saves one answer (autosave calls this for each change).

    Not a state change, so no audit record: the answer row keeps who changed it and when.
    Refuses (not_permitted; invalid: unknown question or value; wrong_state: audit not open).
    Side-effects: the Answer row is created or updated.
    """
    check_filler(actor, audit_obj)
    question = audit_obj.version.question(question_key)
    if question is None:
        raise Refused("invalid", _("Unknown question."))
    defaults = {"value": clean_value(question, value), "updated_by": actor}
    _check_text(value, note)
    if note is not None:
        note = note.strip()
        if len(note) > NOTE_MAX_LENGTH:
            message = _("Keep the note under %(limit)d characters.")
            raise Refused("invalid", message % {"limit": NOTE_MAX_LENGTH})
        defaults["note"] = note
    answer, _created = Answer.objects.update_or_create(
        audit=audit_obj, question_key=question_key, defaults=defaults
    )
    return answer


ASSET_SNAPSHOT_FIELDS = tuple(f for f in IPAsset.REGISTER_FIELDS if f != "notes")


def asset_snapshot(company):
    """The company's asset register as plain data (ISO dates), kept with each round."""
    return [
        {
            key: value.isoformat() if hasattr(value, "isoformat") else value
            for key, value in row.items()
        }
        for row in company.ip_assets.values(*ASSET_SNAPSHOT_FIELDS)
    ]


@transaction.atomic
def submit_audit(actor, audit_obj):
    """A representative submits the audit (first time or after a return).

    Refused (``invalid``, ``details["missing"]``: the questions) when a required question is
    unanswered.
    Side-effects: scores computed and stored on the audit; a new AuditRound with the answers,
    the asset register and the scores as submitted; state submitted; audit record
    from -> submitted; confirmation mail to each representative;
    ``clinic.signals.audit_submitted`` sent (kwargs audit, actor), which the participation flow
    listens to. Submitting a submitted audit again changes nothing.
    """
    audit_obj = AUDIT.lock(audit_obj)
    if not permissions.can_fill_audit(actor, audit_obj):
        raise Refused("not_permitted")
    if not AUDIT.applies(
        audit_obj,
        "audit_submitted",
        message=_("The audit is submitted: it can be changed only after it is returned."),
    ):
        return audit_obj  # a repeated submit: the first one did everything
    answers = answer_values(audit_obj)
    missing = missing_required(audit_obj.version, answers)
    if missing:
        message = _("%(count)d required questions are not answered.") % {"count": len(missing)}
        raise Refused("invalid", message, missing=missing)
    now = timezone.now()
    scores = compute_scores(audit_obj.version, answers)
    number = audit_obj.rounds.count() + 1
    notes = dict(audit_obj.answers.exclude(note="").values_list("question_key", "note"))
    AuditRound.objects.create(
        audit=audit_obj,
        number=number,
        submitted_at=now,
        submitted_by=actor,
        answers={"values": answers, "notes": notes, "assets": asset_snapshot(audit_obj.company)},
        scores=scores,
    )
    audit_obj.scores = scores
    audit_obj.submitted_at = now
    AUDIT.move(
        audit_obj,
        "audit_submitted",
        actor=actor,
        reason=_("round %(number)d") % {"number": number},
        fields=["scores", "submitted_at"],
        context={"round": number},
    )
    signals.audit_submitted.send(sender=IPAudit, audit=audit_obj, actor=actor)
    return audit_obj


@transaction.atomic
def return_audit(actor, audit_obj, comments, note=""):
    """An officer (later also the assigned expert) returns a submitted audit for correction.

    ``comments`` maps a dimension (int) to the comment on that section; at least one comment or
    the general ``note`` is needed.
    Side-effects: the latest round gets the comments, who and when; state returned; audit record
    submitted -> returned with the note; "audit_returned" mail to each representative.
    Returning a returned audit again changes nothing.
    """
    audit_obj = AUDIT.lock(audit_obj)
    if not permissions.can_return_audit(actor, audit_obj):
        raise Refused("not_permitted")
    if not AUDIT.applies(
        audit_obj,
        "audit_returned",
        message=_("Only a submitted audit can be returned."),
    ):
        return audit_obj  # returned already: nothing again
    comments = {
        str(int(dimension)): text.strip() for dimension, text in comments.items() if text.strip()
    }
    note = (note or "").strip()
    if not comments and not note:
        raise Refused("invalid", _("Say what needs correcting: write at least one comment."))
    latest = audit_obj.rounds.order_by("-number").first()
    latest.returned_at = timezone.now()
    latest.returned_by = actor
    latest.comments = comments
    latest.return_note = note
    latest.save()
    audit_obj.reminder_sent_at = None
    AUDIT.move(
        audit_obj,
        "audit_returned",
        actor=actor,
        reason=note or "; ".join(f"{key}: {text}" for key, text in comments.items())[:2000],
        fields=["reminder_sent_at"],
        context={"round": latest},
    )
    return audit_obj


@jobs.register
def send_reminders(now=None):
    """Remind representatives of audits still not submitted 14 days after they were opened.

    The audit opens when the place is confirmed, so this is the "14 days after confirmation"
    reminder. Once per audit. Side-effects per audit: "audit_reminder" mail to each
    representative; ``reminder_sent_at`` set; audit record (system actor). Returns the count.
    """
    now = now or timezone.now()
    due = IPAudit.objects.filter(
        state=IPAudit.State.DRAFT,
        reminder_sent_at__isnull=True,
        started_at__lte=now - timedelta(days=AUDIT_DAYS),
    ).select_related("company")
    count = 0
    for audit_obj in due:
        with transaction.atomic():
            updated = IPAudit.objects.filter(pk=audit_obj.pk, reminder_sent_at__isnull=True).update(
                reminder_sent_at=now
            )
            if not updated:
                continue
            audit.record(audit_obj, "audit_reminder_sent", to_state=audit_obj.state)
            _notify_representatives(audit_obj, "audit_reminder")
            count += 1
    return count


def open_audits_for(user):
    """Open audits of the companies ``user`` represents (for My tasks)."""
    return (
        IPAudit.objects.filter(state__in=IPAudit.OPEN_STATES, company__representatives=user)
        .select_related("company")
        .distinct()
    )


@todos.register
def audit_todos(user):
    """My tasks: each open audit of a company the user represents (one query)."""
    items = []
    for audit_obj in open_audits_for(user):
        returned = audit_obj.state == IPAudit.State.RETURNED
        title = _("Correct the returned IP audit") if returned else _("Fill in the IP audit")
        items.append(
            todos.Todo(
                title=title,
                url=reverse("ipaudit:detail", args=[audit_obj.pk]),
                detail=audit_obj.company.legal_name,
                due=None if returned else audit_obj.due_at,
            )
        )
    return items
