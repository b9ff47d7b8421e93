"""Quota rules and the suggested selection of a cohort.

Officers keep a cohort's quota rules while its selection proposal is being prepared; the
suggestion (``cohorts.selection``) picks from the reviewed applications within those rules, with
its explanation in every language.
"""

from collections import defaultdict

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from clinic import versioning
from clinic.services import audit
from clinic.transitions import Refused

from .. import selection
from ..models import Application, SelectionProposal
from ..permissions import can_propose
from ..transitions import AWAITING_DECISION, PROPOSAL
from .ranking import selection_candidates

State = SelectionProposal.State


def _check_rules_editable(actor, cohort):
    if not can_propose(actor):
        raise Refused("not_permitted")
    proposal = SelectionProposal.objects.filter(cohort=cohort).first()
    if proposal is not None and not PROPOSAL.allows(proposal.state, "proposal_submitted"):
        raise Refused(
            "wrong_state",
            _("The selection is with the lead or published: its quota rules cannot change."),
        )


@transaction.atomic
def save_quota_rule(actor, rule):
    """Add or change a quota rule (already validated). Checks: officer; the proposal is not
    submitted or approved; no other rule of the cohort counts the same value (ValidationError;
    checked with the cohort locked). Side-effects: row saved; audit record on the cohort."""
    _check_rules_editable(actor, rule.cohort)
    versioning.lock(rule.cohort)
    versioning.check_unique(rule)
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
        Application.objects.filter(cohort=cohort, state__in=AWAITING_DECISION).values_list(
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
    (first, _name), *others = settings.LANGUAGES
    with translation.override(first):
        suggestion = selection.suggest_selection(
            candidates, rules_for(cohort), cohort.capacity, cohort.waitlist_length
        )
    texts = defaultdict(dict)
    for candidate_id, line in suggestion.lines.items():
        texts[candidate_id][first] = line.reason
    for code, _name in others:  # the same selection, explained in each other language
        with translation.override(code):
            reasons = selection.explain(
                candidates, suggestion.selected, rules_for(cohort), cohort.capacity
            )
        for candidate_id in suggestion.lines:
            texts[candidate_id][code] = reasons.get(candidate_id, "")
    return suggestion, texts
