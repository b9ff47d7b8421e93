"""Event states, calendar updates, reminders, jobs, My tasks and the mandatory kick-off in the
participation progress."""

import base64
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from clinic import jobs, todos
from clinic.models import AuditLog, OutboxMessage
from clinic.transitions import Refused
from mentoring.events.models import Event, Registration
from mentoring.events.services import attendance, events, registrations

from .helpers import invited_company, new_event, register

pytestmark = pytest.mark.django_db


def ics_of(message):
    return base64.b64decode(message.attachments[0]["content"]).decode()


def test_moving_a_published_event_keeps_the_uid_and_raises_the_sequence():
    event, officer = new_event()
    invitation, rep = invited_company(event, officer)
    register(invitation, rep)
    first = ics_of(OutboxMessage.objects.get(kind="event_registered"))

    event.starts_at += timedelta(hours=2)
    events.save_event(officer, event, ["starts_at"])

    update = ics_of(OutboxMessage.objects.get(kind="event_updated"))
    uid = f"UID:event-{event.uid}@ipclinic"
    assert uid in first and uid in update
    assert "SEQUENCE:0" in first and "SEQUENCE:1" in update
    change = AuditLog.objects.for_object(event).get(action="event_changed")
    assert list(change.changes) == ["starts_at"]


def test_cancelling_an_event_sends_method_cancel_with_the_same_uid_once():
    event, officer = new_event()
    invitation, rep = invited_company(event, officer)
    register(invitation, rep)

    events.cancel_event(officer, event, "Venue closed")
    events.cancel_event(officer, event, "Venue closed")

    messages = OutboxMessage.objects.filter(kind="event_cancelled")
    assert messages.count() == 1
    text = ics_of(messages.get())
    assert "METHOD:CANCEL" in text and f"UID:event-{event.uid}@ipclinic" in text
    record = AuditLog.objects.for_object(event).get(action="event_cancelled")
    assert (record.from_state, record.to_state, record.reason) == (
        "published",
        "cancelled",
        "Venue closed",
    )


def test_publishing_twice_mails_the_invitations_once():
    event, officer = new_event(publish=False)
    invited_company(event, officer)

    events.publish_event(officer, event)
    events.publish_event(officer, event)

    assert OutboxMessage.objects.filter(kind="event_invitation").count() == 1


def test_only_officers_manage_events():
    event, officer = new_event()
    _invitation, rep = invited_company(event, officer)
    with pytest.raises(Refused) as refused:
        events.cancel_event(rep, event, "no")
    assert refused.value.code == "not_permitted"


def test_a_held_event_is_not_held_before_it_starts():
    event, officer = new_event()
    with pytest.raises(Refused):
        events.mark_held(officer, event)


def test_reminder_goes_at_the_cohorts_lead_time_once():
    event, officer = new_event(days=5)
    event.cohort.reminder_lead_days = 3
    event.cohort.save()
    invitation, rep = invited_company(event, officer)
    register(invitation, rep)

    assert registrations.send_reminders() == 0  # 5 days ahead, lead time 3
    later = timezone.now() + timedelta(days=2, hours=1)
    assert registrations.send_reminders(now=later) == 1
    assert registrations.send_reminders(now=later) == 0
    assert OutboxMessage.objects.filter(kind="event_reminder").count() == 1


def test_the_waitlist_job_seats_people_when_seats_are_free():
    event, officer = new_event(capacity=1)
    (first_inv, first), (second_inv, second) = [invited_company(event, officer) for _ in range(2)]
    register(first_inv, first)
    waiting = register(second_inv, second)
    Event.objects.filter(pk=event.pk).update(capacity=2)  # changed behind the service's back

    results = jobs.run_all()

    waiting.refresh_from_db()
    assert waiting.state == Registration.State.REGISTERED
    assert results["mentoring.events.services.registrations.seat_waitlists"] == 1


def test_my_tasks_ask_to_register_give_feedback_and_record_attendance():
    event, officer = new_event()
    invitation, rep = invited_company(event, officer)
    assert [t.url for t in todos.todos_for(rep)].count(
        reverse("events:detail", args=[event.pk])
    ) == 1
    registration = register(invitation, rep)
    assert reverse("events:detail", args=[event.pk]) not in [t.url for t in todos.todos_for(rep)]

    Event.objects.filter(pk=event.pk).update(starts_at=timezone.now() - timedelta(hours=3))
    event.refresh_from_db()
    assert reverse("events:check_in", args=[event.pk]) in [t.url for t in todos.todos_for(officer)]
    attendance.set_attendance(officer, registration, True)
    events.mark_held(officer, event)
    feedback_url = reverse("events:feedback", args=[registration.pk])
    assert feedback_url in [t.url for t in todos.todos_for(rep)]


def test_mandatory_kick_off_counts_in_the_cohort_progress(client):
    event, officer = new_event(kind=Event.Kind.KICK_OFF, mandatory=True)
    (here_inv, here), (away_inv, away) = [invited_company(event, officer) for _ in range(2)]
    present = register(here_inv, here)
    register(away_inv, away)
    Event.objects.filter(pk=event.pk).update(starts_at=timezone.now() - timedelta(hours=3))
    event.refresh_from_db()
    attendance.set_attendance(officer, present, True)
    events.mark_held(officer, event)
    client.force_login(officer)

    page = client.get(reverse("mentoring:cohort_progress", args=[event.cohort_id]))

    rows = {row.company_id: row for row in page.context["rows"]}
    assert (
        rows[here_inv.company_id].mandatory_attended,
        rows[here_inv.company_id].mandatory_total,
    ) == (1, 1)
    assert rows[away_inv.company_id].mandatory_absent == 1
    assert page.context["mandatory_absent"] == 1
    away_registration = event.registrations.get(company=away_inv.company)
    assert away_registration.state == Registration.State.ABSENT


def test_programme_dashboard_shows_the_companies_that_missed_a_mandatory_event(client):
    from mentoring.events.dashboard import attendance_table
    from mentoring.insight.dashboard import Filters

    event, officer = new_event(kind=Event.Kind.KICK_OFF, mandatory=True)
    (here_inv, here), (away_inv, away) = [invited_company(event, officer) for _ in range(2)]
    invited_company(event, officer)  # invited, never registered: missed it too
    present = register(here_inv, here)
    register(away_inv, away)
    Event.objects.filter(pk=event.pk).update(starts_at=timezone.now() - timedelta(hours=3))
    event.refresh_from_db()
    attendance.set_attendance(officer, present, True)
    events.mark_held(officer, event)

    table = attendance_table(Filters(cohort=event.cohort))

    assert table.rows == [[str(event.cohort), 1, 3, 2, 2]]
    client.force_login(officer)
    page = client.get(reverse("mentoring:dashboard")).content.decode()
    assert "Mandatory events by cohort" in page
