"""Follow-up reports at 6 and 12 months after the cohort ends; the outcomes table and CSV."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from viewflow.workflow.status import STATUS

from clinic import roles
from clinic.dates import add_months
from clinic.dimensions import Dimension
from clinic.models import OutboxMessage
from cohorts.models import Cohort
from mentoring.flows import process_of
from mentoring.models import ActionItem, FollowUpReport
from mentoring.services import follow_up as service
from mentoring.services import plan_versions
from mentoring.services.re_rating import confirm_re_rating
from mentoring.services.sessions import lead_expert
from tests.factories import make_user
from tests.refusals import refused

from .plan_helpers import lead, submitted

pytestmark = pytest.mark.django_db
LEVELS = {str(d): 3 for d in Dimension.values}  # the company's 12-month re-rating


@pytest.fixture
def signed(django_capture_on_commit_callbacks):
    participation, representative, expert, officer, current = submitted(items=2)
    with django_capture_on_commit_callbacks(execute=True):
        version = plan_versions.request_version(expert, participation, "en")
    plan_versions.sign_off(lead(), version)
    participation.refresh_from_db()
    return participation, representative, officer


def ended(participation, months_ago_days):
    """Let the participant's cohort have ended ``months_ago_days`` days ago."""
    end = timezone.localdate() - timedelta(days=months_ago_days)
    Cohort.objects.filter(pk=participation.cohort_id).update(
        start_date=end - timedelta(days=120), end_date=end
    )


def submit(participation, representative, round_, **outcomes):
    report = FollowUpReport.objects.get(participation=participation, round=round_)
    items = ActionItem.objects.filter(assessment__participation=participation).order_by("pk")
    progress = {str(item.pk): {"status": "done", "note": "Filed"} for item in items}
    values = {
        "filings": 2,
        "registrations": 1,
        "licences": 0,
        "finance_raised": Decimal("500000"),
        "finance_currency": "CNY",
        "satisfaction": 5,
        "comments": "Very useful",
    }
    if round_ == 12:
        values["levels"] = LEVELS
    values.update(outcomes)
    return service.submit_report(representative, report, progress=progress, **values)


def test_no_report_before_six_months(signed):
    participation, _rep, _officer = signed
    ended(participation, 150)
    assert (service.open_follow_up_reports(), FollowUpReport.objects.count()) == (0, 0)


def test_six_month_report_opens_once_and_moves_to_follow_up(signed):
    participation, representative, _officer = signed
    ended(participation, 200)
    assert service.open_follow_up_reports() == 1
    assert service.open_follow_up_reports() == 0
    participation.refresh_from_db()
    assert participation.state == "follow_up"
    assert list(FollowUpReport.objects.values_list("round", "state")) == [(6, "open")]
    assert (
        OutboxMessage.objects.filter(
            kind="follow_up_report_opened", recipient=representative
        ).count()
        == 1
    )


def test_report_due_dates_count_from_cohort_end(signed):
    participation, _rep, _officer = signed
    ended(participation, 400)
    service.open_follow_up_reports()
    end = timezone.localdate() - timedelta(days=400)
    assert [add_months(end, r) <= timezone.localdate() for r in (6, 12)] == [True, True]
    assert list(FollowUpReport.objects.order_by("round").values_list("round", flat=True)) == [
        6,
        12,
    ]


def test_unsigned_plan_gets_no_follow_up():
    participation, *_rest = submitted()
    ended(participation, 400)
    assert service.open_follow_up_reports() == 0


def test_six_month_report_updates_items_and_keeps_follow_up_state(signed):
    participation, representative, _officer = signed
    ended(participation, 200)
    service.open_follow_up_reports()
    report = submit(participation, representative, 6)
    participation.refresh_from_db()
    assert (report.state, participation.state) == ("submitted", "follow_up")
    assert set(
        ActionItem.objects.filter(assessment__participation=participation).values_list(
            "status", flat=True
        )
    ) == {"done"}


def test_twelve_month_report_waits_for_the_lead_expert_whose_confirmation_ends_the_flow(signed):
    participation, representative, _officer = signed
    ended(participation, 400)
    service.open_follow_up_reports()
    submit(participation, representative, 6)
    report = submit(participation, representative, 12)
    participation.refresh_from_db()
    assert participation.state == "follow_up" and report.state == "submitted"
    confirm_re_rating(lead_expert(participation), report, LEVELS)
    participation.refresh_from_db()
    assert (participation.state, process_of(participation).status) == ("closed", STATUS.DONE)


def test_report_by_another_sme_is_refused(signed):

    participation, _rep, _officer = signed
    ended(participation, 200)
    service.open_follow_up_reports()
    with refused("not_permitted"):
        submit(participation, make_user(roles.SME), 6)


def test_report_satisfaction_out_of_range_is_refused(signed):
    participation, representative, _officer = signed
    ended(participation, 200)
    service.open_follow_up_reports()
    with refused("invalid"):
        submit(participation, representative, 6, satisfaction=7)


def test_outcomes_csv_has_bom_and_one_line_per_report(client, signed):
    participation, representative, officer = signed
    ended(participation, 200)
    service.open_follow_up_reports()
    submit(participation, representative, 6)
    # 20:00 UTC is already the next day in Shanghai (the site's time zone): the CSV shows that day.
    late_evening = datetime(2026, 3, 1, 20, 0, tzinfo=UTC)
    FollowUpReport.objects.filter(participation=participation).update(submitted_at=late_evening)
    client.force_login(officer)
    response = client.get(reverse("mentoring:outcomes_csv", args=[participation.cohort_id]))
    content = response.content
    lines = content.decode("utf-8-sig").splitlines()
    assert (content[:3], len(lines)) == (b"\xef\xbb\xbf", 3)
    assert lines[1].split(",")[2:12] == [
        "6 months",
        "Submitted",
        "2026-03-02",
        "2",
        "1",
        "0",
        "500000.00",
        "CNY",
        "5",
        "2",
    ]


def test_outcomes_pages_are_for_officers_only(client, signed):
    participation, representative, officer = signed
    url = reverse("mentoring:cohort_outcomes", args=[participation.cohort_id])
    statuses = []
    for user in (officer, representative):
        client.force_login(user)
        statuses.append(client.get(url).status_code)
    assert statuses == [200, 404]


def test_sme_fills_report_through_the_page(client, signed):
    participation, representative, _officer = signed
    ended(participation, 200)
    service.open_follow_up_reports()
    report = FollowUpReport.objects.get()
    items = ActionItem.objects.filter(assessment__participation=participation).order_by("pk")
    data = {
        "filings": "1",
        "registrations": "0",
        "licences": "1",
        "finance_raised": "0",
        "finance_currency": "CNY",
        "satisfaction": "4",
        "comments": "",
    }
    for item in items:
        data[f"status_{item.pk}"] = "in_progress"
        data[f"note_{item.pk}"] = "Started"
    client.force_login(representative)
    response = client.post(reverse("mentoring:follow_up_report", args=[report.pk]), data)
    report.refresh_from_db()
    assert (response.status_code, report.state, report.licences, report.satisfaction) == (
        302,
        "submitted",
        1,
        4,
    )


def test_plan_jobs_run_from_beat(settings):
    from clinic import jobs

    names = {f"{job.__module__}.{job.__name__}" for job in jobs._JOBS}
    assert {
        "mentoring.services.assessment.send_assessment_reminders",
        "mentoring.services.follow_up.open_follow_up_reports",
    } <= names
    assert settings.CELERY_BEAT_SCHEDULE["sweep-plan-versions"]["task"] == (
        "mentoring.tasks.sweep_plan_versions"
    )


def test_outcome_totals_sum_submitted_reports_per_round(signed):
    participation, representative, _officer = signed
    ended(participation, 400)
    service.open_follow_up_reports()
    submit(participation, representative, 6, satisfaction=4)
    totals = service.outcome_totals(service.cohort_outcomes(participation.cohort))
    assert [
        (t["round"], t["submitted"], t["filings"], t["finance"], t["satisfaction"]) for t in totals
    ] == [
        (6, 1, 2, [("CNY", Decimal("500000.00"))], 4.0),
        (12, 0, 0, [], None),
    ]
