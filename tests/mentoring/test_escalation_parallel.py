"""Integration: the escalation job run twice at the same moment (two beat workers, PostgreSQL)
escalates each overdue item once: one audit record, one mail per overseer."""

import pytest

from clinic.models import AuditLog, OutboxMessage
from cohorts.escalation import escalate_deadlines
from cohorts.models import Deadline
from tests.parallel import at_once, require_postgres

from .test_escalation import past_session

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def test_two_jobs_at_once_escalate_and_remind_once():
    require_postgres()
    overdue, _expert, officer = past_session(days_ago=9)
    soon, expert, _other_officer = past_session(days_ago=6)

    outcomes = at_once([escalate_deadlines, escalate_deadlines])

    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    assert sum(o["escalated"] for o in outcomes) == 1
    assert sum(o["reminded"] for o in outcomes) == 1
    assert Deadline.objects.filter(kind="notes").count() == 2
    log = AuditLog.objects.for_object(overdue).filter(action="deadline_escalated")
    assert log.count() == 1
    assert OutboxMessage.objects.filter(kind="deadline_escalated", recipient=officer).count() == 1
    assert OutboxMessage.objects.filter(kind="deadline_reminder", recipient=expert).count() == 1
    assert not AuditLog.objects.for_object(soon).filter(action="deadline_escalated").exists()
