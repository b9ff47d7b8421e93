"""Issue 14, item 8: the SME moves a session to another of its expert's offered slots; it moves
at once, the expert is told and both .ics files update (same UID, next SEQUENCE)."""

import base64
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from clinic.models import AuditLog, OutboxMessage
from clinic.transitions import Refused
from mentoring.models import OfferedSlot, Participation, Session
from mentoring.services import sessions as service
from mentoring.services import slots
from mentoring.services.slot_moves import move_to_slot
from tests.mentoring.helpers import assigned, expert

pytestmark = pytest.mark.django_db


def offered(mentor, days, url="https://meet.example.org/a"):
    return slots.offer_slot(
        mentor, starts_at=timezone.now() + timedelta(days=days), meeting_url=url
    )


def booked():
    participation, representative, mentor, staff = assigned()
    first = offered(mentor, 4)
    session = slots.book_slot(representative, participation, first, "Licensing")
    return session, representative, mentor, first


def test_sme_moves_a_session_to_another_slot_with_updated_invitations():
    session, representative, mentor, first = booked()
    second = offered(mentor, 6, "https://meet.example.org/b")
    uid = session.uid
    OutboxMessage.objects.all().delete()
    moved = move_to_slot(representative, session, second)
    assert (moved.starts_at, moved.meeting_url, moved.sequence) == (
        second.starts_at,
        "https://meet.example.org/b",
        1,
    )
    assert (Session.objects.get(pk=session.pk).uid, moved.agenda, moved.number) == (
        uid,
        "Licensing",
        1,
    )
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.session, second.session) == (None, moved)
    mails = OutboxMessage.objects.filter(kind="session_rescheduled")
    assert sorted(m.recipient_id for m in mails) == sorted([mentor.pk, representative.pk])
    ics = base64.b64decode(mails.first().attachments[0]["content"]).decode()
    assert ("SEQUENCE:1" in ics, str(uid) in ics) == (True, True)
    assert AuditLog.objects.for_object(session).filter(action="session_moved").count() == 1


def test_the_freed_slot_can_be_booked_again():
    session, representative, mentor, first = booked()
    move_to_slot(representative, session, offered(mentor, 6))
    assert list(slots.bookable_slots(session.participation)) == [first]


def test_moving_twice_to_the_same_slot_changes_nothing():
    session, representative, mentor, _first = booked()
    second = offered(mentor, 6)
    move_to_slot(representative, session, second)
    again = move_to_slot(representative, Session.objects.get(pk=session.pk), second)
    assert again.sequence == 1
    assert AuditLog.objects.filter(action="session_moved").count() == 1


def test_a_taken_slot_or_another_experts_slot_is_refused():
    session, representative, mentor, _first = booked()
    other = offered(expert(), 6)
    with pytest.raises(Refused) as refused:
        move_to_slot(representative, session, other)
    assert refused.value.code == "wrong_state"
    assert Session.objects.get(pk=session.pk).starts_at == session.starts_at


def test_the_expert_and_strangers_do_not_move_through_this_door():
    session, _representative, mentor, _first = booked()
    with pytest.raises(Refused) as refused:
        move_to_slot(mentor, session, offered(mentor, 6))
    assert refused.value.code == "not_permitted"


def test_a_cancelled_session_cannot_be_moved():
    session, representative, mentor, _first = booked()
    service.cancel_session(representative, session)
    with pytest.raises(Refused):
        move_to_slot(representative, Session.objects.get(pk=session.pk), offered(mentor, 6))


def test_sme_moves_through_the_page_and_a_double_click_lands_on_the_session(client):
    session, representative, mentor, _first = booked()
    second = offered(mentor, 6)
    client.force_login(representative)
    detail = client.get(reverse("mentoring:session", args=[session.pk]))
    url = reverse("mentoring:session_move", args=[session.pk])
    assert url in detail.text
    page = client.get(url)
    assert f'value="{second.pk}"' in page.text
    first_post, second_post = (
        client.post(url, {"slot": second.pk}),
        client.post(url, {"slot": second.pk}),
    )
    target = reverse("mentoring:session", args=[session.pk])
    assert (first_post.url, second_post.url) == (target, target)
    assert OfferedSlot.objects.get(pk=second.pk).session_id == session.pk


def test_expert_sees_no_move_button(client):
    session, _representative, mentor, _first = booked()
    client.force_login(mentor)
    detail = client.get(reverse("mentoring:session", args=[session.pk]))
    assert reverse("mentoring:session_move", args=[session.pk]) not in detail.text
    assert client.get(reverse("mentoring:session_move", args=[session.pk])).status_code == 404


def test_a_completed_participation_says_a_session_is_still_planned(client):
    session, representative, _mentor, _first = booked()
    participation = session.participation
    Participation.objects.filter(pk=participation.pk).update(state="completed")
    client.force_login(representative)
    page = client.get(reverse("mentoring:participant", args=[participation.pk])).text
    assert "1 session still planned" in page
    service.cancel_session(representative, Session.objects.get(pk=session.pk))
    page = client.get(reverse("mentoring:participant", args=[participation.pk])).text
    assert "still planned" not in page
