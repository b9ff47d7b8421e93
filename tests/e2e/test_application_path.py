"""Browser test: SME submits -> officer confirms eligible and assigns reviewers -> reviewer
scores -> officer sees the ranking."""

import pytest
from playwright.sync_api import expect

from clinic import roles
from cohorts.models import Application, Review
from cohorts.services.rubric import ensure_rubric
from tests.factories import (
    PASSWORD,
    PDF_BYTES,
    ApplicationFactory,
    CohortFactory,
    company_with_representative,
    make_user,
)

from .conftest import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def switch_user(page, user):
    page.context.clear_cookies()
    log_in(page, user.username, PASSWORD)


def test_application_path_from_submission_to_ranking(page):
    cohort = CohortFactory(name="Beijing 2027", reviewers_per_application=1, min_reviews=1)
    criteria = ensure_rubric(cohort)
    company, representative = company_with_representative(legal_name="Lvyuan Water Tech Ltd.")
    application = ApplicationFactory(
        cohort=cohort, company=company, pitch_deck="", commitment=False
    )
    officer = make_user(roles.OFFICER)
    reviewer = make_user(roles.REVIEWER)

    # The SME uploads the pitch deck, ticks the commitment and submits.
    switch_user(page, representative)
    page.goto(f"/cohorts/applications/{application.pk}/edit/")
    page.set_input_files(
        "input[name=pitch_deck]",
        {"name": "deck.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES},
    )
    page.check("input[name=commitment]")
    page.click("button[name=submit]")
    page.wait_for_url(f"**/cohorts/applications/{application.pk}/")
    expect(page.locator(".badge", has_text="Submitted").first).to_be_visible()
    assert Application.objects.get(pk=application.pk).state == "submitted"

    # The officer claims the screening task in My tasks and confirms eligibility.
    switch_user(page, officer)
    page.goto("/")
    page.click("text=Claim")
    page.click("text=Claim and open")
    page.check("input[value=eligible]")
    page.click("text=Save decision")
    page.wait_for_url("**/")
    assert Application.objects.get(pk=application.pk).state == "eligible"
    page.goto(f"/cohorts/{cohort.pk}/reviewers/")
    page.click("text=Assign automatically")
    page.wait_for_selector(".alert-success")
    assert Review.objects.get(application=application).reviewer == reviewer

    # The reviewer scores every criterion with the anchors in view and submits.
    switch_user(page, reviewer)
    page.goto("/cohorts/reviews/")
    page.click("table a.btn:has-text('Review')")
    for criterion in criteria:
        page.click(f"label[for=id_criterion_{criterion.pk}_4]")
    page.click("button[name=submit]")
    page.wait_for_selector(".alert-success")
    assert Review.objects.get(application=application).state == "submitted"

    # The officer sees the application ranked with its weighted score.
    switch_user(page, officer)
    page.goto(f"/cohorts/{cohort.pk}/ranking/")
    row = page.locator("tbody tr", has_text="Lvyuan Water Tech Ltd.")
    assert row.locator("td").nth(0).inner_text() == "1"
    assert row.locator("td.fw-semibold").inner_text() == "80.0"
