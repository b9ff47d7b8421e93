"""Officer and reviewer pages of the application stage: screening, reviews, the rubric, the
ranking and their query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from viewflow.workflow.status import STATUS

from clinic import roles
from cohorts import flows
from cohorts.models import Application, Review
from cohorts.services import reviews
from cohorts.services.rubric import ensure_rubric
from tests.factories import (
    CohortFactory,
    eligible_application,
    make_user,
    scored_application,
    submitted_application,
    uniform_scores,
)
from tests.forwarding import task_page

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", [roles.SME, roles.REVIEWER, roles.EXPERT])
def test_officer_pages_are_404_for_other_roles(client, role):
    application, _ = submitted_application()
    cohort = application.cohort
    client.force_login(make_user(role))
    for name, args in [
        ("cohorts:screening", [cohort.pk]),
        ("cohorts:screen", [application.pk]),
        ("cohorts:assignments", [cohort.pk]),
        ("cohorts:ranking", [cohort.pk]),
        ("cohorts:ranking_csv", [cohort.pk]),
        ("cohorts:rubric", [cohort.pk]),
    ]:
        assert client.get(reverse(name, args=args)).status_code == 404


def test_officer_screens_from_queue(client):
    application, _ = submitted_application()
    officer = make_user(roles.OFFICER)
    client.force_login(officer)
    response = client.post(
        reverse("cohorts:screen", args=[application.pk]), {"decision": "eligible", "reason": ""}
    )
    assert response.status_code == 302
    assert Application.objects.get(pk=application.pk).state == "eligible"
    assert flows.open_task(application, flows.ApplicationFlow.screen) is None


def test_screening_task_in_my_tasks_claim_and_execute(client):
    application, _ = submitted_application()
    officer = make_user(roles.OFFICER)
    client.force_login(officer)
    home = client.get(reverse("home"))
    [item] = home.context["claimable"]
    task = item["task"]
    assert item["subject"] == application.summary
    response = client.post(task.reverse("assign"))
    assert response.status_code == 302
    page = task_page(client, task)
    assert page == reverse("cohorts:screen", args=[application.pk]) + "?from=tasks"
    response = client.get(page)
    assert response.status_code == 200
    response = client.post(page, {"decision": "ineligible", "reason": "Outside region"})
    assert response.url == reverse("home")
    application.refresh_from_db()
    assert application.state == "ineligible"
    task.refresh_from_db()
    assert task.status == STATUS.DONE


def test_sme_and_reviewer_see_no_screening_task(client):
    application, representative = submitted_application()
    for user in (representative, make_user(roles.REVIEWER)):
        client.force_login(user)
        assert client.get(reverse("home")).context["claimable"] == []


def test_reviewer_sees_only_assigned_non_conflicted(client):
    cohort = CohortFactory()
    officer = make_user(roles.OFFICER)
    mine, _ = eligible_application(officer, cohort=cohort)
    other, _ = eligible_application(officer, cohort=cohort)
    reviewer = make_user(roles.REVIEWER)
    review = reviews.assign_reviewer(officer, mine, reviewer)
    foreign = reviews.assign_reviewer(officer, other, make_user(roles.REVIEWER))
    client.force_login(reviewer)
    assert [r["pk"] for r in client.get(reverse("cohorts:reviews")).context["reviews"]] == [
        review.pk
    ]
    assert client.get(reverse("cohorts:review", args=[foreign.pk])).status_code == 404
    assert client.get(reverse("cohorts:application", args=[other.pk])).status_code == 404
    client.post(reverse("cohorts:declare_conflict", args=[review.pk]), {"reason": "friend"})
    assert client.get(reverse("cohorts:review", args=[review.pk])).status_code == 404
    assert client.get(reverse("cohorts:application", args=[mine.pk])).status_code == 404


def test_review_form_submit_and_next(client):
    cohort = CohortFactory()
    officer = make_user(roles.OFFICER)
    reviewer = make_user(roles.REVIEWER)
    first = reviews.assign_reviewer(
        officer, eligible_application(officer, cohort=cohort)[0], reviewer
    )
    second = reviews.assign_reviewer(
        officer, eligible_application(officer, cohort=cohort)[0], reviewer
    )
    client.force_login(reviewer)
    data = {f"criterion_{c.pk}": "4" for c in ensure_rubric(cohort)}
    response = client.post(reverse("cohorts:review", args=[first.pk]), {**data, "submit_next": "1"})
    assert response.url == reverse("cohorts:review", args=[second.pk])
    assert Review.objects.get(pk=first.pk).state == "submitted"


def test_review_form_score_outside_range_is_named(client):
    application, _ = eligible_application()
    reviewer = make_user(roles.REVIEWER)
    review = reviews.assign_reviewer(make_user(roles.OFFICER), application, reviewer)
    client.force_login(reviewer)
    criterion = ensure_rubric(application.cohort)[0]
    response = client.post(
        reverse("cohorts:review", args=[review.pk]),
        {f"criterion_{criterion.pk}": "9", "submit": "1"},
    )
    assert response.status_code == 200
    assert f"criterion_{criterion.pk}" in response.context["form"].errors
    assert Review.objects.get(pk=review.pk).state == "assigned"


def test_other_scores_hidden_until_own_review_submitted(client):
    cohort = CohortFactory()
    officer = make_user(roles.OFFICER)
    application, _ = eligible_application(officer, cohort=cohort)
    me, other = make_user(roles.REVIEWER), make_user(roles.REVIEWER)
    mine = reviews.assign_reviewer(officer, application, me)
    theirs = reviews.assign_reviewer(officer, application, other)
    scores = {c.pk: 3 for c in ensure_rubric(cohort)}
    reviews.save_review(other, theirs, scores, submit=True)
    client.force_login(me)
    url = reverse("cohorts:review", args=[mine.pk])
    assert client.get(url).context["others"] == []
    reviews.save_review(me, mine, scores, submit=True)
    assert len(client.get(url).context["others"]) == 1
    cohort.hide_scores = "always"
    cohort.save()
    assert client.get(url).context["others"] == []


def test_rubric_form_weights_not_100_shows_error(client):
    cohort = CohortFactory()
    criteria = ensure_rubric(cohort)
    client.force_login(make_user(roles.OFFICER))
    data = {
        "form-TOTAL_FORMS": str(len(criteria)),
        "form-INITIAL_FORMS": str(len(criteria)),
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
    }
    for index, c in enumerate(criteria):
        for field in ["key", "name", "name_zh", "weight", *[f"anchor_{n}" for n in range(1, 6)]]:
            data[f"form-{index}-{field}"] = getattr(c, field)
        data[f"form-{index}-id"] = c.pk
    data["form-0-weight"] = "30"
    response = client.post(reverse("cohorts:rubric", args=[cohort.pk]), data)
    assert response.status_code == 200
    assert "add up to 100" in str(response.context["formset"].non_form_errors())
    data["form-1-weight"] = "10"
    response = client.post(reverse("cohorts:rubric", args=[cohort.pk]), data)
    assert response.status_code == 302
    assert cohort.criteria.get(key="innovation").weight == 30


def test_ranking_csv_has_bom_and_chinese(client):
    cohort = CohortFactory()
    scored_application(cohort, [uniform_scores(4)], company__legal_name="绿源水处理有限公司")
    client.force_login(make_user(roles.OFFICER))
    response = client.get(reverse("cohorts:ranking_csv", args=[cohort.pk]))
    assert response.content.startswith("\ufeff".encode())
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[1].split(",")[:2] == ["1", "绿源水处理有限公司"]


def test_ranking_filter_and_sort(client):
    cohort = CohortFactory()
    water = scored_application(cohort, [uniform_scores(2)])
    solar = scored_application(cohort, [uniform_scores(5)], tech_area="renewable_energy")
    client.force_login(make_user(roles.OFFICER))
    url = reverse("cohorts:ranking", args=[cohort.pk])
    rows = client.get(url).context["page"].object_list
    assert [r.pk for r in rows] == [solar.pk, water.pk]
    rows = client.get(url, {"order": "-rank"}).context["page"].object_list
    assert [r.pk for r in rows] == [water.pk, solar.pk]
    rows = client.get(url, {"area": "water"}).context["page"].object_list
    assert [(r.pk, r.rank) for r in rows] == [(water.pk, 2)]


def make_reviews(cohort, count, reviewer):
    for _ in range(count):
        application = scored_application(cohort, [uniform_scores(3), uniform_scores(4)])
        Review.objects.create(application=application, reviewer=reviewer)


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("page", ["ranking", "screening", "reviews", "assignments"])
def test_query_count_same_for_2_and_50_rows(client, page):
    counts = []
    for size in (2, 50):
        cohort = CohortFactory()
        reviewer = make_user(roles.REVIEWER)
        officer = make_user(roles.OFFICER)
        if page == "screening":
            for _ in range(size):
                submitted_application(cohort=cohort)
            client.force_login(officer)
            url = reverse("cohorts:screening", args=[cohort.pk])
        elif page == "ranking":
            make_reviews(cohort, size, reviewer)
            client.force_login(officer)
            url = reverse("cohorts:ranking", args=[cohort.pk])
        elif page == "assignments":
            make_reviews(cohort, size, reviewer)
            client.force_login(officer)
            url = reverse("cohorts:assignments", args=[cohort.pk])
        else:
            make_reviews(cohort, size, reviewer)
            client.force_login(reviewer)
            url = reverse("cohorts:reviews")
        counts.append(count_queries(client, url))
    assert counts[0] == counts[1]


def test_review_list_pages_rows_and_counts_progress_over_all_of_them(client):
    cohort = CohortFactory(name="Paged cohort")
    reviewer = make_user(roles.REVIEWER)
    make_reviews(cohort, 55, reviewer)
    client.force_login(reviewer)
    first = client.get(reverse("cohorts:reviews")).context
    second = client.get(reverse("cohorts:reviews"), {"page": 2}).context
    shown = [row["pk"] for row in first["reviews"] + second["reviews"]]
    assert (len(first["reviews"]), first["page"].paginator.count, len(set(shown))) == (50, 55, 55)
    assert first["progress"] == [("Paged cohort", 0, 55, 0)]


def test_query_count_guard_measures_real_queries(client):
    cohort = CohortFactory()
    submitted_application(cohort=cohort)
    client.force_login(make_user(roles.OFFICER))
    assert count_queries(client, reverse("cohorts:screening", args=[cohort.pk])) > 3


def test_ranking_csv_neutralises_formulas(client):
    cohort = CohortFactory()
    scored_application(cohort, [uniform_scores(4)], tech_title='=HYPERLINK("http://x")')
    client.force_login(make_user(roles.OFFICER))
    content = client.get(reverse("cohorts:ranking_csv", args=[cohort.pk])).content.decode(
        "utf-8-sig"
    )
    assert "'=HYPERLINK" in content


def test_review_form_shows_anchors_in_reviewer_language(client):
    application, _ = eligible_application()
    reviewer = make_user(roles.REVIEWER, preferred_language="zh-hans")
    review = reviews.assign_reviewer(make_user(roles.OFFICER), application, reviewer)
    client.force_login(reviewer)
    with translation.override("en"):  # the middleware switches to zh; do not leak it
        text = client.get(reverse("cohorts:review", args=[review.pk])).text
    assert "突破性技术，市场上没有同类方案。" in text
    assert "Breakthrough with no comparable solution on the market." not in text
