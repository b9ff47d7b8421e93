"""The cohort stage through the API: the same scopes as the pages (404 outside them), the same
services (states, four-eyes, repeats), problem bodies and idempotency keys."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from clinic import roles
from clinic.models import AuditLog, IdempotencyKey
from cohorts.models import Application, Review, SelectionProposal
from cohorts.services import proposals
from cohorts.services.rubric import ensure_rubric
from tests.api_helpers import ids, token_client
from tests.factories import (
    ApplicationFactory,
    CohortFactory,
    CompanyFactory,
    company_with_representative,
    eligible_application,
    make_user,
    submitted_application,
)

from .selection_helpers import applicant, rows_of, selection_cohort

pytestmark = pytest.mark.django_db
APPS = "/api/v1/applications/"


def test_programmes_and_cohorts_are_public():
    cohort = CohortFactory()
    client = APIClient()
    assert ids(client.get("/api/v1/programmes/")) == [cohort.programme_id]
    response = client.get(f"/api/v1/cohorts/{cohort.pk}/")
    assert (response.status_code, response.json()["stage"]) == (200, "open")
    assert ids(client.get(f"/api/v1/cohorts/?programme={cohort.programme_id}")) == [cohort.pk]


def test_anonymous_caller_gets_401_for_applications():
    assert APIClient().get(APPS).status_code == 401


def test_sme_creates_updates_and_submits_a_draft_audited_with_the_token_name():
    cohort = CohortFactory()
    company, sme = company_with_representative()
    client, _token = token_client(sme, "CRM sync")
    created = client.post(APPS, {"cohort": cohort.pk, "company": company.pk}, format="json")
    assert created.status_code == 201
    pk = created.json()["id"]
    changed = client.patch(f"{APPS}{pk}/", {"tech_title": "Solar dryer"}, format="json")
    assert (changed.status_code, changed.json()["tech_title"]) == (200, "Solar dryer")
    incomplete = client.post(f"{APPS}{pk}/submit/")
    assert incomplete.status_code == 400
    assert incomplete.json()["code"] == "invalid"
    assert "tech_description" in incomplete.json()["fields"]
    ApplicationFactory._meta.model.objects.filter(pk=pk).delete()
    draft = ApplicationFactory(cohort=cohort, company=company)
    submitted = client.post(f"{APPS}{draft.pk}/submit/")
    assert (submitted.status_code, submitted.json()["state"]) == (200, "submitted")
    record = AuditLog.objects.for_object(draft).get(action="submitted")
    assert (record.actor_id, record.via) == (sme.pk, "API token “CRM sync”")


def test_create_for_another_company_is_404_and_makes_nothing():
    cohort = CohortFactory()
    _company, sme = company_with_representative()
    other = CompanyFactory()
    client, _token = token_client(sme)
    response = client.post(APPS, {"cohort": cohort.pk, "company": other.pk}, format="json")
    assert response.status_code == 404
    assert Application.objects.count() == 0


def test_another_companys_application_is_404_for_every_verb():
    application, _owner = submitted_application()
    _company, other_sme = company_with_representative()
    client, _token = token_client(other_sme)
    assert client.get(f"{APPS}{application.pk}/").status_code == 404
    assert client.patch(f"{APPS}{application.pk}/", {"tech_title": "x"}).status_code == 404
    for verb in ("submit", "withdraw", "confirm-place", "decline-place", "screen"):
        assert client.post(f"{APPS}{application.pk}/{verb}/", {}).status_code == 404, verb
    assert ids(client.get(APPS)) == []
    assert Application.objects.get(pk=application.pk).state == "submitted"


def test_reviewer_sees_only_assigned_applications_and_own_reviews():
    officer = make_user(roles.OFFICER)
    assigned, _sme = eligible_application(officer)
    other, _sme2 = eligible_application(officer, cohort=assigned.cohort)
    reviewer = make_user(roles.REVIEWER)
    officer_client, _t = token_client(officer)
    response = officer_client.post(
        f"{APPS}{assigned.pk}/assign-reviewer/", {"reviewer": reviewer.pk}, format="json"
    )
    assert response.status_code == 201
    client, _token = token_client(reviewer)
    assert ids(client.get(APPS)) == [assigned.pk]
    assert client.get(f"{APPS}{other.pk}/").status_code == 404
    review = Review.objects.get(reviewer=reviewer)
    assert ids(client.get("/api/v1/reviews/")) == [review.pk]
    scores = {str(c.pk): 4 for c in ensure_rubric(assigned.cohort)}
    body = {"scores": scores, "comment": "Strong."}
    submitted = client.post(f"/api/v1/reviews/{review.pk}/submit/", body, format="json")
    assert (submitted.status_code, submitted.json()["state"]) == (200, "submitted")
    again = client.post(f"/api/v1/reviews/{review.pk}/submit/", body, format="json")
    assert (again.status_code, again.json()["state"]) == (200, "submitted")  # a repeat


def test_sme_cannot_screen_own_application_403_officer_can_and_a_repeat_is_harmless():
    application, sme = submitted_application()
    sme_client, _t = token_client(sme)
    refused = sme_client.post(f"{APPS}{application.pk}/screen/", {"decision": "eligible"})
    assert (refused.status_code, refused.json()["code"]) == (403, "not_permitted")
    officer, _t2 = token_client(make_user(roles.OFFICER))
    first = officer.post(f"{APPS}{application.pk}/screen/", {"decision": "eligible"})
    second = officer.post(f"{APPS}{application.pk}/screen/", {"decision": "eligible"})
    assert [first.json()["state"], second.json()["state"]] == ["eligible", "eligible"]
    assert AuditLog.objects.for_object(application).filter(action="confirmed_eligible").count() == 1
    wrong = officer.post(
        f"{APPS}{application.pk}/screen/", {"decision": "ineligible", "reason": "x"}
    )
    assert (wrong.status_code, wrong.json()["code"]) == (409, "wrong_state")


def test_withdraw_twice_with_one_idempotency_key_returns_the_first_answer():
    application, sme = submitted_application()
    client, _token = token_client(sme)
    url = f"{APPS}{application.pk}/withdraw/"
    first = client.post(url, {"reason": "Too busy"}, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    second = client.post(url, {"reason": "Other"}, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert (first.status_code, first.json()) == (second.status_code, second.json())
    assert second["Idempotent-Replayed"] == "true"
    assert first.json()["state"] == "withdrawn"
    assert AuditLog.objects.for_object(application).filter(action="withdrawn").count() == 1
    assert IdempotencyKey.objects.count() == 1
    reused = client.post(f"{APPS}{application.pk}/submit/", HTTP_IDEMPOTENCY_KEY="k-1")
    assert (reused.status_code, reused.json()["code"]) == (422, "idempotency_key_reused")


def test_withdraw_twice_without_a_key_changes_nothing_the_second_time():
    application, sme = submitted_application()
    client, _token = token_client(sme)
    url = f"{APPS}{application.pk}/withdraw/"
    assert [client.post(url).json()["state"] for _ in range(2)] == ["withdrawn", "withdrawn"]
    assert AuditLog.objects.for_object(application).filter(action="withdrawn").count() == 1


def test_application_list_queries_do_not_grow_with_rows():
    officer, _t = token_client(make_user(roles.OFFICER))
    cohort = CohortFactory()
    ApplicationFactory.create_batch(2, cohort=cohort)
    officer.get(APPS)
    with CaptureQueriesContext(connection) as few:
        officer.get(APPS)
    ApplicationFactory.create_batch(20, cohort=cohort)
    with CaptureQueriesContext(connection) as many:
        response = officer.get(APPS)
    assert len(response.json()["results"]) == 22
    assert len(many) == len(few)


def _submitted_proposal(author):
    cohort = selection_cohort()
    for score in (5, 4, 3):
        applicant(cohort, score)
    proposal = proposals.start_proposal(author, cohort)
    return proposals.save_proposal(author, proposal, 1, rows_of(proposal), submit=True)


def test_four_eyes_through_the_api_the_proposing_lead_gets_403_another_lead_approves():
    author = make_user(roles.LEAD)
    proposal = _submitted_proposal(author)
    client, _token = token_client(author)
    for verb, body in (("approve", {}), ("return", {"comment": "again"})):
        response = client.post(f"/api/v1/proposals/{proposal.pk}/{verb}/", body, format="json")
        assert (response.status_code, response.json()["code"]) == (403, "not_permitted")
    assert SelectionProposal.objects.get(pk=proposal.pk).state == "submitted"
    other, _t = token_client(make_user(roles.LEAD))
    approved = other.post(f"/api/v1/proposals/{proposal.pk}/approve/")
    assert (approved.status_code, approved.json()["state"]) == (200, "approved")


def test_proposals_and_ranking_are_404_for_smes_and_reviewers():
    proposal = _submitted_proposal(make_user(roles.OFFICER))
    for role in (roles.SME, roles.REVIEWER):
        client, _token = token_client(make_user(role))
        assert client.get(f"/api/v1/proposals/{proposal.pk}/").status_code == 404
        assert client.get(f"/api/v1/cohorts/{proposal.cohort_id}/ranking/").status_code == 404
    officer, _t = token_client(make_user(roles.OFFICER))
    ranking = officer.get(f"/api/v1/cohorts/{proposal.cohort_id}/ranking/").json()
    assert [row["rank"] for row in ranking] == [1, 2, 3]


def test_patch_with_an_old_updated_at_is_stale_and_writes_nothing():
    _company, sme = company_with_representative()
    draft = ApplicationFactory(company=_company, tech_title="First")
    client, _token = token_client(sme)
    read = client.get(f"{APPS}{draft.pk}/").json()
    ok = client.patch(
        f"{APPS}{draft.pk}/", {"tech_title": "Second", "updated_at": read["updated_at"]}
    )
    assert ok.status_code == 200
    stale = client.patch(
        f"{APPS}{draft.pk}/", {"tech_title": "Third", "updated_at": read["updated_at"]}
    )
    assert stale.status_code == 409, stale.content
    assert stale.json()["code"] == "stale"
    assert Application.objects.get(pk=draft.pk).tech_title == "Second"


def test_patch_of_a_submitted_application_is_409():
    application, sme = submitted_application()
    client, _token = token_client(sme)
    response = client.patch(f"{APPS}{application.pk}/", {"tech_title": "Late"})
    assert (response.status_code, response.json()["code"]) == (409, "wrong_state")


def test_more_scores_than_the_rubric_or_entries_than_the_proposal_holds_are_400():
    from cohorts.services import reviews as review_service

    officer = make_user(roles.OFFICER)
    application, _sme = eligible_application(officer)
    reviewer = make_user(roles.REVIEWER)
    review = review_service.assign_reviewer(officer, application, reviewer)
    criteria = ensure_rubric(application.cohort)
    client, _token = token_client(reviewer)
    scores = {str(c.pk): 4 for c in criteria} | {str(10**6 + n): 4 for n in range(2)}
    answer = client.post(f"/api/v1/reviews/{review.pk}/draft/", {"scores": scores}, format="json")
    assert (answer.status_code, list(answer.json()["fields"])) == (400, ["scores"])
    assert not Review.objects.get(pk=review.pk).scores.exists()
    cohort = selection_cohort()
    for score in (5, 4):
        applicant(cohort, score)
    proposal = proposals.start_proposal(officer, cohort)
    entry = proposal.entries.first()
    change = {"id": entry.pk, "outcome": "selected"}
    body = {"version": proposal.version, "entries": [change] * 3}
    officer_client, _t = token_client(officer)
    answer = officer_client.post(f"/api/v1/proposals/{proposal.pk}/save/", body, format="json")
    assert (answer.status_code, list(answer.json()["fields"])) == (400, ["entries"])
    assert SelectionProposal.objects.get(pk=proposal.pk).version == proposal.version
