"""The 12-month re-rating: the company re-rates the eleven dimensions in its report, the lead
expert confirms or adjusts them (the report becomes confirmed), and that closes the
participation."""

import pytest
from django.urls import reverse

from clinic import roles
from clinic.dimensions import Dimension
from clinic.models import AuditLog, OutboxMessage
from mentoring.models import FollowUpReport
from mentoring.services import follow_up as service
from mentoring.services.re_rating import confirm_re_rating
from mentoring.services.sessions import lead_expert
from tests.factories import make_user
from tests.refusals import refused

from .test_follow_up import LEVELS, ended, signed, submit  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db


@pytest.fixture
def twelve(signed):  # noqa: F811
    participation, representative, officer = signed
    ended(participation, 400)
    service.open_follow_up_reports()
    submit(participation, representative, 6)
    report = FollowUpReport.objects.get(participation=participation, round=12)
    return report, representative, lead_expert(participation), officer


def form_data(report, level=2, **changes):
    data = {
        "filings": 1,
        "registrations": 1,
        "licences": 0,
        "finance_raised": "0",
        "finance_currency": "CNY",
        "satisfaction": 4,
        "comments": "",
    }
    for item in service.report_items(report):
        data[f"status_{item.pk}"] = "done"
        data[f"note_{item.pk}"] = ""
    data.update({f"level_{d}": level for d in Dimension.values})
    data.update(changes)
    return data


def test_company_re_rates_every_dimension_in_its_12_month_report_and_the_lead_expert_is_told(
    client, twelve
):
    report, representative, expert, _officer = twelve
    client.force_login(representative)
    url = reverse("mentoring:follow_up_report", args=[report.pk])
    assert 'name="level_11"' in client.get(url).content.decode()
    response = client.post(url, form_data(report, level=2, level_5=4))
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.state == "submitted" and report.self_levels["5"] == 4
    assert report.self_levels["1"] == 2 and len(report.self_levels) == 11
    assert OutboxMessage.objects.filter(kind="re_rating_submitted", recipient=expert).count() == 1


def test_a_12_month_report_without_every_level_is_not_submitted(client, twelve):
    report, representative, _expert, _officer = twelve
    client.force_login(representative)
    url = reverse("mentoring:follow_up_report", args=[report.pk])
    response = client.post(url, form_data(report, level_7=""))
    assert response.status_code == 200
    report.refresh_from_db()
    assert report.state == "open"
    with refused("invalid"):
        service.submit_report(representative, report, progress={}, satisfaction=4, levels={})


def test_lead_expert_adjusts_a_level_through_the_page_which_closes_the_participation(
    client, twelve
):
    report, representative, expert, _officer = twelve
    submit(report.participation, representative, 12)
    client.force_login(expert)
    url = reverse("mentoring:follow_up_report", args=[report.pk])
    assert 'id="confirm-re-rating"' in client.get(url).content.decode()
    data = {"confirm": "1", **{f"level_{d}": 3 for d in Dimension.values}, "level_4": 1}
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302  # a second click: the same result
    report.refresh_from_db()
    report.participation.refresh_from_db()
    assert report.state == "confirmed" and report.confirmed_levels["4"] == 1
    assert report.confirmed_by == expert and report.participation.state == "closed"
    entries = AuditLog.objects.for_object(report).filter(action="re_rating_confirmed")
    assert entries.count() == 1 and str(Dimension(4).label) in entries.get().reason
    page = client.get(url).content.decode()
    assert "adjusted" in page and 'id="confirm-re-rating"' not in page


def test_only_the_lead_expert_confirms(client, twelve):
    report, representative, _expert, officer = twelve
    submit(report.participation, representative, 12)
    for user in (representative, officer, make_user(roles.EXPERT)):
        with refused("not_permitted"):
            confirm_re_rating(user, report, LEVELS)
    client.force_login(officer)
    url = reverse("mentoring:follow_up_report", args=[report.pk])
    assert 'id="confirm-re-rating"' not in client.get(url).content.decode()
    response = client.post(url, {"confirm": "1", **{f"level_{d}": 3 for d in Dimension.values}})
    assert response.status_code == 403
    report.refresh_from_db()
    assert report.state == "submitted"


def test_the_re_rating_waits_on_the_lead_experts_my_tasks_until_confirmed(client, twelve):
    report, representative, expert, _officer = twelve
    submit(report.participation, representative, 12)
    client.force_login(expert)
    assert "Confirm the 12-month re-rating" in client.get(reverse("home")).content.decode()
    confirm_re_rating(expert, report, LEVELS)
    assert "Confirm the 12-month re-rating" not in client.get(reverse("home")).content.decode()
