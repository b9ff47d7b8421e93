"""Integration: two people taking the last seat at once (PostgreSQL): one seat, one waitlist
place; parallel cancellations promote one person once."""

from functools import partial

import pytest

from clinic.models import OutboxMessage
from mentoring.events.models import Registration
from mentoring.events.services import registrations
from tests.parallel import at_once, require_postgres

from .helpers import invited_company, new_event, register

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]
State = Registration.State


def test_two_people_taking_the_last_seat_at_once_get_one_seat():
    require_postgres()
    event, officer = new_event(capacity=1)
    people = [invited_company(event, officer) for _ in range(2)]

    outcomes = at_once([partial(register, invitation, rep) for invitation, rep in people])

    assert [type(outcome).__name__ for outcome in outcomes] == ["Registration"] * 2
    states = sorted(event.registrations.values_list("state", flat=True))
    assert states == [State.REGISTERED, State.WAITLISTED]
    assert OutboxMessage.objects.filter(kind="event_registered").count() == 1


def test_six_people_at_once_for_three_seats_fill_exactly_three():
    require_postgres()
    event, officer = new_event(capacity=3)
    people = [invited_company(event, officer) for _ in range(6)]

    at_once([partial(register, invitation, rep) for invitation, rep in people])

    assert registrations.seats_taken(event) == 3
    assert event.registrations.filter(state=State.WAITLISTED).count() == 3


def test_the_same_cancellation_twice_at_once_promotes_one_person_once():
    require_postgres()
    event, officer = new_event(capacity=1)
    (first_inv, first), (second_inv, second) = [invited_company(event, officer) for _ in range(2)]
    seated = register(first_inv, first)
    waiting = register(second_inv, second)

    at_once([partial(registrations.cancel_registration, first, seated)] * 2)

    waiting.refresh_from_db()
    assert waiting.state == State.REGISTERED
    assert OutboxMessage.objects.filter(kind="event_promoted").count() == 1
    assert OutboxMessage.objects.filter(kind="registration_cancelled").count() == 1
