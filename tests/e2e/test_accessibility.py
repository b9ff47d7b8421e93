"""axe-core in the browser (axe-playwright-python): each role's main pages have no serious or
critical accessibility violations, in both languages."""

import pytest

from clinic import roles
from mentoring.services import plan_versions
from tests.e2e.conftest import sign_in
from tests.factories import (
    ApplicationFactory,
    CohortFactory,
    company_with_representative,
    make_user,
    scored_application,
    uniform_scores,
)
from tests.mentoring.plan_helpers import lead, submitted

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
SERIOUS = ("serious", "critical")


def sme_pages():
    company, representative = company_with_representative()
    application = ApplicationFactory(company=company)
    return representative, ["/", f"/cohorts/applications/{application.pk}/edit/"]


def officer_pages():
    cohort = CohortFactory(min_reviews=1)
    scored_application(cohort, [uniform_scores(4)])
    pages = [
        f"/cohorts/{cohort.pk}/ranking/",
        f"/cohorts/{cohort.pk}/messages/",
        "/search/?q=green",
    ]
    return make_user(roles.OFFICER), ["/", *pages]


def expert_and_lead_pages():
    participation, _rep, expert_user, _officer, _current = submitted()
    version = plan_versions.request_version(expert_user, participation)
    return lead(), [f"/mentoring/plan-versions/{version.pk}/sign-off/", "/mentoring/"]


def reviewer_pages():
    return make_user(roles.REVIEWER), ["/", "/cohorts/reviews/"]


ROLES = {
    "sme": sme_pages,
    "officer": officer_pages,
    "lead": expert_and_lead_pages,
    "reviewer": reviewer_pages,
}


@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize("role", list(ROLES))
def test_main_pages_have_no_serious_accessibility_violations(
    new_context, live_server, role, language
):
    from axe_playwright_python.sync_playwright import Axe

    user, paths = ROLES[role]()
    user.preferred_language = language
    user.save()
    context = new_context()
    sign_in(context, live_server, user)
    page = context.new_page()
    axe = Axe()
    found = {}
    for path in paths:
        page.goto(path)
        violations = axe.run(page).response["violations"]
        serious = [
            (v["id"], [node["target"] for node in v["nodes"]][:3])
            for v in violations
            if v["impact"] in SERIOUS
        ]
        if serious:
            found[path] = serious
    assert found == {}
