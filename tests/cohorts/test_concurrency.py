"""Integration: double clicks and two officers at once, as truly parallel requests (PostgreSQL).

Each test releases several identical requests (or service calls) together and asserts exactly
one effect: one audit record, one message, one flow process.
"""

from functools import partial

import pytest
from django.urls import reverse
from viewflow.workflow.status import STATUS

from clinic import roles
from clinic.models import AuditLog, OutboxMessage
from cohorts import flows
from cohorts.forms import ApplicationForm
from cohorts.models import Application, ApplicationProcess, Review, TermsAcceptance
from cohorts.services import confirmation, reviews, screening
from cohorts.services.rubric import ensure_rubric
from mentoring.models import Participation
from tests.factories import (
    ApplicationFactory,
    application_with_reviewers,
    company_with_representative,
    eligible_application,
    make_user,
    submitted_application,
)
from tests.parallel import Browser, at_once, form_data, require_postgres

from .selection_helpers import applicant, approved, selection_cohort, staff

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]
State = Application.State


def audit_count(obj, action):
    return AuditLog.objects.for_object(obj).filter(action=action).count()


def test_six_parallel_submits_make_one_submission(live_server):
    require_postgres()
    company, representative = company_with_representative()
    application = ApplicationFactory(company=company)
    path = reverse("cohorts:application_edit", args=[application.pk])
    data = {**form_data(ApplicationForm(instance=application)), "submit": "1"}

    outcomes = Browser(live_server, representative).post_at_once(path, data)

    detail = reverse("cohorts:application", args=[application.pk])
    assert outcomes == [(302, detail)] * 6
    assert Application.objects.get(pk=application.pk).state == State.SUBMITTED
    assert audit_count(application, "submitted") == 1
    assert OutboxMessage.objects.filter(kind="application_received").count() == 1
    assert ApplicationProcess.objects.count() == 1


def test_four_officers_screening_at_once_make_one_decision():
    require_postgres()
    application, _rep = submitted_application()
    calls = [
        partial(screening.confirm_eligible, make_user(roles.OFFICER), application) for _ in range(4)
    ]

    outcomes = at_once(calls)

    assert [type(outcome) for outcome in outcomes] == [Application] * 4
    assert audit_count(application, "confirmed_eligible") == 1
    tasks = flows.process_of(application).task_set.all()
    assert sorted((task.flow_task.name, task.status) for task in tasks) == [
        ("after_screening", STATUS.DONE),
        ("reviews", STATUS.NEW),
        ("screen", STATUS.DONE),
        ("start", STATUS.DONE),
    ]


def test_four_parallel_confirmations_accept_the_terms_once():
    require_postgres()
    cohort = selection_cohort()
    people = [applicant(cohort, score) for score in (5, 4, 3, 2)]
    officer, _o2, lead = staff()
    approved(cohort, officer, lead)
    application, representative = people[0]

    outcomes = at_once(
        [partial(confirmation.confirm_place, representative, application, "2.1")] * 4
    )

    assert [type(outcome) for outcome in outcomes] == [Application] * 4
    assert TermsAcceptance.objects.filter(application=application).count() == 1
    assert audit_count(application, "place_confirmed") == 1
    assert Participation.objects.filter(application=application).count() == 1


def test_four_parallel_review_submissions_record_one():
    require_postgres()
    application, _rep = eligible_application()
    reviewer = make_user(roles.REVIEWER)
    review = reviews.assign_reviewer(make_user(roles.OFFICER), application, reviewer)
    scores = {c.pk: 4 for c in ensure_rubric(application.cohort)}

    outcomes = at_once(
        [partial(reviews.save_review, reviewer, review, scores, "Good", submit=True)] * 4
    )

    assert [type(outcome) for outcome in outcomes] == [Review] * 4
    assert audit_count(review, "review_submitted") == 1


def test_the_last_two_reviews_submitted_at_once_stamp_reviewed_once():
    require_postgres()
    cohort, officer, application, _rep, people, assigned = application_with_reviewers(2, 2)
    scores = {c.pk: 4 for c in ensure_rubric(cohort)}

    at_once(
        [
            partial(reviews.save_review, p, r, scores, submit=True)
            for p, r in zip(people, assigned, strict=True)
        ]
    )

    times = sorted(
        Review.objects.filter(application=application).values_list("submitted_at", flat=True)
    )
    assert Application.objects.get(pk=application.pk).reviewed_at == times[1]
