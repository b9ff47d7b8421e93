from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from clinic import roles
from clinic.models import AuditLog
from cohorts.models import Cohort
from tests.factories import CohortFactory, ProgrammeFactory, make_user

pytestmark = pytest.mark.django_db


# The deadline offsets of issue 15, with their defaults.
DEADLINE_DEFAULTS = {
    "approval_days": 7,
    "audit_days": 21,
    "notes_days": 7,
    "assessment_days": 14,
    "sign_off_days": 7,
    "follow_up_days": 30,
}


def test_deadline_offsets_default_as_the_programme_agreed():
    cohort = CohortFactory()
    assert {name: getattr(cohort, name) for name in DEADLINE_DEFAULTS} == DEADLINE_DEFAULTS


def cohort_data(programme, **changes):
    now = timezone.now()
    data = {
        "programme": programme.pk,
        "name": "Hangzhou 2027",
        "name_zh": "杭州 2027",
        "country": "CN",
        "capacity": 20,
        "applications_open_at": (now + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
        "applications_close_at": (now + timedelta(days=30)).strftime("%Y-%m-%dT%H:%M"),
        "start_date": (now + timedelta(days=60)).date().isoformat(),
        "end_date": (now + timedelta(days=180)).date().isoformat(),
        "time_zone": "Asia/Shanghai",
        "currency": "CNY",
        "rate_to_eur": "0.128",
        "reviewers_per_application": 3,
        "min_reviews": 2,
        "hide_scores": "until_own_review",
        "info_days": 7,
        "confirm_days": 7,
        "reminder_lead_days": 2,
        "waitlist_length": 10,
        "target_sessions": 4,
        **DEADLINE_DEFAULTS,
        "terms_version": "1.0",
        "languages": ["en", "zh-hans"],
    }
    return {**data, **changes}


def test_officer_creates_cohort_with_defaults_and_it_is_audited(client):
    officer = make_user(roles.OFFICER)
    client.force_login(officer)
    response = client.post(reverse("cohorts:create"), cohort_data(ProgrammeFactory()))
    cohort = Cohort.objects.get(name="Hangzhou 2027")
    assert response["Location"] == reverse("cohorts:detail", args=[cohort.pk])
    assert (cohort.capacity, cohort.confirm_days, cohort.languages) == (20, 7, ["en", "zh-hans"])
    entry = AuditLog.objects.for_object(cohort).get()
    assert (entry.action, entry.actor_name) == ("created", officer.username)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"capacity": 0}, "Ensure this value is greater than or equal to 1."),
        ({"min_reviews": 4}, "cannot exceed the reviewers per application"),
        ({"end_date": "2020-01-01"}, "The cohort must end after it starts."),
    ],
)
def test_cohort_form_rejects_bad_settings_with_clear_message(client, changes, message):
    client.force_login(make_user(roles.OFFICER))
    response = client.post(reverse("cohorts:create"), cohort_data(ProgrammeFactory(), **changes))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Cohort.objects.count() == 0


def test_call_closing_before_opening_is_refused(client):
    client.force_login(make_user(roles.OFFICER))
    now = timezone.now()
    data = cohort_data(
        ProgrammeFactory(),
        applications_close_at=(now - timedelta(days=3)).strftime("%Y-%m-%dT%H:%M"),
    )
    response = client.post(reverse("cohorts:create"), data)
    assert "The call must close after it opens." in response.content.decode()


def test_new_cohort_copies_settings_of_an_earlier_one(client):
    source = CohortFactory(capacity=15, confirm_days=10, name_zh="源")
    client.force_login(make_user(roles.OFFICER))
    form = client.get(reverse("cohorts:create"), {"copy": source.pk}).context["form"]
    assert (form.initial["capacity"], form.initial["confirm_days"]) == (15, 10)
    assert (form.initial["name"], form.initial["name_zh"]) == ("", "")


@pytest.mark.parametrize("role", [roles.SME, roles.REVIEWER, roles.EXPERT])
def test_only_officers_create_or_edit_cohorts(client, role):
    cohort = CohortFactory()
    client.force_login(make_user(role))
    assert client.get(reverse("cohorts:create")).status_code == 404
    assert client.get(reverse("cohorts:edit", args=[cohort.pk])).status_code == 404
    assert client.get(reverse("cohorts:programmes")).status_code == 404
    assert client.get(reverse("cohorts:detail", args=[cohort.pk])).status_code == 200


def test_cohort_starting_before_its_call_closes_is_refused_in_the_cohorts_time_zone():
    """The call closes at 20:00 UTC on 1 March, which is 04:00 on 2 March in Shanghai: a cohort
    starting on 1 March would start before its call closes (the UTC date hides it)."""
    from datetime import UTC, date, datetime

    from django.core.exceptions import ValidationError

    closes = datetime(2026, 3, 1, 20, 0, tzinfo=UTC)
    cohort = CohortFactory.build(
        time_zone="Asia/Shanghai",
        applications_open_at=closes - timedelta(days=30),
        applications_close_at=closes,
        start_date=date(2026, 3, 1),
        end_date=date(2026, 9, 1),
    )
    with pytest.raises(ValidationError) as error:
        cohort.clean()
    assert "start_date" in error.value.message_dict
    cohort.start_date = date(2026, 3, 2)
    cohort.clean()
