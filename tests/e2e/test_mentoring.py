"""Browser test: the officer assigns an expert, the expert schedules a session and logs notes,
the SME sees the shared notes (never the private ones), ticks a follow-up and rates the session."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from mentoring.models import FollowUp, Rating, Session
from tests.e2e.conftest import log_in
from tests.factories import PASSWORD
from tests.mentoring.helpers import expert, officer, participant

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PRIVATE = "Founder hesitant about licensing: do not raise yet"


def test_officer_assigns_expert_schedules_logs_notes_and_sme_rates(page):
    participation, representative = participant(weak={5: 0.5, 7: 1.0, 10: 1.0})
    representative.username = "sme_e2e"
    representative.save()
    expert(
        username="mentor_e2e",
        first_name="Elena",
        last_name="García",
        expertise={5: 3, 7: 3, 10: 2},
        languages=["en", "zh-hans"],
    )
    staff = officer()
    company = participation.company.legal_name

    # The officer assigns the best match as lead expert.
    log_in(page, staff.username, PASSWORD)
    page.goto(f"/mentoring/participants/{participation.pk}/match/")
    card = page.locator(".card", has_text="Elena García").filter(has=page.locator("form"))
    card.get_by_role("button", name="Assign as lead").click()
    assert "is now the lead expert" in page.locator(".alert-success").inner_text()
    page.context.clear_cookies()

    # The expert schedules the first session from their dashboard.
    log_in(page, "mentor_e2e", PASSWORD)
    page.goto("/mentoring/")
    assert page.locator("h1").inner_text() == "My companies"
    page.get_by_role("link", name=company).click()
    page.get_by_role("link", name="Schedule a session").click()
    day = (timezone.localdate() + timedelta(days=3)).isoformat()
    page.fill("input[name=date]", day)
    page.fill("input[name=time]", "10:00")
    page.select_option("select[name=mode]", "online")
    page.fill("input[name=meeting_url]", "https://meet.example.org/e2e")
    page.fill("textarea[name=agenda]", "Patent strategy and enforcement")
    page.get_by_role("button", name="Schedule and invite").click()
    assert page.locator("h1").inner_text().startswith("Mentoring session 1")
    with page.expect_download() as download:
        page.get_by_role("link", name="Add to calendar (.ics)").click()
    assert download.value.suggested_filename == f"session-{participation.pk}-1.ics"

    # The session took place: the expert logs the notes.
    session = Session.objects.get()
    Session.objects.filter(pk=session.pk).update(starts_at=timezone.now() - timedelta(hours=2))
    page.reload()
    page.get_by_role("link", name="Log notes").first.click()
    page.fill("textarea[name=summary]", "Reviewed the patent portfolio and filing plan.")
    page.fill("textarea[name=recommendations]", "File a PCT application within 12 months.")
    page.get_by_label("Patents and utility models").check()
    page.fill("textarea[name=private_notes]", PRIVATE)
    page.fill("input[name=follow_ups-0-title]", "List all inventions of 2025")
    page.fill("input[name=follow_ups-0-owner]", "CTO")
    page.get_by_role("button", name="Save and share with the company").click()
    expect(page.get_by_text(PRIVATE)).to_be_visible()
    page.context.clear_cookies()

    # The SME reads the shared notes, ticks the follow-up and rates the session.
    log_in(page, "sme_e2e", PASSWORD)
    page.get_by_role("link", name="Rate mentoring session 1").click()
    expect(page.get_by_text("Reviewed the patent portfolio and filing plan.")).to_be_visible()
    expect(page.get_by_text("Patents and utility models")).to_be_visible()
    assert PRIVATE not in page.content()
    follow_up = page.locator(f"#follow-up-{FollowUp.objects.get().pk}")
    follow_up.get_by_role("button", name="Done").click()
    follow_up.get_by_role("button", name="Reopen").wait_for()
    page.get_by_label("5").check()
    page.fill("textarea[name=comment]", "Clear and practical.")
    page.get_by_role("button", name="Send rating").click()
    assert "Thank you for rating the session." in page.locator(".alert-success").inner_text()

    assert list(Rating.objects.values_list("score", "comment")) == [(5, "Clear and practical.")]
    assert list(FollowUp.objects.values_list("title", "done")) == [
        ("List all inventions of 2025", True)
    ]
