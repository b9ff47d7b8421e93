"""Browser test: every role walks through its pages of the demo programme and no page breaks the
Content-Security-Policy (the ``csp_violations`` fixture fails the test on any violation)."""

import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from clinic.models import Company
from cohorts.models import Cohort
from tests.e2e.conftest import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# Links not followed: downloads, language and log-out forms.
NOT_FOLLOWED = re.compile(
    r"logout|language|\.(csv|pdf|ics)(\?|$)|/evidence/|pitch-deck|/export/|/template/"
)
PAGES_PER_ROLE = 30


def shape(path):
    """Pages that differ only by their ids are visited once."""
    return re.sub(r"\d+", "N", path)


def first_pages():
    """Where each role starts: its home and the pages with the richest demo data."""
    shanghai = Cohort.objects.get(name="Shanghai 2026")
    shenzhen = Cohort.objects.get(name="Shenzhen 2026")
    draft = Company.objects.get(representatives__username="sme3").applications.get(state="draft")
    selection = [
        reverse(f"cohorts:{name}", args=[shanghai.pk])
        for name in ("detail", "ranking", "proposal", "quota_rules", "assignments", "screening")
    ]
    running = [reverse("cohorts:roster", args=[shenzhen.pk])] + [
        reverse(f"mentoring:{name}", args=[shenzhen.pk])
        for name in ("cohort_progress", "cohort_matching", "cohort_plans", "cohort_outcomes")
    ]
    return {
        None: ["/accounts/login/", "/accounts/signup/", "/accounts/reset/", "/accounts/privacy/"],
        "officer": ["/", *selection, *running, "/users/", "/outbox/", "/ip/questionnaires/"],
        "lead": ["/", *selection],
        "reviewer1": ["/", reverse("cohorts:reviews")],
        "expert1": ["/", reverse("mentoring:slots"), reverse("mentoring:my_profile")],
        "sme1": ["/"],
        "sme3": ["/", reverse("cohorts:application_edit", args=[draft.pk])],
        "sme19": ["/"],
        "csp_admin": ["/admin/"],
    }


def visit(page, start):
    """Open the start pages, then follow links to new kinds of page; answer the failing ones."""
    queue, seen, failing, visited = list(start), {shape(path) for path in start}, [], 0
    while queue and visited < PAGES_PER_ROLE:
        path = queue.pop(0)
        response = page.goto(path)
        visited += 1
        if response.status != 200:
            failing.append((path, response.status))
        links = page.eval_on_selector_all(
            "a[href^='/']", "links => links.map(link => link.getAttribute('href'))"
        )
        for link in links:
            link = link.split("#")[0]
            if link and shape(link) not in seen and not NOT_FOLLOWED.search(link):
                seen.add(shape(link))
                queue.append(link)
    return visited, failing


def test_pages_of_every_role_keep_the_content_security_policy(new_context, live_server):
    call_command("seed_demo", stdout=StringIO())
    users = get_user_model().objects
    users.create_superuser("csp_admin", "csp-admin@example.org", "unused-Passw0rd!")
    starts, too_few = first_pages(), []
    for username, start in starts.items():
        context = new_context()
        if username:
            sign_in(context, live_server, users.get(username=username))
        page = context.new_page()
        page.set_default_timeout(15000)
        count, failing = visit(page, start)
        assert failing == []
        if count <= len(start):
            too_few.append(username)
    assert too_few == []  # every role found links to pages beyond its start pages
