"""The application flow end to end at the service level: which tasks exist after each step."""

import pytest
from django.urls import reverse
from viewflow.workflow.status import STATUS

from clinic import roles
from cohorts import flows
from cohorts.models import Application
from cohorts.services import applications, reviews, screening
from cohorts.services.rubric import ensure_rubric
from tests.factories import CohortFactory, make_user, submitted_application
from tests.forwarding import task_page

pytestmark = pytest.mark.django_db
Flow = flows.ApplicationFlow


def all_nodes(application):
    process = flows.process_of(application)
    return sorted((task.flow_task.name, task.status) for task in process.task_set.all())


def test_screening_through_node_view_runs_each_node_once(client):
    application, _ = submitted_application()
    task = flows.open_task(application, Flow.screen)
    client.force_login(make_user(roles.OFFICER))
    client.post(task.reverse("assign"))
    client.post(task_page(client, task), {"decision": "eligible", "reason": ""})
    assert all_nodes(application) == [
        ("after_screening", STATUS.DONE),
        ("reviews", STATUS.NEW),
        ("screen", STATUS.DONE),
        ("start", STATUS.DONE),
    ]
    assert flows.process_of(application).status == "NEW"


def open_nodes(application):
    process = flows.process_of(application)
    return sorted(
        task.flow_task.name
        for task in process.task_set.exclude(status__in=[STATUS.DONE, STATUS.CANCELED])
    )


def test_flow_from_submission_to_decision_ends_process():
    cohort = CohortFactory(min_reviews=1)
    officer, reviewer = make_user(roles.OFFICER), make_user(roles.REVIEWER)
    application, _ = submitted_application(cohort=cohort)
    assert open_nodes(application) == ["screen"]
    screening.confirm_eligible(officer, application)
    assert open_nodes(application) == ["reviews"]
    review = reviews.assign_reviewer(officer, application, reviewer)
    reviews.save_review(reviewer, review, {c.pk: 3 for c in ensure_rubric(cohort)}, submit=True)
    assert open_nodes(application) == ["decision"]
    flows.decision_made(application)
    assert flows.process_of(application).status == "DONE"
    names = ["after_screening", "decision", "end", "reviews", "screen", "start"]
    assert all_nodes(application) == [(name, STATUS.DONE) for name in names]


def test_flow_needs_info_through_node_view_then_resubmit(client):
    application, representative = submitted_application()
    officer = make_user(roles.OFFICER)
    task = flows.open_task(application, Flow.screen)
    client.force_login(officer)
    client.post(task.reverse("assign"))
    response = client.post(
        task_page(client, task), {"decision": "needs_info", "reason": "Send licence"}
    )
    assert response.url == reverse("home")
    assert Application.objects.get(pk=application.pk).state == "needs_info"
    assert open_nodes(application) == ["await_information"]
    applications.submit(representative, Application.objects.get(pk=application.pk))
    assert all_nodes(application) == [
        ("after_screening", STATUS.DONE),
        ("await_information", STATUS.DONE),
        ("needs_info", STATUS.DONE),
        ("screen", STATUS.DONE),
        ("screen", STATUS.NEW),
        ("start", STATUS.DONE),
    ]


def test_flow_screen_task_not_open_to_sme_or_reviewer(client):
    application, representative = submitted_application()
    task = flows.open_task(application, Flow.screen)
    for user in (representative, make_user(roles.REVIEWER)):
        client.force_login(user)
        assert client.post(task.reverse("assign")).status_code in (403, 404)
        assert flows.open_task(application, Flow.screen).owner is None


def test_flow_withdraw_under_review_cancels_process():
    officer = make_user(roles.OFFICER)
    application, representative = submitted_application()
    screening.confirm_eligible(officer, application)
    reviews.assign_reviewer(officer, application, make_user(roles.REVIEWER))
    applications.withdraw(representative, application)
    assert flows.process_of(application).status == "CANCELED"
    assert list(application.reviews.values_list("state", flat=True)) == ["removed"]


def test_a_task_has_one_door_its_node_url_forwards_and_the_service_completes_it(client):
    application, _ = submitted_application()
    officer = make_user(roles.OFFICER)
    task = flows.open_task(application, Flow.screen)
    client.force_login(officer)
    client.post(task.reverse("assign"))
    page = reverse("cohorts:screen", args=[application.pk])
    posted = client.post(task.reverse("execute"), {"decision": "eligible", "reason": ""})
    assert posted.url == page + "?from=tasks"
    assert Application.objects.get(pk=application.pk).state == "submitted"  # the node did nothing
    response = client.post(page, {"decision": "eligible", "reason": ""})  # from the queue
    assert response.url == reverse("cohorts:screening", args=[application.cohort_id])
    task.refresh_from_db()
    assert (task.status, task.owner, open_nodes(application)) == (STATUS.DONE, officer, ["reviews"])
