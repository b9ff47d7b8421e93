"""A view that only reads answers POST, PUT and DELETE with 405 (``@require_safe``), not by
rendering itself as for a GET; a view that shows a form keeps handling its POST. The refusals
of a role come first and are unchanged: a POST tells nobody more than a GET."""

import pytest
from django.urls import reverse

from clinic import roles
from tests.factories import CohortFactory, company_with_representative, make_user
from tests.mentoring.events.helpers import new_event
from tests.mentoring.plan_helpers import generate, submitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer_pages():
    """(officer, [url of a read-only page of each app: lists, details, downloads, dashboard])."""
    company, _representative = company_with_representative()
    cohort = CohortFactory()
    event, officer = new_event(cohort=cohort)
    return officer, [
        reverse("mentoring:dashboard"),
        reverse("search"),
        reverse("user_list"),
        reverse("user_detail", args=[officer.pk]),
        reverse("company_list"),
        reverse("company_detail", args=[company.pk]),
        reverse("outbox_list"),
        reverse("ipaudit:assets", args=[company.pk]),
        reverse("ipaudit:asset_export", args=[company.pk]),
        reverse("cohorts:detail", args=[cohort.pk]),
        reverse("cohorts:ranking", args=[cohort.pk]),
        reverse("cohorts:ranking_csv", args=[cohort.pk]),
        reverse("cohorts:roster_csv", args=[cohort.pk]),
        reverse("events:list"),
        reverse("events:detail", args=[event.pk]),
        reverse("events:ics", args=[event.pk]),
        reverse("events:attendees", args=[event.pk]),
        reverse("events:attendance_csv", args=[event.pk]),
        "/matchmaking/",
        "/matchmaking/technologies/",
        "/matchmaking/wipo-green/export.csv",
    ]


def test_read_only_pages_answer_get_and_refuse_every_other_method(client, officer_pages):
    officer, urls = officer_pages
    client.force_login(officer)
    assert {url: client.get(url).status_code for url in urls} == dict.fromkeys(urls, 200)
    assert {url: client.head(url).status_code for url in urls} == dict.fromkeys(urls, 200)
    for method in ("post", "put", "patch", "delete"):
        answers = {url: getattr(client, method)(url).status_code for url in urls}
        assert answers == dict.fromkeys(urls, 405), method
    response = client.post(urls[0], {"action": "x"})
    assert response["Allow"] == "GET, HEAD"


def test_plan_pdf_and_page_image_refuse_a_post(client, django_capture_on_commit_callbacks):
    participation, _representative, expert, _officer, _assessment = submitted()
    version = generate(expert, participation, django_capture_on_commit_callbacks)
    urls = [
        reverse("mentoring:version_download", args=[version.pk]),
        reverse("mentoring:version_page", args=[version.pk, 1]),
        reverse("mentoring:participant", args=[participation.pk]),
        reverse("mentoring:plan", args=[participation.pk]),
    ]
    client.force_login(expert)
    assert [client.get(url).status_code for url in urls] == [200] * len(urls)
    assert [client.post(url).status_code for url in urls] == [405] * len(urls)


def test_a_post_tells_a_refused_role_nothing_a_get_does_not(client, officer_pages):
    """The 405 comes before any object is looked up: the same for an id that exists and for
    one that does not; the anonymous are sent to log in first."""
    _officer, urls = officer_pages
    client.force_login(make_user(roles.SME))
    for url in (reverse("user_list"), reverse("outbox_list"), reverse("mentoring:dashboard")):
        assert client.get(url).status_code == 404
        assert client.post(url).status_code in (404, 405)
    for name in ("user_detail", "company_detail", "events:detail", "cohorts:ranking_csv"):
        existing = client.post(reverse(name, args=[1])).status_code
        assert existing == client.post(reverse(name, args=[10**6])).status_code in (404, 405)
    client.logout()
    login = reverse("login")
    for url in urls:
        response = client.post(url)
        assert (response.status_code, response["Location"].split("?")[0]) == (302, login)


def test_a_public_read_only_page_refuses_an_anonymous_post(client):
    cohort = CohortFactory()
    url = reverse("cohorts:call", args=[cohort.pk])
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 405


def test_pages_that_show_a_form_still_handle_its_post(client):
    company, _representative = company_with_representative()
    officer = make_user(roles.OFFICER)
    client.force_login(officer)
    edit = reverse("company_edit", args=[company.pk])
    answer = client.post(edit, {"legal_name": ""})  # the form with its errors
    assert answer.status_code in (200, 400)
    assert "legal_name" in answer.content.decode()
    answer = client.post(reverse("user_invite"), {"email": "not an address"})
    assert answer.status_code in (200, 400)
    assert client.post(reverse("api_tokens"), {}).status_code in (200, 400)
