import pytest
from django.apps import apps
from django.core.management import call_command

from clinic import permissions
from clinic.models import Company, User
from cohorts.models import Cohort

pytestmark = pytest.mark.django_db


def row_counts():
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def test_seed_demo_creates_the_programme_and_a_second_run_changes_nothing(settings, tmp_path):
    call_command("seed_demo", stdout=open(tmp_path / "first.txt", "w"))  # noqa: SIM115
    first = row_counts()
    call_command("seed_demo", stdout=open(tmp_path / "second.txt", "w"))  # noqa: SIM115
    assert row_counts() == first
    assert Company.objects.count() == 60
    assert permissions.is_lead(User.objects.get(username="lead")) is True
    assert User.objects.get(username="sme1").check_password("demo12345") is True
    assert Cohort.objects.get(name="Beijing 2027").stage == "open"
    assert "officer, officer2" in (tmp_path / "first.txt").read_text()
    events = dict(apps.get_model("events", "Event").objects.values_list("kind", "state"))
    assert events == {"kick_off": "held", "training": "held", "demo_day": "published"}
    funnel = demo_funnel("Guangzhou 2025")  # written directly, back-dated: from the history
    assert [count for count, _days in funnel.values()] == [12, 12, 12, 8, 8, 8, 8, 8, 8, 8]
    # every stage after the first has its median days (applied: the first stage)
    assert [days is not None and days > 0 for _count, days in funnel.values()] == [False] + [
        True
    ] * 9
    signed = apps.get_model("mentoring", "PlanVersion").objects.filter(
        participation__cohort__name="Guangzhou 2025", signed_at__isnull=False
    )
    assert sorted({(v.state, bool(v.signed_file), bool(v.signed_checksum)) for v in signed}) == [
        ("ready", True, True)
    ]


def demo_funnel(cohort_name):
    from mentoring.insight.dashboard import Filters, funnel

    rows = funnel(Filters(cohort=Cohort.objects.get(name=cohort_name))).rows
    return {str(row[0]): (row[1], row[4]) for row in rows}
