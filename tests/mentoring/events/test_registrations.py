"""Registration: seats, the per-company limit, the waitlist and its promotion, guests."""

import pytest

from clinic.models import AuditLog, OutboxMessage
from mentoring.events.models import Registration
from mentoring.events.services import invitations, registrations
from mentoring.events.services.links import guest_token, invitation_from
from tests.refusals import refused

from .helpers import invited_company, new_event, register

pytestmark = pytest.mark.django_db
State = Registration.State


def test_registration_takes_a_seat_and_mails_the_ics():
    event, officer = new_event()
    invitation, rep = invited_company(event, officer)

    registration = register(invitation, rep)

    assert registration.state == State.REGISTERED
    message = OutboxMessage.objects.get(kind="event_registered")
    assert message.to_email == rep.email
    assert [a["filename"] for a in message.attachments] == [f"event-{event.pk}.ics"]


def test_a_full_event_waitlists_and_a_cancellation_promotes_the_first_in_line():
    event, officer = new_event(capacity=1)
    first_invitation, first = invited_company(event, officer)
    second_invitation, second = invited_company(event, officer)
    third_invitation, third = invited_company(event, officer)
    seated = register(first_invitation, first)
    waiting = register(second_invitation, second)
    later = register(third_invitation, third)
    assert [waiting.state, later.state] == [State.WAITLISTED, State.WAITLISTED]

    registrations.cancel_registration(first, seated)

    waiting.refresh_from_db()
    later.refresh_from_db()
    assert (waiting.state, later.state) == (State.REGISTERED, State.WAITLISTED)
    assert OutboxMessage.objects.filter(kind="event_promoted", to_email=second.email).count() == 1
    promoted = AuditLog.objects.for_object(waiting).get(action="promoted_from_waitlist")
    assert (promoted.from_state, promoted.to_state, promoted.actor_name) == (
        "waitlisted",
        "registered",
        "system",
    )


def test_a_company_registers_at_most_its_limit_of_people():
    event, officer = new_event(company_limit=2)
    invitation, rep = invited_company(event, officer)
    register(invitation, rep)
    register(invitation, rep, name="Colleague", email="colleague@example.org", user=None)

    with refused("wrong_state") as refusal:
        register(invitation, rep, name="Third", email="third@example.org", user=None)

    assert "(2)" in str(refusal.value)
    assert event.registrations.count() == 2


def test_registering_the_same_address_twice_returns_the_first_registration():
    event, officer = new_event()
    invitation, rep = invited_company(event, officer)

    first = register(invitation, rep)
    second = register(invitation, rep)

    assert first.pk == second.pk
    assert OutboxMessage.objects.filter(kind="event_registered").count() == 1


def test_cancelling_twice_changes_nothing_the_second_time():
    event, officer = new_event()
    invitation, rep = invited_company(event, officer)
    registration = register(invitation, rep)

    registrations.cancel_registration(rep, registration)
    registrations.cancel_registration(rep, registration)

    assert (
        AuditLog.objects.for_object(registration).filter(action="registration_cancelled").count()
        == 1
    )
    cancel = OutboxMessage.objects.get(kind="registration_cancelled")
    assert b"METHOD:CANCEL" in __import__("base64").b64decode(cancel.attachments[0]["content"])


def test_draft_events_take_no_registrations():
    event, officer = new_event(publish=False)
    invitation, rep = invited_company(event, officer)

    with refused("wrong_state"):
        register(invitation, rep)


def test_guest_registers_through_the_signed_link_without_an_account():
    event, officer = new_event()
    invitation = invitations.invite_guest(
        officer, event, email="Investor@Fund.example", name="Ms Li", language="zh-hans"
    )
    mail = OutboxMessage.objects.get(kind="event_guest_invitation")
    assert mail.sensitive is True
    assert mail.language == "zh-hans"
    token = guest_token(invitation)
    assert invitation_from(token) == invitation
    assert invitation_from(token[:-2] + "xx") is None

    registration = registrations.register(
        None, invitation, name="Ms Li", email="investor@fund.example", language="zh-hans"
    )

    assert (registration.state, registration.user_id) == (State.REGISTERED, None)
    assert OutboxMessage.objects.get(kind="event_registered").language == "zh-hans"
