"""Integration: mentoring and core services called at once from several threads (PostgreSQL):
exactly one effect each."""

from functools import partial

import pytest

from clinic import roles
from clinic.models import AuditLog, OutboxMessage
from clinic.services import ipaudit, outbox
from mentoring.models import Assessment, PlanVersion, Session
from mentoring.services import assessment as assessment_service
from mentoring.services import plan_versions
from mentoring.services import sessions as session_service
from tests.factories import answer_required, audit_with_representative, make_user
from tests.parallel import at_once, require_postgres

from .helpers import assigned, schedule
from .plan_helpers import scores, started

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def audit_count(obj, action):
    return AuditLog.objects.for_object(obj).filter(action=action).count()


def kinds(outcomes):
    return [type(outcome).__name__ for outcome in outcomes]


def test_four_parallel_assessment_submissions_record_one():
    require_postgres()
    participation, _rep, expert, _officer, current = started()
    assessment_service.save_assessment(
        expert, current, scores=scores(), executive_summary="Informal IP management."
    )

    outcomes = at_once([partial(assessment_service.submit_assessment, expert, current)] * 4)

    assert kinds(outcomes) == ["Assessment"] * 4
    assert Assessment.objects.get(pk=current.pk).state == Assessment.State.SUBMITTED
    assert audit_count(current, "assessment_submitted") == 1
    assert audit_count(participation, "assessment_submitted") == 1


def test_four_parallel_plan_requests_make_one_version():
    require_postgres()
    participation, _rep, expert, _officer, current = started()
    assessment_service.save_assessment(
        expert, current, scores=scores(), executive_summary="Informal IP management."
    )
    assessment_service.submit_assessment(expert, current)

    outcomes = at_once([partial(plan_versions.request_version, expert, participation, "en")] * 4)

    assert kinds(outcomes) == ["PlanVersion"] * 4
    assert PlanVersion.objects.filter(participation=participation).count() == 1


def test_four_parallel_audit_submissions_make_one_round():
    require_postgres()
    audit, representative = audit_with_representative()
    answer_required(audit, representative)

    outcomes = at_once([partial(ipaudit.submit_audit, representative, audit)] * 4)

    assert kinds(outcomes) == ["IPAudit"] * 4
    assert audit.rounds.count() == 1
    assert audit_count(audit, "audit_submitted") == 1
    assert OutboxMessage.objects.filter(kind="audit_submitted").count() == 1


def test_both_sides_cancelling_at_once_cancel_once():
    require_postgres()
    participation, representative, mentor, _staff = assigned()
    session = schedule(participation, mentor)

    outcomes = at_once(
        [
            partial(session_service.cancel_session, user, session, "Ill")
            for user in (mentor, representative, mentor, representative)
        ]
    )

    assert kinds(outcomes) == ["Session"] * 4
    assert Session.objects.get(pk=session.pk).sequence == 1
    assert audit_count(session, "session_cancelled") == 1
    assert OutboxMessage.objects.filter(kind="session_cancelled").count() == 2


def test_two_officers_retrying_a_failed_message_at_once_queue_it_once(settings):
    require_postgres()
    settings.EMAIL_BACKEND = "tests.clinic.failing_mail.BrokenBackend"
    message = outbox.queue_message(make_user(roles.EXPERT), "verify_email", {"link": "/x/"})
    OutboxMessage.objects.filter(pk=message.pk).update(status=OutboxMessage.Status.FAILED)
    officers = [make_user(roles.OFFICER) for _ in range(4)]

    outcomes = at_once([partial(outbox.retry_failed, message, officer) for officer in officers])

    assert kinds(outcomes) == ["OutboxMessage"] * 4
    assert audit_count(message, "retry") == 1
