"""Impact: maturity at the audit, the assessment and 12 months per company (radar), and per
cohort and expert the mean change per dimension with spread and n, actions done by horizon,
outcomes; who sees what; CSV; a fixed number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clinic import roles
from clinic.dimensions import Dimension
from mentoring.insight import impact
from mentoring.models import Participation
from mentoring.services.re_rating import confirm_re_rating
from mentoring.services.sessions import lead_expert
from tests.factories import make_user

from .test_follow_up import LEVELS, ended, signed, submit  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db


@pytest.fixture
def measured(signed):  # noqa: F811
    """A participant whose 12-month re-rating (3 everywhere, 4 on dimension 5 as confirmed)
    is confirmed by its lead expert."""
    participation, representative, officer = signed
    ended(participation, 400)
    from mentoring.services import follow_up as service

    service.open_follow_up_reports()
    submit(participation, representative, 6)
    report = submit(participation, representative, 12)
    expert = lead_expert(participation)
    confirm_re_rating(expert, report, {**LEVELS, "5": 4})
    participation.refresh_from_db()
    return participation, representative, expert, officer


def test_company_levels_at_the_three_points_and_the_change(measured):
    participation, *_ = measured
    (company,) = impact.load(Participation.objects.filter(pk=participation.pk))
    assert company.levels["twelve"][5] == 4 and company.levels["twelve"][1] == 3
    audit_level = company.levels["audit"][5]
    assert company.change(5, "audit") == pytest.approx(4 - audit_level)
    assert company.change(5, "assessment") == 4 - company.levels["assessment"][5]
    assert company.readiness["twelve"] == round(100 * (3 * 10 + 4) / 11 / 4, 1)


def test_cohort_page_shows_mean_change_with_spread_and_n_and_csv(client, measured):
    participation, _rep, _expert, officer = measured
    client.force_login(officer)
    url = reverse("mentoring:cohort_impact", args=[participation.cohort_id])
    html = client.get(url).content.decode()
    assert "1 company measured at 12 months" in html
    assert "(n=1)" in html and 'aria-labelledby="chart-impact"' in html
    lines = client.get(url, {"csv": "dimensions"}).content.decode("utf-8-sig").splitlines()
    assert len(lines) == 1 + len(Dimension.values) + 1
    assert lines[5].split(",")[3] == "1"  # dimension 5: one company
    companies = client.get(url, {"csv": "companies"}).content.decode("utf-8-sig").splitlines()
    assert len(companies) == 1 + 3  # the audit, the assessment and 12 months


def test_actions_by_horizon_and_outcomes_totals(measured):
    participation, *_ = measured
    data = impact.report(Participation.objects.filter(cohort=participation.cohort))
    assert sum(row["planned"] for row in data["actions"]) == 2
    assert sum(row["done"] for row in data["actions"]) == 2  # the reports ticked them done
    twelve = data["outcomes"][1]
    assert (twelve["reports"], twelve["filings"], twelve["satisfaction"]) == (1, 2, 5)


def test_radar_is_for_the_company_its_experts_and_officers_only(client, measured):
    participation, representative, expert, officer = measured
    url = reverse("mentoring:company_impact", args=[participation.pk])
    for user in (representative, expert, officer):
        client.force_login(user)
        html = client.get(url).content.decode()
        assert 'class="insight-radar"' in html and "radar-twelve" in html
    for user in (make_user(roles.SME), make_user(roles.EXPERT), make_user(roles.REVIEWER)):
        client.force_login(user)
        assert client.get(url).status_code == 404


def test_expert_sees_their_own_impact_only(client, measured):
    participation, representative, expert, officer = measured
    url = reverse("mentoring:expert_impact", args=[expert.pk])
    client.force_login(expert)
    page = client.get(url).content.decode()
    assert participation.company.legal_name in page and 'id="load"' in page
    assert impact.expert_load(expert)["lead"] == 1
    assert client.get(reverse("mentoring:my_impact")).status_code == 200
    for user in (make_user(roles.EXPERT), representative):
        client.force_login(user)
        assert client.get(url).status_code == 404
    client.force_login(officer)
    assert client.get(url).status_code == 200
    client.force_login(expert)
    cohort_url = reverse("mentoring:cohort_impact", args=[participation.cohort_id])
    assert client.get(cohort_url).status_code == 404


def test_cohort_impact_queries_do_not_grow_with_companies(client, measured):
    participation, _rep, _expert, officer = measured
    client.force_login(officer)
    url = reverse("mentoring:cohort_impact", args=[participation.cohort_id])
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    from .helpers import bare_participant

    for _ in range(3):
        bare_participant(participation.cohort, state=Participation.State.CLOSED)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert "of 4 participants" in response.content.decode()
    assert len(many) == len(few)
