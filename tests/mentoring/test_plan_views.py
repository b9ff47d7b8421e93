"""Pages of the assessment, the action plan and the cohort's plans: scoping, forms, htmx."""

import pytest
from django.urls import reverse

from clinic import roles
from clinic.dimensions import Dimension
from clinic.todos import todos_for
from mentoring.models import ActionItem, Assessment
from mentoring.services import plan_rendering, plan_versions
from tests.factories import make_user

from .helpers import assigned, participant
from .plan_helpers import item_values, lead, started, submitted

pytestmark = pytest.mark.django_db


def get_status(client, user, url):
    client.force_login(user)
    status = client.get(url).status_code
    client.logout()
    return status


def assessment_post(action, **overrides):
    data = {
        "assessed_on": "",
        "executive_summary": "Informal IP, strong know-how.",
        "strengths": "Team",
        "weaknesses": "No policy",
        "opportunities": "Green loans",
        "threats": "Copycats",
        action: "1",
    }
    for d in Dimension.values:
        data[f"maturity_{d}"] = "1"
        data[f"target_{d}"] = "3"
        data[f"rationale_{d}"] = f"Rationale {d}"
    data.update(overrides)
    return data


def test_lead_expert_starts_fills_and_submits_assessment_through_the_page(client):
    participation, _rep, expert, _officer = assigned(participant()[0])
    client.force_login(expert)
    url = reverse("mentoring:assessment", args=[participation.pk])
    client.post(url)
    current = Assessment.objects.get()
    data = assessment_post("submit", assessed_on=current.assessed_on.isoformat())
    response = client.post(url, data)
    current.refresh_from_db()
    assert (response.status_code, response["Location"], current.state) == (
        302,
        reverse("mentoring:plan", args=[participation.pk]),
        "submitted",
    )
    assert list(current.scores.values_list("maturity", flat=True)) == [1] * 11


def test_assessment_page_shows_audit_and_expert_scores_and_readiness(client):
    participation, *_rest, current = submitted()
    client.force_login(participation.assignments.get().expert)
    html = client.get(reverse("mentoring:assessment", args=[participation.pk])).content.decode()
    assert ('id="readiness">30%' in html, "Ownership and contracts" in html) == (True, True)


def test_assessment_and_plan_pages_are_404_for_the_sme_and_strangers(client):
    participation, representative, expert, officer, _current = submitted()
    urls = [
        reverse("mentoring:assessment", args=[participation.pk]),
        reverse("mentoring:plan", args=[participation.pk]),
    ]
    users = [expert, officer, representative, make_user(roles.EXPERT), make_user(roles.SME)]
    assert [[get_status(client, u, url) for u in users] for url in urls] == [
        [200, 200, 404, 404, 404],
        [200, 200, 404, 404, 404],
    ]


def test_action_form_prefills_from_suggestion(client):
    participation, _rep, expert, _officer, current = started()
    from mentoring.services import assessment as assessment_service

    assessment_service.save_assessment(
        expert, current, scores={2: {"maturity": 0, "target": 4, "rationale": "No register"}}
    )
    client.force_login(expert)
    url = reverse("mentoring:action_add", args=[participation.pk]) + "?suggestion=gap-2"
    form = client.get(url).context["form"]
    assert (form.initial["dimension"], form.initial["horizon"], form.initial["policy"]) == (
        2,
        3,
        "acquire",
    )


def test_action_form_shows_horizon_error(client):
    participation, _rep, expert, _officer, current = started()
    client.force_login(expert)
    values = item_values(current, horizon=1)
    values["due_date"] = current.assessed_on.replace(year=current.assessed_on.year + 1)
    data = {k: str(v) for k, v in values.items()}
    data["due_date"] = values["due_date"].isoformat()
    response = client.post(reverse("mentoring:action_add", args=[participation.pk]), data)
    assert (response.status_code, ActionItem.objects.count()) == (200, 0)
    assert "The due date must be between" in response.content.decode()


def test_plan_page_groups_by_horizon(client):
    participation, _rep, expert, _officer, _current = submitted(items=2)
    client.force_login(expert)
    html = client.get(
        reverse("mentoring:plan", args=[participation.pk]) + "?view=horizon"
    ).content.decode()
    assert ("Within 3 months" in html, "File a PCT application" in html) == (True, True)


def test_plan_page_of_an_ended_participation_says_why_nothing_is_generated(client):
    participation, _rep, _expert, officer, _current = submitted()
    client.force_login(officer)
    url = reverse("mentoring:plan", args=[participation.pk])
    running = client.get(url).content.decode()
    type(participation).objects.filter(pk=participation.pk).update(state="closed")
    ended = client.get(url).content.decode()
    assert ('id="plan-generate"' in running, 'id="plan-generate"' in ended) == (True, False)
    assert "The participation has ended" in ended
    assert "once the assessment is submitted" not in ended


def test_generate_button_queues_version_and_status_polls_until_ready(
    client, django_capture_on_commit_callbacks
):
    participation, _rep, expert, _officer, _current = submitted()
    client.force_login(expert)
    url = reverse("mentoring:plan_generate", args=[participation.pk])
    response = client.post(url, {"language": "zh-hans"})
    version = participation.plan_versions.get()
    status_url = reverse("mentoring:version_status", args=[version.pk])
    queued = client.get(status_url).content.decode()
    plan_rendering.render_version(version.pk)
    ready = client.get(status_url).content.decode()
    assert (response.status_code, version.language) == (302, "zh-hans")
    assert ('hx-trigger="every 1s"' in queued, 'hx-trigger="every 1s"' in ready) == (True, False)
    assert reverse("mentoring:version_download", args=[version.pk]) in ready


def test_cohort_generate_all_redirects_to_progress(client, django_capture_on_commit_callbacks):
    participation, _rep, _expert, officer, _current = submitted()
    client.force_login(officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("mentoring:cohort_generate_all", args=[participation.cohort_id])
        )
    page = client.get(response["Location"]).content.decode()
    assert "1 of 1" in page
    assert participation.plan_versions.get().state == "ready"


def test_cohort_plans_lead_signs_off_from_board(client, django_capture_on_commit_callbacks):
    participation, _rep, expert, _officer, _current = submitted()
    with django_capture_on_commit_callbacks(execute=True):
        version = plan_versions.request_version(expert, participation)
    signer = lead()
    client.force_login(signer)
    board = reverse("mentoring:cohort_plans", args=[participation.cohort_id])
    review = reverse("mentoring:version_sign_off", args=[version.pk])
    assert f'href="{review}"' in client.get(board).content.decode()
    response = client.post(
        reverse("mentoring:version_sign_off", args=[version.pk]), {"next": "cohort"}
    )
    version.refresh_from_db()
    assert (response["Location"], version.signed_by) == (board, signer)


def test_my_tasks_lists_sign_off_for_the_lead(django_capture_on_commit_callbacks):
    participation, _rep, expert, _officer, _current = submitted()
    with django_capture_on_commit_callbacks(execute=True):
        plan_versions.request_version(expert, participation)
    titles = [str(todo.title) for todo in todos_for(lead())]
    assert titles == ["Sign off the action plan (version 1)"]


def test_free_text_in_assessment_is_escaped(client):
    participation, _rep, expert, _officer, current = started()
    from mentoring.services import assessment as assessment_service

    assessment_service.save_assessment(
        expert, current, scores={}, executive_summary="<script>alert(1)</script>"
    )
    Assessment.objects.filter(pk=current.pk).update(state="submitted")
    client.force_login(expert)
    html = client.get(reverse("mentoring:assessment", args=[participation.pk])).content.decode()
    assert ("<script>alert(1)</script>" in html, "&lt;script&gt;" in html) == (False, True)


def _plans_board_queries(client, count):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import CohortFactory

    from .helpers import bare_participant, officer

    cohort = CohortFactory()
    for _ in range(count):
        participation, _rep = bare_participant(cohort, state="plan_review")
        Assessment.objects.create(participation=participation, state="submitted")
        participation.plan_versions.create(number=1, language="en", state="ready")
    client.force_login(officer())
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("mentoring:cohort_plans", args=[cohort.pk])).status_code == 200
    client.logout()
    return len(queries)


def test_cohort_plans_board_runs_the_same_queries_for_2_and_30_participants(client):
    assert _plans_board_queries(client, 2) == _plans_board_queries(client, 30)


def test_cohort_outcomes_run_the_same_queries_for_2_and_30_participants(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import CohortFactory

    from .helpers import bare_participant, officer

    counts = []
    staff = officer()
    for size in (2, 30):
        cohort = CohortFactory()
        for _ in range(size):
            participation, _rep = bare_participant(cohort, state="follow_up")
            participation.follow_up_reports.create(
                round=6, due_on=cohort.end_date, state="submitted", filings=1
            )
        client.force_login(staff)
        with CaptureQueriesContext(connection) as queries:
            client.get(reverse("mentoring:cohort_outcomes", args=[cohort.pk]))
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_cohort_plans_with_a_malformed_batch_shows_the_board(client):
    participation, _rep, _expert, officer, _current = submitted()
    client.force_login(officer)
    board = reverse("mentoring:cohort_plans", args=[participation.cohort_id])
    progress = reverse("mentoring:cohort_plans_progress", args=[participation.cohort_id])
    statuses = [
        client.get(board + "?batch=nope").status_code,
        client.get(progress + "?batch=nope").status_code,
    ]
    assert statuses == [200, 404]
