"""Strategy assessment: readiness, start / save / submit / return, the flow, the reminder."""

from datetime import timedelta

import pytest
from django.utils import timezone
from viewflow.workflow.status import STATUS

from clinic.models import AuditLog, OutboxMessage
from mentoring.flows import process_of
from mentoring.models import Assessment, Participation, Session
from mentoring.services import assessment as service
from tests.refusals import refused

from .plan_helpers import scores, started, submitted

pytestmark = pytest.mark.django_db


def open_tasks(participation):
    return sorted(
        task.flow_task.name
        for task in process_of(participation).task_set.exclude(
            status__in=[STATUS.DONE, STATUS.CANCELED]
        )
    )


def test_readiness_is_mean_of_answered_dimensions_as_percent_of_four():
    assert service.readiness([4, 2, None, 0, 3]) == 56.2


def test_readiness_all_strategic_is_one_hundred():
    assert service.readiness([4] * 11) == 100.0


def test_readiness_nothing_answered_is_none():
    assert service.readiness([None, None]) is None


def test_readiness_leaves_unanswered_dimensions_out():
    assert service.readiness([2, None, None]) == 50.0


def test_start_assessment_moves_participation_to_assessment_stage():
    participation, _rep, _expert, _officer, current = started()
    assert (participation.state, current.state, current.scores.count()) == (
        "assessment",
        "draft",
        11,
    )
    assert open_tasks(participation) == ["assessment"]


def test_start_assessment_by_support_expert_is_refused():

    from .helpers import assigned, expert, participant

    participation, _rep = participant()
    participation, _rep, _lead, staff = assigned(participation)
    support = expert()
    assigned(participation, support, role="support", officer_user=staff)
    with refused("not_permitted"):
        service.start_assessment(support, participation)


def test_submit_assessment_moves_to_plan_review_and_completes_assessment_stage():
    participation, *_rest, current = submitted()
    assert (participation.state, current.state) == ("plan_review", "submitted")
    assert open_tasks(participation) == ["plan"]


def test_submit_assessment_without_targets_is_refused():
    participation, _rep, expert, _officer, current = started()
    service.save_assessment(expert, current, scores=scores(targets={}), executive_summary="Summary")
    with refused("wrong_state"):
        service.submit_assessment(expert, current)
    assert Assessment.objects.get(pk=current.pk).state == "draft"


def test_submit_assessment_without_summary_is_refused():
    participation, _rep, expert, _officer, current = started()
    service.save_assessment(expert, current, scores=scores(), executive_summary="  ")
    with refused("invalid"):
        service.submit_assessment(expert, current)


def test_save_assessment_level_above_four_is_refused():
    participation, _rep, expert, _officer, current = started()
    with refused("invalid"):
        service.save_assessment(expert, current, scores={1: {"maturity": 5, "target": 4}})


def test_return_assessment_sends_it_back_with_comment_and_notifies_lead():
    participation, _rep, expert, officer, current = submitted()
    service.return_assessment(officer, current, "Explain the enforcement score.")
    current.refresh_from_db()
    participation.refresh_from_db()
    assert (current.state, current.return_comment, participation.state) == (
        "returned",
        "Explain the enforcement score.",
        "assessment",
    )
    assert list(
        OutboxMessage.objects.filter(kind="assessment_returned").values_list("recipient", flat=True)
    ) == [expert.pk]


def test_resubmitted_assessment_goes_back_to_plan_review():
    participation, _rep, expert, officer, current = submitted()
    service.return_assessment(officer, current, "Explain the enforcement score.")
    service.submit_assessment(expert, current)
    participation.refresh_from_db()
    assert (participation.state, open_tasks(participation)) == ("plan_review", ["plan"])


def test_return_assessment_by_expert_is_refused():

    participation, _rep, expert, _officer, current = submitted()
    with refused("not_permitted"):
        service.return_assessment(expert, current, "No")


def test_assessment_transitions_are_audited():
    participation, _rep, expert, officer, current = submitted()
    actions = list(
        AuditLog.objects.filter(object_type="mentoring.assessment", object_id=str(current.pk))
        .exclude(action="assessment_saved")
        .order_by("pk")
        .values_list("action", "from_state", "to_state")
    )
    assert actions == [
        ("assessment_started", "", "draft"),
        ("assessment_submitted", "draft", "submitted"),
    ]


def _finish_target_sessions(participation, ended_days_ago):
    target = participation.cohort.target_sessions
    from .helpers import schedule

    expert = participation.assignments.get().expert
    for number in range(target):
        session = schedule(participation, expert)
        Session.objects.filter(pk=session.pk).update(
            status="held",
            starts_at=timezone.now() - timedelta(days=ended_days_ago + target - number),
        )


def test_assessment_reminder_goes_to_lead_14_days_after_last_target_session():
    from .helpers import assigned, participant

    participation, _rep, expert, _officer = assigned(participant()[0])
    _finish_target_sessions(participation, ended_days_ago=15)
    assert service.send_assessment_reminders() == 1
    assert service.send_assessment_reminders() == 0
    assert list(
        OutboxMessage.objects.filter(kind="assessment_reminder").values_list("recipient", flat=True)
    ) == [expert.pk]


def test_assessment_reminder_not_sent_before_14_days():
    from .helpers import assigned, participant

    participation, _rep, _expert, _officer = assigned(participant()[0])
    _finish_target_sessions(participation, ended_days_ago=10)
    assert service.send_assessment_reminders() == 0


def test_assessment_reminder_not_sent_once_submitted():
    participation, *_rest = submitted()
    Participation.objects.filter(pk=participation.pk).update(state="assessment")
    _finish_target_sessions(participation, ended_days_ago=30)
    assert service.send_assessment_reminders() == 0


def test_moving_assessment_date_past_an_action_due_date_is_refused():
    participation, _rep, expert, _officer, current = submitted()
    later = current.assessed_on + timedelta(days=60)
    current.state = "draft"
    current.save()
    with refused("wrong_state"):
        service.save_assessment(expert, current, scores={}, assessed_on=later)
    assert Assessment.objects.get(pk=current.pk).assessed_on == current.assessed_on
