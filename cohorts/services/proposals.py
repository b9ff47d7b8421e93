"""Quota rules, the suggested selection and the selection proposal of a cohort.

The proposal starts as the exact suggestion (``cohorts.selection``); officers edit it (every
deviation carries a reason), one of them submits it, and a lead who did not propose it approves
(publishing every decision at once) or returns it. Each save checks the version the editor started
from, so two officers editing at once never overwrite each other silently.
"""

from bisect import bisect_left
from collections import defaultdict
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from clinic.models import AuditLog
from clinic.services import audit, outbox

from .. import selection
from ..models import (
    Application,
    Outcome,
    ProposalEntry,
    Review,
    SelectionProposal,
)
from . import InvalidTransition, NotAllowed
from .ranking import rank_applications, selection_candidates

State = SelectionProposal.State
PROPOSABLE_STATES = (Application.State.ELIGIBLE, Application.State.UNDER_REVIEW)
NO_POSITION = 10**6


class StaleProposal(Exception):
    """Someone saved the proposal after the editor opened it; nothing was written."""

    def __init__(self, proposal):
        super().__init__(_("Someone else saved this proposal meanwhile."))
        self.proposal = proposal


class ProposalInvalid(Exception):
    """The proposal cannot be submitted as it is: ``errors`` per entry id, ``general`` for all."""

    def __init__(self, errors, general):
        super().__init__(" ".join(general + list(errors.values())))
        self.errors = errors
        self.general = general


def can_propose(user):
    return user.is_authenticated and user.has_perm("cohorts.propose_selection")


AUTHOR_ACTIONS = ("proposal_started", "proposal_saved", "proposal_submitted", "proposal_reset")


def authors(proposal):
    """Everyone who started, edited or submitted the proposal: its proposers (four-eyes)."""
    recorded = AuditLog.objects.for_object(proposal).filter(action__in=AUTHOR_ACTIONS)
    ids = set(recorded.exclude(actor=None).values_list("actor_id", flat=True))
    return ids | {proposal.started_by_id, proposal.proposed_by_id} - {None}


def can_approve(user, proposal):
    """Leads approve, never someone who took part in proposing the selection (four-eyes)."""
    return (
        user.is_authenticated
        and user.has_perm("cohorts.approve_selection")
        and user.pk not in authors(proposal)
    )


# --- Quota rules ------------------------------------------------------------------------------


def _check_rules_editable(actor, cohort):
    if not can_propose(actor):
        raise NotAllowed
    proposal = SelectionProposal.objects.filter(cohort=cohort).first()
    if proposal is not None and proposal.state in (State.SUBMITTED, State.APPROVED):
        raise InvalidTransition(
            _("The selection is with the lead or published: its quota rules cannot change.")
        )


@transaction.atomic
def save_quota_rule(actor, rule):
    """Add or change a quota rule (already validated). Checks: officer; the proposal is not
    submitted or approved. Side-effects: row saved; audit record on the cohort."""
    _check_rules_editable(actor, rule.cohort)
    created = rule.pk is None
    rule.save()
    audit.record(
        rule.cohort,
        "quota_rule_added" if created else "quota_rule_changed",
        actor=actor,
        reason=rule.label,
    )
    return rule


@transaction.atomic
def delete_quota_rule(actor, rule):
    """Remove a quota rule. Checks as ``save_quota_rule``. Side-effects: row deleted; audit."""
    _check_rules_editable(actor, rule.cohort)
    label = rule.label
    rule.delete()
    audit.record(rule.cohort, "quota_rule_removed", actor=actor, reason=label)


def rules_for(cohort):
    """The cohort's quota rules as ``selection.QuotaRule`` values, labelled in the active
    language."""
    return [
        selection.QuotaRule(
            id=rule.pk,
            label=rule.label,
            dimension=rule.dimension,
            value=rule.match_value,
            minimum=rule.minimum,
            maximum=rule.maximum,
        )
        for rule in cohort.quota_rules.all()
    ]


def candidates_for(cohort):
    """Reviewed applications still waiting for a decision, as selection candidates."""
    waiting = set(
        Application.objects.filter(cohort=cohort, state__in=PROPOSABLE_STATES).values_list(
            "pk", flat=True
        )
    )
    return [c for c in selection_candidates(cohort) if c.id in waiting]


def feasibility_problems(cohort, candidates=None):
    """Messages naming the quota rules that cannot hold together (empty when feasible)."""
    if candidates is None:
        candidates = candidates_for(cohort)
    return selection.check_feasibility(candidates, rules_for(cohort), cohort.capacity)


def suggestion_for(cohort, candidates=None):
    """The exact suggestion with its explanation in every language: (suggestion, texts) where
    texts maps candidate id -> {language: reason}. Raises ``selection.InfeasibleQuotas``."""
    if candidates is None:
        candidates = candidates_for(cohort)
    texts = defaultdict(dict)
    suggestion = None
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            found = selection.suggest_selection(
                candidates, rules_for(cohort), cohort.capacity, cohort.waitlist_length
            )
        suggestion = suggestion or found
        for candidate_id, line in found.lines.items():
            texts[candidate_id][code] = line.reason
    return suggestion, texts


# --- The proposal -----------------------------------------------------------------------------


def _flows():
    from .. import flows

    return flows


def _not_ranked_texts(cohort):
    texts = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            texts[code] = _(
                "Not ranked: fewer than %(n)d counting reviews, so it cannot be suggested."
            ) % {"n": cohort.min_reviews}
    return texts


def _entries(proposal, cohort):
    """Entries for every eligible application: the suggestion, or not ranked (rejected)."""
    candidates = candidates_for(cohort)
    try:
        suggestion, texts = suggestion_for(cohort, candidates)
    except selection.InfeasibleQuotas as error:
        raise InvalidTransition(" ".join(error.problems)) from error
    scores = {c.id: c.score for c in candidates}
    entries = []
    for application_id in (
        Application.objects.filter(cohort=cohort, state__in=PROPOSABLE_STATES)
        .order_by("pk")
        .values_list("pk", flat=True)
    ):
        line = suggestion.lines.get(application_id)
        if line is None:
            outcome, position, rank, explanation = (
                Outcome.REJECTED,
                None,
                None,
                _not_ranked_texts(cohort),
            )
        else:
            outcome, position, rank = line.outcome, line.waitlist_position, line.plain_rank
            explanation = {code: text for code, text in texts[application_id].items() if text}
        entries.append(
            ProposalEntry(
                proposal=proposal,
                application_id=application_id,
                plain_rank=rank,
                score=scores.get(application_id),
                suggested_outcome=outcome,
                suggested_position=position,
                explanation=explanation,
                outcome=outcome,
                position=position,
            )
        )
    return entries, suggestion.total_score


@transaction.atomic
def start_proposal(actor, cohort):
    """An officer starts the cohort's selection proposal from the suggestion.

    Checks: officer (propose permission); the call has closed; no proposal yet; the quota rules
    are feasible (else the message names the rules in conflict).
    Side-effects: proposal and one entry per eligible application; audit record; the selection
    flow starts (its edit task is offered to the officers).
    """
    if not can_propose(actor):
        raise NotAllowed
    if timezone.now() < cohort.applications_close_at:
        raise InvalidTransition(_("The call for applications has not closed yet."))
    if SelectionProposal.objects.filter(cohort=cohort).exists():
        raise InvalidTransition(_("The selection proposal of this cohort is already started."))
    proposal = SelectionProposal.objects.create(cohort=cohort, started_by=actor)
    entries, total = _entries(proposal, cohort)
    if not entries:
        raise InvalidTransition(_("No eligible application is waiting for a decision."))
    ProposalEntry.objects.bulk_create(entries)
    proposal.suggested_total = total
    proposal.save(update_fields=["suggested_total"])
    audit.record(proposal, "proposal_started", actor=actor, to_state=State.DRAFT)
    _flows().start_selection_flow(proposal)
    return proposal


def _lock(proposal):
    return (
        SelectionProposal.objects.select_for_update().select_related("cohort").get(pk=proposal.pk)
    )


def _check_editor(actor, proposal, version):
    if not can_propose(actor):
        raise NotAllowed
    if not proposal.editable:
        raise InvalidTransition(_("This proposal is no longer being prepared."))
    if version != proposal.version:
        raise StaleProposal(proposal)


@transaction.atomic
def reset_to_suggestion(actor, proposal, version):
    """Compute the suggestion again (e.g. after a quota rule changed) and start over from it.

    Checks: officer; proposal being prepared; ``version`` current. Side-effects: entries
    replaced (reasons dropped); version + 1; audit record.
    """
    proposal = _lock(proposal)
    _check_editor(actor, proposal, version)
    entries, total = _entries(proposal, proposal.cohort)
    proposal.entries.all().delete()
    ProposalEntry.objects.bulk_create(entries)
    proposal.suggested_total = total
    _saved(proposal, actor, ["suggested_total"])
    audit.record(proposal, "proposal_reset", actor=actor)
    return proposal


def _saved(proposal, actor, fields=()):
    proposal.version += 1
    proposal.saved_by = actor
    proposal.saved_at = timezone.now()
    proposal.save(update_fields=["version", "saved_by", "saved_at", *fields])


def moved_up(entries):
    """Waitlisted entries (suggested waitlisted too) that the officer's order moved: those
    outside a longest run that keeps the suggested order."""
    kept = [e for e in entries if e.outcome == Outcome.WAITLISTED and e.suggested_position]
    kept.sort(key=lambda e: e.position or NO_POSITION)
    # Longest increasing subsequence of suggested positions (patience sorting with links).
    tails, tail_index, previous = [], [], [None] * len(kept)
    for index, entry in enumerate(kept):
        at = bisect_left(tails, entry.suggested_position)
        previous[index] = tail_index[at - 1] if at else None
        if at == len(tails):
            tails.append(entry.suggested_position)
            tail_index.append(index)
        else:
            tails[at] = entry.suggested_position
            tail_index[at] = index
    in_order = set()
    index = tail_index[-1] if tail_index else None
    while index is not None:
        in_order.add(kept[index].pk)
        index = previous[index]
    return {e.pk for e in kept if e.pk not in in_order}


def deviations(entries):
    """Ids of entries that deviate from the suggestion (outcome or waitlist order)."""
    changed = {e.pk for e in entries if e.outcome != e.suggested_outcome}
    return changed | moved_up(entries)


def normalise_positions(entries):
    waitlisted = sorted(
        (e for e in entries if e.outcome == Outcome.WAITLISTED),
        key=lambda e: (
            e.position or NO_POSITION,
            e.suggested_position or NO_POSITION,
            e.plain_rank or NO_POSITION,
            e.pk,
        ),
    )
    for position, entry in enumerate(waitlisted, start=1):
        entry.position = position
    for entry in entries:
        if entry.outcome != Outcome.WAITLISTED:
            entry.position = None


def missing_applications(proposal):
    """Applications that became eligible after the proposal started (not in its entries)."""
    return Application.objects.filter(
        cohort_id=proposal.cohort_id, state__in=PROPOSABLE_STATES
    ).exclude(pk__in=ProposalEntry.objects.filter(proposal=proposal).values("application_id"))


def required_selected(proposal, entries):
    """(fewest, most) companies to select: exactly the capacity; with fewer eligible, from as
    many as the quota rules allow (the suggestion) up to all of them."""
    capacity = proposal.cohort.capacity
    if len(entries) >= capacity:
        return capacity, capacity
    suggested = sum(e.suggested_outcome == Outcome.SELECTED for e in entries)
    return suggested, len(entries)


def problems(proposal, entries):
    """(errors per entry id, general errors) that stop a submission."""
    errors = {}
    deviating = deviations(entries)
    for entry in entries:
        if entry.pk in deviating and not entry.reason.strip():
            errors[entry.pk] = _("Give a reason for deviating from the suggestion.")
    for entry in entries:
        if entry.outcome != Outcome.REJECTED and entry.application.state not in PROPOSABLE_STATES:
            errors[entry.pk] = _("This application is %(state)s now: choose not selected.") % {
                "state": entry.application.get_state_display()
            }
    general = []
    missing = missing_applications(proposal).count()
    if missing:
        general.append(
            ngettext(
                "%(n)d eligible application is not in the proposal: start again from the "
                "suggestion.",
                "%(n)d eligible applications are not in the proposal: start again from the "
                "suggestion.",
                missing,
            )
            % {"n": missing}
        )
    fewest, most = required_selected(proposal, entries)
    chosen = sum(e.outcome == Outcome.SELECTED for e in entries)
    if fewest == most and chosen != most:
        general.append(
            _("Select exactly %(wanted)d companies (now %(chosen)d).")
            % {"wanted": most, "chosen": chosen}
        )
    elif not fewest <= chosen <= most:
        general.append(
            _("Select from %(fewest)d to %(most)d companies (now %(chosen)d).")
            % {"fewest": fewest, "most": most, "chosen": chosen}
        )
    return errors, general


@transaction.atomic
def save_proposal(actor, proposal, version, rows, submit=False):
    """Save the officers' edits; with ``submit`` also send the proposal to the lead.

    ``rows`` maps entry id -> (outcome, waitlist position or None, reason).
    Checks: officer; proposal being prepared; ``version`` is the current one (else
    StaleProposal and nothing is written); valid outcomes; on submit, a reason for every
    deviation and exactly the capacity selected (all, when fewer are eligible): else
    ProposalInvalid and nothing is written.
    Side-effects: entries saved with the waitlist renumbered 1..n; version + 1; audit record;
    on submit: state -> submitted, proposer recorded, the flow's edit task done (its approval
    task is offered to the leads).
    """
    proposal = _lock(proposal)
    _check_editor(actor, proposal, version)
    entries = list(proposal.entries.select_related("application"))
    for entry in entries:
        if entry.pk not in rows:
            continue
        outcome, position, reason = rows[entry.pk]
        if outcome not in Outcome.values:
            raise ProposalInvalid({entry.pk: _("Choose an outcome.")}, [])
        entry.outcome, entry.position, entry.reason = outcome, position, (reason or "").strip()
    normalise_positions(entries)
    if submit:
        errors, general = problems(proposal, entries)
        if errors or general:
            raise ProposalInvalid(errors, general)
    ProposalEntry.objects.bulk_update(entries, ["outcome", "position", "reason"])
    from_state = proposal.state
    fields = []
    if submit:
        proposal.state = State.SUBMITTED
        proposal.proposed_by = actor
        proposal.submitted_at = timezone.now()
        fields = ["state", "proposed_by", "submitted_at"]
    _saved(proposal, actor, fields)
    audit.record(
        proposal,
        "proposal_submitted" if submit else "proposal_saved",
        actor=actor,
        from_state=from_state if submit else "",
        to_state=proposal.state if submit else "",
        reason=f"v{proposal.version}",
    )
    if submit:
        _flows().proposal_submitted(proposal, actor)
    return proposal


def _check_lead(actor, proposal):
    if not actor.has_perm("cohorts.approve_selection"):
        raise NotAllowed(_("Only a programme lead approves a selection."))
    if actor.pk in authors(proposal):
        raise NotAllowed(_("You proposed this selection: another lead must decide on it."))


@transaction.atomic
def approve(actor, proposal, comment=""):
    """The lead approves the submitted proposal and every decision is published.

    Checks: lead (approve permission) who took no part in proposing it (four-eyes); state
    submitted.
    Approving an approved proposal again changes nothing.
    Side-effects: state -> approved; audit record; ``publish``; the flow's approval task done
    and the flow ended.
    """
    proposal = _lock(proposal)
    _check_lead(actor, proposal)
    if proposal.state == State.APPROVED:
        return proposal
    if proposal.state != State.SUBMITTED:
        raise InvalidTransition(_("Only a submitted proposal can be approved."))
    proposal.state = State.APPROVED
    proposal.approved_by = actor
    proposal.approved_at = timezone.now()
    proposal.lead_comment = comment.strip()
    proposal.save(update_fields=["state", "approved_by", "approved_at", "lead_comment"])
    audit.record(
        proposal,
        "proposal_approved",
        actor=actor,
        from_state=State.SUBMITTED,
        to_state=State.APPROVED,
        reason=proposal.lead_comment,
    )
    publish(proposal, actor)
    _flows().proposal_decided(proposal, actor)
    return proposal


@transaction.atomic
def return_proposal(actor, proposal, comment):
    """The lead returns the proposal to the officers with a comment.

    Checks: lead who is not the proposer; state submitted; a comment.
    Side-effects: state -> returned; audit record; message to the proposer; the flow's
    approval task done and a new edit task offered to the officers.
    """
    proposal = _lock(proposal)
    _check_lead(actor, proposal)
    if proposal.state != State.SUBMITTED:
        raise InvalidTransition(_("Only a submitted proposal can be returned."))
    if not comment.strip():
        raise InvalidTransition(_("Say what the officers should change."))
    proposal.state = State.RETURNED
    proposal.lead_comment = comment.strip()
    proposal.save(update_fields=["state", "lead_comment"])
    audit.record(
        proposal,
        "proposal_returned",
        actor=actor,
        from_state=State.SUBMITTED,
        to_state=State.RETURNED,
        reason=proposal.lead_comment,
    )
    if proposal.proposed_by is not None:
        outbox.queue_message(
            proposal.proposed_by,
            "selection_returned",
            {"proposal": proposal, "cohort": proposal.cohort, "comment": proposal.lead_comment},
            related=proposal,
        )
    _flows().proposal_decided(proposal, actor)
    return proposal


def feedback_for(cohort, application_ids):
    """application id -> short review feedback: weighted score, medians per criterion and the
    reviewers' comments (no names). Three queries plus the cached ranking."""
    rows, criteria = rank_applications(cohort)
    rows = {row.pk: row for row in rows if row.pk in application_ids}
    comments = defaultdict(list)
    for application_id, comment in (
        Review.objects.filter(
            application_id__in=application_ids, state=Review.State.SUBMITTED, abstained=False
        )
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
        .filter(pk__in=entries, state__in=PROPOSABLE_STATES)
        .select_related("company", "cohort")
        .order_by("pk")
    )
    feedback = feedback_for(cohort, {a.pk for a in applications}) if cohort.share_feedback else {}
    for application in applications:
        entry = entries[application.pk]
        from_state = application.state
        application.state = entry.outcome
        application.decided_at = now
        application.waitlist_position = entry.position
        if entry.outcome == Outcome.SELECTED:
            application.confirm_due_at = now + timedelta(days=cohort.confirm_days)
        application.save(
            update_fields=[
                "state",
                "decided_at",
                "waitlist_position",
                "confirm_due_at",
                "updated_at",
            ]
        )
        audit.record(
            application,
            "decision_published",
            actor=actor,
            from_state=from_state,
            to_state=entry.outcome,
            reason=entry.reason,
        )
        for representative in application.company.representatives.all():
            outbox.queue_message(
                representative,
                "selection_decision",
                {
                    "application": application,
                    "cohort": cohort,
                    "outcome": entry.outcome,
                    "feedback": feedback.get(application.pk),
                },
                related=application,
            )
        _flows().decision_made(application)
    decided = {application.pk for application in applications}
    if any(e.outcome == Outcome.SELECTED and pk not in decided for pk, e in entries.items()):
        from .confirmation import backfill  # a selected one withdrew meanwhile: fill its place

        backfill(cohort, actor)
    if proposal.published_at is None:
        SelectionProposal.objects.filter(pk=proposal.pk).update(published_at=now)
        proposal.published_at = now
    return len(applications)
