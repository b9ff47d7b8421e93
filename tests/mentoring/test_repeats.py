"""A second call of each mentoring service (a double click, the other side at once) is a no-op
when it repeats the first, refused when it no longer applies; repeated POSTs get the first page."""

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from clinic.models import AuditLog, OutboxMessage
from mentoring.models import FollowUpReport, PlanVersion, Session
from mentoring.services import assessment as assessment_service
from mentoring.services import follow_up as follow_up_service
from mentoring.services import plan_versions, session_notes, slots
from mentoring.services import sessions as session_service
from tests.refusals import refused

from .helpers import assigned, held_session, participant, schedule
from .plan_helpers import item_values, submitted

pytestmark = pytest.mark.django_db


def actions(obj, action):
    return AuditLog.objects.for_object(obj).filter(action=action).count()


def texts(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_assessment_submitted_twice_records_one_submission():
    participation, _rep, expert, _officer, current = submitted()
    again = assessment_service.submit_assessment(expert, current)
    assert again.state == "submitted"
    assert actions(current, "assessment_submitted") == 1
    assert actions(participation, "assessment_submitted") == 1


def test_assessment_page_submitted_twice_shows_the_first_page(client):
    participation, _rep, expert, _officer, current = submitted()
    client.force_login(expert)
    url = reverse("mentoring:assessment", args=[participation.pk])
    response = client.post(url, {"submit": "1"})
    assert (response.status_code, response["Location"]) == (
        302,
        reverse("mentoring:plan", args=[participation.pk]),
    )
    assert texts(response) == ["Assessment submitted. Next: the action plan."]
    assert actions(current, "assessment_submitted") == 1


def test_assessment_returned_twice_mails_the_lead_once():
    _participation, _rep, _expert, officer, current = submitted()
    assessment_service.return_assessment(officer, current, "Explain the score.")
    assessment_service.return_assessment(officer, current, "Explain the score.")
    assert actions(current, "assessment_returned") == 1
    assert OutboxMessage.objects.filter(kind="assessment_returned").count() == 1


def test_plan_asked_twice_while_queued_makes_one_version():
    participation, _rep, expert, _officer, _current = submitted()
    first = plan_versions.request_version(expert, participation, "en")
    again = plan_versions.request_version(expert, participation, "en")
    assert (again, PlanVersion.objects.filter(participation=participation).count()) == (first, 1)


def test_plan_retried_twice_is_queued_once():
    participation, _rep, expert, _officer, _current = submitted()
    version = plan_versions.request_version(expert, participation, "en")
    PlanVersion.objects.filter(pk=version.pk).update(state=PlanVersion.State.FAILED)
    plan_versions.retry_version(expert, version)
    again = plan_versions.retry_version(expert, version)
    assert again.state == PlanVersion.State.QUEUED
    assert actions(version, "plan_retry") == 1


def test_retry_of_a_ready_version_is_refused():
    participation, _rep, expert, _officer, _current = submitted()
    version = plan_versions.request_version(expert, participation, "en")
    PlanVersion.objects.filter(pk=version.pk).update(state=PlanVersion.State.READY)
    with refused("wrong_state") as refusal:
        plan_versions.retry_version(expert, version)
    assert refusal.value.code == "wrong_state"


def test_session_cancelled_twice_tells_both_sides_once(client):
    participation, representative, mentor, _staff = assigned()
    session = schedule(participation, mentor)
    session_service.cancel_session(mentor, session, "Ill")
    session_service.cancel_session(representative, session, "Ill")
    assert actions(session, "session_cancelled") == 1
    assert OutboxMessage.objects.filter(kind="session_cancelled").count() == 2  # both sides
    client.force_login(mentor)
    response = client.post(reverse("mentoring:session_cancel", args=[session.pk]), {"reason": ""})
    assert (response.status_code, response["Location"]) == (
        302,
        reverse("mentoring:participant", args=[participation.pk]),
    )
    assert texts(response) == ["Session cancelled; both sides were told."]


def test_slot_booked_twice_from_the_page_makes_one_session(client):
    participation, representative, mentor, _staff = assigned()
    slot = slots.offer_slot(
        mentor, starts_at=timezone.now() + timedelta(days=4), meeting_url="https://m.example.org"
    )
    client.force_login(representative)
    url = reverse("mentoring:book", args=[participation.pk])
    posts = [client.post(url, {"slot": slot.pk, "agenda": "Licensing"}) for _ in range(2)]
    session = participation.sessions.get()
    target = reverse("mentoring:session", args=[session.pk])
    assert [(r.status_code, r["Location"]) for r in posts] == [(302, target)] * 2
    assert actions(session, "session_booked") == 1


def test_a_slot_taken_by_one_participant_is_refused_to_another():
    participation, _representative, mentor, staff = assigned()
    other, other_rep = participant()
    assigned(other, mentor, officer_user=staff)
    slot = slots.offer_slot(
        mentor, starts_at=timezone.now() + timedelta(days=4), meeting_url="https://m.example.org"
    )
    slots.book_slot(_representative, participation, slot)
    with refused("wrong_state"):
        slots.book_slot(other_rep, other, slot)


def test_reschedule_to_the_same_time_sends_no_new_invitation():
    participation, _rep, mentor, _staff = assigned()
    session = schedule(participation, mentor)
    session_service.reschedule_session(mentor, session, starts_at=session.starts_at)
    session.refresh_from_db()
    assert (session.sequence, actions(session, "session_rescheduled")) == (0, 0)


def test_session_rated_twice_alike_records_one_rating():
    participation, representative, mentor, _staff = assigned()
    session = held_session(participation, mentor)
    session_notes.rate_session(representative, session, 4, "Helpful")
    session_notes.rate_session(representative, session, 4, "Helpful")
    assert actions(Session.objects.get(pk=session.pk), "session_rated") == 1


def test_follow_up_ticked_twice_records_once():
    participation, representative, mentor, _staff = assigned()
    session = held_session(
        participation, mentor, follow_ups=[{"title": "Send the licence", "owner": "CEO"}]
    )
    follow_up = session.follow_ups.get()
    session_notes.set_follow_up_done(representative, follow_up)
    session_notes.set_follow_up_done(representative, follow_up)  # the stale object says open
    assert actions(follow_up, "follow_up_done") == 1


def test_follow_up_report_submitted_twice_records_once(django_capture_on_commit_callbacks):
    from .test_follow_up import ended, submit

    participation, representative, expert, _officer, _current = submitted(items=1)
    with django_capture_on_commit_callbacks(execute=True):
        version = plan_versions.request_version(expert, participation, "en")
    from .plan_helpers import lead

    plan_versions.sign_off(lead(), version)
    ended(participation, 200)
    follow_up_service.open_follow_up_reports()
    submit(participation, representative, 6)
    submit(participation, representative, 6)
    report = FollowUpReport.objects.get(participation=participation, round=6)
    assert actions(report, "follow_up_submitted") == 1


def test_slot_withdrawn_twice_records_once():
    _participation, _rep, mentor, _staff = assigned()
    slot = slots.offer_slot(
        mentor, starts_at=timezone.now() + timedelta(days=4), meeting_url="https://m.example.org"
    )
    slots.withdraw_slot(mentor, slot)
    slots.withdraw_slot(mentor, slot)
    assert actions(slot, "slot_withdrawn") == 1


def test_expert_unassigned_twice_records_once():
    from mentoring.services import matching

    participation, _rep, _mentor, staff = assigned()
    assignment = participation.assignments.get()
    matching.unassign_expert(staff, assignment)
    matching.unassign_expert(staff, assignment)  # the stale object says active
    assert actions(participation, "expert_unassigned") == 1


def test_action_item_deleted_twice_records_once():
    from mentoring.services import action_plan

    _participation, _rep, expert, _officer, current = submitted(items=0)
    item = action_plan.add_item(expert, current, **item_values(current))
    action_plan.delete_item(expert, item)
    action_plan.delete_item(expert, item)
    assert actions(item, "action_deleted") == 1
