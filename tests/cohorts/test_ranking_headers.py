"""Issue 14, item 11: the ranking's criteria columns carry short names (the full name on hover),
the sorted column shows its direction, and the spread says what it measures."""

import pytest
from django.urls import reverse

from clinic import roles
from cohorts.views.ranking import short_label
from tests.factories import CohortFactory, make_user, scored_application, uniform_scores

pytestmark = pytest.mark.django_db


def test_short_label_takes_the_name_up_to_the_first_and():
    names = ("Innovation and novelty", "创新性与新颖性", "Clinic fit", "与诊所的契合度")
    assert [short_label(n) for n in names] == ["Innovation", "创新性", "Clinic fit", "诊所的契合度"]


@pytest.fixture
def ranking(client):
    cohort = CohortFactory(min_reviews=1)
    scored_application(cohort, [uniform_scores(3)])
    client.force_login(make_user(roles.OFFICER))
    return cohort, reverse("cohorts:ranking", args=[cohort.pk])


def test_criteria_headers_are_short_names_with_the_full_name_on_hover(client, ranking):
    _cohort, url = ranking
    page = client.get(url).text
    assert '<abbr title="Innovation and novelty (20)">Innovation</abbr>' in page
    assert "Innovation = Innovation and novelty" in page


def test_the_sorted_column_shows_its_direction(client, ranking):
    _cohort, url = ranking
    default = client.get(url).text
    assert default.count("bi-caret-up-fill") == 1  # ranked by rank, ascending
    descending = client.get(url, {"order": "-score"}).text
    assert descending.count("bi-caret-down-fill") == 1
    assert "(sorted descending)" in descending


def test_spread_is_explained_in_points(client, ranking):
    _cohort, url = ranking
    page = client.get(url).text
    assert "a spread over 25 points" in page
