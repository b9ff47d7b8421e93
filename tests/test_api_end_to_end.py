"""One application from its submission to a signed plan through the API alone (tokens of each
role; only the clock is set by the test: the call closes between submission and selection)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from clinic import roles
from clinic.dimensions import Dimension
from clinic.services import webhooks
from cohorts.models import Cohort
from tests.api_helpers import token_client
from tests.factories import (
    ApplicationFactory,
    CohortFactory,
    company_with_representative,
    make_user,
)
from tests.mentoring.helpers import expert as make_expert
from tests.mentoring.helpers import questionnaire

pytestmark = pytest.mark.django_db
V1 = "/api/v1"


def ok(response, status=200):
    assert response.status_code == status, response.content
    return response.json()


def test_one_application_from_submission_to_a_signed_plan_through_the_api(
    django_capture_on_commit_callbacks, settings
):
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = True  # the endpoint is never called: no commit
    questionnaire()
    cohort = CohortFactory(capacity=1, terms_version="1.0")
    company, representative = company_with_representative()
    draft = ApplicationFactory(cohort=cohort, company=company)
    sme, _t = token_client(representative, "SME portal")
    officer, _t = token_client(make_user(roles.OFFICER), "CRM")
    lead, _t = token_client(make_user(roles.LEAD), "Lead desk")
    reviewers = [token_client(make_user(roles.REVIEWER))[0] for _ in range(2)]
    reviewer_ids = [ok(client.get(f"{V1}/me/"))["id"] for client in reviewers]

    body = {"url": "https://localhost:9/hooks", "events": sorted(webhooks.EVENTS)}
    hook = ok(officer.post(f"{V1}/webhooks/", body, format="json"), 201)
    assert ok(sme.post(f"{V1}/applications/{draft.pk}/submit/"))["state"] == "submitted"
    screened = ok(officer.post(f"{V1}/applications/{draft.pk}/screen/", {"decision": "eligible"}))
    assert screened["state"] == "eligible"
    for reviewer_id in reviewer_ids:
        body = {"reviewer": reviewer_id}
        ok(officer.post(f"{V1}/applications/{draft.pk}/assign-reviewer/", body), 201)
    for client in reviewers:
        (review,) = ok(client.get(f"{V1}/reviews/"))["results"]
        scores = {str(c["id"]): 4 for c in ok(client.get(f"{V1}/cohorts/{cohort.pk}/criteria/"))}
        ok(client.post(f"{V1}/reviews/{review['id']}/submit/", {"scores": scores}, format="json"))

    Cohort.objects.filter(pk=cohort.pk).update(
        applications_close_at=timezone.now() - timedelta(minutes=1)
    )
    proposal = ok(officer.post(f"{V1}/proposals/", {"cohort": cohort.pk}), 201)
    body = {"version": proposal["version"]}
    proposal = ok(officer.post(f"{V1}/proposals/{proposal['id']}/submit/", body, format="json"))
    assert proposal["state"] == "submitted"
    assert ok(lead.post(f"{V1}/proposals/{proposal['id']}/approve/"))["state"] == "approved"
    assert ok(sme.get(f"{V1}/applications/{draft.pk}/"))["state"] == "selected"
    body = {"terms_version": "1.0"}
    assert ok(sme.post(f"{V1}/applications/{draft.pk}/confirm-place/", body))["state"] == (
        "confirmed"
    )

    (participant,) = ok(sme.get(f"{V1}/participants/"))["results"]
    (audit,) = ok(sme.get(f"{V1}/audits/"))["results"]
    for key, value in required_answers(ok(sme.get(f"{V1}/audits/{audit['id']}/questions/"))):
        ok(sme.post(f"{V1}/audits/{audit['id']}/answer/", {"question_key": key, "value": value}))
    assert ok(sme.post(f"{V1}/audits/{audit['id']}/submit/"))["state"] == "submitted"

    mentor = make_expert()
    expert, _t = token_client(mentor, "Mentor tools")
    body = {"expert": mentor.pk, "role": "lead"}
    ok(officer.post(f"{V1}/participants/{participant['id']}/assign-expert/", body), 201)
    assessment = ok(expert.post(f"{V1}/assessments/", {"participation": participant["id"]}), 201)
    body = {
        "executive_summary": "Strong technical base, informal IP management.",
        "scores": [
            {"dimension": d, "maturity": 2, "target": 3, "rationale": "Ad hoc filing."}
            for d in Dimension.values
        ],
    }
    ok(expert.patch(f"{V1}/assessments/{assessment['id']}/", body, format="json"))
    assert ok(expert.post(f"{V1}/assessments/{assessment['id']}/submit/"))["state"] == "submitted"
    with django_capture_on_commit_callbacks(execute=True):
        url = f"{V1}/participants/{participant['id']}/generate-plan/"
        version = ok(expert.post(url, {"language": "en"}), 201)
    assert ok(expert.get(f"{V1}/plan-versions/{version['id']}/"))["state"] == "ready"
    signed = ok(lead.post(f"{V1}/plan-versions/{version['id']}/sign-off/"))
    assert signed["signed"] is True
    download = sme.get(f"{V1}/plan-versions/{version['id']}/download/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    deliveries = ok(officer.get(f"{V1}/webhooks/{hook['id']}/deliveries/"))["results"]
    assert sorted(d["event"] for d in deliveries) == [
        "application.submitted",
        "decision.published",
        "place.confirmed",
        "plan.signed",
    ]


def required_answers(questions):
    values = {"maturity": "3", "yes_no": "yes"}
    for question in questions:
        if question["type"] in values:
            yield question["key"], values[question["type"]]
