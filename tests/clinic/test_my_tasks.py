import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clinic import roles
from tests.factories import CohortFactory, make_user, submitted_application

pytestmark = pytest.mark.django_db


def my_tasks(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("home"))
    return response, len(queries)


def test_officer_sees_screening_pool_tasks_with_their_subjects(client):
    cohort = CohortFactory(name="Wuxi 2027")
    application, _ = submitted_application(cohort=cohort)
    client.force_login(make_user(roles.OFFICER))
    response, _count = my_tasks(client)
    claimable = response.context["claimable"]
    assert [item["subject"] for item in claimable] == [application.summary]
    assert claimable[0]["url"].endswith("/assign/")


def test_my_tasks_query_count_does_not_grow_with_tasks(client):
    cohort = CohortFactory()
    client.force_login(make_user(roles.OFFICER))
    for _ in range(2):
        submitted_application(cohort=cohort)
    _response, few = my_tasks(client)
    for _ in range(10):
        submitted_application(cohort=cohort)
    response, many = my_tasks(client)
    assert len(response.context["claimable"]) == 12
    assert many == few
    assert few > 3


@pytest.mark.parametrize("role", [roles.SME, roles.REVIEWER, roles.EXPERT])
def test_other_roles_see_nothing_of_other_peoples_processes(client, role):
    submitted_application(cohort=CohortFactory())
    client.force_login(make_user(role))
    response, _count = my_tasks(client)
    assert (response.context["assigned"], response.context["claimable"]) == ([], [])


def test_my_tasks_pool_is_paginated_with_its_total_and_same_queries_for_2_and_50(client):
    cohort = CohortFactory()
    client.force_login(make_user(roles.OFFICER))
    for _ in range(2):
        submitted_application(cohort=cohort)
    _response, few = my_tasks(client)
    for _ in range(48):
        submitted_application(cohort=cohort)
    response, many = my_tasks(client)
    page = response.context["claimable_page"]
    assert (len(response.context["claimable"]), page.paginator.count, many) == (25, 50, few)
    assert '<span class="badge text-bg-secondary">50</span>' in response.content.decode()
    second = client.get(reverse("home"), {"pool": 2}).context["claimable"]
    shown = [item["task"].pk for item in response.context["claimable"] + second]
    assert len(set(shown)) == 50


def test_pool_list_agrees_with_each_nodes_can_assign():
    from viewflow.workflow.models import Task

    from clinic.workflow import claimable_tasks
    from cohorts import flows
    from cohorts.services import proposals
    from tests.cohorts.selection_helpers import applicant, rows_of, selection_cohort

    cohort = selection_cohort()
    for score in (5, 4, 3):
        applicant(cohort, score)
    submitted_application(cohort=CohortFactory())
    proposer, other_lead = make_user(roles.LEAD), make_user(roles.LEAD)
    proposal = proposals.start_proposal(proposer, cohort)
    proposals.save_proposal(proposer, proposal, 1, rows_of(proposal), submit=True)
    for user in (proposer, other_lead, make_user(roles.OFFICER), make_user(roles.SME)):
        listed = {task.pk for task in claimable_tasks(user)}
        allowed = {
            task.pk
            for task in Task.objects.filter(status="NEW", owner__isnull=True)
            if task.flow_task_type == "HUMAN" and task.flow_task.can_assign(user, task)
        }
        assert listed == allowed
    approve = flows.open_selection_task(proposal, flows.SelectionFlow.approve)
    assert (
        approve.pk in {t.pk for t in claimable_tasks(proposer)},
        approve.pk in {t.pk for t in claimable_tasks(other_lead)},
    ) == (False, True)


def test_quick_links_show_five_companies_and_a_link_to_all_of_them(client):
    from tests.factories import CompanyFactory, company_with_representative

    company, representative = company_with_representative(legal_name="Company 0")
    for n in range(1, 7):
        CompanyFactory(legal_name=f"Company {n}", representatives=[representative])
    client.force_login(representative)
    page = client.get(reverse("home")).content.decode()
    shown = [n for n in range(7) if f"Company {n}</a>" in page]
    link = f'href="{reverse("company_list")}"><i class="bi bi-buildings'
    assert (len(shown), link in page) == (5, True)
