"""A second call of each cohort-stage service (a double click, a second officer) is a no-op
when it repeats the first, refused when it no longer applies; repeated POSTs get the page the
first one got."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from viewflow.workflow.status import STATUS

from clinic import roles
from clinic.models import AuditLog, OutboxMessage
from clinic.transitions import Refused
from cohorts import flows
from cohorts.models import Application, Conflict, SelectionProposal, TermsAcceptance
from cohorts.services import (
    confirmation,
    proposals,
    publishing,
    reviews,
    screening,
)
from cohorts.services.rubric import ensure_rubric
from mentoring.models import Participation
from tests.factories import eligible_application, make_user, submitted_application
from tests.forwarding import task_page
from tests.refusals import refused

from .selection_helpers import applicant, approved, rows_of, selection_cohort, staff

pytestmark = pytest.mark.django_db
State = Application.State


def actions(obj, action):
    return AuditLog.objects.for_object(obj).filter(action=action).count()


def texts(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_confirm_eligible_twice_records_one_decision():
    application, _rep = submitted_application()
    officer, officer2 = make_user(roles.OFFICER), make_user(roles.OFFICER)
    screening.confirm_eligible(officer, application)
    again = screening.confirm_eligible(officer2, application)
    assert (again.state, again.screened_by) == (State.ELIGIBLE, officer)
    assert actions(application, "confirmed_eligible") == 1


def test_mark_ineligible_twice_sends_one_message():
    application, _rep = submitted_application()
    officer = make_user(roles.OFFICER)
    screening.mark_ineligible(officer, application, "Outside the region")
    screening.mark_ineligible(officer, application, "Outside the region")
    assert OutboxMessage.objects.filter(kind="application_ineligible").count() == 1
    assert actions(application, "marked_ineligible") == 1


def test_request_information_twice_sends_one_request():
    application, _rep = submitted_application()
    officer = make_user(roles.OFFICER)
    screening.request_information(officer, application, "Send the licence")
    screening.request_information(officer, application, "Send the licence")
    assert OutboxMessage.objects.filter(kind="application_needs_info").count() == 1


def test_refusal_carries_the_wrong_state_code_and_409():
    application, _rep = submitted_application()
    officer = make_user(roles.OFFICER)
    screening.confirm_eligible(officer, application)
    with pytest.raises(Refused) as refused:
        screening.request_information(officer, application, "Late question")
    assert (refused.value.code, refused.value.status) == ("wrong_state", 409)


def test_screening_task_posted_twice_shows_the_first_result(client):
    application, _rep = submitted_application()
    task = flows.open_task(application, flows.ApplicationFlow.screen)
    client.force_login(make_user(roles.OFFICER))
    claims = [client.post(task.reverse("assign")) for _ in range(2)]
    decision = {"decision": "eligible", "reason": ""}
    page = task_page(client, task)
    posts = [client.post(page, decision) for _ in range(2)]
    execute = task.reverse("execute")
    assert [(r.status_code, r["Location"]) for r in claims] == [(302, execute)] * 2
    assert [(r.status_code, r["Location"]) for r in posts] == [(302, "/")] * 2
    assert texts(posts[1])[-2:] == ["The application is eligible."] * 2
    assert actions(application, "confirmed_eligible") == 1


def test_screening_task_done_by_another_officer_is_not_shown_to_a_second_one(client):
    application, _rep = submitted_application()
    screening.confirm_eligible(make_user(roles.OFFICER), application)
    task = flows.process_of(application).task_set.get(flow_task=flows.ApplicationFlow.screen)
    client.force_login(make_user(roles.OFFICER))
    response = client.post(task.reverse("execute"), {"decision": "eligible", "reason": ""})
    assert response.status_code == 404


def submitted_proposal():
    cohort = selection_cohort()
    for score in (5, 4, 3, 2):
        applicant(cohort, score)
    officer, officer2, lead = staff()
    proposal = proposals.start_proposal(officer, cohort)
    proposals.save_proposal(officer, proposal, 1, rows_of(proposal), submit=True)
    return proposal, officer, officer2, lead


def test_proposal_submit_posted_twice_from_one_form_changes_nothing_the_second_time():
    proposal, officer, _officer2, _lead = submitted_proposal()
    again = proposals.save_proposal(officer, proposal, 1, rows_of(proposal), submit=True)
    assert (again.state, again.version) == (SelectionProposal.State.SUBMITTED, 2)
    assert actions(proposal, "proposal_submitted") == 1
    approvals = flows.selection_process_of(proposal).task_set.filter(
        flow_task=flows.SelectionFlow.approve
    )
    assert approvals.count() == 1


def test_proposal_submit_by_another_officer_after_submission_is_refused():
    proposal, _officer, officer2, _lead = submitted_proposal()
    with refused("wrong_state"):
        proposals.save_proposal(officer2, proposal, 1, rows_of(proposal), submit=True)


def test_return_twice_sends_one_message_and_one_edit_task():
    proposal, _officer, _officer2, lead = submitted_proposal()
    publishing.return_proposal(lead, proposal, "Check the regions.")
    publishing.return_proposal(lead, proposal, "Check the regions.")
    assert OutboxMessage.objects.filter(kind="selection_returned").count() == 1
    assert actions(proposal, "proposal_returned") == 1
    edits = flows.selection_process_of(proposal).task_set.filter(
        flow_task=flows.SelectionFlow.edit, status=STATUS.NEW
    )
    assert edits.count() == 1


def test_approve_twice_records_one_approval():
    proposal, _officer, _officer2, lead = submitted_proposal()
    publishing.approve(lead, proposal)
    publishing.approve(lead, proposal)
    assert actions(proposal, "proposal_approved") == 1


def test_review_submitted_twice_records_one_submission():
    application, _rep = eligible_application()
    reviewer = make_user(roles.REVIEWER)
    review = reviews.assign_reviewer(make_user(roles.OFFICER), application, reviewer)
    scores = {c.pk: 4 for c in ensure_rubric(application.cohort)}
    reviews.save_review(reviewer, review, scores, comment="Good", submit=True)
    reviews.save_review(reviewer, review, scores, comment="Good", submit=True)
    assert actions(review, "review_submitted") == 1


def test_review_form_posted_twice_shows_the_first_page(client):
    application, _rep = eligible_application()
    reviewer = make_user(roles.REVIEWER)
    review = reviews.assign_reviewer(make_user(roles.OFFICER), application, reviewer)
    data = {f"criterion_{c.pk}": "4" for c in ensure_rubric(application.cohort)}
    data.update({"comment": "Good", "submit": "1"})
    client.force_login(reviewer)
    url = reverse("cohorts:review", args=[review.pk])
    posts = [client.post(url, data) for _ in range(2)]
    assert [(r.status_code, r["Location"]) for r in posts] == [(302, url)] * 2
    assert texts(posts[1])[-2:] == ["Review submitted."] * 2
    assert actions(review, "review_submitted") == 1


def confirmable():
    cohort = selection_cohort()
    people = [applicant(cohort, score) for score in (5, 4, 3, 2)]
    officer, _o2, lead = staff()
    approved(cohort, officer, lead)
    return people[0]


def test_confirm_place_twice_records_one_acceptance():
    application, representative = confirmable()
    confirmation.confirm_place(representative, application, "2.1")
    again = confirmation.confirm_place(representative, application, "2.1")
    assert again.state == State.CONFIRMED
    assert TermsAcceptance.objects.filter(application=application).count() == 1
    assert OutboxMessage.objects.filter(kind="place_confirmed").count() == 1
    assert Participation.objects.filter(application=application).count() == 1


def test_place_page_confirmed_twice_shows_the_first_page(client):
    application, representative = confirmable()
    client.force_login(representative)
    url = reverse("cohorts:place", args=[application.pk])
    data = {"action": "confirm", "terms_version": "2.1", "accept": "on"}
    posts = [client.post(url, data) for _ in range(2)]
    detail = reverse("cohorts:application", args=[application.pk])
    assert [(r.status_code, r["Location"]) for r in posts] == [(302, detail)] * 2
    assert actions(application, "place_confirmed") == 1


def test_decline_place_twice_offers_the_place_once():
    application, representative = confirmable()
    confirmation.decline_place(representative, application, "No time")
    confirmation.decline_place(representative, application, "No time")
    assert actions(application, "place_declined") == 1
    assert OutboxMessage.objects.filter(kind="place_offered").count() == 1


def test_decline_after_confirming_is_refused():
    application, representative = confirmable()
    confirmation.confirm_place(representative, application, "2.1")
    with refused("wrong_state"):
        confirmation.decline_place(representative, application)


def test_conflict_resolved_twice_records_once():
    application, _rep = eligible_application()
    officer, reviewer = make_user(roles.OFFICER), make_user(roles.REVIEWER)
    review = reviews.assign_reviewer(officer, application, reviewer)
    reviews.declare_conflict(reviewer, review, "My cousin runs it")
    conflict = Conflict.objects.get()
    reviews.resolve_conflict(officer, conflict)
    reviews.resolve_conflict(officer, conflict)  # the stale object says open
    assert actions(conflict, "conflict_resolved") == 1


def test_a_move_records_the_fields_it_set_before_and_after():
    application, _rep = submitted_application()
    officer = make_user(roles.OFFICER)
    screening.confirm_eligible(officer, application, "Checked the licence")
    record = AuditLog.objects.for_object(application).get(action="confirmed_eligible")
    assert (record.from_state, record.to_state) == ("submitted", "eligible")
    assert record.changes["screening_reason"] == ["", "Checked the licence"]
    assert record.changes["screened_by"] == ["", str(officer)]


def test_approval_task_posted_twice_publishes_once_and_shows_the_first_result(client):
    proposal, _officer, _officer2, lead = submitted_proposal()
    client.force_login(lead)
    client.get(reverse("home"))
    task = flows.open_selection_task(proposal, flows.SelectionFlow.approve)
    client.post(task.reverse("assign"))
    decision = {"action": "decide", "decision": "approve", "comment": ""}
    page = task_page(client, task)
    posts = [client.post(page, decision) for _ in range(2)]
    assert [(r.status_code, r["Location"]) for r in posts] == [(302, "/")] * 2
    assert (
        texts(posts[1])[-2:] == ["The selection is approved and every decision is published."] * 2
    )
    assert actions(proposal, "proposal_approved") == 1
    assert OutboxMessage.objects.filter(kind="selection_decision").count() == 4
