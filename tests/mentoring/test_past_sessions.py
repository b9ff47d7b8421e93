"""Issue 14, item 6: an expert logs a session after it happened (between the cohort's start date
and now), with the same notes, private notes and follow-ups; its notes lock 7 days after logging."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from clinic.models import AuditLog, OutboxMessage
from clinic.transitions import Refused
from mentoring.models import Session
from mentoring.services import session_notes
from mentoring.services.past_sessions import log_past_session
from tests.factories import CohortFactory, make_user
from tests.mentoring.helpers import assigned, participant

pytestmark = pytest.mark.django_db


def running_participant():
    """A participant with its lead expert in a cohort that started 30 days ago."""
    cohort = CohortFactory()
    participation, _representative = participant(cohort=cohort)
    cohort.applications_open_at = timezone.now() - timedelta(days=90)
    cohort.applications_close_at = timezone.now() - timedelta(days=60)
    cohort.start_date = timezone.localdate() - timedelta(days=30)
    cohort.save()
    participation.cohort.refresh_from_db()
    return assigned(participation)


def test_expert_logs_a_past_session_as_held_without_invitations():
    participation, _rep, mentor, _staff = running_participant()
    mails = OutboxMessage.objects.count()
    when = timezone.now() - timedelta(days=3)
    session = log_past_session(mentor, participation, starts_at=when, duration_minutes=45)
    assert (session.status, session.number, session.expert) == ("held", 1, mentor)
    assert session.logged_at is not None
    record = AuditLog.objects.for_object(session).get()
    assert (record.action, record.to_state) == ("session_logged", "held")
    assert OutboxMessage.objects.count() == mails


def test_logged_session_takes_notes_private_notes_and_follow_ups():
    participation, representative, mentor, _staff = running_participant()
    session = log_past_session(mentor, participation, starts_at=timezone.now() - timedelta(days=20))
    session_notes.save_notes(
        mentor,
        session,
        outcome="held",
        summary="Unplanned call about a licence offer.",
        private_notes="They seem unsure about the licensee.",
        follow_ups=[{"title": "Send the draft licence", "owner": "CEO", "due_date": None}],
        share=True,
    )
    session.refresh_from_db()
    assert session.note.summary == "Unplanned call about a licence offer."
    assert session.private_note.text == "They seem unsure about the licensee."
    assert [f.title for f in session.follow_ups.all()] == ["Send the draft licence"]
    assert OutboxMessage.objects.filter(
        recipient=representative, kind="session_notes_shared"
    ).exists()


def test_notes_of_a_logged_session_lock_seven_days_after_logging():
    participation, _rep, mentor, _staff = running_participant()
    session = log_past_session(mentor, participation, starts_at=timezone.now() - timedelta(days=25))
    day_six = timezone.now() + timedelta(days=6)
    session_notes.save_notes(mentor, session, outcome="held", summary="Day six", now=day_six)
    with pytest.raises(Refused):
        session_notes.save_notes(
            mentor, session, outcome="held", summary="Too late", now=day_six + timedelta(days=2)
        )
    assert session.notes_lock_at == session.logged_at + timedelta(days=7)


def test_logging_before_the_cohort_started_or_in_the_future_is_refused():
    participation, _rep, mentor, _staff = running_participant()
    for when in (timezone.now() - timedelta(days=40), timezone.now() + timedelta(hours=2)):
        with pytest.raises(Refused):
            log_past_session(mentor, participation, starts_at=when)
    assert Session.objects.count() == 0


def test_logging_the_same_session_twice_makes_one():
    participation, _rep, mentor, _staff = running_participant()
    when = timezone.now() - timedelta(days=2)
    first = log_past_session(mentor, participation, starts_at=when)
    second = log_past_session(mentor, participation, starts_at=when)
    assert (first.pk, Session.objects.count()) == (second.pk, 1)
    assert AuditLog.objects.filter(action="session_logged").count() == 1


def test_sme_and_other_experts_cannot_log_a_session():
    participation, representative, _mentor, _staff = running_participant()
    for user in (representative, make_user("expert")):
        with pytest.raises(Refused):
            log_past_session(user, participation, starts_at=timezone.now() - timedelta(days=1))


def test_expert_logs_through_the_page_and_lands_on_the_notes(client):
    participation, _rep, mentor, _staff = running_participant()
    client.force_login(mentor)
    page = client.get(reverse("mentoring:participant", args=[participation.pk]))
    url = reverse("mentoring:log_past", args=[participation.pk])
    assert url in page.text
    day = timezone.localdate() - timedelta(days=4)
    data = {"date": day.isoformat(), "time": "10:00", "duration_minutes": "60", "mode": "phone"}
    first, second = client.post(url, data), client.post(url, data)
    session = Session.objects.get()
    notes = reverse("mentoring:notes", args=[session.pk])
    assert (first.url, second.url) == (notes, notes)


def test_page_shows_the_date_error_at_the_field(client):
    participation, _rep, mentor, _staff = running_participant()
    client.force_login(mentor)
    url = reverse("mentoring:log_past", args=[participation.pk])
    day = timezone.localdate() - timedelta(days=60)
    data = {"date": day.isoformat(), "time": "10:00", "duration_minutes": "60", "mode": "online"}
    response = client.post(url, data)
    assert list(response.context["form"].errors) == ["date"]
    assert Session.objects.count() == 0


def test_sme_gets_404_on_the_log_page(client):
    participation, representative, _mentor, _staff = running_participant()
    client.force_login(representative)
    assert client.get(reverse("mentoring:log_past", args=[participation.pk])).status_code == 404
