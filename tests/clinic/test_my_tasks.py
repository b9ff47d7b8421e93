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
