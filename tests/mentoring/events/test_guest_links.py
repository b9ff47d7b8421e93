"""A guest's event link expires (a maximum age, and some days after the event ended), opens only
its own invitation's pages, and a closed one (expired, cancelled event) answers with a page in
both languages, never a 500."""

from datetime import timedelta

import pytest
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from mentoring.events.models import Event, Registration
from mentoring.events.services import events, invitations, registrations
from mentoring.events.services.links import SALT, guest_token, read_link

from .helpers import invited_company, new_event

pytestmark = pytest.mark.django_db


def guest(event, officer, email="investor@fund.example"):
    invitation = invitations.invite_guest(officer, event, email=email, name="Ms Li")
    registration = registrations.register(None, invitation, name="Ms Li", email=email)
    return invitation, registration


def page(client, token, method="get", **data):
    return getattr(client, method)(reverse("events:guest", args=[token]), data)


def test_a_guest_link_expires_after_its_maximum_age(client, settings):
    event, officer = new_event()
    invitation, _registration = guest(event, officer)
    token = guest_token(invitation)
    assert page(client, token).status_code == 200
    settings.EVENT_GUEST_LINK_MAX_AGE_DAYS = -1
    assert read_link(token).expired is True
    response = page(client, token, "post", register="1", name="Mr Wu", email="wu@fund.example")
    assert response.status_code == 410
    assert invitation.registrations.count() == 1


def test_a_guest_link_expires_days_after_its_event_ended(client, settings):
    event, officer = new_event()
    invitation, registration = guest(event, officer)
    token = guest_token(invitation)
    ended = timezone.now() - timedelta(days=settings.EVENT_GUEST_LINK_DAYS_AFTER_END, hours=3)
    Event.objects.filter(pk=event.pk).update(starts_at=ended)
    ics = reverse("events:guest_ics", args=[token, registration.pk])
    assert (page(client, token).status_code, client.get(ics).status_code) == (410, 410)
    Event.objects.filter(pk=event.pk).update(starts_at=ended + timedelta(days=1))
    assert (page(client, token).status_code, client.get(ics).status_code) == (200, 200)


def test_an_expired_link_says_so_in_both_languages(client, settings):
    event, officer = new_event()
    invitation, _registration = guest(event, officer)
    settings.EVENT_GUEST_LINK_MAX_AGE_DAYS = -1
    response = page(client, guest_token(invitation), HTTP_ACCEPT_LANGUAGE="en")
    text = response.content.decode()
    assert response.status_code == 410
    assert ('lang="en"' in text, 'lang="zh-hans"' in text) == (True, True)
    assert ("International IP strategy" in text, "国际知识产权战略" in text) == (True, True)
    assert "This invitation link has expired" in text


def test_a_cancelled_events_link_shows_the_cancellation_and_changes_nothing(client):
    event, officer = new_event()
    invitation, registration = guest(event, officer)
    events.cancel_event(officer, event, "The venue is closed.")
    token = guest_token(invitation)
    shown = page(client, token)
    assert (shown.status_code, "The venue is closed." in shown.content.decode()) == (200, True)
    posted = [
        page(client, token, "post", register="1", name="Mr Wu", email="wu@fund.example"),
        page(client, token, "post", cancel=str(registration.pk)),
    ]
    assert [r.status_code for r in posted] == [200, 200]
    assert list(invitation.registrations.values_list("state", flat=True)) == [
        Registration.State.REGISTERED
    ]


def test_a_link_opens_only_its_own_guest_invitation(client):
    event, officer = new_event()
    mine, _registration = guest(event, officer)
    _other, theirs = guest(event, officer, email="other@fund.example")
    company_invitation, _representative = invited_company(event, officer)
    token = guest_token(mine)
    other_ics = reverse("events:guest_ics", args=[token, theirs.pk])
    assert client.get(other_ics).status_code == 404
    forged = [
        signing.dumps({"invitation": company_invitation.pk, "event": event.pk}, salt=SALT),
        signing.dumps({"invitation": mine.pk, "event": event.pk}, salt="clinic.email-verification"),
        signing.dumps({"invitation": mine.pk, "event": event.pk + 1}, salt=SALT),
        signing.dumps({"invitation": [mine.pk], "event": event.pk}, salt=SALT),
        signing.dumps([mine.pk, event.pk], salt=SALT),
    ]
    assert [page(client, f).status_code for f in forged] == [404] * 5


def test_a_waitlisted_guest_gets_neither_the_meeting_link_nor_a_calendar_file(client):
    event, officer = new_event(capacity=1)
    _first, seated = guest(event, officer, email="first@fund.example")
    invitation, waiting = guest(event, officer)
    assert (seated.state, waiting.state) == (Registration.State.REGISTERED, "waitlisted")
    token = guest_token(invitation)
    assert event.meeting_url not in page(client, token).content.decode()
    ics = reverse("events:guest_ics", args=[token, waiting.pk])
    assert client.get(ics).status_code == 404
    registrations.cancel_registration(officer, seated)
    waiting.refresh_from_db()
    assert waiting.state == Registration.State.REGISTERED
    assert event.meeting_url in page(client, token).content.decode()
    assert client.get(ics).status_code == 200
