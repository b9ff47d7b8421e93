"""Escalation: a reminder before each deadline, the overseer told once after it, audited once
per item and deadline, overdue on My tasks (cohorts.escalation with the mentoring sources)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from clinic import roles
from clinic.models import AuditLog, OutboxMessage
from cohorts.escalation import escalate_deadlines
from cohorts.models import Deadline, SelectionProposal
from mentoring.models import Session
from mentoring.services import session_notes
from tests.clinic.test_chinese_text import require_compiled
from tests.factories import CohortFactory, make_user

from .helpers import assigned, schedule

pytestmark = pytest.mark.django_db


def past_session(days_ago):
    """A session that ended ``days_ago`` days ago and whose notes were never logged."""
    participation, _rep, expert, officer = assigned()
    session = schedule(participation, expert, days=5)
    Session.objects.filter(pk=session.pk).update(
        starts_at=timezone.now() - timedelta(days=days_ago, minutes=session.duration_minutes)
    )
    session.refresh_from_db()
    return session, expert, officer


def mails(kind):
    return OutboxMessage.objects.filter(kind=kind)


def escalations(obj):
    return AuditLog.objects.for_object(obj).filter(action="deadline_escalated")


def test_unlogged_notes_are_escalated_to_every_officer_once_and_audited_once():
    session, expert, officer = past_session(days_ago=8)
    other = make_user(roles.OFFICER, preferred_language="zh-hans")

    first = escalate_deadlines()
    second = escalate_deadlines()

    assert first["escalated"] == 1 and second["escalated"] == 0
    assert escalations(session).count() == 1
    told = mails("deadline_escalated")
    assert sorted(told.values_list("recipient", flat=True)) == sorted([officer.pk, other.pk])
    assert told.get(recipient=other).language == "zh-hans"
    assert session.participation.company.legal_name in told.get(recipient=officer).body
    assert not mails("deadline_escalated").filter(recipient=expert).exists()


def test_reminder_goes_to_the_owner_the_lead_time_before_and_only_once():
    session, expert, _officer = past_session(days_ago=6)  # notes due in 1 day, lead time 2

    escalate_deadlines()
    escalate_deadlines()

    reminders = mails("deadline_reminder")
    assert list(reminders.values_list("recipient", flat=True)) == [expert.pk]
    assert "Session notes" in reminders.get().subject
    assert not mails("deadline_escalated").exists()


def test_nothing_is_sent_before_the_reminder_lead_time():
    past_session(days_ago=2)
    assert escalate_deadlines() == {"reminded": 0, "escalated": 0}
    assert not OutboxMessage.objects.filter(kind__startswith="deadline_").exists()


def test_the_cohorts_offset_sets_the_deadline():
    session, _expert, _officer = past_session(days_ago=4)
    assert escalate_deadlines()["escalated"] == 0
    session.participation.cohort.__class__.objects.filter(
        pk=session.participation.cohort_id
    ).update(notes_days=3)
    assert escalate_deadlines()["escalated"] == 1
    row = Deadline.objects.get(kind="notes", resolved_at__isnull=True)
    assert row.due_at == session.ends_at + timedelta(days=3)


def test_overdue_item_shows_on_the_owners_my_tasks_and_leaves_once_done(client):
    session, expert, officer = past_session(days_ago=9)
    escalate_deadlines()
    client.force_login(expert)
    page = client.get(reverse("home")).content.decode()
    assert "Overdue: Session notes" in page
    assert reverse("mentoring:notes", args=[session.pk]) in page

    session_notes.save_notes(  # locked for the expert by now: an officer logs them
        officer,
        session,
        outcome=Session.Status.HELD,
        summary="Late notes",
        dimensions=[1],
        recommendations="",
        private_notes="",
        follow_ups=[],
        share=True,
        now=timezone.now(),
    )
    escalate_deadlines()
    assert not Deadline.objects.filter(kind="notes", resolved_at__isnull=True).exists()
    assert "Overdue: Session notes" not in client.get(reverse("home")).content.decode()


def test_submitted_selection_waiting_past_its_days_is_escalated_to_the_leads():
    cohort = CohortFactory(approval_days=3)
    lead = make_user(roles.LEAD)
    officer = make_user(roles.OFFICER)
    proposal = SelectionProposal.objects.create(
        cohort=cohort,
        state=SelectionProposal.State.SUBMITTED,
        started_by=officer,
        submitted_at=timezone.now() - timedelta(days=4),
    )
    escalate_deadlines()
    told = mails("deadline_escalated")
    assert list(told.values_list("recipient", flat=True)) == [lead.pk]
    assert not told.filter(recipient=officer).exists()
    assert escalations(proposal).count() == 1
    assert "Nobody has taken this task yet." in told.get().body


def test_review_deadline_passed_tells_the_officers_about_the_reviewer():
    from tests.factories import eligible_application

    officer = make_user(roles.OFFICER)
    application, _rep = eligible_application(officer)
    cohort = application.cohort
    cohort.review_deadline = timezone.now() - timedelta(hours=1)
    cohort.save(update_fields=["review_deadline"])
    reviewer = make_user(roles.REVIEWER, first_name="Rita", last_name="Late")
    from cohorts.services import reviews

    reviews.assign_reviewer(officer, application, reviewer)
    escalate_deadlines()
    told = mails("deadline_escalated").get(recipient=officer)
    assert "Rita Late" in told.body
    assert escalations(cohort).count() == 1


def test_chinese_officer_reads_the_escalation_in_chinese():
    require_compiled("Overdue: %(kind)s for %(item)s")
    past_session(days_ago=8)
    other = make_user(roles.OFFICER, preferred_language="zh-hans")
    escalate_deadlines()
    assert "逾期" in mails("deadline_escalated").get(recipient=other).subject
