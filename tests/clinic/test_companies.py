from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clinic import roles
from clinic.models.companies import SizeClass, size_class_for
from tests.factories import CompanyFactory, company_with_representative, make_user

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("employees", "turnover_eur", "expected"),
    [
        (9, "2000000", SizeClass.MICRO),
        (10, "1000000", SizeClass.SMALL),
        (9, "2000001", SizeClass.SMALL),
        (49, "10000000", SizeClass.SMALL),
        (50, "100", SizeClass.MEDIUM),
        (249, "50000000", SizeClass.MEDIUM),
        (250, "100", SizeClass.LARGE),
        (10, "50000001", SizeClass.LARGE),
    ],
)
def test_size_class_follows_eu_thresholds(employees, turnover_eur, expected):
    assert size_class_for(employees, Decimal(turnover_eur), Decimal("1")) == expected


def test_size_class_converts_turnover_with_rate():
    # 20m CNY at 0.128 = 2.56m EUR: no longer micro.
    assert size_class_for(5, Decimal("20000000"), Decimal("0.128")) == SizeClass.SMALL


def test_sme_opening_another_company_gets_404(client):
    own, representative = company_with_representative()
    other, _ = company_with_representative()
    client.force_login(representative)
    assert client.get(reverse("company_detail", args=[own.pk])).status_code == 200
    assert client.get(reverse("company_detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("company_edit", args=[other.pk])).status_code == 404
    assert (
        client.post(reverse("company_invite", args=[other.pk]), {"email": "a@b.cn"}).status_code
        == 404
    )


@pytest.mark.parametrize("role", [roles.REVIEWER, roles.EXPERT])
def test_reviewers_and_experts_cannot_list_companies(client, role):
    company, _ = company_with_representative()
    client.force_login(make_user(role))
    assert client.get(reverse("company_list")).status_code == 404
    assert client.get(reverse("company_detail", args=[company.pk])).status_code == 404


def test_sme_company_list_redirects_to_own_company(client):
    company, representative = company_with_representative()
    client.force_login(representative)
    response = client.get(reverse("company_list"))
    assert response["Location"] == reverse("company_detail", args=[company.pk])


def test_sme_edits_own_company_and_change_is_audited(client):
    company, representative = company_with_representative(employees=5)
    client.force_login(representative)
    data = {
        "legal_name": company.legal_name,
        "local_name": company.local_name,
        "registration_number": company.registration_number,
        "country": "CN",
        "region": "Beijing",
        "city": "Beijing",
        "green_area": company.green_area,
        "founding_year": 2015,
        "employees": 60,
        "annual_turnover": "5000000",
        "turnover_currency": "CNY",
        "correspondence_language": "en",
    }
    response = client.post(reverse("company_edit", args=[company.pk]), data)
    assert response.status_code == 302
    company.refresh_from_db()
    assert (company.employees, company.size_class) == (60, SizeClass.MEDIUM)
    page = client.get(reverse("company_detail", args=[company.pk])).content.decode()
    assert "<li>Employees: <del>5</del> → <ins>60</ins></li>" in page  # history: before → after


def test_officer_filters_companies_by_area_size_region_and_search(client):
    CompanyFactory(legal_name="Alpha Water", green_area="water", region="Beijing")
    CompanyFactory(legal_name="Beta Solar", green_area="renewable_energy", region="Jiangsu")
    CompanyFactory(legal_name="Gamma Big", employees=900, region="Beijing")
    client.force_login(make_user(roles.OFFICER))

    def names(**params):
        response = client.get(reverse("company_list"), params)
        return [company.legal_name for company in response.context["page"]]

    assert names(green_area="renewable_energy") == ["Beta Solar"]
    assert names(size_class="large") == ["Gamma Big"]
    assert names(region="beij") == ["Alpha Water", "Gamma Big"]
    assert names(q="solar") == ["Beta Solar"]
    assert names(order="-name") == ["Gamma Big", "Beta Solar", "Alpha Water"]


def test_company_list_query_count_does_not_grow_with_rows(client):
    client.force_login(make_user(roles.OFFICER))

    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            client.get(reverse("company_list"))
        return len(queries)

    CompanyFactory.create_batch(2)
    few = count_queries()
    CompanyFactory.create_batch(23)
    assert (count_queries(), few > 3) == (few, True)
