"""A cohort's outcomes through the API (officers): the outcomes page's rows as JSON, and the
page's CSV (formula-guarded, BOM) with ?format=csv or Accept: text/csv; 404 for everyone else."""

import pytest

from clinic import roles
from mentoring.models import FollowUpReport
from mentoring.services import follow_up
from tests.api_helpers import token_client
from tests.factories import make_user

from .test_follow_up import ended, submit
from .test_follow_up import signed as signed_fixture  # noqa: F401 - a fixture

pytestmark = pytest.mark.django_db


def reported(signed):
    participation, representative, officer = signed
    ended(participation, 200)
    follow_up.open_follow_up_reports()
    submit(participation, representative, 6, comments='=HYPERLINK("http://x")')
    return participation, representative, officer


def test_officer_reads_the_outcomes_as_json(signed_fixture):  # noqa: F811
    participation, _representative, officer = reported(signed_fixture)
    client, _token = token_client(officer)
    response = client.get(f"/api/v1/cohorts/{participation.cohort_id}/outcomes/")
    assert response.status_code == 200
    [row] = response.json()
    assert (row["participation"], row["company_name"]) == (
        participation.pk,
        participation.company.legal_name,
    )
    assert (row["actions_done"], row["actions"]) == (2, 2)
    [report] = row["reports"]
    assert (report["round"], report["state"], report["filings"]) == (6, "submitted", 2)
    assert report["id"] == FollowUpReport.objects.get(round=6).pk


def test_officer_downloads_the_pages_csv_with_the_formula_guarded(signed_fixture):  # noqa: F811
    participation, _representative, officer = reported(signed_fixture)
    client, _token = token_client(officer)
    url = f"/api/v1/cohorts/{participation.cohort_id}/outcomes/"
    by_format = client.get(f"{url}?format=csv")
    by_accept = client.get(url, HTTP_ACCEPT="text/csv")
    for response in (by_format, by_accept):
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/csv")
        assert response.content == follow_up.outcomes_csv(
            follow_up.cohort_outcomes(participation.cohort)
        )
    text = by_format.content.decode("utf-8-sig")
    assert (by_format.content[:3], len(text.splitlines())) == (b"\xef\xbb\xbf", 3)
    assert "'=HYPERLINK" in text and ",=HYPERLINK" not in text


@pytest.mark.parametrize("role", [roles.SME, roles.EXPERT, roles.REVIEWER])
def test_outcomes_are_404_for_everyone_but_officers(signed_fixture, role):  # noqa: F811
    participation, representative, _officer = reported(signed_fixture)
    users = [make_user(role)] + ([representative] if role == roles.SME else [])
    for user in users:
        client, _token = token_client(user)
        url = f"/api/v1/cohorts/{participation.cohort_id}/outcomes/"
        assert client.get(url).status_code == 404
        assert client.get(f"{url}?format=csv").status_code == 404
