"""Browser tests of the behaviour that moved from inline handlers into static/js."""

from datetime import date

import pytest
from playwright.sync_api import expect

from clinic.models import IPAsset
from clinic.services import ipaudit
from tests.e2e.conftest import sign_in
from tests.factories import company_with_representative

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_remove_asset_asks_first_and_only_an_accepted_question_removes(new_context, live_server):
    company, representative = company_with_representative()
    asset = IPAsset.objects.create(
        company=company,
        asset_type=IPAsset.Type.PATENT,
        title="Membrane module",
        status=IPAsset.Status.FILED,
        filing_date=date(2024, 3, 1),
    )
    context = new_context()
    sign_in(context, live_server, representative)
    page = context.new_page()
    page.goto(f"/ip/companies/{company.pk}/assets/")
    questions = []

    def answer(accept):
        def handle(dialog):
            questions.append(dialog.message)
            dialog.accept() if accept else dialog.dismiss()

        page.once("dialog", handle)

    answer(accept=False)
    page.get_by_role("button", name="Remove").click()
    page.wait_for_timeout(300)  # a submission, if any, would have started
    assert IPAsset.objects.filter(pk=asset.pk).exists()

    answer(accept=True)
    with page.expect_navigation():
        page.get_by_role("button", name="Remove").click()
    assert questions == ["Remove this asset from the register?"] * 2
    assert IPAsset.objects.filter(pk=asset.pk).exists() is False
    expect(page.get_by_text("Asset Membrane module removed.")).to_be_visible()


def test_save_and_continue_opens_the_next_audit_section(new_context, live_server):
    company, representative = company_with_representative()
    audit = ipaudit.start_audit(company, ipaudit.ensure_default_version())
    context = new_context()
    sign_in(context, live_server, representative)
    page = context.new_page()
    page.goto(f"/ip/audits/{audit.pk}/section/1/")
    with page.expect_navigation():
        page.get_by_role("button", name="Save and continue").click()
    assert page.url == f"{live_server.url}/ip/audits/{audit.pk}/section/2/"
