"""The SME's side of sessions through the API: booking an offered slot (once), moving a planned
session to another offered time, rating a held session; the expert's reschedule with the stale
check. Another company's participant or session is 404; private notes are in no answer."""

from datetime import timedelta

import pytest
from django.utils import timezone

from clinic import roles
from clinic.models import AuditLog
from mentoring.models import Rating, Session
from mentoring.services import slots
from tests.api_helpers import token_client
from tests.factories import make_user

from .helpers import assigned, held_session, participant, schedule

pytestmark = pytest.mark.django_db


def offered(expert, days=4):
    return slots.offer_slot(
        expert, starts_at=timezone.now() + timedelta(days=days), meeting_url="https://m.example.org"
    )


def test_sme_lists_free_slots_and_books_one_once():
    participation, representative, mentor, _staff = assigned()
    slot, later = offered(mentor), offered(mentor, days=6)
    client, _token = token_client(representative, "Calendar sync")
    listed = client.get(f"/api/v1/participants/{participation.pk}/slots/").json()
    assert [row["id"] for row in listed] == [slot.pk, later.pk]
    url = f"/api/v1/participants/{participation.pk}/book/"
    answers = [client.post(url, {"slot": slot.pk, "agenda": "Licensing"}) for _ in range(2)]
    assert [a.status_code for a in answers] == [201, 201]
    session = participation.sessions.get()
    assert answers[0].json()["id"] == answers[1].json()["id"] == session.pk
    assert (session.agenda, session.status) == ("Licensing", "planned")
    record = AuditLog.objects.for_object(session).get(action="session_booked")
    assert record.via == "API token “Calendar sync”"
    listed = client.get(f"/api/v1/participants/{participation.pk}/slots/").json()
    assert [row["id"] for row in listed] == [later.pk]


def test_sme_moves_a_planned_session_to_another_offered_time():
    participation, representative, mentor, _staff = assigned()
    slot, later = offered(mentor), offered(mentor, days=6)
    client, _token = token_client(representative)
    booked = client.post(f"/api/v1/participants/{participation.pk}/book/", {"slot": slot.pk})
    url = f"/api/v1/sessions/{booked.json()['id']}/"
    assert [row["id"] for row in client.get(f"{url}move-slots/").json()] == [later.pk]
    moves = [client.post(f"{url}move/", {"slot": later.pk}) for _ in range(2)]
    assert [m.status_code for m in moves] == [200, 200]
    assert moves[0].json()["starts_at"] == moves[1].json()["starts_at"]
    session = Session.objects.get()
    assert (session.starts_at, session.sequence) == (later.starts_at, 1)
    gone = client.post(f"{url}move/", {"slot": 999999})
    assert gone.status_code == 404


def test_expert_reschedules_and_a_stale_sequence_is_409():
    participation, _rep, mentor, _staff = assigned()
    session = schedule(participation, mentor)
    client, _token = token_client(mentor)
    url = f"/api/v1/sessions/{session.pk}/reschedule/"
    read = client.get(f"/api/v1/sessions/{session.pk}/").json()["sequence"]
    new_start = (session.starts_at + timedelta(hours=2)).isoformat()
    moved = client.post(url, {"starts_at": new_start, "sequence": read}, format="json")
    assert (moved.status_code, moved.json()["sequence"]) == (200, read + 1)
    stale = client.post(url, {"agenda": "Other", "sequence": read}, format="json")
    assert (stale.status_code, stale.json()["code"]) == (409, "stale")
    assert Session.objects.get(pk=session.pk).agenda != "Other"


def test_sme_cannot_reschedule_freely_and_experts_cannot_book_or_move():
    participation, representative, mentor, _staff = assigned()
    session = schedule(participation, mentor)
    sme, _token = token_client(representative)
    refused = sme.post(f"/api/v1/sessions/{session.pk}/reschedule/", {"agenda": "x"})
    assert (refused.status_code, refused.json()["code"]) == (403, "not_permitted")
    expert_client, _t = token_client(mentor)
    slot = offered(mentor)
    path = f"/api/v1/participants/{participation.pk}/book/"
    assert expert_client.post(path, {"slot": slot.pk}).status_code == 404
    moving = expert_client.post(f"/api/v1/sessions/{session.pk}/move/", {"slot": slot.pk})
    assert moving.status_code == 403
    assert Session.objects.get(pk=session.pk).sequence == 0


def test_sme_rates_a_held_session_and_the_same_rating_again_changes_nothing():
    participation, representative, mentor, _staff = assigned()
    held = held_session(participation, mentor, private="Keep this to yourself")
    planned = schedule(participation, mentor)
    client, _token = token_client(representative)
    url = f"/api/v1/sessions/{held.pk}/rate/"
    answers = [client.post(url, {"score": 4, "comment": "Useful"}) for _ in range(2)]
    assert [a.json()["score"] for a in answers] == [4, 4]
    assert AuditLog.objects.for_object(held).filter(action="session_rated").count() == 1
    assert Rating.objects.get(session=held).comment == "Useful"
    bad = client.post(url, {"score": 9})
    assert (bad.status_code, list(bad.json()["fields"])) == (400, ["score"])
    not_held = client.post(f"/api/v1/sessions/{planned.pk}/rate/", {"score": 5})
    assert not_held.status_code == 403
    for response in answers:
        assert "Keep this to yourself" not in response.content.decode()


def test_another_companys_participant_and_sessions_are_404_for_every_new_action():
    participation, _rep, mentor, _staff = assigned()
    slot = offered(mentor)
    session = schedule(participation, mentor, days=8)
    held = held_session(participation, mentor)
    _other, stranger = participant()
    for user in (stranger, make_user(roles.EXPERT)):
        client, _token = token_client(user)
        base = f"/api/v1/participants/{participation.pk}/"
        assert client.get(f"{base}slots/").status_code == 404
        assert client.post(f"{base}book/", {"slot": slot.pk}).status_code == 404
        assert client.get(f"/api/v1/sessions/{session.pk}/move-slots/").status_code == 404
        assert (
            client.post(f"/api/v1/sessions/{session.pk}/move/", {"slot": slot.pk}).status_code
            == 404
        )
        reschedule = client.post(f"/api/v1/sessions/{session.pk}/reschedule/", {"agenda": "x"})
        assert reschedule.status_code == 404
        assert client.post(f"/api/v1/sessions/{held.pk}/rate/", {"score": 1}).status_code == 404
    assert not Rating.objects.exists()
    assert Session.objects.get(pk=session.pk).sequence == 0
