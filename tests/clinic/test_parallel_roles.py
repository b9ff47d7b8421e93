"""Integration: lead changes and task claims at the same moment (PostgreSQL). Two leads who
deactivate each other at once leave one active lead; two officers who claim one pool task at once
get it once (the other a 404)."""

import pytest

from clinic import permissions, roles
from clinic.services import accounts
from cohorts import flows
from tests.factories import make_user, submitted_application
from tests.parallel import Browser, at_once, hidden_fields, require_postgres

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def test_two_leads_deactivating_each_other_at_once_leave_one_active_lead():
    require_postgres()
    first, second = make_user(roles.LEAD), make_user(roles.LEAD)
    outcomes = at_once(
        [
            lambda: accounts.deactivate_user(first, second, "crossed"),
            lambda: accounts.deactivate_user(second, first, "crossed"),
        ]
    )
    refused = [getattr(outcome, "code", None) == "not_permitted" for outcome in outcomes]
    assert sorted(refused) == [False, True]
    assert len(permissions.active_lead_ids()) == 1


def test_two_officers_claiming_one_pool_task_at_once_get_it_once(live_server):
    require_postgres()
    application, _representative = submitted_application()
    task = flows.open_task(application, flows.ApplicationFlow.screen)
    officers = [make_user(roles.OFFICER) for _ in range(2)]
    path = task.reverse("assign")
    prepared = []
    for officer in officers:
        browser = Browser(live_server, officer)
        prepared.append((browser, hidden_fields(browser.open(path))))
    outcomes = at_once([lambda b=b, d=d: b.request("POST", path, d)[0] for b, d in prepared])
    task.refresh_from_db()
    assert sorted(outcomes) == [302, 404]
    assert task.owner == officers[outcomes.index(302)]
