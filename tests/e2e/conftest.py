import os
from pathlib import Path

import pytest
from django.conf import settings


@pytest.fixture
def page(live_server):
    """A headless Chromium page (Playwright) against the live server."""
    executable = settings.CHROMIUM_PATH
    if not Path(executable).exists():
        if os.environ.get("CI"):
            pytest.fail(f"Chromium not found at {executable} (CI=true: browser tests must run)")
        pytest.skip(f"Chromium not found at {executable}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, args=["--no-sandbox", "--disable-gpu"]
        )
        context = browser.new_context(base_url=live_server.url, locale="en-GB")
        page = context.new_page()
        page.set_default_timeout(15000)
        yield page
        context.close()
        browser.close()


def log_in(page, username, password):
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
