"""The lead expert's IP strategy assessment: start, save, submit, return; readiness; reminder.

Participation states: mentoring -> assessment (started) -> plan_review (submitted); a return by an
officer moves it back to assessment until the expert submits again.
"""

from datetime import timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from clinic import jobs, limits
from clinic.dimensions import MAX_MATURITY, Dimension, traffic_light
from clinic.models import AuditLog
from clinic.services import audit
from clinic.services.outbox import queue_message
from clinic.transitions import Refused

from .. import permissions
from ..models import Assessment, DimensionScore, Participation, Session
from ..transitions import ASSESSING, ASSESSMENT, PARTICIPATION
from .sessions import lead_expert

State = Participation.State
# mentoring, assessment, plan review: the states of the assessment stage
ASSESSABLE_STATES = PARTICIPATION.sources(
    "assessment_started", "assessment_submitted", "assessment_returned"
)


def readiness(maturities):
    """Overall IP readiness: mean maturity over the answered dimensions as a percentage of 4.

    ``maturities`` is an iterable of levels (None for a dimension not scored). Returns a float
    rounded to one decimal, or None when no dimension is scored.
    """
    answered = [level for level in maturities if level is not None]
    if not answered:
        return None
    return round(100 * sum(answered) / len(answered) / MAX_MATURITY, 1)


def audit_scores(participation):
    """The SME's self-assessed maturity per dimension number (None when not scored)."""
    scores = participation.audit.scores if participation.audit_id else {}
    return {d: (scores.get(str(d)) or {}).get("score") for d in Dimension.values}


def score_rows(assessment):
    """One row per dimension: its audit score and the expert's DimensionScore (maybe unsaved)."""
    saved = {s.dimension: s for s in assessment.scores.all()}
    audit_values = audit_scores(assessment.participation)
    rows = []
    for dimension in Dimension:
        score = saved.get(dimension.value) or DimensionScore(
            assessment=assessment, dimension=dimension.value
        )
        audit_value = audit_values[dimension.value]
        rows.append(
            {
                "dimension": dimension,
                "audit": audit_value,
                "audit_light": traffic_light(audit_value),
                "score": score,
                "light": traffic_light(score.maturity),
                "gap": score.gap,
            }
        )
    return rows


def assessment_readiness(assessment):
    return readiness(s.maturity for s in assessment.scores.all())


@transaction.atomic
def start_assessment(actor, participation):
    """The lead expert opens the assessment (idempotent: returns the existing one).

    Side-effects: an Assessment (draft, dated today) with an empty score per dimension; state
    mentoring -> assessment; audit records "assessment_started" on both; the flow's mentoring
    stage completes.
    """
    from ..flows import ParticipationFlow, complete_stage

    participation = PARTICIPATION.lock(participation)  # two first clicks: one assessment
    existing = Assessment.objects.filter(participation=participation).first()
    if existing is not None:
        return existing
    if not permissions.can_write_assessment(actor, participation):
        raise Refused("not_permitted")
    if participation.state not in ASSESSABLE_STATES:
        raise Refused("wrong_state", _("The assessment starts once the IP audit is submitted."))
    assessment = Assessment.objects.create(participation=participation, started_by=actor)
    DimensionScore.objects.bulk_create(
        DimensionScore(assessment=assessment, dimension=d) for d in Dimension.values
    )
    audit.record(assessment, "assessment_started", actor=actor, to_state=Assessment.State.DRAFT)
    if PARTICIPATION.allows(participation.state, "assessment_started"):
        PARTICIPATION.move(participation, "assessment_started", actor=actor)
    complete_stage(participation, ParticipationFlow.mentoring)
    return assessment


@transaction.atomic
def save_assessment(actor, assessment, *, scores, **fields):
    """The lead expert saves the draft: ``scores`` {dimension: {maturity, target, rationale}} and
    the text fields (executive_summary, strengths, weaknesses, opportunities, threats,
    assessed_on).

    Side-effects: the Assessment and its DimensionScore rows; audit record "assessment_saved"
    naming the changed dimensions.
    """
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if not permissions.can_write_assessment(actor, assessment.participation):
        raise Refused("not_permitted")
    if not assessment.is_editable:
        raise Refused("wrong_state", _("A submitted assessment can no longer be changed."))
    allowed = {
        "executive_summary",
        "strengths",
        "weaknesses",
        "opportunities",
        "threats",
        "assessed_on",
    }
    for name, value in fields.items():
        if name in allowed:
            setattr(assessment, name, value.strip() if isinstance(value, str) else value)
    _check_due_dates(assessment)
    limits.enforce(assessment, allowed)
    assessment.save()
    changed = []
    existing = {s.dimension: s for s in assessment.scores.all()}
    if not set(map(int, scores)) <= set(Dimension.values):
        raise Refused("invalid", _("Score only the eleven dimensions."))
    for dimension, values in scores.items():
        row = existing.get(int(dimension)) or DimensionScore(
            assessment=assessment, dimension=int(dimension)
        )
        new = (
            values.get("maturity"),
            values.get("target"),
            (values.get("rationale") or "").strip(),
        )
        for level in new[:2]:
            if level is not None and not 0 <= int(level) <= MAX_MATURITY:
                raise Refused("invalid", _("Maturity levels go from 0 to 4."))
        if (row.maturity, row.target, row.rationale) != new or row.pk is None:
            row.maturity, row.target, row.rationale = new
            limits.enforce(row, ["rationale"])
            row.save()
            changed.append(str(dimension))
    audit.record(
        assessment,
        "assessment_saved",
        actor=actor,
        to_state=assessment.state,
        reason=", ".join(changed),
    )
    return assessment


def _check_due_dates(assessment):
    """Horizons count from the assessment date: moving it must keep every action inside."""
    from .action_plan import horizon_end

    for item in assessment.actions.all():
        end = horizon_end(assessment.assessed_on, item.horizon)
        if not assessment.assessed_on <= item.due_date <= end:
            raise Refused(
                "wrong_state",
                _(
                    "With this assessment date the action “%(title)s” would fall outside its "
                    "horizon; change its due date first."
                )
                % {"title": item.title},
            )


@transaction.atomic
def submit_assessment(actor, assessment):
    """The lead expert submits the assessment for the action plan and its review.

    Every dimension needs a maturity (or is deliberately left out with a rationale), a target
    and an executive summary. Side-effects: state draft/returned -> submitted (submitted_at/by);
    participation assessment -> plan_review; audit records; the flow's mentoring and assessment
    stages complete; mail "assessment_submitted" to the other experts of the participant.
    Submitting a submitted assessment again changes nothing.
    """
    from ..flows import ParticipationFlow, complete_stage

    assessment = ASSESSMENT.lock(assessment)
    participation = assessment.participation
    if not permissions.can_write_assessment(actor, participation):
        raise Refused("not_permitted")
    if not ASSESSMENT.applies(
        assessment,
        "assessment_submitted",
        message=_("This assessment is already submitted."),
    ):
        return assessment  # a repeated submit: the first one did everything
    missing = [
        str(s.dimension)
        for s in assessment.scores.all()
        if s.target is None or (s.maturity is None and not s.rationale)
    ]
    if missing:
        raise Refused(
            "wrong_state",
            _("Give a maturity (or a rationale for leaving it open) and a target for: %(dims)s.")
            % {"dims": ", ".join(missing)},
        )
    if not assessment.executive_summary.strip():
        raise Refused("invalid", _("Write the executive summary before submitting."))
    assessment.submitted_at = timezone.now()
    assessment.submitted_by = actor
    ASSESSMENT.move(
        assessment,
        "assessment_submitted",
        actor=actor,
        fields=["submitted_at", "submitted_by"],
    )
    participation = PARTICIPATION.lock(participation)
    if PARTICIPATION.allows(participation.state, "assessment_submitted"):
        PARTICIPATION.move(participation, "assessment_submitted", actor=actor)
    complete_stage(participation, ParticipationFlow.mentoring)
    complete_stage(participation, ParticipationFlow.assessment)
    return assessment


@ASSESSMENT.mailer
def _tell_experts(assessment, kind, context, *, actor=None, **_move):
    """The move's mail: a submitted assessment to the participant's other active experts, a
    returned one (with the officer's comment) to the lead expert."""
    participation = assessment.participation
    extra = {}
    if kind == "assessment_returned":
        recipients = [lead] if (lead := lead_expert(participation)) is not None else []
        extra = {"comment": assessment.return_comment}
    else:
        active = participation.assignments.filter(ended_at__isnull=True).select_related("expert")
        recipients = [a.expert for a in active if actor is None or a.expert_id != actor.pk]
    for recipient in recipients:
        queue_message(
            recipient,
            kind,
            {
                "company": participation.company,
                "url": reverse("mentoring:assessment", args=[participation.pk]),
                **extra,
                **context,
            },
            related=assessment,
        )


@transaction.atomic
def return_assessment(actor, assessment, comment):
    """An officer returns a submitted assessment to the lead expert with comments.

    Only before a plan version is signed off. Side-effects: state submitted -> returned with the
    comment (returned_at/by); participation plan_review -> assessment; audit records; mail
    "assessment_returned" to the lead expert. Returning it again changes nothing.
    """
    assessment = ASSESSMENT.lock(assessment)
    participation = assessment.participation
    if not permissions.can_return_assessment(actor, participation):
        raise Refused("not_permitted")
    if not ASSESSMENT.applies(
        assessment,
        "assessment_returned",
        message=_("Only a submitted assessment can be returned."),
    ):
        return assessment  # returned already: nothing again
    if participation.plan_versions.filter(signed_at__isnull=False).exists():
        raise Refused("wrong_state", _("A plan of this assessment is signed off already."))
    if not comment.strip():
        raise Refused("invalid", _("Say what should change."))
    assessment.return_comment = comment.strip()
    limits.enforce(assessment, ["return_comment"])
    assessment.returned_at = timezone.now()
    assessment.returned_by = actor
    ASSESSMENT.move(
        assessment,
        "assessment_returned",
        actor=actor,
        reason=assessment.return_comment,
        fields=["return_comment", "returned_at", "returned_by"],
    )
    participation = PARTICIPATION.lock(participation)
    if PARTICIPATION.allows(participation.state, "assessment_returned"):
        PARTICIPATION.move(
            participation, "assessment_returned", actor=actor, reason=assessment.return_comment
        )
    return assessment


def last_target_session_at(participation):
    """When the SME's last target session (the n-th held one, n = the cohort's target) ended."""
    target = participation.cohort.target_sessions
    held = list(
        Session.objects.filter(participation=participation, status=Session.Status.HELD).order_by(
            "starts_at"
        )[:target]
    )
    if not target or len(held) < target:
        return None
    return held[-1].ends_at


@jobs.register
def send_assessment_reminders(now=None):
    """Remind the lead expert when the assessment is not submitted the cohort's
    ``assessment_days`` (14) after the SME's last target session (once per participant).

    Side-effects per participant: mail "assessment_reminder" to the lead expert; audit record
    "assessment_reminder_sent" (system actor), which also marks it as sent. Returns the count.
    """
    now = now or timezone.now()
    candidates = Participation.objects.filter(state__in=ASSESSING).select_related(
        "cohort", "company"
    )
    already = set(
        AuditLog.objects.filter(
            object_type="mentoring.participation", action="assessment_reminder_sent"
        ).values_list("object_id", flat=True)
    )
    count = 0
    for participation in candidates:
        if str(participation.pk) in already:
            continue
        submitted = Assessment.objects.filter(
            participation=participation, state=Assessment.State.SUBMITTED
        ).exists()
        ended = last_target_session_at(participation)
        days = participation.cohort.assessment_days
        if submitted or ended is None or ended > now - timedelta(days=days):
            continue
        lead = lead_expert(participation)
        if lead is None:
            continue
        with transaction.atomic():
            audit.record(participation, "assessment_reminder_sent", to_state=participation.state)
            queue_message(
                lead,
                "assessment_reminder",
                {
                    "company": participation.company,
                    "days": days,
                    "url": reverse("mentoring:assessment", args=[participation.pk]),
                },
                related=participation,
            )
        count += 1
    return count
