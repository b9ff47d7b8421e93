from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from clinic import roles
from cohorts.models import PITCH_DECK_MAX_BYTES, Application, Cohort
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
    submitted_application,
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
