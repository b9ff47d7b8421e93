"""IP assets through the API: the register scoped as the pages, and the page's CSV import (all
rows or none, each row's problems) as a multipart upload or a text/csv body."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from clinic import roles
from clinic.models import AuditLog, IPAsset
from tests.api_helpers import assert_queries_do_not_grow, ids, token_client
from tests.factories import CompanyFactory, company_with_representative, make_user

from .test_assets import HEADER
from .test_assets import asset as unsaved

pytestmark = pytest.mark.django_db
URL = "/api/v1/assets/"
GOOD = (
    HEADER
    + "patent,Membrane module,CN,ZL202310000001.2,granted,Company,2023-01-10,2024-06-01,"
    + "2043-01-10,high,\n"
    + "trade_secret,Catalyst recipe,,,idea,,,,,,kept by R&D\n"
)
BAD = (
    HEADER
    + "patent,Good one,CN,,filed,,2024-01-01,,,high,\n"
    + "patent,Granted without number,CN,,granted,,2020-01-01,,,high,\n"
    + "rocket,Unknown type,CN,,idea,,,,,,\n"
)


def asset(company, **fields):
    row = unsaved(company, **fields)
    row.save()
    return row


def test_representative_imports_a_csv_body_audited_with_the_token():
    company, sme = company_with_representative()
    client, _token = token_client(sme, "Register sync")
    response = client.generic(
        "POST", f"{URL}import/?company={company.pk}", GOOD.encode(), content_type="text/csv"
    )
    assert response.status_code == 201, response.content
    assert response.json()["imported"] == 2
    titles = sorted(company.ip_assets.values_list("title", flat=True))
    assert titles == ["Catalyst recipe", "Membrane module"]
    record = AuditLog.objects.for_object(company).get(action="assets_imported")
    assert record.via == "API token “Register sync”"
    assert sorted(ids(client.get(f"{URL}?company={company.pk}"))) == sorted(
        company.ip_assets.values_list("pk", flat=True)
    )


def test_a_multipart_upload_with_a_bad_row_imports_nothing_and_names_each_row():
    company, sme = company_with_representative()
    client, _token = token_client(sme)
    upload = SimpleUploadedFile("assets.csv", BAD.encode("gb18030"), "text/csv")
    response = client.post(f"{URL}import/?company={company.pk}", {"file": upload})
    assert (response.status_code, response.json()["code"]) == (400, "invalid")
    assert sorted(response.json()["fields"]) == ["3", "4"]
    assert "number" in response.json()["fields"]["3"][0]
    assert IPAsset.objects.count() == 0
    empty = client.post(f"{URL}import/?company={company.pk}", {}, format="multipart")
    assert (empty.status_code, list(empty.json()["fields"])) == (400, ["file"])


def test_a_file_over_the_pages_limit_is_refused():
    company, sme = company_with_representative()
    client, _token = token_client(sme)
    big = (GOOD + ("x" * 1000 + "\n") * 1100).encode()
    response = client.generic(
        "POST", f"{URL}import/?company={company.pk}", big, content_type="text/csv"
    )
    assert response.status_code in (400, 413)
    assert IPAsset.objects.count() == 0


def test_another_companys_register_and_import_are_404_and_experts_only_read():
    from tests.mentoring.helpers import assigned

    company, _sme = company_with_representative()
    mine = asset(company)
    _other, stranger = company_with_representative()
    client, _token = token_client(stranger)
    assert ids(client.get(URL)) == []
    assert client.get(f"{URL}{mine.pk}/").status_code == 404
    path = f"{URL}import/?company={company.pk}"
    assert client.generic("POST", path, GOOD.encode(), content_type="text/csv").status_code == 404
    participation, _rep, expert, _officer = assigned()
    mentored = asset(participation.company, title="Mentored")
    expert_client, _t = token_client(expert)
    assert ids(expert_client.get(URL)) == [mentored.pk]
    own_path = f"{URL}import/?company={participation.company.pk}"
    refused = expert_client.generic("POST", own_path, GOOD.encode(), content_type="text/csv")
    assert refused.status_code == 404
    assert IPAsset.objects.count() == 2


def test_officers_read_every_register_and_list_queries_do_not_grow():
    company = CompanyFactory()
    asset(company)
    client, _token = token_client(make_user(roles.OFFICER))

    def grow():
        for n in range(4):
            asset(CompanyFactory(), title=f"Asset {n}")

    assert_queries_do_not_grow(client, URL, grow, rows=5)
