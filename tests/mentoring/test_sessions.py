import base64
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from clinic.models import AuditLog, OutboxMessage
from mentoring.models import Session
from mentoring.services import sessions as service
from mentoring.services import slots
from tests.mentoring.helpers import messages
from tests.refusals import refused

from .helpers import assigned, expert, officer, schedule

pytestmark = pytest.mark.django_db


def parse(content):
    calendar = Calendar.from_ical(content)
    event = calendar.walk("VEVENT")[0]
    return calendar, event


def ics_of(message):
    (item,) = message.attachments
    assert (item["filename"].endswith(".ics"), item["content_type"]) == (True, "text/calendar")
    return parse(base64.b64decode(item["content"]))


def test_scheduling_sends_both_sides_an_ics_request_in_the_cohorts_time_zone():
    participation, representative, mentor, _staff = assigned()
    start = datetime(2031, 3, 4, 14, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
    session = schedule(participation, mentor, starts_at=start, duration_minutes=60)
    sent = messages("session_scheduled")
    assert sorted(m.to_email for m in sent) == sorted([mentor.email, representative.email])
    calendar, event = ics_of(sent[0])
    assert str(calendar["method"]) == "REQUEST"
    assert str(event["uid"]) == f"session-{session.uid}@ipclinic"
    assert event.decoded("sequence") == 0
    assert event.decoded("dtstart") == start
    assert event.decoded("dtstart").tzinfo.key == "Asia/Shanghai"
    assert event.decoded("dtend") == start + timedelta(minutes=60)
    assert str(event["location"]) == "https://meet.example.org/clinic"
    assert str(event["status"]) == "CONFIRMED"
    assert calendar.walk("VTIMEZONE")[0]["tzid"] == "Asia/Shanghai"
    attendees = sorted(str(a) for a in event["attendee"])
    assert attendees == sorted([f"mailto:{mentor.email}", f"mailto:{representative.email}"])
    assert (session.number, session.status, session.time_zone) == (1, "planned", "Asia/Shanghai")


def test_rescheduling_keeps_the_uid_and_increments_the_sequence():
    participation, _rep, mentor, _staff = assigned()
    session = schedule(participation, mentor)
    first_uid = str(ics_of(messages("session_scheduled")[0])[1]["uid"])
    new_start = timezone.now() + timedelta(days=10)
    service.reschedule_session(mentor, session, starts_at=new_start)
    service.reschedule_session(mentor, session, duration_minutes=120)
    calendar, event = ics_of(messages("session_rescheduled")[-1])
    assert (str(calendar["method"]), str(event["uid"]), event.decoded("sequence")) == (
        "REQUEST",
        first_uid,
        2,
    )
    assert event.decoded("dtstart") == new_start.replace(microsecond=0)
    record = AuditLog.objects.for_object(session).filter(action="session_rescheduled").last()
    assert record.actor == mentor


def test_cancelling_sends_method_cancel_with_the_same_uid():
    participation, representative, mentor, _staff = assigned()
    session = schedule(participation, mentor)
    service.cancel_session(representative, session, "Factory audit that day")
    sent = messages("session_cancelled")
    assert len(sent) == 2
    calendar, event = ics_of(sent[0])
    assert (str(calendar["method"]), str(event["status"])) == ("CANCEL", "CANCELLED")
    assert (str(event["uid"]), event.decoded("sequence")) == (f"session-{session.uid}@ipclinic", 1)
    session.refresh_from_db()
    assert (session.status, session.cancel_reason) == ("cancelled", "Factory audit that day")
    service.cancel_session(representative, session)  # a repeat changes nothing
    session.refresh_from_db()
    assert (len(messages("session_cancelled")), session.sequence) == (2, 1)


def test_session_page_offers_the_ics_download(client):
    participation, representative, mentor, _staff = assigned()
    session = schedule(participation, mentor)
    client.force_login(representative)
    response = client.get(reverse("mentoring:session_ics", args=[session.pk]))
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    _calendar, event = parse(response.content)
    assert str(event["uid"]) == f"session-{session.uid}@ipclinic"
    service.cancel_session(mentor, session)
    response = client.get(reverse("mentoring:session_ics", args=[session.pk]))
    assert str(parse(response.content)[0]["method"]) == "CANCEL"


def test_only_the_assigned_expert_or_an_officer_schedules():
    participation, representative, _mentor, staff = assigned()
    with refused("not_permitted"):
        schedule(participation, expert())
    with refused("not_permitted"):
        schedule(participation, representative)
    session = schedule(participation, staff)
    assert session.expert == participation.assignments.get().expert


def test_each_mode_needs_its_detail():
    participation, _rep, mentor, _staff = assigned()
    with refused("invalid") as error:
        schedule(participation, mentor, mode="on_site")
    assert str(error.value) == "Give the address of an on-site session."
    session = schedule(participation, mentor, mode="phone", phone="+86 10 1234 5678")
    assert (session.where, session.meeting_url) == ("+86 10 1234 5678", "")


def test_schedule_page_takes_the_time_in_the_cohorts_zone(client):
    participation, _rep, mentor, _staff = assigned()
    client.force_login(mentor)
    day = (timezone.localdate() + timedelta(days=5)).isoformat()
    response = client.post(
        reverse("mentoring:schedule", args=[participation.pk]),
        {
            "date": day,
            "time": "09:00",
            "duration_minutes": "90",
            "mode": "on_site",
            "address": "Room 3, Innovation Centre",
            "agenda": "Trade secrets",
        },
    )
    session = Session.objects.get()
    assert response.url == reverse("mentoring:session", args=[session.pk])
    assert (session.local_start.isoformat()[:16], session.address) == (
        f"{day}T09:00",
        "Room 3, Innovation Centre",
    )


def test_sme_books_an_offered_slot_and_it_is_taken():
    participation, representative, mentor, _staff = assigned()
    slot = slots.offer_slot(
        mentor, starts_at=timezone.now() + timedelta(days=4), meeting_url="https://m.example.org"
    )
    assert list(slots.bookable_slots(participation)) == [slot]
    session = slots.book_slot(representative, participation, slot, "Licensing")
    slot.refresh_from_db()
    assert (slot.session, session.expert, session.agenda) == (session, mentor, "Licensing")
    assert list(slots.bookable_slots(participation)) == []
    assert slots.book_slot(representative, participation, slot) == session  # a repeat
    assert participation.sessions.count() == 1
    service.cancel_session(representative, session)
    slot.refresh_from_db()
    assert slot.session is None


def test_another_companys_expert_slots_cannot_be_booked():
    participation, representative, _mentor, _staff = assigned()
    other_expert = expert()
    slot = slots.offer_slot(
        other_expert, starts_at=timezone.now() + timedelta(days=4), meeting_url="https://x.org"
    )
    with refused("wrong_state"):
        slots.book_slot(representative, participation, slot)


def test_reminder_goes_out_once_24_hours_before():
    participation, _rep, mentor, _staff = assigned()
    first = schedule(participation, mentor, starts_at=timezone.now() + timedelta(hours=30))
    second = schedule(participation, mentor, starts_at=timezone.now() + timedelta(hours=40))
    assert service.send_session_reminders() == 0
    in_8_hours = timezone.now() + timedelta(hours=8)
    assert service.send_session_reminders(now=in_8_hours) == 1
    assert service.send_session_reminders(now=in_8_hours) == 0
    assert [m.related_id for m in messages("session_reminder")] == [str(first.pk)] * 2
    assert service.send_session_reminders(now=in_8_hours + timedelta(hours=10)) == 1
    second.refresh_from_db()
    assert second.reminder_sent_at is not None


def test_a_session_scheduled_within_24_hours_gets_no_extra_reminder():
    participation, _rep, mentor, _staff = assigned()
    soon = schedule(participation, mentor, starts_at=timezone.now() + timedelta(hours=5))
    assert service.send_session_reminders() == 0
    service.reschedule_session(mentor, soon, starts_at=timezone.now() + timedelta(days=3))
    soon.refresh_from_db()
    assert soon.reminder_sent_at is None


def test_dropping_out_cancels_planned_sessions_and_frees_the_expert(client):
    participation, _rep, mentor, staff = assigned()
    session = schedule(participation, mentor)
    client.force_login(staff)
    response = client.post(
        reverse("mentoring:drop_out", args=[participation.pk]), {"reason": "Company sold"}
    )
    assert response.url == reverse("mentoring:participant", args=[participation.pk])
    participation.refresh_from_db()
    session.refresh_from_db()
    assert (participation.state, participation.dropped_reason) == ("dropped_out", "Company sold")
    assert session.status == "cancelled"
    assert participation.assignments.filter(ended_at=None).count() == 0
    assert len(messages("session_cancelled")) == 2


def test_drop_out_page_is_for_officers_only(client):
    participation, representative, mentor, _staff = assigned()
    url = reverse("mentoring:drop_out", args=[participation.pk])
    for user in (representative, mentor):
        client.force_login(user)
        assert client.get(url).status_code == 404
    client.force_login(officer())
    assert client.get(url).status_code == 200


def test_the_periodic_jobs_task_sends_session_reminders():
    from clinic.tasks import run_periodic_jobs

    participation, _rep, mentor, _staff = assigned()
    session = schedule(participation, mentor, starts_at=timezone.now() + timedelta(hours=30))
    Session.objects.filter(pk=session.pk).update(starts_at=timezone.now() + timedelta(hours=5))
    results = run_periodic_jobs()
    assert results["mentoring.services.sessions.send_session_reminders"] == 1
    assert len(messages("session_reminder")) == 2


def test_ics_carries_the_cohorts_own_time_zone_with_daylight_saving():
    participation, _rep, mentor, _staff = assigned()
    participation.cohort.time_zone = "Europe/Zurich"
    participation.cohort.save()
    summer = datetime(2031, 7, 1, 9, 0, tzinfo=ZoneInfo("Europe/Zurich"))
    session = schedule(participation, mentor, starts_at=summer)
    calendar, event = ics_of(messages("session_scheduled")[0])
    assert (event.decoded("dtstart"), event.decoded("dtstart").utcoffset()) == (
        summer,
        timedelta(hours=2),
    )
    assert [str(tz["tzid"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Zurich"]
    assert session.when == "2031-07-01 09:00–10:30 (Europe/Zurich)"


def test_an_expert_cannot_be_booked_twice_at_the_same_time():
    participation, _rep, mentor, staff = assigned()
    other, _other_rep, _mentor, _staff = assigned(expert_user=mentor)
    start = timezone.now() + timedelta(days=2)
    first = schedule(participation, mentor, starts_at=start, duration_minutes=90)
    with refused("wrong_state") as error:
        schedule(other, mentor, starts_at=start + timedelta(minutes=60))
    assert str(error.value).startswith(f"{mentor} already has a session then: ")
    second = schedule(other, mentor, starts_at=start + timedelta(minutes=90))
    with refused("wrong_state"):
        service.reschedule_session(staff, second, starts_at=start - timedelta(minutes=30))
    service.reschedule_session(mentor, first, duration_minutes=90, agenda="Same time, new agenda")


def test_session_is_rescheduled_by_its_expert_or_an_officer_and_cancelled_also_by_the_sme(client):
    participation, representative, mentor, officer_user = assigned()
    _other, _rep, stranger, _officer = assigned()  # an expert of another company
    session = schedule(participation, mentor)
    answers = []
    for user in (mentor, officer_user, representative, stranger):
        client.force_login(user)
        answers.append(
            (
                client.get(reverse("mentoring:session_edit", args=[session.pk])).status_code,
                client.get(reverse("mentoring:session_cancel", args=[session.pk])).status_code,
            )
        )
    assert answers == [(200, 200), (200, 200), (404, 200), (404, 404)]


def test_session_scheduled_twice_is_one_session_with_one_invitation():
    participation, _representative, mentor, _staff = assigned()
    starts_at = timezone.now() + timedelta(days=3)
    first = schedule(participation, mentor, starts_at=starts_at)
    again = schedule(participation, mentor, starts_at=starts_at)
    assert again == first
    assert Session.objects.count() == 1
    assert AuditLog.objects.filter(action="session_scheduled").count() == 1
    recipients = 1 + participation.company.representatives.count()
    assert OutboxMessage.objects.filter(kind="session_scheduled").count() == recipients


def test_slot_offered_twice_is_one_slot():
    _participation, _representative, mentor, _staff = assigned()
    starts_at = timezone.now() + timedelta(days=4)
    first = slots.offer_slot(mentor, starts_at=starts_at, meeting_url="https://m.example.org")
    again = slots.offer_slot(mentor, starts_at=starts_at, meeting_url="https://m.example.org")
    assert again == first
    assert list(mentor.offered_slots.values_list("pk", flat=True)) == [first.pk]
