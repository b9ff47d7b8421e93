from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.utils import timezone
from viewflow.workflow.status import STATUS

from clinic import roles
from clinic.models import AuditLog, OutboxMessage
from cohorts import flows
from cohorts.models import Application, Conflict, Review
from cohorts.services import reviews
from cohorts.services.rubric import ensure_rubric
from tests.factories import CohortFactory, eligible_application, make_user, submitted_application
from tests.refusals import refused

pytestmark = pytest.mark.django_db


def full_scores(cohort, value=4):
    return {c.pk: value for c in ensure_rubric(cohort)}


def test_assign_reviewer_starts_review_and_notifies():
    application, _ = eligible_application()
    officer, reviewer = make_user(roles.OFFICER), make_user(roles.REVIEWER)
    review = reviews.assign_reviewer(officer, application, reviewer)
    application.refresh_from_db()
    assert (review.state, application.state) == (Review.State.ASSIGNED, "under_review")
    assert OutboxMessage.objects.get(recipient=reviewer).kind == "review_assigned"
    assert AuditLog.objects.for_object(application).filter(action="review_started").count() == 1


def test_assign_reviewer_by_non_officer_is_refused():
    application, _ = eligible_application()
    with refused("not_permitted"):
        reviews.assign_reviewer(make_user(roles.REVIEWER), application, make_user(roles.REVIEWER))


def test_assign_reviewer_before_eligible_is_refused():
    application, _ = submitted_application()
    with refused("wrong_state"):
        reviews.assign_reviewer(make_user(roles.OFFICER), application, make_user(roles.REVIEWER))


def test_assign_representative_as_reviewer_is_refused():
    application, representative = eligible_application()
    representative.groups.add(Group.objects.get(name=roles.REVIEWER))
    with refused("wrong_state"):
        reviews.assign_reviewer(make_user(roles.OFFICER), application, representative)


def test_assign_non_reviewer_is_refused():
    application, _ = eligible_application()
    with refused("invalid"):
        reviews.assign_reviewer(make_user(roles.OFFICER), application, make_user(roles.EXPERT))


def test_auto_assign_balances_load_and_skips_conflicts():
    cohort = CohortFactory(reviewers_per_application=2)
    officer = make_user(roles.OFFICER)
    reviewers = [make_user(roles.REVIEWER) for _ in range(4)]
    apps = [eligible_application(officer, cohort=cohort)[0] for _ in range(6)]
    Conflict.objects.create(reviewer=reviewers[0], company=apps[0].company)
    created = reviews.auto_assign(officer, cohort)
    assert created == 12
    loads = sorted(Review.objects.filter(reviewer=r).count() for r in reviewers)
    assert loads == [3, 3, 3, 3]
    assert not Review.objects.filter(reviewer=reviewers[0], application=apps[0]).exists()
    assert all(a.reviews.count() == 2 for a in Application.objects.filter(cohort=cohort))
    assert reviews.auto_assign(officer, cohort) == 0
    # one message per reviewer, not per application
    assert OutboxMessage.objects.filter(kind="review_assigned").count() == 4


def test_auto_assign_never_picks_a_representative():
    cohort = CohortFactory(reviewers_per_application=1)
    officer = make_user(roles.OFFICER)
    application, representative = eligible_application(officer, cohort=cohort)
    representative.groups.add(Group.objects.get(name=roles.REVIEWER))
    other = make_user(roles.REVIEWER)
    reviews.auto_assign(officer, cohort)
    assert list(application.reviews.values_list("reviewer", flat=True)) == [other.pk]


def test_declare_conflict_drops_submitted_review_and_asks_officers():
    cohort = CohortFactory(min_reviews=1)
    officer = make_user(roles.OFFICER)
    application, _ = eligible_application(officer, cohort=cohort)
    reviewer = make_user(roles.REVIEWER)
    review = reviews.assign_reviewer(officer, application, reviewer)
    reviews.save_review(reviewer, review, full_scores(cohort), submit=True)
    reviews.declare_conflict(reviewer, review, "My cousin runs it")
    review.refresh_from_db()
    assert review.state == Review.State.CONFLICTED
    assert Conflict.objects.get().company == application.company
    assert OutboxMessage.objects.filter(kind="reviewer_conflict", recipient=officer).count() == 1
    with refused("wrong_state"):
        reviews.assign_reviewer(officer, application, reviewer)


def test_declare_conflict_on_someone_elses_review_is_refused():
    application, _ = eligible_application()
    review = reviews.assign_reviewer(
        make_user(roles.OFFICER), application, make_user(roles.REVIEWER)
    )
    with refused("not_permitted"):
        reviews.declare_conflict(make_user(roles.REVIEWER), review)


def test_save_review_draft_then_submit_completes_flow_at_minimum():
    cohort = CohortFactory(min_reviews=2)
    officer = make_user(roles.OFFICER)
    application, _ = eligible_application(officer, cohort=cohort)
    first, second = make_user(roles.REVIEWER), make_user(roles.REVIEWER)
    r1 = reviews.assign_reviewer(officer, application, first)
    r2 = reviews.assign_reviewer(officer, application, second)
    reviews.save_review(first, r1, {}, comment="half done")
    assert Review.objects.get(pk=r1.pk).state == Review.State.DRAFT
    reviews.save_review(first, r1, full_scores(cohort), submit=True)
    assert flows.open_task(application, flows.ApplicationFlow.reviews).status == STATUS.NEW
    reviews.save_review(second, r2, full_scores(cohort, 3), submit=True)
    assert flows.open_task(application, flows.ApplicationFlow.reviews) is None
    assert flows.open_task(application, flows.ApplicationFlow.decision).status == STATUS.NEW


def test_submit_review_with_missing_score_names_criterion():
    application, _ = eligible_application()
    reviewer = make_user(roles.REVIEWER)
    review = reviews.assign_reviewer(make_user(roles.OFFICER), application, reviewer)
    scores = full_scores(application.cohort)
    missing = next(iter(scores))
    scores[missing] = None
    with pytest.raises(ValidationError) as raised:
        reviews.save_review(reviewer, review, scores, submit=True)
    assert list(raised.value.message_dict) == [f"criterion_{missing}"]
    assert Review.objects.get(pk=review.pk).state == Review.State.ASSIGNED


@pytest.mark.parametrize("bad", [0, 6, -1])
def test_save_review_with_score_outside_range_is_refused(bad):
    application, _ = eligible_application()
    reviewer = make_user(roles.REVIEWER)
    review = reviews.assign_reviewer(make_user(roles.OFFICER), application, reviewer)
    scores = full_scores(application.cohort)
    scores[next(iter(scores))] = bad
    with pytest.raises(ValidationError):
        reviews.save_review(reviewer, review, scores)
    assert review.scores.count() == 0


def test_abstain_submits_without_scores():
    application, _ = eligible_application()
    reviewer = make_user(roles.REVIEWER)
    review = reviews.assign_reviewer(make_user(roles.OFFICER), application, reviewer)
    reviews.save_review(reviewer, review, {}, abstained=True, submit=True)
    review.refresh_from_db()
    assert (review.state, review.abstained, review.scores.count()) == ("submitted", True, 0)


def test_submitted_review_cannot_change():
    application, _ = eligible_application()
    reviewer = make_user(roles.REVIEWER)
    review = reviews.assign_reviewer(make_user(roles.OFFICER), application, reviewer)
    reviews.save_review(reviewer, review, full_scores(application.cohort), submit=True)
    with refused("wrong_state"):
        reviews.save_review(reviewer, review, full_scores(application.cohort, 1), submit=True)


def test_review_by_other_user_is_refused():
    application, _ = eligible_application()
    review = reviews.assign_reviewer(
        make_user(roles.OFFICER), application, make_user(roles.REVIEWER)
    )
    with refused("not_permitted"):
        reviews.save_review(make_user(roles.REVIEWER), review, {})


def test_unassign_open_review_and_not_submitted_one():
    application, _ = eligible_application()
    officer, reviewer = make_user(roles.OFFICER), make_user(roles.REVIEWER)
    review = reviews.assign_reviewer(officer, application, reviewer)
    reviews.unassign_reviewer(officer, review)
    assert Review.objects.get(pk=review.pk).state == Review.State.REMOVED
    review = reviews.assign_reviewer(officer, application, reviewer)
    reviews.save_review(reviewer, review, full_scores(application.cohort), submit=True)
    with refused("wrong_state"):
        reviews.unassign_reviewer(officer, review)


def test_next_review_picks_application_with_fewest_reviews():
    cohort = CohortFactory()
    officer = make_user(roles.OFFICER)
    me, other = make_user(roles.REVIEWER), make_user(roles.REVIEWER)
    busy, _ = eligible_application(officer, cohort=cohort)
    quiet, _ = eligible_application(officer, cohort=cohort)
    mine_busy = reviews.assign_reviewer(officer, busy, me)
    mine_quiet = reviews.assign_reviewer(officer, quiet, me)
    other_review = reviews.assign_reviewer(officer, busy, other)
    reviews.save_review(other, other_review, full_scores(cohort), submit=True)
    assert reviews.next_review(me) == mine_quiet
    assert reviews.next_review(me, exclude=mine_quiet) == mine_busy


def test_review_reminders_sent_once_within_lead_time():
    cohort = CohortFactory(review_deadline=timezone.now() + timedelta(days=5), reminder_lead_days=2)
    officer = make_user(roles.OFFICER)
    application, _ = eligible_application(officer, cohort=cohort)
    reviewer = make_user(roles.REVIEWER)
    reviews.assign_reviewer(officer, application, reviewer)
    assert reviews.send_review_reminders() == 0
    later = timezone.now() + timedelta(days=3, hours=1)
    assert reviews.send_review_reminders(now=later) == 1
    assert reviews.send_review_reminders(now=later) == 0
    assert OutboxMessage.objects.filter(kind="review_reminder", recipient=reviewer).count() == 1


def test_auto_assign_by_non_officer_is_refused():
    with refused("not_permitted"):
        reviews.auto_assign(make_user(roles.REVIEWER), CohortFactory())


def test_resolve_conflict_by_officer_records_time():
    application, _ = eligible_application()
    officer, reviewer = make_user(roles.OFFICER), make_user(roles.REVIEWER)
    review = reviews.assign_reviewer(officer, application, reviewer)
    reviews.declare_conflict(reviewer, review)
    conflict = Conflict.objects.get()
    with refused("not_permitted"):
        reviews.resolve_conflict(reviewer, conflict)
    reviews.resolve_conflict(officer, conflict)
    assert Conflict.objects.get().resolved_at is not None


def test_periodic_jobs_are_registered():
    from clinic import jobs

    names = {f"{job.__module__}.{job.__name__}" for job in jobs._JOBS}
    assert {
        "cohorts.jobs.withdraw_overdue_applications",
        "cohorts.jobs.remind_reviewers",
        "cohorts.jobs.remind_information_requests",
    } <= names


def test_unassign_by_non_officer_is_refused():
    application, _ = eligible_application()
    reviewer = make_user(roles.REVIEWER)
    review = reviews.assign_reviewer(make_user(roles.OFFICER), application, reviewer)
    with refused("not_permitted"):
        reviews.unassign_reviewer(reviewer, review)
