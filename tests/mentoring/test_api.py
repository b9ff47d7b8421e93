"""Mentoring through the API: participants and sessions scoped as the pages (404 outside),
private notes in no response for anyone, plan versions signed-only for the SME."""

import pytest

from clinic import roles
from mentoring.models import PlanVersion, Session
from mentoring.services import plan_versions
from tests.api_helpers import ids, token_client
from tests.factories import make_user

from .plan_helpers import lead, submitted
from .test_follow_up import ended
from .test_follow_up import signed as signed_fixture  # noqa: F401 - a fixture
from .test_private_notes import SECRET, mentored_with_private_notes

pytestmark = pytest.mark.django_db


def every_response(client, participation, sessions):
    paths = ["/api/v1/sessions/", f"/api/v1/participants/{participation.pk}/"]
    for session in sessions:
        paths += [f"/api/v1/sessions/{session.pk}/", f"/api/v1/sessions/{session.pk}/ics/"]
    return [client.get(path) for path in paths]


def test_private_notes_are_in_no_api_response_for_any_role():
    participation, representative, mentor, staff, sessions = mentored_with_private_notes()
    for user in (representative, mentor, staff):
        client, _token = token_client(user)
        for response in every_response(client, participation, sessions):
            assert response.status_code == 200, response.request["PATH_INFO"]
            assert SECRET not in response.content.decode(), response.request["PATH_INFO"]


def test_sme_sees_its_sessions_with_shared_notes_only():
    participation, representative, mentor, _staff, sessions = mentored_with_private_notes()
    client, _token = token_client(representative)
    listed = client.get(f"/api/v1/sessions/?participation={participation.pk}").json()["results"]
    assert sorted(row["id"] for row in listed) == sorted(s.pk for s in sessions)
    notes = {row["id"]: row["note"] for row in listed}
    assert notes[sessions[1].pk]["summary"] == "Second session"
    assert notes[sessions[2].pk] is None


def test_another_companys_sessions_and_participant_are_404():
    participation, _rep, _mentor, _staff, sessions = mentored_with_private_notes()
    stranger, _token = token_client(make_user(roles.SME))
    other_expert, _t = token_client(make_user(roles.EXPERT))
    for client in (stranger, other_expert):
        assert ids(client.get("/api/v1/sessions/")) == []
        assert client.get(f"/api/v1/sessions/{sessions[0].pk}/").status_code == 404
        assert client.get(f"/api/v1/sessions/{sessions[0].pk}/ics/").status_code == 404
        assert client.post(f"/api/v1/sessions/{sessions[2].pk}/cancel/").status_code == 404
        assert client.get(f"/api/v1/participants/{participation.pk}/").status_code == 404
    assert Session.objects.get(pk=sessions[2].pk).status == "planned"


def test_sme_cancels_a_planned_session_twice_with_one_effect():
    _participation, representative, _mentor, _staff, sessions = mentored_with_private_notes()
    client, _token = token_client(representative)
    url = f"/api/v1/sessions/{sessions[2].pk}/cancel/"
    before = Session.objects.get(pk=sessions[2].pk).sequence
    answers = [client.post(url, {"reason": "Ill"}, format="json") for _ in range(2)]
    assert [a.json()["status"] for a in answers] == ["cancelled", "cancelled"]
    assert Session.objects.get(pk=sessions[2].pk).sequence == before + 1


def test_sme_gets_signed_versions_only_and_downloads_the_signed_pdf(
    django_capture_on_commit_callbacks,
):
    participation, representative, expert, _officer, _current = submitted(sessions=1)
    with django_capture_on_commit_callbacks(execute=True):
        first = plan_versions.request_version(expert, participation, "en")
    with django_capture_on_commit_callbacks(execute=True):
        second = plan_versions.request_version(expert, participation, "zh-hans")
    sme, _token = token_client(representative)
    assert ids(sme.get("/api/v1/plan-versions/")) == []
    assert sme.get(f"/api/v1/plan-versions/{first.pk}/download/").status_code == 404
    expert_client, _t = token_client(expert)
    refused = expert_client.post(f"/api/v1/plan-versions/{first.pk}/sign-off/")
    assert (refused.status_code, refused.json()["code"]) == (403, "not_permitted")
    draft = expert_client.get(f"/api/v1/plan-versions/{first.pk}/download/")
    assert (draft.status_code, draft["Content-Type"]) == (200, "application/pdf")
    lead_client, _t2 = token_client(lead())
    signed_off = lead_client.post(f"/api/v1/plan-versions/{first.pk}/sign-off/")
    assert (signed_off.status_code, signed_off.json()["signed"]) == (200, True)
    assert ids(sme.get("/api/v1/plan-versions/")) == [first.pk]
    download = sme.get(f"/api/v1/plan-versions/{first.pk}/download/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert sme.get(f"/api/v1/plan-versions/{second.pk}/").status_code == 404
    assert PlanVersion.objects.get(pk=second.pk).signed_at is None


def test_sme_submits_its_follow_up_report_once_another_sme_gets_404(signed_fixture):  # noqa: F811
    from mentoring.models import ActionItem, FollowUpReport
    from mentoring.services import follow_up

    participation, representative, _officer = signed_fixture
    ended(participation, 200)
    follow_up.open_follow_up_reports()
    report = FollowUpReport.objects.get(participation=participation, round=6)
    items = ActionItem.objects.filter(assessment__participation=participation)
    body = {
        "progress": {str(item.pk): {"status": "done", "note": "Filed"} for item in items},
        "filings": 2,
        "satisfaction": 5,
    }
    url = f"/api/v1/follow-up-reports/{report.pk}/submit/"
    stranger, _t = token_client(make_user(roles.SME))
    assert stranger.post(url, body, format="json").status_code == 404
    sme, _token = token_client(representative)
    answers = [sme.post(url, body, format="json") for _ in range(2)]
    assert [a.json()["state"] for a in answers] == ["submitted", "submitted"]
    assert answers[0].json()["filings"] == 2
    bad = sme.post(url, {**body, "progress": {"x": {"status": "done"}}}, format="json")
    assert bad.status_code in (400, 409)


def test_session_list_queries_do_not_grow_with_rows():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from .helpers import assigned, schedule

    participation, representative, mentor, _staff = assigned()
    for days in (2, 3):
        schedule(participation, mentor, days=days)
    for user in (mentor, representative):
        client, _token = token_client(user)
        client.get("/api/v1/sessions/")
        with CaptureQueriesContext(connection) as few:
            client.get("/api/v1/sessions/")
        for days in range(4, 14):
            schedule(participation, mentor, days=days, duration_minutes=30)
        with CaptureQueriesContext(connection) as many:
            response = client.get("/api/v1/sessions/")
        assert len(many) == len(few), user
        assert len(response.json()["results"]) >= 12
        Session.objects.filter(number__gt=2).delete()


def test_lead_expert_adds_changes_and_deletes_action_items_others_get_404():
    from mentoring.models import ActionItem

    from .plan_helpers import item_values, started

    _participation, representative, expert, _officer, current = started()
    values = {**item_values(current), "assessment": current.pk}
    values["due_date"] = values["due_date"].isoformat()
    values["cost"] = str(values["cost"])
    client, _token = token_client(expert)
    created = client.post("/api/v1/action-items/", values, format="json")
    assert created.status_code == 201, created.content
    url = f"/api/v1/action-items/{created.json()['id']}/"
    changed = client.patch(url, {"owner": "CEO", "title_zh": "为膜组件提交PCT申请"}, format="json")
    assert (changed.status_code, changed.json()["owner"]) == (200, "CEO")
    # Both languages of the plan's texts go through the API, as through the form.
    item = ActionItem.objects.get()
    assert (changed.json()["title_zh"], item.localized_title("zh-hans")) == (
        "为膜组件提交PCT申请",
    ) * 2
    for user in (representative, make_user(roles.EXPERT)):
        other, _t = token_client(user)
        assert other.patch(url, {"owner": "x"}, format="json").status_code == 404
        assert other.post("/api/v1/action-items/", values, format="json").status_code == 404
    assert client.delete(url).status_code == 204
    assert ActionItem.objects.count() == 0
