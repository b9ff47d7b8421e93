"""The officer's top navigation stays on one line at 1280 px in both languages (the programme-wide
pages sit in one menu), and collapses behind the menu button at 390 px."""

import pytest
from playwright.sync_api import expect

from clinic import roles
from tests.e2e.conftest import sign_in
from tests.factories import make_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_officer_navigation_is_one_line_at_1280_and_a_menu_at_390(
    new_context, live_server, language
):
    officer = make_user(
        roles.OFFICER, first_name="Wei", last_name="Li", preferred_language=language
    )
    wide = new_context(viewport={"width": 1280, "height": 800})
    sign_in(wide, live_server, officer)
    page = wide.new_page()
    page.goto("/")
    links = page.locator("#mainnav .navbar-nav > .nav-item")
    tops = {round(box["y"]) for box in (item.bounding_box() for item in links.all())}
    assert len(tops) == 1  # every item of the bar on one line
    page.locator("#mainnav .dropdown-toggle").first.click()
    expect(page.locator(".dropdown-menu.show a[href='/events/']")).to_be_visible()

    narrow = new_context(viewport={"width": 390, "height": 800})
    sign_in(narrow, live_server, officer)
    phone = narrow.new_page()
    phone.goto("/")
    expect(phone.locator("#mainnav .nav-link").first).to_be_hidden()
    phone.click(".navbar-toggler")
    expect(phone.locator("#mainnav a[href='/companies/']")).to_be_visible()
