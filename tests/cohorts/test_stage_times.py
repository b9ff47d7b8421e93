"""The first time each application reached each funnel stage, stamped by the moves that reach
it (never overwritten by a later one) and computed from the history by the backfill."""

from datetime import timedelta

import pytest
from django.utils import timezone

from clinic import roles
from clinic.models import AuditLog
from cohorts.models import Application, Review
from cohorts.services import applications, cohorts, confirmation, reviews, screening
from cohorts.services.rubric import ensure_rubric
from cohorts.services.stage_times import backfill
from tests.factories import (
    CohortFactory,
    application_with_reviewers,
    eligible_application,
    make_user,
)

from .selection_helpers import applicant, approved, selection_cohort, staff

pytestmark = pytest.mark.django_db
State = Application.State
STAGES = ("eligible_at", "reviewed_at", "selected_at", "confirmed_at")


def fresh(application):
    return Application.objects.get(pk=application.pk)


def stamps(application):
    return list(Application.objects.filter(pk=application.pk).values_list(*STAGES).get())


def record_time(application, action):
    return AuditLog.objects.get(object_id=str(application.pk), action=action).created_at


def full_scores(cohort, value=4):
    return {c.pk: value for c in ensure_rubric(cohort)}


def test_confirm_eligible_stamps_the_screening_time_and_a_second_confirmation_keeps_it():
    application, representative = eligible_application()
    first = fresh(application)
    assert first.eligible_at == first.screened_at is not None
    assert stamps(application)[1:] == [None, None, None]
    applications.withdraw(representative, application)
    applications.reopen(representative, application)
    applications.submit(representative, fresh(application))
    screening.confirm_eligible(make_user(roles.OFFICER), fresh(application))
    again = fresh(application)
    assert again.state == State.ELIGIBLE and again.screened_at > first.screened_at
    assert again.eligible_at == first.eligible_at


def test_other_screening_decisions_stamp_nothing():
    from tests.factories import submitted_application

    application, _rep = submitted_application()
    screening.mark_ineligible(make_user(roles.OFFICER), application, "Outside the region")
    assert fresh(application).screened_at is not None
    assert stamps(application) == [None, None, None, None]


def test_reviewed_is_stamped_by_the_review_reaching_the_minimum_and_kept_after_a_conflict():
    cohort, officer, application, _rep, people, assigned = application_with_reviewers(2, 3)
    reviews.save_review(people[0], assigned[0], full_scores(cohort), submit=True)
    assert fresh(application).reviewed_at is None
    reviews.save_review(people[1], assigned[1], {}, abstained=True, submit=True)
    second = Review.objects.get(pk=assigned[1].pk).submitted_at
    assert fresh(application).reviewed_at == second
    reviews.save_review(people[2], assigned[2], full_scores(cohort, 2), submit=True)
    reviews.declare_conflict(people[0], Review.objects.get(pk=assigned[0].pk), "A cousin")
    assert fresh(application).reviewed_at == second


def test_changing_min_reviews_computes_reviewed_again():
    cohort = CohortFactory(min_reviews=2, reviewers_per_application=3)
    officer = make_user(roles.OFFICER)
    application, _ = eligible_application(officer, cohort=cohort)
    reviewer = make_user(roles.REVIEWER)
    review = reviews.assign_reviewer(officer, application, reviewer)
    reviews.save_review(reviewer, review, full_scores(cohort), submit=True)
    assert fresh(application).reviewed_at is None
    cohort.min_reviews = 1
    cohorts.save_cohort(make_user(roles.OFFICER), cohort, ["min_reviews"])
    assert fresh(application).reviewed_at == Review.objects.get(pk=review.pk).submitted_at
    cohort.min_reviews = 3
    cohorts.save_cohort(make_user(roles.OFFICER), cohort, ["min_reviews"])
    assert fresh(application).reviewed_at is None


def test_publishing_stamps_the_selected_the_offer_its_own_time_and_confirming_the_answer():
    cohort = selection_cohort(waitlist_length=2)
    people = [applicant(cohort, score) for score in (5, 4, 3, 2, 1)]
    officer, _o2, lead = staff()
    approved(cohort, officer, lead)
    first, waiting = fresh(people[0][0]), fresh(people[3][0])
    assert first.state == State.SELECTED and first.selected_at == first.decided_at
    assert (waiting.state, waiting.selected_at) == (State.WAITLISTED, None)
    before = timezone.now()
    confirmation.decline_place(people[0][1], first, "We cannot attend.")
    offered = fresh(waiting)
    assert offered.state == State.SELECTED and offered.decided_at == waiting.decided_at
    assert before <= offered.selected_at <= record_time(offered, "place_offered")
    assert fresh(first).selected_at == first.selected_at  # declining keeps it
    answered = timezone.now() - timedelta(minutes=5)
    confirmation.confirm_place(people[3][1], offered, cohort.terms_version, at=answered)
    confirmed = fresh(offered)
    assert (confirmed.confirmed_at, confirmed.selected_at) == (answered, offered.selected_at)
    kept = stamps(confirmed)
    confirmation.confirm_place(people[3][1], confirmed, cohort.terms_version)  # a double click
    assert stamps(confirmed) == kept


def test_backfill_computes_from_the_history_what_the_moves_stamped():
    open_until = timezone.now() + timedelta(days=1)
    cohort = selection_cohort(waitlist_length=2, min_reviews=2, applications_close_at=open_until)
    officer, _o2, lead = staff()
    made = []
    for score in (5, 4, 3, 2):
        application, representative = eligible_application(officer, cohort=cohort)
        people = [make_user(roles.REVIEWER) for _n in range(2)]
        for person in people:
            review = reviews.assign_reviewer(officer, application, person)
            reviews.save_review(person, review, full_scores(cohort, score), submit=True)
        made.append((application, representative))
    cohort.capacity, cohort.applications_close_at = 2, timezone.now() - timedelta(hours=1)
    cohort.save(update_fields=["capacity", "applications_close_at"])
    approved(cohort, officer, lead)
    selected = [a for a, _rep in made if fresh(a).state == State.SELECTED]
    representative = dict(made)[selected[0]]
    confirmation.confirm_place(representative, fresh(selected[0]), cohort.terms_version)
    stamped = {a.pk: stamps(a) for a, _rep in made}
    assert [sum(v is not None for v in row) for row in stamped.values()] == [4, 3, 2, 2]
    Application.objects.update(**dict.fromkeys(STAGES))
    assert backfill(Application, Review, AuditLog) == 4
    assert {a.pk: stamps(a) for a, _rep in made} == stamped


def test_backfill_counts_an_offered_place_from_the_offer_not_the_waitlist_decision():
    cohort = selection_cohort(waitlist_length=2)
    people = [applicant(cohort, score) for score in (5, 4, 3, 2)]
    officer, _o2, lead = staff()
    approved(cohort, officer, lead)
    confirmation.decline_place(people[0][1], fresh(people[0][0]), "")
    offered = fresh(people[3][0])
    Application.objects.update(**dict.fromkeys(STAGES))
    backfill(Application, Review, AuditLog)
    assert offered.decided_at < fresh(offered).selected_at == record_time(offered, "place_offered")
    first = fresh(people[0][0])
    assert first.selected_at == first.decided_at
