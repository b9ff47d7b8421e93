"""Issue 14, item 13: region, city and country names typed in English are shown in the reader's
language ("Hubei" -> 湖北, "CN · Jiangsu" -> 中国 · 江苏); unknown names as typed."""

import pytest
from django.urls import reverse
from django.utils import translation

from clinic import roles
from clinic.regions import location, place
from tests.clinic.test_chinese_text import require_compiled
from tests.factories import CompanyFactory, make_user

pytestmark = pytest.mark.django_db


def test_places_in_english_stay_as_typed_and_a_repeated_city_is_dropped():
    with translation.override("en"):
        assert (place("hubei"), place("Beijing, Beijing"), place("Atlantis")) == (
            "Hubei",
            "Beijing",
            "Atlantis",
        )
        assert location("CN · Jiangsu") == "China · Jiangsu"


def test_places_in_chinese():
    require_compiled("Both texts are the same version of the terms; you accept them together.")
    with translation.override("zh-hans"):
        assert (place("Hubei"), place("Wuhan, Hubei"), location("CN · Jiangsu")) == (
            "湖北",
            "武汉, 湖北",
            "中国 · 江苏",
        )


def test_company_page_names_the_country_and_region(client):
    company = CompanyFactory(region="Hubei", city="Wuhan", country="CN")
    client.force_login(make_user(roles.OFFICER))
    page = client.get(reverse("company_detail", args=[company.pk])).text
    assert "China · Hubei, Wuhan" in page
