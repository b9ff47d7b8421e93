from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from viewflow.workflow.status import STATUS

from clinic import roles
from cohorts import flows
from cohorts.models import PITCH_DECK_MAX_BYTES, Application, Cohort, Review
from cohorts.services import reviews, screening
from cohorts.services.rubric import ensure_rubric, save_rubric
from tests.factories import (
    PDF_BYTES,
    ApplicationFactory,
    CohortFactory,
    CompanyFactory,
    company_with_representative,
    eligible_application,
    make_user,
    pdf_file,
    scored_application,
    submitted_application,
    uniform_scores,
)

pytestmark = pytest.mark.django_db


def form_data(application, **changes):
    data = {
        "tech_title": application.tech_title,
        "tech_area": application.tech_area,
        "development_stage": application.development_stage,
        "tech_description": application.tech_description,
        "green_impact": application.green_impact,
        "sdg_goals": ["6", "13"],
        "patents_granted": "1",
        "patents_pending": "0",
        "utility_models": "0",
        "trademarks": "2",
        "designs": "0",
        "software_copyrights": "0",
        "ip_challenges": "x",
        "motivation": "y",
        "commitment": "on",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_call_page_is_public(client):
    cohort = CohortFactory(name="Beijing 2027")
    response = client.get(reverse("cohorts:call", args=[cohort.pk]))
    assert response.status_code == 200
    assert "Beijing 2027" in response.text


def test_sme_starts_saves_and_submits_application(client):
    company, representative = company_with_representative()
    cohort = CohortFactory()
    client.force_login(representative)
    response = client.post(reverse("cohorts:apply", args=[cohort.pk]), {"company": company.pk})
    application = Application.objects.get(cohort=cohort, company=company)
    assert response.url == reverse("cohorts:application_edit", args=[application.pk])
    url = reverse("cohorts:application_edit", args=[application.pk])
    response = client.post(url, {"tech_title": "Only a title", "save": "1"})
    assert response.status_code == 302
    assert Application.objects.get(pk=application.pk).tech_title == "Only a title"
    data = form_data(ApplicationFactory.build(), submit="1", pitch_deck=pdf_file())
    response = client.post(url, data)
    assert response.status_code == 302
    application.refresh_from_db()
    assert (application.state, application.sdg_goals) == ("submitted", [6, 13])


def test_submit_incomplete_shows_errors_next_to_fields_and_keeps_draft(client):
    company, representative = company_with_representative()
    application = ApplicationFactory(company=company, pitch_deck="", tech_title="")
    client.force_login(representative)
    url = reverse("cohorts:application_edit", args=[application.pk])
    data = form_data(application, tech_title="", commitment=None, green_impact="Saved text")
    data["submit"] = "1"
    response = client.post(url, data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert sorted(errors) == ["commitment", "pitch_deck", "tech_title"]
    application.refresh_from_db()
    assert (application.state, application.green_impact) == ("draft", "Saved text")


def test_fake_pdf_upload_is_refused_and_nothing_lost(client):
    company, representative = company_with_representative()
    application = ApplicationFactory(company=company, pitch_deck="")
    client.force_login(representative)
    url = reverse("cohorts:application_edit", args=[application.pk])
    fake = pdf_file("deck.pdf", b"MZ\x90\x00 not a pdf at all")
    response = client.post(url, form_data(application, pitch_deck=fake, save="1"))
    assert response.status_code == 200
    assert "pitch_deck" in response.context["form"].errors
    assert not Application.objects.get(pk=application.pk).pitch_deck


def test_oversized_pdf_upload_is_refused(client):
    company, representative = company_with_representative()
    application = ApplicationFactory(company=company, pitch_deck="")
    client.force_login(representative)
    big = pdf_file("deck.pdf", PDF_BYTES + b"0" * PITCH_DECK_MAX_BYTES)
    response = client.post(
        reverse("cohorts:application_edit", args=[application.pk]),
        form_data(application, pitch_deck=big, save="1"),
    )
    assert response.context["form"].errors["pitch_deck"] == ["The pitch deck is larger than 10 MB."]


def test_pitch_deck_download_only_for_those_who_see_application(client):
    application, representative = submitted_application()
    client.force_login(representative)
    response = client.get(reverse("cohorts:pitch_deck", args=[application.pk]))
    assert (response.status_code, response["Content-Type"]) == (200, "application/pdf")
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    for user in (make_user(roles.SME), make_user(roles.REVIEWER), make_user(roles.EXPERT)):
        client.force_login(user)
        assert client.get(reverse("cohorts:pitch_deck", args=[application.pk])).status_code == 404
    client.force_login(make_user(roles.OFFICER))
    assert client.get(reverse("cohorts:pitch_deck", args=[application.pk])).status_code == 200


def test_other_companys_application_is_404(client):
    application, _ = submitted_application()
    draft = ApplicationFactory()
    client.force_login(make_user(roles.SME))
    for name, pk in [
        ("cohorts:application", application.pk),
        ("cohorts:application_edit", draft.pk),
    ]:
        assert client.get(reverse(name, args=[pk])).status_code == 404
    assert client.post(reverse("cohorts:withdraw", args=[application.pk])).status_code == 404


def test_sme_sees_state_and_messages_and_withdraws(client):
    application, representative = submitted_application()
    client.force_login(representative)
    response = client.get(reverse("cohorts:application", args=[application.pk]))
    assert [m.kind for m in response.context["sent"]] == ["application_received"]
    assert response.context["checks"] == []  # rule details are for officers
    response = client.post(reverse("cohorts:withdraw", args=[application.pk]), {"reason": "x"})
    assert Application.objects.get(pk=application.pk).state == "withdrawn"


def test_free_text_is_escaped(client):
    application, representative = submitted_application(tech_title="<script>alert(1)</script>")
    client.force_login(make_user(roles.OFFICER))
    for url in (
        reverse("cohorts:application", args=[application.pk]),
        reverse("cohorts:screening", args=[application.cohort_id]),
    ):
        text = client.get(url).text
        assert "<script>alert(1)</script>" not in text
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text


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
    response = client.get(task.reverse("execute"))
    assert response.status_code == 200
    response = client.post(
        task.reverse("execute"), {"decision": "ineligible", "reason": "Outside region"}
    )
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


def test_my_tasks_lists_application_todos_per_role(client):
    cohort = CohortFactory()
    officer = make_user(roles.OFFICER)
    company, representative = company_with_representative()
    ApplicationFactory(cohort=cohort, company=company)
    needs_info, other_rep = submitted_application(cohort=cohort)
    screening.request_information(officer, needs_info, "Send licence")
    application, _ = eligible_application(officer, cohort=cohort)
    reviewer = make_user(roles.REVIEWER)
    review = reviews.assign_reviewer(officer, application, reviewer)
    client.force_login(representative)
    assert [t.title for t in client.get(reverse("home")).context["todos"]] == [
        "Finish and submit your application"
    ]
    client.force_login(other_rep)
    assert [t.title for t in client.get(reverse("home")).context["todos"]] == [
        "Answer the information request"
    ]
    client.force_login(reviewer)
    assert [t.title for t in client.get(reverse("home")).context["todos"]] == [
        "Review 1 application"
    ]
    reviews.declare_conflict(reviewer, review)
    client.force_login(officer)
    titles = [t.title for t in client.get(reverse("home")).context["todos"]]
    assert "Replace 1 conflicted reviewer" in titles


def test_apply_after_call_closed_is_refused(client):
    company, representative = company_with_representative()
    cohort = CohortFactory(
        applications_open_at=timezone.now() - timedelta(days=20),
        applications_close_at=timezone.now() - timedelta(days=1),
    )
    client.force_login(representative)
    client.post(reverse("cohorts:apply", args=[cohort.pk]), {"company": company.pk})
    assert not Application.objects.filter(cohort=cohort).exists()


def test_apply_for_someone_elses_company_is_404(client):
    company, _representative = company_with_representative()
    client.force_login(make_user(roles.SME))
    response = client.post(
        reverse("cohorts:apply", args=[CohortFactory().pk]), {"company": company.pk}
    )
    assert response.status_code == 404


def test_new_cohort_form_copies_settings_and_rubric(client):
    source = CohortFactory(capacity=12)
    criteria = ensure_rubric(source)
    officer = make_user(roles.OFFICER)
    criteria[0].weight, criteria[5].weight = 15, 15
    save_rubric(officer, source, criteria)
    client.force_login(officer)
    response = client.get(reverse("cohorts:create"), {"copy": source.pk})
    form = response.context["form"]
    data = {
        name: value
        for name, value in form.initial.items()
        if name in form.fields and value is not None
    }
    data.update(
        {
            "name": "Copied cohort",
            "copy_from": source.pk,
            "programme": source.programme_id,
            "languages": ["en", "zh-hans"],
            "applications_open_at": "2030-01-01T09:00",
            "applications_close_at": "2030-02-01T09:00",
            "review_deadline": "2030-02-15T09:00",
            "start_date": "2030-03-01",
            "end_date": "2030-07-01",
        }
    )
    data = {k: v for k, v in data.items() if v != ""}
    response = client.post(reverse("cohorts:create"), data)
    assert response.status_code == 302
    copy = Cohort.objects.get(name="Copied cohort")
    assert copy.capacity == 12
    assert copy.criteria.get(key="innovation").weight == 15


def test_replacing_pitch_deck_deletes_old_file(client, django_capture_on_commit_callbacks):
    company, representative = company_with_representative()
    application = ApplicationFactory(company=company)
    old = application.pitch_deck.name
    storage = application.pitch_deck.storage
    assert storage.exists(old)
    client.force_login(representative)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("cohorts:application_edit", args=[application.pk]),
            form_data(application, pitch_deck=pdf_file("new.pdf"), save="1"),
        )
    application.refresh_from_db()
    assert (application.pitch_deck.name != old, storage.exists(old)) == (True, False)
    assert storage.exists(application.pitch_deck.name)


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


def test_submit_after_close_shows_message_and_keeps_draft(client):
    company, representative = company_with_representative()
    cohort = CohortFactory(
        applications_open_at=timezone.now() - timedelta(days=20),
        applications_close_at=timezone.now() - timedelta(days=1),
    )
    application = ApplicationFactory(cohort=cohort, company=company)
    client.force_login(representative)
    response = client.post(
        reverse("cohorts:application_edit", args=[application.pk]),
        form_data(application, motivation="New text", submit="1"),
        follow=True,
    )
    assert [str(m) for m in response.context["messages"]] == [
        "The call for applications closed; your draft is kept but cannot be submitted."
    ]
    application.refresh_from_db()
    assert (application.state, application.motivation) == ("draft", "New text")


def test_double_submit_through_form_changes_nothing(client):
    application, representative = submitted_application()
    client.force_login(representative)
    url = reverse("cohorts:application_edit", args=[application.pk])
    response = client.post(url, form_data(application, motivation="late", submit="1"))
    assert response.url == reverse("cohorts:application", args=[application.pk])
    application.refresh_from_db()
    assert application.state == "submitted"
    assert application.motivation != "late"


def test_my_applications_show_fifty_a_page_with_the_total(client):
    company, representative = company_with_representative()
    cohort = CohortFactory()
    ApplicationFactory(cohort=cohort, company=company)
    for _ in range(50):
        ApplicationFactory(cohort=cohort, company=CompanyFactory(representatives=[representative]))
    client.force_login(representative)
    first = client.get(reverse("cohorts:my_applications"))
    second = client.get(reverse("cohorts:my_applications"), {"page": 2}).context
    shown = [a.pk for a in list(first.context["applications"]) + list(second["applications"])]
    assert (len(first.context["applications"]), len(set(shown))) == (50, 51)
    assert "51 applications" in first.content.decode()


def test_drafts_of_closed_calls_are_no_to_dos(client):
    company, representative = company_with_representative()
    closed = CohortFactory(
        applications_open_at=timezone.now() - timedelta(days=30),
        applications_close_at=timezone.now() - timedelta(days=1),
    )
    ApplicationFactory(cohort=closed, company=company)
    ApplicationFactory(cohort=CohortFactory(), company=company)
    client.force_login(representative)
    assert [t.title for t in client.get(reverse("home")).context["todos"]] == [
        "Finish and submit your application"
    ]
