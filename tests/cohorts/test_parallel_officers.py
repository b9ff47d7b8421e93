"""Integration: two officers at once, as truly parallel requests against ``live_server``
(PostgreSQL). Bulk actions lock the cohort, so the second run finds nothing left to do; a
stale form is refused with 409 while the first change stays; an identical rule is never a 500.
"""

import re
from collections import Counter

import pytest
from django.urls import reverse

from clinic import roles
from clinic.models import AuditLog, OutboxMessage
from cohorts.models import QuotaRule, Review
from mentoring.models import Assignment
from tests.cohorts.selection_helpers import rule, selection_cohort
from tests.factories import CohortFactory, eligible_application, make_user
from tests.mentoring.helpers import expert, participant
from tests.parallel import Browser, at_once, require_postgres

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def officers(live_server, count=2):
    return [Browser(live_server, make_user(roles.OFFICER)) for _ in range(count)]


def post_together(browsers, path, data_of=lambda browser: {}):
    """Each browser opens ``path``'s page (``page``) first, then all post at once."""
    prepared = []
    for browser, page in browsers:
        html = browser.open(page)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        data = {**data_of(html), "csrfmiddlewaretoken": token.group(1) if token else ""}
        prepared.append((browser, data))
    return at_once([lambda b=b, d=d: b.request("POST", path, d)[:2] for b, d in prepared])


def test_two_officers_auto_assigning_at_once_mail_each_reviewer_once(live_server):
    require_postgres()
    cohort = CohortFactory(reviewers_per_application=2)
    officer = make_user(roles.OFFICER)
    for _ in range(3):
        eligible_application(officer, cohort=cohort)
    reviewers = [make_user(roles.REVIEWER) for _ in range(3)]
    page = reverse("cohorts:assignments", args=[cohort.pk])
    path = reverse("cohorts:auto_assign", args=[cohort.pk])

    outcomes = post_together([(b, page) for b in officers(live_server)], path)

    assert outcomes == [(302, page)] * 2
    assert Review.objects.filter(application__cohort=cohort).count() == 6
    mails = Counter(
        OutboxMessage.objects.filter(kind="review_assigned").values_list("recipient", flat=True)
    )
    assert mails == Counter({r.pk: 1 for r in reviewers})
    records = AuditLog.objects.for_object(cohort).filter(action="reviewers_auto_assigned")
    assert list(records.values_list("reason", flat=True)) == ["6"]


def test_two_officers_assigning_all_best_matches_at_once_assign_once(live_server):
    require_postgres()
    first, _representative = participant(weak={5: 0.0})
    second, _other = participant(cohort=first.cohort, weak={5: 1.0})
    expert(username="mentor", capacity=2, expertise={5: 3})
    cohort = first.cohort
    page = reverse("mentoring:cohort_matching", args=[cohort.pk])
    path = reverse("mentoring:assign_all", args=[cohort.pk])

    outcomes = post_together([(b, page) for b in officers(live_server)], path)

    assert outcomes == [(302, page)] * 2
    assert Assignment.objects.count() == 2
    assert OutboxMessage.objects.filter(kind="expert_assigned").count() == 2
    assert AuditLog.objects.filter(action="expert_assigned").count() == 2


def test_two_officers_saving_one_quota_rule_at_once_keep_one_change(live_server):
    require_postgres()
    cohort = selection_cohort()
    water = rule(cohort, "green_area", "water", maximum=2)
    path = reverse("cohorts:quota_rules", args=[cohort.pk])
    page = f"{path}?edit={water.pk}"
    maxima = iter(["3", "5"])

    def data_of(html):
        stamp = re.search(r'name="edit_stamp" value="([0-9a-f]+)"', html).group(1)
        base = {"rule": water.pk, "dimension": "green_area", "area": "water"}
        return {**base, "maximum": next(maxima), "edit_stamp": stamp}

    outcomes = post_together([(b, page) for b in officers(live_server)], path, data_of)

    assert sorted(status for status, _location in outcomes) == [302, 409]
    saved = QuotaRule.objects.get().maximum
    winner = [status for status, _location in outcomes].index(302)
    assert saved == (3, 5)[winner]


def test_two_officers_adding_the_same_quota_rule_at_once_add_it_once(live_server):
    require_postgres()
    cohort = selection_cohort()
    path = reverse("cohorts:quota_rules", args=[cohort.pk])
    data = {"dimension": "size_class", "size": "micro", "maximum": "4"}

    outcomes = post_together(
        [(b, path) for b in officers(live_server, 4)], path, lambda _html: data
    )

    assert sorted(status for status, _location in outcomes) == [200, 200, 200, 302]
    assert QuotaRule.objects.count() == 1


def test_session_scheduled_by_a_double_click_is_one_session(live_server):
    from datetime import timedelta

    from django.utils import timezone

    from mentoring.models import Session
    from mentoring.services import sessions
    from tests.mentoring.helpers import assigned

    require_postgres()
    participation, _representative, mentor, _officer = assigned()
    starts_at = timezone.now() + timedelta(days=3)

    def schedule():
        return sessions.schedule_session(
            mentor, participation, starts_at=starts_at, meeting_url="https://m.example.org"
        ).pk

    outcomes = at_once([schedule] * 4)

    assert outcomes == [Session.objects.get().pk] * 4
    assert AuditLog.objects.filter(action="session_scheduled").count() == 1
