"""Issue 12: an SME representing many companies gets the newest steppers on the home page (with
a link to all of them under My applications), so the page stays small and its queries flat."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clinic import roles
from cohorts.journey import JOURNEYS_SHOWN
from tests.factories import ApplicationFactory, CohortFactory, CompanyFactory, make_user

pytestmark = pytest.mark.django_db


def _representative_of(count, sme=None):
    sme = sme or make_user(roles.SME)
    for _ in range(count):
        ApplicationFactory(company=CompanyFactory(representatives=[sme]), cohort=CohortFactory())
    return sme


def _home(client, sme):
    client.force_login(sme)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("home"))
    assert page.status_code == 200
    return page, len(queries)


def test_home_shows_the_newest_steppers_and_links_to_every_application(client):
    sme = _representative_of(JOURNEYS_SHOWN + 2)
    page, _queries = _home(client, sme)
    assert page.text.count('<ol class="stepper">') == JOURNEYS_SHOWN
    assert f"The newest {JOURNEYS_SHOWN} of your {JOURNEYS_SHOWN + 2} applications" in page.text
    assert reverse("cohorts:my_applications") in page.text


def test_home_with_few_applications_shows_them_all_without_the_link(client):
    page, _queries = _home(client, _representative_of(2))
    assert page.text.count('<ol class="stepper">') == 2
    assert "applications are shown here" not in page.text


def test_home_queries_are_the_same_below_and_above_the_steppers_shown(client):
    sme = _representative_of(2)
    _page, few = _home(client, sme)
    _representative_of(JOURNEYS_SHOWN + 3, sme)
    _page, many = _home(client, sme)
    assert many == few
