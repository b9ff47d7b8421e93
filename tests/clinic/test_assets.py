from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from clinic import roles
from clinic.models import AuditLog, IPAsset
from clinic.services import assets
from tests.factories import company_with_representative, make_user
from tests.refusals import refused

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """Messages are compared in English whatever language an earlier test left active."""
    with translation.override("en"):
        yield


HEADER = (
    "type,title,jurisdiction,number,status,owner,filing_date,grant_date,renewal_date,"
    "business_relevance,notes\n"
)


def asset(company, **fields):
    values = {
        "company": company,
        "asset_type": IPAsset.Type.PATENT,
        "title": "Membrane module",
        "status": IPAsset.Status.FILED,
        "filing_date": date(2024, 3, 1),
    }
    values.update(fields)
    return IPAsset(**values)


def test_granted_patent_needs_number_and_grant_date():
    company, _representative = company_with_representative()
    with pytest.raises(ValidationError) as caught:
        asset(company, status=IPAsset.Status.GRANTED).full_clean()
    assert sorted(caught.value.message_dict) == ["grant_date", "number"]


def test_renewal_date_must_follow_filing_date():
    company, _representative = company_with_representative()
    with pytest.raises(ValidationError) as caught:
        asset(company, renewal_date=date(2024, 3, 1)).full_clean()
    assert list(caught.value.message_dict) == ["renewal_date"]


def test_trade_secret_cannot_be_filed():
    company, _representative = company_with_representative()
    with pytest.raises(ValidationError) as caught:
        asset(company, asset_type=IPAsset.Type.TRADE_SECRET).full_clean()
    assert list(caught.value.message_dict) == ["status"]


def test_unfiled_idea_needs_no_dates():
    company, _representative = company_with_representative()
    asset(company, status=IPAsset.Status.IDEA, filing_date=None).full_clean()


def test_renewal_warnings_cover_next_six_months_only():
    company, _representative = company_with_representative()
    today = date(2026, 1, 15)
    soon = asset(company, title="soon", renewal_date=date(2026, 7, 15))
    later = asset(company, title="later", renewal_date=date(2026, 7, 16))
    past = asset(company, title="past", renewal_date=date(2026, 1, 1))
    lapsed = asset(
        company, title="lapsed", renewal_date=date(2026, 2, 1), status=IPAsset.Status.LAPSED
    )
    warned = assets.renewal_warnings([soon, later, past, lapsed], today)
    assert [item.title for item in warned] == ["past", "soon"]


def test_import_csv_good_rows_imports_all():
    company, representative = company_with_representative()
    content = (
        HEADER
        + "patent,Membrane module,CN,ZL202310000001.2,granted,Company,"
        + "2023-01-10,2024-06-01,2043-01-10,high,\n"
        + "Trademark,绿源 logo,CN,,filed,Company,2025/02/03,,,medium,Class 11\n"
        + "trade_secret,Catalyst recipe,,,idea,,,,,,kept by R&D\n"
    ).encode("utf-8-sig")
    imported = assets.import_csv(representative, company, content)
    assert len(imported) == 3
    assert list(company.ip_assets.order_by("pk").values_list("asset_type", "title", "status")) == [
        ("patent", "Membrane module", "granted"),
        ("trademark", "绿源 logo", "filed"),
        ("trade_secret", "Catalyst recipe", "idea"),
    ]
    assert company.ip_assets.get(asset_type="trademark").filing_date == date(2025, 2, 3)
    assert AuditLog.objects.for_object(company).get().action == "assets_imported"


def test_import_csv_gb18030_file_is_read():
    company, representative = company_with_representative()
    content = (HEADER + "trademark,绿源,CN,,idea,,,,,,\n").encode("gb18030")
    assets.import_csv(representative, company, content)
    assert company.ip_assets.get().title == "绿源"


def test_import_csv_bad_rows_import_nothing_and_report_each_row():
    company, representative = company_with_representative()
    content = (
        HEADER
        + "patent,Good one,CN,,filed,,2024-01-01,,,high,\n"
        + "patent,Granted without number,CN,,granted,,2020-01-01,,,high,\n"
        + "rocket,Unknown type,CN,,idea,,,,,,\n"
        + "design,Bad date,CN,,filed,,2024-13-01,,,low,\n"
    ).encode()
    with translation.override("en"), pytest.raises(assets.AssetImportError) as caught:
        assets.import_csv(representative, company, content)
    lines = [line for line, _message in caught.value.problems]
    assert lines == [3, 3, 4, 5, 5]
    assert caught.value.problems[0][1] == (
        "number (Number): A granted or registered right needs its number."
    )
    assert company.ip_assets.count() == 0


def test_import_csv_unknown_column_is_reported():
    company, representative = company_with_representative()
    with pytest.raises(assets.AssetImportError) as caught:
        assets.import_csv(representative, company, b"type,title,status,colour\n")
    assert caught.value.problems[0][0] is None
    assert "colour" in caught.value.problems[0][1]


def test_import_csv_by_other_company_is_not_allowed():
    company, _representative = company_with_representative()
    _other, stranger = company_with_representative()
    with refused("not_permitted"):
        assets.import_csv(stranger, company, (HEADER + "trademark,X,CN,,idea,,,,,,\n").encode())


def test_export_csv_has_bom_and_round_trips():
    company, representative = company_with_representative()
    original = asset(company, title="=cmd|' /C calc'!A0", number="CN123", notes="含中文")
    original.save()
    content = assets.export_csv(company.ip_assets.all())
    assert content.startswith("\ufeff".encode())
    text = content.decode("utf-8-sig")
    assert text.splitlines()[0] == HEADER.strip()
    assert "'=cmd" in text
    other, other_rep = company_with_representative()
    assets.import_csv(other_rep, other, content)
    copied = other.ip_assets.get()
    assert (copied.number, copied.notes, copied.filing_date) == (
        "CN123",
        "含中文",
        date(2024, 3, 1),
    )


def test_asset_pages_add_edit_delete(client):
    company, representative = company_with_representative()
    client.force_login(representative)
    response = client.post(
        reverse("ipaudit:asset_add", args=[company.pk]),
        {
            "asset_type": "patent",
            "title": "Heat pump controller",
            "jurisdiction": "CN",
            "status": "granted",
            "filing_date": "2022-01-01",
            "business_relevance": "high",
        },
    )
    assert response.status_code == 200
    assert sorted(response.context["form"].errors) == ["grant_date", "number"]
    response = client.post(
        reverse("ipaudit:asset_add", args=[company.pk]),
        {
            "asset_type": "patent",
            "title": "Heat pump controller",
            "jurisdiction": "CN",
            "number": "ZL2022",
            "status": "granted",
            "filing_date": "2022-01-01",
            "grant_date": "2023-01-01",
            "renewal_date": (timezone.localdate() + timedelta(days=30)).isoformat(),
            "business_relevance": "high",
        },
    )
    assert response.status_code == 302
    created = company.ip_assets.get()
    page = client.get(reverse("ipaudit:assets", args=[company.pk]))
    assert [item.pk for item in page.context["warnings"]] == [created.pk]
    client.post(reverse("ipaudit:asset_delete", args=[company.pk, created.pk]))
    assert company.ip_assets.count() == 0
    actions = list(
        AuditLog.objects.for_object(created).order_by("pk").values_list("action", flat=True)
    )
    assert actions == ["asset_added", "asset_removed"]


def test_asset_import_page_shows_row_errors(client):
    company, representative = company_with_representative()
    client.force_login(representative)
    upload = SimpleUploadedFile("assets.csv", (HEADER + "patent,X,CN,,granted,,,,,,\n").encode())
    response = client.post(reverse("ipaudit:asset_import", args=[company.pk]), {"file": upload})
    assert response.status_code == 200
    assert [line for line, _message in response.context["problems"]] == [2, 2, 2]
    assert company.ip_assets.count() == 0


def test_asset_template_and_export_downloads(client):
    company, representative = company_with_representative()
    client.force_login(representative)
    template = client.get(reverse("ipaudit:asset_template", args=[company.pk]))
    assert template["Content-Type"] == "text/csv; charset=utf-8"
    assert template.content == ("\ufeff" + HEADER.replace("\n", "\r\n")).encode()
    export = client.get(reverse("ipaudit:asset_export", args=[company.pk]))
    assert export.status_code == 200


def test_officer_may_edit_any_register_expert_may_not(client):
    company, _representative = company_with_representative()
    client.force_login(make_user(roles.OFFICER))
    assert client.get(reverse("ipaudit:asset_add", args=[company.pk])).status_code == 200
    client.force_login(make_user(roles.EXPERT))
    assert client.get(reverse("ipaudit:assets", args=[company.pk])).status_code == 404
