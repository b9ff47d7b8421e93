"""Browser tests of issue 14 in both languages: the SME's home stepper (1), the live counters (2),
logging a past session with follow-up lines added in place (6, 7), and the sign-off page whose
plan pages are images (9)."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from mentoring.models import FollowUp, PlanVersion, Session
from mentoring.services import plan_versions
from tests.clinic.test_chinese_text import require_compiled
from tests.e2e.conftest import sign_in
from tests.factories import ApplicationFactory, CohortFactory, company_with_representative
from tests.mentoring.helpers import assigned, participant
from tests.mentoring.plan_helpers import lead, submitted

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
LANGUAGES = ["en", "zh-hans"]


def as_user(new_context, live_server, user, language):
    user.preferred_language = language
    user.save()
    context = new_context()
    sign_in(context, live_server, user)
    page = context.new_page()
    page.set_default_timeout(15000)
    return page


@pytest.mark.parametrize("language", LANGUAGES)
def test_sme_home_shows_the_open_call_and_a_stepper(new_context, live_server, language):
    if language != "en":
        require_compiled("Open calls for applications")
    cohort = CohortFactory(name="Suzhou 2027", name_zh="苏州 2027")
    company, representative = company_with_representative()
    ApplicationFactory(company=company, cohort=CohortFactory(name="Hefei 2027"))
    page = as_user(new_context, live_server, representative, language)
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == language
    call = page.locator(".card", has=page.locator(f'a[href="/cohorts/{cohort.pk}/call/"]')).first
    expect(call).to_be_visible()
    current = page.locator('.stepper [aria-current="step"]')
    expect(current).to_have_count(1)
    assert current.locator(".stepper-label").inner_text() == (
        "Apply" if language == "en" else "申请"
    )
    expected = "Complete and submit" if language == "en" else "请填写完整并提交"
    assert expected in page.locator("section.card").first.inner_text()


@pytest.mark.parametrize("language", LANGUAGES)
def test_typing_updates_the_live_counter_and_stops_at_the_limit(new_context, live_server, language):
    if language != "en":
        require_compiled("{count} of {max} characters")
    company, representative = company_with_representative()
    application = ApplicationFactory(company=company, tech_title="")
    page = as_user(new_context, live_server, representative, language)
    page.goto(f"/cohorts/applications/{application.pk}/edit/")
    title = page.locator("#id_tech_title")
    title.fill("Heat pump")
    counter = page.locator("#id_tech_title + .char-counter")
    expected = "9 of 200 characters" if language == "en" else "9 / 200 字"
    assert counter.inner_text() == expected
    title.fill("x" * 250)
    assert len(title.input_value()) == 200
    assert "text-danger" in counter.get_attribute("class")


def running_participant():
    cohort = CohortFactory()
    participation, _representative = participant(cohort=cohort)
    cohort.applications_open_at = timezone.now() - timedelta(days=90)
    cohort.applications_close_at = timezone.now() - timedelta(days=60)
    cohort.start_date = timezone.localdate() - timedelta(days=30)
    cohort.save()
    return assigned(participation)


@pytest.mark.parametrize("language", LANGUAGES)
def test_expert_logs_a_past_call_and_adds_follow_up_lines_in_place(
    new_context, live_server, language
):
    if language != "en":
        require_compiled("Log a past session")
    participation, _rep, mentor, _staff = running_participant()
    page = as_user(new_context, live_server, mentor, language)
    page.goto(f"/mentoring/participants/{participation.pk}/")
    page.locator(f'a[href="/mentoring/participants/{participation.pk}/log-session/"]').click()
    day = (timezone.localdate() - timedelta(days=3)).isoformat()
    page.fill("input[name=date]", day)
    page.fill("input[name=time]", "16:30")
    page.select_option("select[name=mode]", "phone")
    page.locator("form button.btn-primary").click()
    session = Session.objects.get()
    page.wait_for_url(f"**/mentoring/sessions/{session.pk}/notes/")
    rows = page.locator("#follow-up-rows tr")
    expect(rows).to_have_count(2)
    page.locator("#add-follow-up").click()
    page.locator("#id_follow_ups-2-title").wait_for()
    expect(rows).to_have_count(3)
    assert page.locator("#id_follow_ups-TOTAL_FORMS").input_value() == "3"
    page.fill("textarea[name=summary]", "Unplanned call about a licence.")
    page.fill("#id_follow_ups-2-title", "Send the draft licence")
    page.locator("button[name=share]").click()
    page.wait_for_url(f"**/mentoring/sessions/{session.pk}/")
    assert list(FollowUp.objects.values_list("title", flat=True)) == ["Send the draft licence"]
    assert Session.objects.get().status == "held"


@pytest.mark.parametrize("language", LANGUAGES)
def test_lead_sees_the_plan_pages_as_images_before_signing_off(new_context, live_server, language):
    if language != "en":
        require_compiled("Sign off this version")
    participation, _rep, expert_user, _officer, _current = submitted()
    version = plan_versions.request_version(expert_user, participation)
    version.refresh_from_db()
    assert version.state == PlanVersion.State.READY
    signer = lead()
    page = as_user(new_context, live_server, signer, language)
    page.goto(f"/mentoring/plan-versions/{version.pk}/sign-off/")
    first = page.locator(".plan-page img").first
    first.wait_for()
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=first.element_handle()
    )
    expect(page.locator('a[target="_blank"][href$="/plan.pdf"]')).to_have_count(1)
    page.locator(f'form[action="/mentoring/plan-versions/{version.pk}/sign-off/"] button').click()
    page.wait_for_url(f"**/mentoring/participants/{participation.pk}/plan/")
    assert PlanVersion.objects.get(pk=version.pk).signed_by == signer
