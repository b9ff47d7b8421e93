"""Browser test: the lead expert writes and submits the assessment, adds an action from a
suggestion, generates the PDF, watches its progress and downloads it."""

from io import BytesIO
from pathlib import Path

import pytest
from pypdf import PdfReader

from clinic.celery import app
from clinic.dimensions import Dimension
from mentoring.models import PlanVersion
from mentoring.services import plan_rendering
from tests.e2e.conftest import log_in
from tests.factories import PASSWORD
from tests.mentoring.helpers import assigned, expert, held_session, participant

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def broker_without_worker():
    """Tasks go to an in-memory broker and wait there: the test plays the worker."""
    previous = (app.conf.task_always_eager, app.conf.broker_url)
    app.conf.task_always_eager = False
    app.conf.broker_url = "memory://"
    yield
    app.conf.task_always_eager, app.conf.broker_url = previous


def test_expert_submits_assessment_generates_plan_and_downloads_it(page, broker_without_worker):
    participation, _rep = participant(
        weak={2: 0.5, 4: 1.0}, legal_name="Hydrocell Energy Technology Co., Ltd."
    )
    mentor = expert(username="mentor_plan", first_name="Elena", last_name="García")
    assigned(participation, mentor)
    held_session(participation, mentor, private="Private: do not print")

    log_in(page, "mentor_plan", PASSWORD)
    page.goto(f"/mentoring/participants/{participation.pk}/")
    page.get_by_role("link", name="Strategy assessment").click()
    page.get_by_role("button", name="Start the assessment").click()
    for dimension in Dimension.values:
        page.select_option(f"select[name=maturity_{dimension}]", "1" if dimension % 2 else "2")
        page.select_option(f"select[name=target_{dimension}]", "3")
    page.fill("textarea[name=rationale_2]", "No register of inventions or marks.")
    page.fill("textarea[name=executive_summary]", "Strong know-how, informal IP management.")
    page.fill("textarea[name=strengths]", "Experienced R&D team")
    page.get_by_role("button", name="Submit the assessment").click()
    assert "Assessment submitted" in page.locator(".alert-success").inner_text()
    assert page.locator("h1").inner_text().startswith("Action plan")

    # Start from the largest gap: the suggestion pre-fills the form; the owner is added.
    page.locator("#suggestions").get_by_role("link", name="Use").first.click()
    page.fill("input[name=owner]", "CTO")
    page.get_by_role("button", name="Save action").click()
    assert "Action saved." in page.locator(".alert-success").inner_text()

    page.select_option("#plan-generate select[name=language]", "zh-hans")
    page.get_by_role("button", name="Generate").click()
    version = PlanVersion.objects.get()
    assert version.language == "zh-hans"
    row = page.locator(f"#version-{version.pk}")
    assert row.locator(".version-state").inner_text().strip() == "Queued"

    plan_rendering.render_version(version.pk)  # what the Celery worker does
    row.get_by_role("link", name="Download PDF").wait_for()
    assert row.locator(".version-state").inner_text().strip() == "Ready"
    with page.expect_download() as download:
        row.get_by_role("link", name="Download PDF").click()
    content = Path(download.value.path()).read_bytes()
    text = "".join(p.extract_text() for p in PdfReader(BytesIO(content)).pages)
    assert download.value.suggested_filename == f"ip-action-plan-{participation.pk}-v1.pdf"
    assert ("Hydrocell" in text, "Private: do not print" in text, "执行摘要" in text) == (
        True,
        False,
        True,
    )
