"""Issue 14, SME items 2-5: limits, a bad pitch deck not blocking the rest, back to draft, SDGs."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from clinic import limits
from clinic.models import AuditLog
from cohorts.forms import ApplicationForm
from cohorts.models import Application
from cohorts.services import applications
from tests.clinic.test_chinese_text import require_compiled
from tests.cohorts.test_views import form_data
from tests.factories import (
    ApplicationFactory,
    CohortFactory,
    company_with_representative,
    make_user,
    pdf_file,
    submitted_application,
)
from tests.refusals import refused

pytestmark = pytest.mark.django_db
State = Application.State


# --- 2. limits in the model, shared by form and service ------------------------------------------


def test_service_refuses_a_description_over_the_long_text_limit():
    company, representative = company_with_representative()
    application = ApplicationFactory(company=company)
    application.tech_description = "x" * (limits.LONG_TEXT_MAX + 1)
    with pytest.raises(ValidationError) as refused:
        applications.save_draft(representative, application, ["tech_description"])
    assert list(refused.value.message_dict) == ["tech_description"]
    stored = Application.objects.get(pk=application.pk).tech_description
    assert stored == "Decentralised wastewater treatment with low energy use."


def test_service_refuses_an_ip_count_over_the_limit_on_submit():
    company, representative = company_with_representative()
    application = ApplicationFactory(company=company, patents_granted=99_999_999)
    with pytest.raises(ValidationError) as refused:
        applications.submit(representative, application)
    assert list(refused.value.message_dict) == ["patents_granted"]
    assert Application.objects.get(pk=application.pk).state == State.DRAFT


def test_text_at_the_limit_is_accepted():
    company, representative = company_with_representative()
    application = ApplicationFactory(company=company)
    application.motivation = "动" * limits.LONG_TEXT_MAX
    applications.save_draft(representative, application, ["motivation"])
    assert len(Application.objects.get(pk=application.pk).motivation) == limits.LONG_TEXT_MAX


def test_form_shows_the_model_limits_with_a_counter():
    form = ApplicationForm(instance=ApplicationFactory.build())
    description = form.fields["tech_description"].widget.attrs
    count = form.fields["patents_granted"].widget.attrs
    assert (description["maxlength"], "data-counter" in description) == ("3000", True)
    assert (count["max"], count["min"]) == (9999, 0)
    assert "data-counter" in form.fields["tech_title"].widget.attrs


def test_page_refuses_too_long_motivation_at_the_field(client):
    company, representative = company_with_representative()
    application = ApplicationFactory(company=company)
    client.force_login(representative)
    url = reverse("cohorts:application_edit", args=[application.pk])
    response = client.post(url, form_data(application, motivation="m" * 9000, save="1"))
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["motivation"]
    assert Application.objects.get(pk=application.pk).motivation == application.motivation


# --- 3. a bad pitch deck does not block the rest -------------------------------------------------


def test_bad_pitch_deck_saves_the_other_fields_and_names_the_file_error(client):
    company, representative = company_with_representative()
    application = ApplicationFactory(company=company, pitch_deck="")
    client.force_login(representative)
    url = reverse("cohorts:application_edit", args=[application.pk])
    fake = pdf_file("deck.pdf", b"MZ\x90\x00 not a pdf at all")
    data = form_data(application, tech_title="Kept title", pitch_deck=fake, save="1")
    response = client.post(url, data)
    stored = Application.objects.get(pk=application.pk)
    assert (stored.tech_title, bool(stored.pitch_deck)) == ("Kept title", False)
    assert response.context["form"].errors["pitch_deck"] == ["The pitch deck must be a PDF file."]
    shown = [str(m) for m in response.context["messages"]]
    assert shown == [
        "Everything else was saved, but not the pitch deck: The pitch deck must be a PDF file."
    ]
    assert "Kept title" in response.text


def test_bad_pitch_deck_on_submit_saves_but_does_not_submit(client):
    company, representative = company_with_representative()
    application = ApplicationFactory(company=company)
    client.force_login(representative)
    url = reverse("cohorts:application_edit", args=[application.pk])
    fake = pdf_file("deck.pdf", b"not a pdf")
    response = client.post(
        url, form_data(application, motivation="New", pitch_deck=fake, submit="1")
    )
    stored = Application.objects.get(pk=application.pk)
    assert (response.status_code, stored.state, stored.motivation) == (200, State.DRAFT, "New")
    assert stored.pitch_deck.name == application.pitch_deck.name


def test_bad_pitch_deck_with_other_errors_saves_nothing(client):
    company, representative = company_with_representative()
    application = ApplicationFactory(company=company)
    client.force_login(representative)
    url = reverse("cohorts:application_edit", args=[application.pk])
    data = form_data(
        application, motivation="m" * 4000, tech_title="T2", pitch_deck=pdf_file("d.pdf", b"x")
    )
    data["save"] = "1"
    response = client.post(url, data)
    assert sorted(response.context["form"].errors) == ["motivation", "pitch_deck"]
    assert Application.objects.get(pk=application.pk).tech_title == application.tech_title


# --- 4. withdrawn -> draft while the call is open ------------------------------------------------


def test_withdrawn_application_returns_to_draft_with_history_kept():
    application, representative = submitted_application()
    applications.withdraw(representative, application)
    reopened = applications.reopen(representative, Application.objects.get(pk=application.pk))
    assert (reopened.state, reopened.submitted_at) == (State.DRAFT, None)
    actions = list(
        AuditLog.objects.for_object(application).order_by("pk").values_list("action", "to_state")
    )
    assert actions[-3:] == [
        ("submitted", "submitted"),
        ("withdrawn", "withdrawn"),
        ("reopened", "draft"),
    ]
    assert Application.objects.filter(cohort=application.cohort).count() == 1


def test_reopened_application_can_be_submitted_again_with_a_new_flow():
    from cohorts import flows

    application, representative = submitted_application()
    applications.withdraw(representative, application)
    applications.reopen(representative, Application.objects.get(pk=application.pk))
    again = applications.submit(representative, Application.objects.get(pk=application.pk))
    assert again.state == State.SUBMITTED
    assert flows.ApplicationProcess.objects.count() == 2
    assert flows.open_task(again, flows.ApplicationFlow.screen) is not None


def test_reopen_twice_changes_nothing_the_second_time():
    application, representative = submitted_application()
    applications.withdraw(representative, application)
    applications.reopen(representative, Application.objects.get(pk=application.pk))
    applications.reopen(representative, Application.objects.get(pk=application.pk))
    assert AuditLog.objects.for_object(application).filter(action="reopened").count() == 1


def test_reopen_after_the_call_closed_is_refused():
    application, representative = submitted_application()
    applications.withdraw(representative, application)
    Application.objects.filter(pk=application.pk)
    cohort = application.cohort
    cohort.applications_close_at = timezone.now() - timedelta(hours=1)
    cohort.save()
    with refused("wrong_state") as refusal:
        applications.reopen(representative, Application.objects.get(pk=application.pk))
    assert "closed" in str(refusal.value)
    assert Application.objects.get(pk=application.pk).state == State.WITHDRAWN


def test_reopen_of_a_submitted_application_or_by_a_stranger_is_refused():
    application, representative = submitted_application()
    with refused("wrong_state"):
        applications.reopen(representative, application)
    applications.withdraw(representative, application)
    with refused("not_permitted"):
        applications.reopen(make_user("sme"), Application.objects.get(pk=application.pk))


def test_reopen_button_shows_while_open_and_a_double_click_lands_on_the_draft(client):
    application, representative = submitted_application()
    applications.withdraw(representative, application)
    client.force_login(representative)
    page = client.get(reverse("cohorts:application", args=[application.pk]))
    assert reverse("cohorts:reopen", args=[application.pk]) in page.text
    url = reverse("cohorts:reopen", args=[application.pk])
    first, second = client.post(url), client.post(url)
    edit = reverse("cohorts:application_edit", args=[application.pk])
    assert (first.url, second.url) == (edit, edit)
    assert Application.objects.get(pk=application.pk).state == State.DRAFT


def test_reopen_button_is_absent_after_the_call_closed(client):
    company, representative = company_with_representative()
    cohort = CohortFactory(
        applications_open_at=timezone.now() - timedelta(days=10),
        applications_close_at=timezone.now() - timedelta(days=1),
    )
    application = ApplicationFactory(company=company, cohort=cohort, state=State.WITHDRAWN)
    client.force_login(representative)
    page = client.get(reverse("cohorts:application", args=[application.pk]))
    assert reverse("cohorts:reopen", args=[application.pk]) not in page.text
    assert client.post(reverse("cohorts:reopen", args=[application.pk])).status_code == 302
    assert Application.objects.get(pk=application.pk).state == State.WITHDRAWN


# --- 5. SDG names in both languages --------------------------------------------------------------


def test_sdg_choices_show_the_goal_names():
    form = ApplicationForm(instance=ApplicationFactory.build())
    labels = [str(label) for _value, label in form.fields["sdg_goals"].choices]
    assert (labels[0], labels[6], len(labels)) == (
        "1 · No poverty",
        "7 · Affordable and clean energy",
        17,
    )


def test_sdg_display_names_the_goals():
    application = ApplicationFactory.build(sdg_goals=[13, 6])
    assert application.sdg_display == "6 · Clean water and sanitation, 13 · Climate action"


def test_sdg_names_in_chinese():
    require_compiled("Climate action")
    application = ApplicationFactory.build(sdg_goals=[13])
    with translation.override("zh-hans"):
        assert application.sdg_display == "13 · 气候行动"
