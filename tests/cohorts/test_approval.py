"""The lead's decision on a selection proposal: four-eyes, approval and publishing (outcomes,
messages, the flow's waits), return to the officers."""

import pytest
from viewflow.workflow.status import STATUS

from clinic import roles
from clinic.models import AuditLog, OutboxMessage
from cohorts import flows, permissions
from cohorts.models import SelectionProposal
from cohorts.services import proposals, publishing
from tests.cohorts.selection_helpers import states
from tests.factories import make_user
from tests.refusals import refused

from .selection_helpers import applicant, approved, rows_of, selection_cohort, staff

pytestmark = pytest.mark.django_db


def test_proposer_lead_cannot_approve_own_proposal_at_service_level():
    cohort = selection_cohort()
    for score in (5, 4, 3):
        applicant(cohort, score)
    lead, other_lead = make_user(roles.LEAD), make_user(roles.LEAD)
    proposal = proposals.start_proposal(lead, cohort)
    proposal = proposals.save_proposal(lead, proposal, 1, rows_of(proposal), submit=True)
    with refused("not_permitted"):
        publishing.approve(lead, proposal)
    with refused("not_permitted"):
        publishing.return_proposal(lead, proposal, "I changed my mind.")
    assert SelectionProposal.objects.get(pk=proposal.pk).state == "submitted"
    publishing.approve(other_lead, proposal)
    assert SelectionProposal.objects.get(pk=proposal.pk).state == "approved"


def test_lead_who_edited_a_proposal_another_officer_submitted_cannot_approve_it():
    cohort = selection_cohort()
    for score in (5, 4, 3):
        applicant(cohort, score)
    officer, _officer2, lead = staff()
    other_lead = make_user(roles.LEAD)
    proposal = proposals.start_proposal(officer, cohort)
    proposal = proposals.save_proposal(lead, proposal, 1, rows_of(proposal))
    proposal = proposals.save_proposal(officer, proposal, 2, rows_of(proposal), submit=True)
    assert (
        permissions.can_approve(lead, proposal),
        permissions.can_approve(other_lead, proposal),
    ) == (
        False,
        True,
    )
    with refused("not_permitted"):
        publishing.approve(lead, proposal)
    assert publishing.approve(other_lead, proposal).state == "approved"


def test_officer_without_lead_role_cannot_approve():
    cohort = selection_cohort()
    for score in (5, 4, 3):
        applicant(cohort, score)
    officer, officer2, _lead = staff()
    proposal = proposals.start_proposal(officer, cohort)
    proposal = proposals.save_proposal(officer, proposal, 1, rows_of(proposal), submit=True)
    with refused("not_permitted"):
        publishing.approve(officer2, proposal)


def test_approve_node_refuses_the_proposer_and_offers_it_to_other_leads():
    cohort = selection_cohort()
    for score in (5, 4, 3):
        applicant(cohort, score)
    lead, other_lead = make_user(roles.LEAD), make_user(roles.LEAD)
    proposal = proposals.start_proposal(lead, cohort)
    proposals.save_proposal(lead, proposal, 1, rows_of(proposal), submit=True)
    task = flows.open_selection_task(proposal, flows.SelectionFlow.approve)
    node = flows.SelectionFlow.approve
    assert (node.can_assign(lead, task), node.can_assign(other_lead, task)) == (False, True)


def test_publish_sets_outcomes_and_twice_changes_nothing():
    cohort = selection_cohort()
    apps = [applicant(cohort, s)[0] for s in (5, 4, 3, 2, 1, 1)]
    officer, _o2, lead = staff()
    proposal = approved(cohort, officer, lead)
    assert states(apps) == ["selected"] * 3 + ["waitlisted"] * 2 + ["rejected"]
    messages = OutboxMessage.objects.filter(kind="selection_decision").count()
    audits = AuditLog.objects.count()
    assert publishing.publish(proposal, lead) == 0
    publishing.approve(lead, proposal)
    assert OutboxMessage.objects.filter(kind="selection_decision").count() == messages == 6
    assert AuditLog.objects.count() == audits
    assert flows.selection_process_of(proposal).status == STATUS.DONE


def test_publish_messages_each_applicant_in_their_language_with_feedback():
    cohort = selection_cohort(share_feedback=True)
    english, _rep = applicant(cohort, 5)
    chinese, _rep = applicant(cohort, 4, language="zh-hans")
    for score in (3, 2):
        applicant(cohort, score)
    officer, _o2, lead = staff()
    approved(cohort, officer, lead)
    en = OutboxMessage.objects.get(kind="selection_decision", related_id=str(english.pk))
    zh = OutboxMessage.objects.get(kind="selection_decision", related_id=str(chinese.pk))
    assert (en.language, zh.language) == ("en", "zh-hans")
    assert en.subject == f"You have a place in {cohort.name}"
    assert "Weighted score: 100.0 out of 100" in en.body
    assert "IP relevance" in en.body
    assert zh.subject != en.subject


def test_return_sends_the_proposal_back_to_the_officers():
    cohort = selection_cohort()
    for score in (5, 4, 3):
        applicant(cohort, score)
    officer, officer2, lead = staff()
    proposal = proposals.start_proposal(officer, cohort)
    proposals.save_proposal(officer, proposal, 1, rows_of(proposal), submit=True)
    publishing.return_proposal(lead, proposal, "Check the regions.")
    proposal.refresh_from_db()
    assert (proposal.state, proposal.lead_comment) == ("returned", "Check the regions.")
    assert flows.open_selection_task(proposal, flows.SelectionFlow.edit).status == STATUS.NEW
    assert OutboxMessage.objects.get(kind="selection_returned").recipient == officer
    proposals.save_proposal(officer2, proposal, proposal.version, rows_of(proposal), submit=True)
    publishing.approve(lead, SelectionProposal.objects.get(pk=proposal.pk))
    assert flows.selection_process_of(proposal).status == STATUS.DONE


def test_publishing_completes_each_applications_decision_wait():
    from datetime import timedelta

    from django.utils import timezone

    from cohorts.models import Cohort
    from cohorts.services import reviews, screening
    from cohorts.services.rubric import ensure_rubric
    from tests.factories import CohortFactory, submitted_application

    cohort = CohortFactory(capacity=1, waitlist_length=1, min_reviews=1)
    officer, _o2, lead = staff()
    reviewer = make_user(roles.REVIEWER)
    apps = []
    for value in (4, 3):
        application, _rep = submitted_application(cohort=cohort)
        screening.confirm_eligible(officer, application)
        review = reviews.assign_reviewer(officer, application, reviewer)
        scores = {c.pk: value for c in ensure_rubric(cohort)}
        reviews.save_review(reviewer, review, scores, submit=True)
        apps.append(application)
    assert [flows.open_task(a, flows.ApplicationFlow.decision) is None for a in apps] == [
        False,
        False,
    ]
    Cohort.objects.filter(pk=cohort.pk).update(
        applications_close_at=timezone.now() - timedelta(hours=1)
    )
    approved(Cohort.objects.get(pk=cohort.pk), officer, lead)
    assert states(apps) == ["selected", "waitlisted"]
    assert [flows.process_of(a).status for a in apps] == [STATUS.DONE, STATUS.DONE]
