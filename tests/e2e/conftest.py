import os
from pathlib import Path

import pytest
from django.conf import settings

# Installed in every page before its own scripts run: each Content-Security-Policy violation
# (an inline style, script or handler, a resource from elsewhere) is reported to the test.
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => window.__cspViolation({
  page: location.pathname, directive: event.violatedDirective, blocked: event.blockedURI,
  source: event.sourceFile, line: event.lineNumber, sample: event.sample,
}));
"""


@pytest.fixture(scope="session")
def _chromium():
    """One Playwright driver per test process; each test gets a fresh browser context."""
    executable = settings.CHROMIUM_PATH
    if not Path(executable).exists():
        if os.environ.get("CI"):
            pytest.fail(f"Chromium not found at {executable} (CI=true: browser tests must run)")
        pytest.skip(f"Chromium not found at {executable}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = []

        def launch():
            """The running browser, launched again if an earlier test's crashed it."""
            if not launched or not launched[-1].is_connected():
                launched.append(
                    playwright.chromium.launch(
                        executable_path=executable, args=["--no-sandbox", "--disable-gpu"]
                    )
                )
            return launched[-1]

        yield launch
        for browser in launched:
            if browser.is_connected():
                browser.close()


@pytest.fixture
def browser(_chromium):
    """Headless Chromium (Playwright), started once per test process; skipped without it,
    except on CI."""
    return _chromium()


@pytest.fixture
def csp_violations():
    """The Content-Security-Policy violations seen by the test's pages: none are allowed."""
    violations = []
    yield violations
    assert violations == []


@pytest.fixture
def new_context(browser, live_server, csp_violations):
    """Makes browser contexts against the live server whose pages report CSP violations."""
    contexts = []

    def make(**options):
        context = browser.new_context(base_url=live_server.url, locale="en-GB", **options)
        context.expose_function("__cspViolation", lambda report: csp_violations.append(report))
        context.add_init_script(CSP_LISTENER)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        for open_page in context.pages:
            open_page.wait_for_timeout(100)  # lets the last reports arrive
        context.close()


@pytest.fixture
def page(new_context):
    """A headless Chromium page against the live server."""
    page = new_context().new_page()
    page.set_default_timeout(15000)
    return page


def log_in(page, username, password):
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")


def sign_in(context, live_server, user):
    """Give the browser context a logged-in session for ``user`` (no login form, no throttling)."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
