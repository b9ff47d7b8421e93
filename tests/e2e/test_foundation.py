import pytest
from playwright.sync_api import expect

from clinic import roles
from tests.e2e.conftest import log_in
from tests.factories import PASSWORD, CompanyFactory, make_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_sme_logs_in_and_opens_my_tasks_and_company_page(page):
    sme = make_user(roles.SME, username="sme1", email_verified_at=None)
    CompanyFactory(legal_name="Suzhou Lanhai Water Technology Co., Ltd.", representatives=[sme])
    log_in(page, "sme1", PASSWORD)
    assert page.locator("h1").inner_text() == "My tasks"
    expect(page.get_by_text("Verify your email address").first).to_be_visible()
    page.get_by_role("link", name="My company").click()
    assert page.locator("h1").inner_text() == "Suzhou Lanhai Water Technology Co., Ltd."
    expect(page.get_by_text("Representatives")).to_be_visible()


def test_officer_switches_language_and_sees_chinese_navigation(page):
    make_user(roles.OFFICER, username="officer")
    log_in(page, "officer", PASSWORD)
    with page.expect_navigation():
        page.select_option("select[name=language]", "zh-hans")
    assert page.locator("h1").inner_text() == "我的任务"
