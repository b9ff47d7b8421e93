"""Issue 14, item 10: the staff's global search over companies (both names, registration
number), applications and people (name, email), case-insensitive, Chinese text too."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clinic import roles
from clinic.search import search
from tests.factories import ApplicationFactory, CompanyFactory, make_user

pytestmark = pytest.mark.django_db


def titles(user, query):
    return {group.label: [r.title for r in group.results] for group in search(user, query)}


def test_companies_are_found_by_either_name_or_registration_number():
    officer = make_user(roles.OFFICER)
    CompanyFactory(
        legal_name="Suzhou Lvneng Ltd.",
        local_name="苏州绿能有限公司",
        registration_number="91320500MA1X",
    )
    CompanyFactory(legal_name="Other Ltd.")
    assert titles(officer, "lvneng")["Companies"] == ["Suzhou Lvneng Ltd. (苏州绿能有限公司)"]
    assert titles(officer, "绿能")["Companies"] == ["Suzhou Lvneng Ltd. (苏州绿能有限公司)"]
    assert titles(officer, "ma1x")["Companies"] == ["Suzhou Lvneng Ltd. (苏州绿能有限公司)"]


def test_people_are_found_by_name_or_email_and_applications_by_technology():
    officer = make_user(roles.OFFICER)
    make_user(roles.SME, first_name="Wang", last_name="Fang", email="wang.fang@example.org")
    ApplicationFactory(tech_title="Sodium-ion battery storage")
    assert titles(officer, "WANG.FANG")["People"] == ["Wang Fang"]
    found = titles(officer, "sodium-ion")["Applications"]
    assert len(found) == 1


def test_short_queries_find_nothing():
    assert search(make_user(roles.OFFICER), "a") == []


def test_the_search_page_is_for_staff_only(client):
    client.force_login(make_user(roles.SME))
    assert client.get(reverse("search"), {"q": "ltd"}).status_code == 404
    client.force_login(make_user(roles.EXPERT))
    assert client.get(reverse("search"), {"q": "ltd"}).status_code == 404


def test_the_search_page_lists_each_kind_with_its_total(client):
    CompanyFactory(legal_name="Nanjing Qingshui Ltd.")
    client.force_login(make_user(roles.OFFICER))
    page = client.get(reverse("search"), {"q": "qingshui"})
    assert page.status_code == 200
    assert "Nanjing Qingshui Ltd." in page.text
    assert "Nothing found." in page.text  # no application and no person match


def test_search_queries_do_not_grow_with_matches(client):
    officer = make_user(roles.OFFICER)
    client.force_login(officer)

    def count():
        with CaptureQueriesContext(connection) as queries:
            client.get(reverse("search"), {"q": "green"})
        return len(queries)

    for _ in range(2):
        ApplicationFactory()
    few = count()
    for _ in range(6):
        ApplicationFactory()
    assert count() == few
