"""Company writes through the API: a representative changes their own company through the
page's form and service (validation, stale check, audit); officers read every company with the
list page's filters; another company's profile is 404."""

import pytest

from clinic import roles
from clinic.models import AuditLog, Company
from tests.api_helpers import ids, token_client
from tests.factories import CompanyFactory, company_with_representative, make_user

pytestmark = pytest.mark.django_db
URL = "/api/v1/companies/"


def test_representative_changes_their_company_audited_with_the_token_name():
    company, sme = company_with_representative()
    client, _token = token_client(sme, "CRM sync")
    body = {"employees": 40, "website": "https://solar.example.cn", "annual_turnover": "7000000"}
    changed = client.patch(f"{URL}{company.pk}/", body, format="json")
    assert changed.status_code == 200, changed.content
    assert (changed.json()["employees"], changed.json()["annual_turnover"]) == (40, "7000000.00")
    company.refresh_from_db()
    assert (company.employees, company.website) == (40, "https://solar.example.cn")
    record = AuditLog.objects.for_object(company).get(action="updated")
    assert record.via == "API token “CRM sync”"
    assert record.changes["employees"] == ["12", "40"]


def test_the_forms_validation_answers_400_with_the_field():
    company, sme = company_with_representative()
    client, _token = token_client(sme)
    for body, field in (
        ({"legal_name": ""}, "legal_name"),
        ({"founding_year": 1066}, "founding_year"),
        ({"green_area": "volcanoes"}, "green_area"),
        ({"correspondence_language": "fr"}, "correspondence_language"),
    ):
        refused = client.patch(f"{URL}{company.pk}/", body, format="json")
        assert (refused.status_code, refused.json()["code"]) == (400, "invalid"), body
        assert field in refused.json()["fields"], body
    assert Company.objects.get(pk=company.pk).legal_name == company.legal_name


def test_a_change_read_before_someone_elses_save_is_409_stale():
    company, sme = company_with_representative()
    client, _token = token_client(sme)
    read_at = client.get(f"{URL}{company.pk}/").json()["updated_at"]
    first = client.patch(f"{URL}{company.pk}/", {"city": "Tianjin", "updated_at": read_at})
    assert first.status_code == 200
    stale = client.patch(f"{URL}{company.pk}/", {"city": "Xi'an", "updated_at": read_at})
    assert (stale.status_code, stale.json()["code"]) == (409, "stale")
    assert Company.objects.get(pk=company.pk).city == "Tianjin"


def test_another_companys_profile_is_404_and_an_expert_cannot_change_theirs():
    from tests.mentoring.helpers import assigned

    company, _sme = company_with_representative()
    _other, stranger = company_with_representative()
    client, _token = token_client(stranger)
    assert client.patch(f"{URL}{company.pk}/", {"city": "X"}, format="json").status_code == 404
    participation, _rep, expert, _officer = assigned()
    expert_client, _t = token_client(expert)
    mentored = participation.company
    assert expert_client.get(f"{URL}{mentored.pk}/").status_code == 200
    refused = expert_client.patch(f"{URL}{mentored.pk}/", {"city": "X"}, format="json")
    assert refused.status_code == 404
    assert Company.objects.filter(city="X").count() == 0


def test_officers_read_every_company_with_the_list_filters():
    water = CompanyFactory(region="Beijing", green_area="water", city="Haidian")
    energy = CompanyFactory(region="Shanghai", green_area="materials", city="Pudong")
    client, _token = token_client(make_user(roles.OFFICER))
    assert sorted(ids(client.get(URL))) == sorted([water.pk, energy.pk])
    assert ids(client.get(f"{URL}?region=shang")) == [energy.pk]
    assert ids(client.get(f"{URL}?green_area=water")) == [water.pk]
    assert ids(client.get(f"{URL}?search=pudong")) == [energy.pk]
    by_staff = client.get(f"{URL}?ordering=employees")
    assert by_staff.status_code == 200
    changed = client.patch(f"{URL}{water.pk}/", {"city": "Chaoyang"}, format="json")
    assert (changed.status_code, changed.json()["city"]) == (200, "Chaoyang")
