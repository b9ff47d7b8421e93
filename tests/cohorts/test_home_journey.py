"""Issue 14, item 1: the SME's home page guides: open calls with Apply, and a stepper per
application and participation showing where it stands, what is next and by when."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from clinic import roles
from cohorts.journey import journeys, open_calls
from cohorts.models import Application
from mentoring.models import Participation
from tests.factories import (
    ApplicationFactory,
    CohortFactory,
    company_with_representative,
    make_user,
)
from tests.mentoring.helpers import bare_participant

pytestmark = pytest.mark.django_db
State = Application.State


def statuses(journey):
    return [(step.key, step.status) for step in journey["steps"]]


def test_new_sme_sees_the_open_call_with_apply(client):
    cohort = CohortFactory(name="Wuhan 2027")
    CohortFactory(
        name="Closed 2025",
        applications_open_at=timezone.now() - timedelta(days=30),
        applications_close_at=timezone.now() - timedelta(days=1),
    )
    _company, representative = company_with_representative()
    client.force_login(representative)
    page = client.get(reverse("home"))
    assert "Wuhan 2027" in page.text
    assert "Closed 2025" not in page.text
    assert reverse("cohorts:call", args=[cohort.pk]) in page.text
    assert [c.name for c, mine in open_calls(representative)] == ["Wuhan 2027"]


def test_no_open_call_is_explained():
    _company, representative = company_with_representative()
    assert open_calls(representative) == []


def test_draft_is_at_apply_with_the_call_deadline():
    company, representative = company_with_representative()
    application = ApplicationFactory(company=company)
    (journey,) = journeys(representative)
    assert statuses(journey)[:3] == [
        ("verify", "done"),
        ("apply", "current"),
        ("screening", "waiting"),
    ]
    current = journey["current"]
    assert (current.key, current.due) == ("apply", application.cohort.applications_close_at)
    assert current.url == reverse("cohorts:application_edit", args=[application.pk])


def test_unverified_representative_is_asked_to_verify_first():
    company, representative = company_with_representative()
    representative.email_verified_at = None
    representative.save()
    ApplicationFactory(company=company)
    (journey,) = journeys(representative)
    assert journey["current"].key == "verify"
    assert journey["current"].url == reverse("resend_verification")


def test_information_request_is_the_next_thing_with_its_deadline():
    company, representative = company_with_representative()
    due = timezone.now() + timedelta(days=7)
    application = ApplicationFactory(company=company, state=State.NEEDS_INFO, info_due_at=due)
    (journey,) = journeys(representative)
    current = journey["current"]
    assert (current.key, current.due, current.url) == (
        "screening",
        due,
        reverse("cohorts:application_edit", args=[application.pk]),
    )


def test_rejected_stops_at_the_decision():
    company, representative = company_with_representative()
    ApplicationFactory(company=company, state=State.REJECTED)
    (journey,) = journeys(representative)
    assert statuses(journey)[4] == ("decision", "stopped")
    assert len(journey["steps"]) == 6


def test_selected_is_asked_to_confirm_by_the_deadline():
    company, representative = company_with_representative()
    due = timezone.now() + timedelta(days=5)
    application = ApplicationFactory(company=company, state=State.SELECTED, confirm_due_at=due)
    (journey,) = journeys(representative)
    current = journey["current"]
    assert (current.key, current.due, current.url) == (
        "confirm",
        due,
        reverse("cohorts:place", args=[application.pk]),
    )


def test_participation_in_mentoring_shows_the_later_steps():
    participation, representative = bare_participant(CohortFactory())
    (journey,) = journeys(representative)
    assert statuses(journey) == [
        ("verify", "done"),
        ("apply", "done"),
        ("screening", "done"),
        ("review", "done"),
        ("decision", "done"),
        ("confirm", "done"),
        ("audit", "done"),
        ("mentoring", "current"),
        ("plan", "waiting"),
        ("follow_up", "waiting"),
    ]
    assert journey["current"].url == reverse("mentoring:participant", args=[participation.pk])


def test_closed_participation_is_done_throughout():
    _participation, representative = bare_participant(
        CohortFactory(), state=Participation.State.CLOSED
    )
    (journey,) = journeys(representative)
    assert {status for _key, status in statuses(journey)} == {"done"}
    assert journey["current"] is None


def test_home_page_shows_the_stepper_in_the_page(client):
    company, representative = company_with_representative()
    ApplicationFactory(company=company, cohort=CohortFactory(name="Nanjing 2027"))
    client.force_login(representative)
    page = client.get(reverse("home"))
    assert 'aria-current="step"' in page.text
    assert "Complete and submit your application." in page.text
    assert "Continue your application" in page.text


def test_officer_home_has_no_stepper(client):
    CohortFactory()
    client.force_login(make_user(roles.OFFICER))
    page = client.get(reverse("home"))
    assert 'class="stepper"' not in page.text


def test_home_queries_do_not_grow_with_applications(client):
    _company, representative = company_with_representative()

    def count_queries():
        client.force_login(representative)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("home")).status_code == 200
        return len(queries)

    def add(n):
        for _ in range(n):
            company, _rep = company_with_representative()
            company.representatives.add(representative)
            ApplicationFactory(company=company, cohort=CohortFactory())
            bare = bare_participant(CohortFactory())[0]
            bare.company.representatives.add(representative)

    add(2)
    few = count_queries()
    add(4)
    assert count_queries() == few
