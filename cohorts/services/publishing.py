"""A lead's decision on a submitted selection proposal, and publishing every decision.

A lead who did not take part in proposing the selection approves it (publishing every decision
at once) or returns it to the officers with a comment.
"""

from collections import defaultdict
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clinic.transitions import Refused

from ..models import Application, Outcome, Review, SelectionProposal
from ..permissions import approval_refusal
from ..transitions import APPLICATION, AWAITING_DECISION, PROPOSAL
from . import flow_events
from .ranking import rank_applications

State = SelectionProposal.State


def _check_lead(actor, proposal):
    refusal = approval_refusal(actor, proposal)
    if refusal:
        raise Refused("not_permitted", refusal)


@transaction.atomic
def approve(actor, proposal, comment=""):
    """The lead approves the submitted proposal and every decision is published.

    Checks: lead (approve permission) who took no part in proposing it (four-eyes); state
    submitted.
    Approving an approved proposal again changes nothing.
    Side-effects: state -> approved; audit record; ``publish``; the flow's approval task done
    and the flow ended.
    """
    proposal = PROPOSAL.lock(proposal)
    _check_lead(actor, proposal)
    proposal.approved_by = actor
    proposal.approved_at = timezone.now()
    proposal.lead_comment = comment.strip()
    if not PROPOSAL.move(
        proposal,
        "proposal_approved",
        actor=actor,
        reason=proposal.lead_comment,
        fields=["approved_by", "approved_at", "lead_comment"],
        message=_("Only a submitted proposal can be approved."),
    ):
        return PROPOSAL.lock(proposal)  # approved already: nothing again
    publish(proposal, actor)
    flow_events().proposal_decided(proposal, actor)
    return proposal


@transaction.atomic
def return_proposal(actor, proposal, comment):
    """The lead returns the proposal to the officers with a comment.

    Checks: lead who is not the proposer; state submitted; a comment. Returning a returned
    proposal again changes nothing.
    Side-effects: state -> returned; audit record; message to the proposer; the flow's
    approval task done and a new edit task offered to the officers.
    """
    proposal = PROPOSAL.lock(proposal)
    _check_lead(actor, proposal)
    if not PROPOSAL.applies(
        proposal,
        "proposal_returned",
        message=_("Only a submitted proposal can be returned."),
    ):
        return proposal  # returned already: nothing again
    if not comment.strip():
        raise Refused("invalid", _("Say what the officers should change."))
    proposal.lead_comment = comment.strip()
    PROPOSAL.move(
        proposal,
        "proposal_returned",
        actor=actor,
        reason=proposal.lead_comment,
        fields=["lead_comment"],
    )
    flow_events().proposal_decided(proposal, actor)
    return proposal


def feedback_for(cohort, application_ids):
    """application id -> short review feedback: weighted score, medians per criterion and the
    reviewers' comments (no names). Three queries plus the cached ranking."""
    rows, criteria = rank_applications(cohort)
    rows = {row.pk: row for row in rows if row.pk in application_ids}
    comments = defaultdict(list)
    for application_id, comment in (
        Review.objects.filter(application_id__in=application_ids, **Review.COUNTING)
        .exclude(comment="")
        .order_by("pk")
        .values_list("application_id", "comment")
    ):
        comments[application_id].append(comment)
    return {
        pk: {
            "score": row.score,
            "criteria": [(c, row.medians.get(c.pk)) for c in criteria if c.pk in row.medians],
            "comments": comments.get(pk, []),
        }
        for pk, row in rows.items()
    }


def publish(proposal, actor=None):
    """Set every eligible application's outcome as the approved proposal says (idempotent).

    Applications already decided (or withdrawn meanwhile) are left alone, so publishing twice
    changes nothing; a selected place whose application was withdrawn meanwhile is offered to
    the waitlist. Side-effects per application: state -> selected / waitlisted / rejected,
    decision time, waitlist position, a confirmation deadline for the selected; audit record;
    one decision message per representative in their language (with a feedback summary when
    the cohort shares feedback); the application flow's ``decision`` wait completed.
    """
    cohort = proposal.cohort
    now = timezone.now()
    entries = {e.application_id: e for e in proposal.entries.all()}
    applications = list(
        Application.objects.select_for_update()
        .filter(pk__in=entries, state__in=AWAITING_DECISION)
        .select_related("company", "cohort")
        .order_by("pk")
    )
    feedback = feedback_for(cohort, {a.pk for a in applications}) if cohort.share_feedback else {}
    for application in applications:
        entry = entries[application.pk]
        application.decided_at = now
        application.waitlist_position = entry.position
        if entry.outcome == Outcome.SELECTED:
            application.confirm_due_at = now + timedelta(days=cohort.confirm_days)
        APPLICATION.move(
            application,
            entry.outcome,  # the moves selected, waitlisted, rejected
            actor=actor,
            reason=entry.reason,
            fields=["decided_at", "waitlist_position", "confirm_due_at"],
            context={"outcome": entry.outcome, "feedback": feedback.get(application.pk)},
        )
        flow_events().decision_made(application)
    decided = {application.pk for application in applications}
    if any(e.outcome == Outcome.SELECTED and pk not in decided for pk, e in entries.items()):
        from .confirmation import backfill  # a selected one withdrew meanwhile: fill its place

        backfill(cohort, actor)
    if proposal.published_at is None:
        SelectionProposal.objects.filter(pk=proposal.pk).update(published_at=now)
        proposal.published_at = now
    return len(applications)
