"""The selection proposal of a cohort: starting it from the suggestion, editing, submitting.

The proposal starts as the exact suggestion (``cohorts.services.quotas``); officers edit it
(every deviation carries a reason) and one of them submits it to a lead
(``cohorts.services.publishing`` approves and publishes it, or returns it). Each save checks the
version the editor started from, so two officers editing at once never overwrite each other
silently.
"""

from bisect import bisect_left

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from clinic.services import audit
from clinic.transitions import Refused

from .. import selection
from ..models import Application, Outcome, ProposalEntry, SelectionProposal
from ..permissions import can_propose
from ..transitions import AWAITING_DECISION, PROPOSAL
from . import flow_events
from .quotas import candidates_for, suggestion_for

State = SelectionProposal.State
NO_POSITION = 10**6


def stale_proposal(proposal):
    """Someone saved the proposal after the editor opened it (``details["proposal"]``, the saved
    one); nothing was written."""
    return Refused("stale", _("Someone else saved this proposal meanwhile."), proposal=proposal)


def invalid_proposal(errors, general):
    """The proposal cannot be submitted as it is: ``errors`` per entry id, ``general`` for all."""
    text = " ".join(str(text) for text in [*general, *errors.values()])
    return Refused("invalid", text, errors=errors, general=general)


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
        raise Refused("invalid", " ".join(error.problems)) from error
    scores = {c.id: c.score for c in candidates}
    entries = []
    for application_id in (
        Application.objects.filter(cohort=cohort, state__in=AWAITING_DECISION)
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
        raise Refused("not_permitted")
    if cohort.call_state() != "closed":
        raise Refused("wrong_state", _("The call for applications has not closed yet."))
    if SelectionProposal.objects.filter(cohort=cohort).exists():
        raise Refused("wrong_state", _("The selection proposal of this cohort is already started."))
    proposal = SelectionProposal.objects.create(cohort=cohort, started_by=actor)
    entries, total = _entries(proposal, cohort)
    if not entries:
        raise Refused("wrong_state", _("No eligible application is waiting for a decision."))
    ProposalEntry.objects.bulk_create(entries)
    proposal.suggested_total = total
    proposal.save(update_fields=["suggested_total"])
    audit.record(proposal, "proposal_started", actor=actor, to_state=State.DRAFT)
    flow_events().start_selection_flow(proposal)
    return proposal


def _check_editor(actor, proposal, version):
    if not can_propose(actor):
        raise Refused("not_permitted")
    if not PROPOSAL.allows(proposal.state, "proposal_submitted"):
        raise Refused("wrong_state", _("This proposal is no longer being prepared."))
    if version != proposal.version:
        raise stale_proposal(proposal)


@transaction.atomic
def reset_to_suggestion(actor, proposal, version):
    """Compute the suggestion again (e.g. after a quota rule changed) and start over from it.

    Checks: officer; proposal being prepared; ``version`` current. Side-effects: entries
    replaced (reasons dropped); version + 1; audit record.
    """
    proposal = PROPOSAL.lock(proposal)
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
        cohort_id=proposal.cohort_id, state__in=AWAITING_DECISION
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
        if entry.outcome != Outcome.REJECTED and entry.application.state not in AWAITING_DECISION:
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
    Refused stale and nothing is written); valid outcomes; on submit, a reason for every
    deviation and exactly the capacity selected (all, when fewer are eligible): else
    Refused invalid (errors, general) and nothing is written.
    Side-effects: entries saved with the waitlist renumbered 1..n; version + 1; audit record;
    on submit: state -> submitted, proposer recorded, the flow's edit task done (its approval
    task is offered to the leads). The same submit posted again changes nothing.
    """
    proposal = PROPOSAL.lock(proposal)
    if submit and _is_repeated_submit(actor, proposal, version):
        return proposal
    _check_editor(actor, proposal, version)
    entries = list(proposal.entries.select_related("application"))
    for entry in entries:
        if entry.pk not in rows:
            continue
        outcome, position, reason = rows[entry.pk]
        if outcome not in Outcome.values:
            raise invalid_proposal({entry.pk: _("Choose an outcome.")}, [])
        entry.outcome, entry.position, entry.reason = outcome, position, (reason or "").strip()
    normalise_positions(entries)
    if submit:
        errors, general = problems(proposal, entries)
        if errors or general:
            raise invalid_proposal(errors, general)
    ProposalEntry.objects.bulk_update(entries, ["outcome", "position", "reason"])
    _saved(proposal, actor)
    if not submit:
        audit.record(proposal, "proposal_saved", actor=actor, reason=f"v{proposal.version}")
        return proposal
    proposal.proposed_by = actor
    proposal.submitted_at = timezone.now()
    PROPOSAL.move(
        proposal,
        "proposal_submitted",
        actor=actor,
        reason=f"v{proposal.version}",
        fields=["proposed_by", "submitted_at"],
    )
    flow_events().proposal_submitted(proposal, actor)
    return proposal


def _is_repeated_submit(actor, proposal, version):
    """The locked proposal was submitted by ``actor`` from the very form version posted again
    (a double click): the repeat changes nothing."""
    return (
        proposal.state == State.SUBMITTED
        and proposal.proposed_by_id == actor.pk
        and proposal.version == version + 1
    )
