"""Browser test: the officer proposes the selection -> the lead approves it in My tasks -> the
selected SME confirms its place, accepting the programme terms."""

import pytest
from playwright.sync_api import expect

from clinic import roles
from cohorts.models import Application, SelectionProposal, TermsAcceptance
from tests.cohorts.selection_helpers import applicant, rule, selection_cohort
from tests.factories import PASSWORD, make_user

from .conftest import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def switch_user(page, user):
    page.context.clear_cookies()
    log_in(page, user.username, PASSWORD)


def test_officer_proposes_lead_approves_sme_confirms(page):
    cohort = selection_cohort(name="Shanghai 2026", capacity=2, waitlist_length=1)
    people = [
        applicant(cohort, score, area=area)
        for score, area in ((5, "water"), (5, "water"), (4, "materials"), (3, "water"))
    ]
    rule(cohort, "green_area", "water", maximum=1)
    officer, lead = make_user(roles.OFFICER), make_user(roles.LEAD)

    # The officer starts the proposal from the suggestion and submits it unchanged.
    switch_user(page, officer)
    page.goto(f"/cohorts/{cohort.pk}/selection/")
    page.click("text=Start the proposal from the suggestion")
    page.wait_for_selector("#proposal-form")
    expect(
        page.locator("text=Left out because the rule “Water: at most 1” was full.")
    ).to_have_count(1)
    page.click("button[value=submit]")
    page.wait_for_selector(".alert-success")
    assert SelectionProposal.objects.get(cohort=cohort).state == "submitted"

    # The lead claims the approval task in My tasks and approves.
    switch_user(page, lead)
    page.goto("/")
    page.click("text=Claim")
    page.click("text=Claim and open")
    page.check("input[value=approve]")
    page.click("text=Save decision")
    page.wait_for_url("**/")
    assert SelectionProposal.objects.get(cohort=cohort).state == "approved"
    (first, representative), (_second, _rep), (third, _rep3), (fourth, _rep4) = people
    assert [Application.objects.get(pk=a.pk).state for a, _r in people] == [
        "selected",
        "waitlisted",
        "selected",
        "rejected",
    ]

    # The selected SME finds the confirmation in My tasks and accepts the terms.
    switch_user(page, representative)
    page.goto("/")
    page.click("a:has-text('Confirm or decline your place')")  # the My tasks entry
    expect(page.locator("text=Attend every session.")).to_have_count(1)
    page.check("input[name=accept]")
    page.click("text=Confirm our place")
    page.wait_for_selector(".alert-success")
    assert Application.objects.get(pk=first.pk).state == "confirmed"
    acceptance = TermsAcceptance.objects.get(application=first)
    assert (acceptance.accepted_by, acceptance.terms_version) == (representative, "2.1")
