"""Issue 14, item 10: the screening queue is searched and sorted, and an officer confirms every
clean application (all rules passed) at once, each through the screening service."""

import pytest
from django.urls import reverse

from clinic import roles
from clinic.models import AuditLog
from cohorts.models import Application
from cohorts.services import screening
from tests.factories import CohortFactory, make_user, submitted_application
from tests.search_helpers import matches

pytestmark = pytest.mark.django_db


def queue():
    cohort = CohortFactory()
    clean = [submitted_application(cohort=cohort)[0] for _ in range(2)]
    failing, _rep = submitted_application(cohort=cohort, commitment=True)
    failing.eligibility_checks.filter(rule="commitment").update(passed=False)
    return cohort, clean, failing


def test_confirm_all_clean_confirms_only_applications_that_passed_every_rule():
    cohort, clean, failing = queue()
    officer = make_user(roles.OFFICER)
    assert screening.confirm_all_clean(officer, cohort) == 2
    states = dict(Application.objects.values_list("pk", "state"))
    assert [states[a.pk] for a in clean] == ["eligible", "eligible"]
    assert states[failing.pk] == "submitted"
    assert AuditLog.objects.filter(action="confirmed_eligible").count() == 2


def test_a_second_run_finds_nothing_left():
    cohort, _clean, _failing = queue()
    officer = make_user(roles.OFFICER)
    screening.confirm_all_clean(officer, cohort)
    assert screening.confirm_all_clean(officer, cohort) == 0
    assert AuditLog.objects.filter(action="confirmed_eligible").count() == 2


def test_only_officers_confirm_in_bulk(client):
    cohort, _clean, _failing = queue()
    client.force_login(make_user(roles.REVIEWER))
    assert client.post(reverse("cohorts:confirm_clean", args=[cohort.pk])).status_code == 404
    assert Application.objects.filter(state="eligible").count() == 0


def test_queue_offers_the_bulk_button_searches_and_sorts(client):
    cohort, clean, failing = queue()
    client.force_login(make_user(roles.OFFICER))
    url = reverse("cohorts:screening", args=[cohort.pk])
    page = client.get(url)
    assert page.context["clean"] == 2
    assert reverse("cohorts:confirm_clean", args=[cohort.pk]) in page.text
    name = failing.company.legal_name
    found = client.get(url, {"q": name.upper()}).context["page"].object_list
    assert [a.pk for a in matches(found)] == [failing.pk]
    by_company = client.get(url, {"order": "-company"}).context["page"].object_list
    names = [a.company.legal_name for a in by_company]
    assert names == sorted(names, reverse=True)
    response = client.post(reverse("cohorts:confirm_clean", args=[cohort.pk]))
    assert response.url == url


def test_reviewer_assignment_is_searched_filtered_and_paged(client):
    from cohorts.views.reviews import ASSIGNMENTS_PAGE_SIZE
    from tests.factories import eligible_application

    cohort = CohortFactory()
    apps = [eligible_application(cohort=cohort)[0] for _ in range(ASSIGNMENTS_PAGE_SIZE + 2)]
    client.force_login(make_user(roles.OFFICER))
    url = reverse("cohorts:assignments", args=[cohort.pk])
    first = client.get(url).context["page"]
    assert (len(first.object_list), first.paginator.count) == (
        ASSIGNMENTS_PAGE_SIZE,
        ASSIGNMENTS_PAGE_SIZE + 2,
    )
    wanted = apps[3].company.legal_name
    found = client.get(url, {"q": wanted.lower()}).context["page"].object_list
    assert [a.pk for a in matches(found)] == [apps[3].pk]
    short = client.get(url, {"short": "1"}).context["page"].paginator.count
    assert short == ASSIGNMENTS_PAGE_SIZE + 2  # nobody has reviewers yet
