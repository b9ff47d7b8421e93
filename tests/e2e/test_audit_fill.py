"""Browser test: an SME fills in one audit section, leaves, comes back, and submits."""

import pytest
from playwright.sync_api import expect

from clinic.models import IPAudit
from clinic.services import ipaudit, ipaudit_answers
from tests.e2e.conftest import sign_in
from tests.factories import company_with_representative

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def signed_in_context(new_context, live_server, user):
    context = new_context(viewport={"width": 1280, "height": 900})
    sign_in(context, live_server, user)
    return context


def wait_saved(page):
    page.wait_for_selector("#autosave-status[data-state=saved]", timeout=10000)


def test_audit_fill_one_section_leave_come_back_and_submit(new_context, live_server):
    company, representative = company_with_representative()
    audit = ipaudit.start_audit(company, ipaudit.ensure_default_version())
    for question in audit.version.questions():
        if question["dimension"] != 2 and question["required"]:
            value = "3" if question["type"] == "maturity" else "yes"
            ipaudit.save_answer(representative, audit, question["key"], value)
    context = signed_in_context(new_context, live_server, representative)
    page = context.new_page()
    section_url = f"{live_server.url}/ip/audits/{audit.pk}/section/2/"

    # Fill in section 2: every answer is saved as it is typed or clicked.
    page.goto(section_url)
    page.check("#q__ip_inventory_2")
    page.click("label[for=q__invention_disclosure_process_partly]")
    page.click("label[for=q__ip_assets_mapped_to_products_yes]")
    page.click("label[for=q__ip_deadlines_tracked_no]")
    page.fill("#q__unregistered_assets", "Process know-how for membrane coating")
    wait_saved(page)
    values = ipaudit_answers.answer_values(audit)
    assert values["ip_inventory"] == "2"
    assert values["invention_disclosure_process"] == "partly"
    assert values["unregistered_assets"] == "Process know-how for membrane coating"

    # Offline: the change stays in the browser, the tab is closed, nothing is lost.
    context.set_offline(True)
    page.fill("#q__unregistered_assets", "Process know-how and test data")
    page.wait_for_selector("#autosave-status[data-state=offline]", timeout=10000)
    stored = page.evaluate("Object.keys(localStorage).length")
    assert stored == 1
    page.close()
    context.set_offline(False)

    # Come back: the unsent answer is restored and sent; the saved ones are shown.
    page = context.new_page()
    page.goto(f"{live_server.url}/ip/audits/{audit.pk}/")
    page.goto(section_url)
    wait_saved(page)
    assert page.is_checked("#q__ip_inventory_2")
    assert page.is_checked("#q__ip_deadlines_tracked_no")
    assert page.input_value("#q__unregistered_assets") == "Process know-how and test data"
    assert (
        ipaudit_answers.answer_values(audit)["unregistered_assets"]
        == "Process know-how and test data"
    )
    assert page.evaluate("Object.keys(localStorage).length") == 0

    # Submit: scores appear on the audit page.
    page.goto(f"{live_server.url}/ip/audits/{audit.pk}/submit/")
    page.click("form button.btn-primary")
    page.wait_for_selector("#scores")
    audit.refresh_from_db()
    assert audit.state == IPAudit.State.SUBMITTED
    assert audit.scores["2"]["score"] == 2.0
    expect(page.locator("#scores .score")).to_have_count(11)


def test_audit_answer_typed_after_session_expired_is_kept_until_login(new_context, live_server):
    company, representative = company_with_representative()
    audit = ipaudit.start_audit(company, ipaudit.ensure_default_version())
    context = signed_in_context(new_context, live_server, representative)
    page = context.new_page()
    section_url = f"{live_server.url}/ip/audits/{audit.pk}/section/1/"
    page.goto(section_url)

    context.clear_cookies()  # the session expired
    page.check("#q__ip_training_3")
    page.wait_for_selector("#autosave-status[data-state=login]", timeout=10000)
    assert ipaudit_answers.answer_values(audit) == {}

    sign_in(context, live_server, representative)
    page.reload()
    wait_saved(page)
    assert page.is_checked("#q__ip_training_3")
    assert ipaudit_answers.answer_values(audit) == {"ip_training": "3"}
