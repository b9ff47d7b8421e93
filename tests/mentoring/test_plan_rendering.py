"""Rendering plan versions: a ready version is left alone, failure and retry, the sweep of lost
renders and the heartbeat of a live one."""

import pytest
from django.urls import reverse

from mentoring.models import PlanVersion
from mentoring.services import plan_rendering
from mentoring.services import plan_versions as service
from tests.refusals import refused

from .plan_helpers import broken_font, generate, submitted

pytestmark = pytest.mark.django_db


def test_render_version_of_ready_version_changes_nothing(plan, django_capture_on_commit_callbacks):
    participation, _rep, expert, _officer, _current = plan
    version = generate(expert, participation, django_capture_on_commit_callbacks)
    again = plan_rendering.render_version(version.pk)
    assert (again.state, again.attempts, again.file.name) == ("ready", 1, version.file.name)


def test_render_failure_is_recorded_and_logged(
    plan, django_capture_on_commit_callbacks, settings, tmp_path, caplog
):
    participation, _rep, expert, _officer, _current = plan
    broken_font(settings, tmp_path)
    version = generate(expert, participation, django_capture_on_commit_callbacks)
    assert (version.state, bool(version.error), bool(version.file)) == ("failed", True, False)
    assert "Rendering plan version" in caplog.text


def test_retry_after_failure_renders_the_version(
    plan, django_capture_on_commit_callbacks, settings, tmp_path
):
    participation, _rep, expert, _officer, _current = plan
    good_font = settings.CJK_FONT_PATH
    broken_font(settings, tmp_path)
    version = generate(expert, participation, django_capture_on_commit_callbacks)
    settings.CJK_FONT_PATH = good_font
    with django_capture_on_commit_callbacks(execute=True):
        service.retry_version(expert, version)
    version.refresh_from_db()
    assert (version.state, version.error, version.attempts) == ("ready", "", 2)


def test_retry_of_ready_version_is_refused(plan, django_capture_on_commit_callbacks):
    participation, _rep, expert, _officer, _current = plan
    version = generate(expert, participation, django_capture_on_commit_callbacks)
    with refused("wrong_state"):
        service.retry_version(expert, version)


def test_failed_version_page_shows_retry_button(
    client, plan, django_capture_on_commit_callbacks, settings, tmp_path
):
    participation, _rep, expert, officer, _current = plan
    broken_font(settings, tmp_path)
    version = generate(expert, participation, django_capture_on_commit_callbacks)
    for user in (expert, officer):
        client.force_login(user)
        html = client.get(reverse("mentoring:version_status", args=[version.pk])).content.decode()
        assert ("Retry" in html, "could not be generated" in html) == (True, True)


def test_sweep_requeues_versions_stuck_in_queued(plan, settings):
    participation, _rep, expert, _officer, _current = plan
    settings.PLAN_SWEEP_AFTER = 0
    version = service.request_version(expert, participation)  # on_commit never runs here
    assert PlanVersion.objects.get(pk=version.pk).state == "queued"
    assert plan_rendering.sweep() == 1
    assert PlanVersion.objects.get(pk=version.pk).state == "ready"


def test_sweep_leaves_fresh_queued_versions(plan, settings):
    participation, _rep, expert, _officer, _current = plan
    settings.PLAN_SWEEP_AFTER = 600
    service.request_version(expert, participation)
    assert plan_rendering.sweep() == 0


def rendering_since(version, seconds_ago):
    """The version is being rendered; its last heartbeat was ``seconds_ago``."""
    from datetime import timedelta

    from django.utils import timezone

    beat = timezone.now() - timedelta(seconds=seconds_ago)
    PlanVersion.objects.filter(pk=version.pk).update(
        state="rendering", started_at=beat - timedelta(minutes=5), heartbeat_at=beat, attempts=1
    )


def test_render_version_being_rendered_by_a_live_worker_is_left_alone(plan):
    participation, _rep, expert, _officer, _current = plan
    version = service.request_version(expert, participation)
    rendering_since(version, 0)
    again = plan_rendering.render_version(version.pk)
    assert (again.state, again.attempts, bool(again.file)) == ("rendering", 1, False)


def test_sweep_leaves_a_version_with_a_heartbeat_younger_than_a_minute_alone(plan):
    participation, _rep, expert, _officer, _current = plan
    version = service.request_version(expert, participation)
    rendering_since(version, 55)
    assert (plan_rendering.sweep(), PlanVersion.objects.get(pk=version.pk).state) == (
        0,
        "rendering",
    )


def test_sweep_renders_again_a_version_whose_heartbeat_is_older_than_a_minute(plan):
    participation, _rep, expert, _officer, _current = plan
    version = service.request_version(expert, participation)
    rendering_since(version, 61)
    assert plan_rendering.sweep() == 1
    version.refresh_from_db()
    assert (version.state, version.attempts, len(version.checksum)) == ("ready", 2, 64)


@pytest.mark.django_db(transaction=True)
def test_heartbeat_stamps_the_version_while_the_block_runs(settings):
    import time

    settings.PLAN_HEARTBEAT_SECONDS = 0.05
    participation, _rep, expert, _officer, _current = submitted()
    version = service.request_version(expert, participation)
    rendering_since(version, 600)
    before = PlanVersion.objects.get(pk=version.pk).heartbeat_at
    with plan_rendering.heartbeat(version.pk):
        time.sleep(0.5)
    after = PlanVersion.objects.get(pk=version.pk).heartbeat_at
    assert 599 < (after - before).total_seconds() < 601


def test_render_version_of_deleted_version_does_nothing(plan):
    participation, _rep, expert, _officer, _current = plan
    version = service.request_version(expert, participation)
    PlanVersion.objects.filter(pk=version.pk).delete()
    assert plan_rendering.render_version(version.pk) is None
