"""The selection proposal at the service level: suggestion from models, infeasible quotas,
editing rules, optimistic concurrency, four-eyes approval, publishing and the flow."""

from itertools import combinations

import pytest
from viewflow.workflow.status import STATUS

from cohorts import flows
from cohorts.models import Application, SelectionProposal
from cohorts.services import proposals, publishing, quotas
from tests.cohorts.selection_helpers import states
from tests.refusals import refused

from .selection_helpers import applicant, rows_of, rule, selection_cohort, staff

pytestmark = pytest.mark.django_db


State = Application.State


def brute_force_best(applications, scores, rules, capacity):
    """The best total score over every selection of ``capacity`` keeping the rules."""
    best = None
    for chosen in combinations(applications, capacity):
        ok = True
        for dimension, value, minimum, maximum in rules:
            count = sum(getattr(a, dimension) == value for a in chosen)
            ok &= (minimum is None or count >= minimum) and (maximum is None or count <= maximum)
        if ok:
            total = sum(scores[a.pk] for a in chosen)
            best = total if best is None else max(best, total)
    return best


def test_suggestion_from_models_is_the_brute_force_optimum():
    cohort = selection_cohort(capacity=3, waitlist_length=3)
    plan = [
        (5, "water", "small"),
        (5, "water", "small"),
        (4, "water", "micro"),
        (3, "materials", "small"),
        (3, "materials", "micro"),
        (2, "water", "micro"),
        (2, "materials", "medium"),
    ]
    applications = [applicant(cohort, s, area=a, size=z)[0] for s, a, z in plan]
    rule(cohort, "green_area", "water", maximum=2)
    rule(cohort, "size_class", "micro", minimum=1)
    suggestion, texts = quotas.suggestion_for(cohort)
    scores = {c.id: c.score for c in quotas.candidates_for(cohort)}
    best = brute_force_best(
        applications,
        scores,
        [("tech_area", "water", None, 2), ("size_class", "micro", 1, None)],
        3,
    )
    assert sum(scores[pk] for pk in suggestion.selected) == best
    assert sorted(suggestion.selected) == [
        applications[0].pk,
        applications[1].pk,
        applications[4].pk,
    ]
    assert texts[applications[4].pk]["en"] == "Taken to meet the rule “Micro: at least 1”."
    assert set(texts[applications[4].pk]) == {"en", "zh-hans"}


def test_start_proposal_with_infeasible_quotas_names_the_rules():
    cohort = selection_cohort(capacity=3)
    for score in (5, 4, 3, 2):
        applicant(cohort, score, area="water")
    rule(cohort, "green_area", "water", maximum=2)
    officer, _officer2, _lead = staff()
    with refused("invalid") as error:
        proposals.start_proposal(officer, cohort)
    assert "Water: at most 2" in str(error.value)
    assert SelectionProposal.objects.filter(cohort=cohort).count() == 0


def test_feasibility_problems_name_minimums_above_capacity():
    cohort = selection_cohort(capacity=3)
    for score in (5, 4, 3, 2):
        applicant(cohort, score, area="water", size="micro")
    rule(cohort, "green_area", "water", minimum=2)
    rule(cohort, "green_area", "materials", minimum=2)
    problems = quotas.feasibility_problems(cohort)
    assert problems == [
        "The minimums of “Advanced and bio-based materials: at least 2”, “Water: at least 2” "
        "add up to 4, more than the capacity of 3.",
        "The rule “Advanced and bio-based materials: at least 2” asks for at least 2, "
        "but only 0 candidates match it.",
    ]


def test_start_proposal_entries_follow_the_suggestion_and_unreviewed_are_not_ranked():
    from tests.factories import ApplicationFactory

    cohort = selection_cohort()
    scored = [applicant(cohort, s)[0] for s in (5, 4, 3, 2, 1)]
    unreviewed = ApplicationFactory(cohort=cohort, state=State.UNDER_REVIEW)
    officer, _o2, _lead = staff()
    proposal = proposals.start_proposal(officer, cohort)
    outcomes = {e.application_id: (e.outcome, e.position) for e in proposal.entries.all()}
    assert outcomes == {
        scored[0].pk: ("selected", None),
        scored[1].pk: ("selected", None),
        scored[2].pk: ("selected", None),
        scored[3].pk: ("waitlisted", 1),
        scored[4].pk: ("waitlisted", 2),
        unreviewed.pk: ("rejected", None),
    }
    assert flows.open_selection_task(proposal, flows.SelectionFlow.edit).status == STATUS.NEW


def test_submit_deviation_without_reason_is_refused_and_saves_nothing():
    cohort = selection_cohort()
    apps = [applicant(cohort, s)[0] for s in (5, 4, 3, 2, 1)]
    officer, _o2, _lead = staff()
    proposal = proposals.start_proposal(officer, cohort)
    before = rows_of(proposal)
    rows = rows_of(proposal)
    entry = {e.application_id: e.pk for e in proposal.entries.all()}
    rows[entry[apps[2].pk]] = ("waitlisted", 1, "")
    rows[entry[apps[3].pk]] = ("selected", None, "")
    with refused("invalid") as error:
        proposals.save_proposal(officer, proposal, proposal.version, rows, submit=True)
    assert error.value.details["errors"] == {
        entry[apps[2].pk]: "Give a reason for deviating from the suggestion.",
        entry[apps[3].pk]: "Give a reason for deviating from the suggestion.",
    }
    proposal.refresh_from_db()
    assert (proposal.version, proposal.state) == (1, "draft")
    assert before == rows_of(proposal)


def test_submit_with_reasons_records_the_proposer():
    cohort = selection_cohort()
    apps = [applicant(cohort, s)[0] for s in (5, 4, 3, 2, 1)]
    officer, _o2, _lead = staff()
    proposal = proposals.start_proposal(officer, cohort)
    rows = rows_of(proposal)
    entry = {e.application_id: e.pk for e in proposal.entries.all()}
    rows[entry[apps[2].pk]] = ("waitlisted", 1, "Weak commitment at the interview.")
    rows[entry[apps[3].pk]] = ("selected", None, "Strong export plans.")
    proposal = proposals.save_proposal(officer, proposal, 1, rows, submit=True)
    assert (proposal.state, proposal.proposed_by, proposal.version) == ("submitted", officer, 2)
    positions = {
        e.application_id: e.position for e in proposal.entries.filter(outcome="waitlisted")
    }
    assert positions == {apps[2].pk: 1, apps[4].pk: 2}


def test_submit_with_wrong_number_selected_is_refused():
    cohort = selection_cohort()
    apps = [applicant(cohort, s)[0] for s in (5, 4, 3, 2)]
    officer, _o2, _lead = staff()
    proposal = proposals.start_proposal(officer, cohort)
    rows = rows_of(proposal)
    entry = {e.application_id: e.pk for e in proposal.entries.all()}
    rows[entry[apps[3].pk]] = ("selected", None, "We want four.")
    with refused("invalid") as error:
        proposals.save_proposal(officer, proposal, 1, rows, submit=True)
    assert error.value.details["general"] == ["Select exactly 3 companies (now 4)."]


def test_moving_one_waitlisted_entry_up_needs_a_reason_only_for_it():
    cohort = selection_cohort(capacity=1, waitlist_length=4)
    apps = [applicant(cohort, s)[0] for s in (5, 4, 3, 2, 1)]
    officer, _o2, _lead = staff()
    proposal = proposals.start_proposal(officer, cohort)
    rows = rows_of(proposal)
    entry = {e.application_id: e.pk for e in proposal.entries.all()}
    rows[entry[apps[4].pk]] = ("waitlisted", 1, "")  # last on the waitlist to the top
    with refused("invalid") as error:
        proposals.save_proposal(officer, proposal, 1, rows, submit=True)
    assert list(error.value.details["errors"]) == [entry[apps[4].pk]]


def test_stale_save_raises_and_keeps_the_other_officers_changes():
    cohort = selection_cohort()
    apps = [applicant(cohort, s)[0] for s in (5, 4, 3, 2, 1)]
    officer, officer2, _lead = staff()
    proposal = proposals.start_proposal(officer, cohort)
    entry = {e.application_id: e.pk for e in proposal.entries.all()}
    first = rows_of(proposal)
    first[entry[apps[4].pk]] = ("rejected", None, "Withdrew verbally.")
    proposals.save_proposal(officer, proposal, 1, first)
    second = rows_of(SelectionProposal.objects.get(pk=proposal.pk))
    second[entry[apps[3].pk]] = ("rejected", None, "Other reason.")
    with refused("stale"):
        proposals.save_proposal(officer2, proposal, 1, second)
    proposal.refresh_from_db()
    saved = {e.application_id: (e.outcome, e.reason) for e in proposal.entries.all()}
    assert proposal.version == 2
    assert saved[apps[4].pk] == ("rejected", "Withdrew verbally.")
    assert saved[apps[3].pk] == ("waitlisted", "")


def test_quota_rules_cannot_change_once_submitted():
    cohort = selection_cohort()
    for score in (5, 4, 3):
        applicant(cohort, score)
    officer, _o2, _lead = staff()
    proposal = proposals.start_proposal(officer, cohort)
    proposals.save_proposal(officer, proposal, 1, rows_of(proposal), submit=True)
    water = rule(cohort, "green_area", "water", maximum=5)
    with refused("wrong_state"):
        quotas.delete_quota_rule(officer, water)


def test_withdrawn_application_cannot_stay_selected():
    from cohorts.services import applications

    cohort = selection_cohort()
    people = [applicant(cohort, s) for s in (5, 4, 3, 2)]
    officer, _o2, _lead = staff()
    proposal = proposals.start_proposal(officer, cohort)
    withdrawn, representative = people[0]
    applications.withdraw(representative, withdrawn, "Joined another programme.")
    with refused("invalid") as error:
        proposals.save_proposal(officer, proposal, 1, rows_of(proposal), submit=True)
    entry = proposal.entries.get(application=withdrawn)
    assert error.value.details["errors"] == {
        entry.pk: "This application is Withdrawn now: choose not selected."
    }


def test_place_of_an_application_withdrawn_before_approval_goes_to_the_waitlist():
    from cohorts.services import applications

    cohort = selection_cohort()
    people = [applicant(cohort, s) for s in (5, 4, 3, 2)]
    officer, _o2, lead = staff()
    proposal = proposals.start_proposal(officer, cohort)
    proposal = proposals.save_proposal(officer, proposal, 1, rows_of(proposal), submit=True)
    withdrawn, representative = people[0]
    applications.withdraw(representative, withdrawn, "Joined another programme.")
    publishing.approve(lead, proposal)
    assert states([a for a, _rep in people]) == ["withdrawn", "selected", "selected", "selected"]


def test_application_eligible_after_the_start_blocks_submission_until_reset():
    cohort = selection_cohort()
    for score in (5, 4, 3):
        applicant(cohort, score)
    officer, _o2, _lead = staff()
    proposal = proposals.start_proposal(officer, cohort)
    late, _rep = applicant(cohort, 5)
    with refused("invalid") as error:
        proposals.save_proposal(officer, proposal, 1, rows_of(proposal), submit=True)
    assert error.value.details["general"] == [
        "1 eligible application is not in the proposal: start again from the suggestion."
    ]
    proposal = proposals.reset_to_suggestion(officer, proposal, 1)
    assert proposal.entries.get(application=late).outcome == "selected"
    proposals.save_proposal(officer, proposal, 2, rows_of(proposal), submit=True)
    assert SelectionProposal.objects.get(pk=proposal.pk).state == "submitted"


def test_with_fewer_eligible_than_places_the_rules_may_leave_places_empty():
    cohort = selection_cohort(capacity=5)
    apps = [applicant(cohort, s, area="water")[0] for s in (5, 4, 3)]
    rule(cohort, "green_area", "water", maximum=2)
    officer, _o2, _lead = staff()
    proposal = proposals.start_proposal(officer, cohort)
    proposal = proposals.save_proposal(officer, proposal, 1, rows_of(proposal), submit=True)
    assert proposal.state == "submitted"
    assert states(apps) == ["under_review"] * 3
    outcomes = sorted(proposal.entries.values_list("outcome", flat=True))
    assert outcomes == ["selected", "selected", "waitlisted"]
