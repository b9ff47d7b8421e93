"""Integration: the production-like stack scaled out, and its faults.

Two gunicorn instances on two ports, two Celery workers and one beat against PostgreSQL and Redis
(``DJANGO_DEBUG=0``); mail goes to an SMTP sink the test runs (aiosmtpd). A worker killed with
SIGKILL, Redis stopped, PostgreSQL dropping every connection: pages keep answering (or fail fast
with the error page), nothing queued is lost, and the work finishes by itself.
"""

import os
import secrets
import signal
import time
from collections import Counter

import pytest
import requests
from aiosmtpd.controller import Controller

from clinic import roles
from clinic.models import AuditLog, OutboxMessage
from mentoring.models import PlanVersion
from tests.factories import make_user
from tests.services import (
    celery_beat,
    celery_worker,
    collected_static,
    free_port,
    process_env,
    redis_server,
    redis_url,
    require_postgres_and_redis,
    run_django,
    wait_until,
    web_server,
)

from .plan_helpers import submitted

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

PASSWORD = "Scale-out-2026!"
SECRET_KEY = secrets.token_urlsafe(50)
SET_PASSWORD = """
from clinic.models import User
user = User.objects.get(pk={user_id})
user.set_password({password!r})
user.save()
"""
QUEUE_MAIL = """
from django.db import transaction
from clinic.models import User
from clinic.services.outbox import queue_message
with transaction.atomic():
    for user in User.objects.filter(pk__in={user_ids}):
        queue_message(user, "verify_email", {{"link": "/v/"}})
"""
TERMINATE_CONNECTIONS = """
SELECT pg_terminate_backend(pid) FROM pg_stat_activity
WHERE datname = current_database() AND pid <> pg_backend_pid()
"""


class Sink:
    """aiosmtpd handler: keeps the envelope recipients of every message it receives."""

    def __init__(self):
        self.recipients = []

    async def handle_DATA(self, server, session, envelope):
        self.recipients.extend(envelope.rcpt_tos)
        return "250 OK"


@pytest.fixture
def smtp_sink():
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield sink, controller.port
    controller.stop()


@pytest.fixture(scope="module")
def static_root(tmp_path_factory):
    return collected_static(tmp_path_factory)


@pytest.fixture
def production_env(tmp_path, smtp_sink, static_root):
    """Production settings over plain http on 127.0.0.1; short heartbeat and sweeps so a test
    sees recovery in seconds (production: heartbeat 15 s, stale after 60 s)."""
    require_postgres_and_redis()
    _sink, smtp_port = smtp_sink

    def make(redis=None, **extra):
        env = process_env(
            redis or redis_url(),
            tmp_path,
            DJANGO_DEBUG=0,
            DJANGO_SECRET_KEY=SECRET_KEY,
            DJANGO_ALLOWED_HOSTS="127.0.0.1",
            DJANGO_ALLOW_PLAIN_HTTP=1,
            STATIC_ROOT=static_root,
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=smtp_port,
            PLAN_HEARTBEAT_SECONDS=1,
            PLAN_HEARTBEAT_STALE=5,
            PLAN_SWEEP_AFTER=5,
            OUTBOX_SWEEP_AFTER=5,
            SWEEP_EVERY=2,
            **extra,
        )
        env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        return env

    return make


def logged_in(base, user, env):
    """A browser session logged in through the instance at ``base``."""
    run_django(SET_PASSWORD.format(user_id=user.pk, password=PASSWORD), env)
    browser = requests.Session()
    browser.get(f"{base}/accounts/login/", timeout=20)
    answer = browser.post(
        f"{base}/accounts/login/",
        data={
            "username": user.username,
            "password": PASSWORD,
            "csrfmiddlewaretoken": browser.cookies["csrftoken"],
        },
        timeout=20,
    )
    assert (answer.status_code, answer.url) == (200, f"{base}/")
    return browser


def post(browser, url):
    return browser.post(url, data={"csrfmiddlewaretoken": browser.cookies["csrftoken"]}, timeout=20)


def plan_states():
    return Counter(PlanVersion.objects.values_list("state", flat=True))


def test_two_instances_two_workers_and_beat_render_every_plan_once_while_a_worker_is_killed(
    production_env, smtp_sink
):
    sink, _port = smtp_sink
    first = submitted()
    cohort, officer = first[0].cohort, first[3]
    representatives = [first[1]]
    for _ in range(19):
        other = submitted()
        type(other[0]).objects.filter(pk=other[0].pk).update(cohort=cohort)
        representatives.append(other[1])
    env = production_env()
    one, two = free_port(), free_port()
    with (
        web_server(env, one) as web_one,
        web_server(env, two) as web_two,
        celery_worker(env, name="doomed") as doomed,
        celery_worker(env, name="survivor"),
        celery_beat(env),
    ):
        browser = logged_in(web_one, officer, env)
        assert browser.get(f"{web_two}/", timeout=20).url == f"{web_two}/"  # one session, both
        run_django(QUEUE_MAIL.format(user_ids=[user.pk for user in representatives]), env)
        started = post(browser, f"{web_two}/mentoring/cohorts/{cohort.pk}/plans/generate-all/")
        assert started.status_code == 200
        assert wait_until(lambda: plan_states()["rendering"] == 2, 60) is True
        os.killpg(doomed.pid, signal.SIGKILL)  # mid-render: its plan's heartbeat stops
        assert wait_until(lambda: plan_states() == {"ready": 20}, 120) is True
        expected = {user.email for user in representatives}
        assert wait_until(lambda: set(sink.recipients) == expected, 60) is True
    rendered = Counter(
        AuditLog.objects.filter(action="plan_rendered").values_list("object_id", flat=True)
    )
    attempts = Counter(PlanVersion.objects.values_list("attempts", flat=True))
    assert (sorted(rendered.values()), attempts[2] >= 1) == ([1] * 20, True)
    queued = OutboxMessage.objects.filter(kind="verify_email")
    assert sorted(queued.values_list("status", flat=True)) == ["sent"] * 20


def test_pages_answer_while_redis_is_down_and_queued_mail_is_sent_when_it_is_back(
    production_env, smtp_sink
):
    sink, _port = smtp_sink
    officer, sme = make_user(roles.OFFICER), make_user(roles.SME)
    port = free_port()
    env = production_env(f"redis://127.0.0.1:{port}/0")
    with web_server(env, free_port()) as web, celery_worker(env), celery_beat(env):
        with redis_server(port):
            browser = logged_in(web, officer, env)
        began = time.monotonic()
        page = browser.get(f"{web}/", timeout=20)
        elapsed = time.monotonic() - began
        run_django(QUEUE_MAIL.format(user_ids=[sme.pk]), env)  # the broker is down
        assert (page.status_code, elapsed < 10) == (200, True)
        assert OutboxMessage.objects.get(kind="verify_email").status == "queued"
        with redis_server(port):  # back: worker and beat reconnect, the sweep re-queues it
            assert wait_until(lambda: sink.recipients == [sme.email], 60) is True
    assert OutboxMessage.objects.get(kind="verify_email").status == "sent"


def test_pages_and_workers_carry_on_after_postgresql_drops_every_connection(
    production_env, smtp_sink
):
    from django.db import connection

    sink, _port = smtp_sink
    officer, sme = make_user(roles.OFFICER), make_user(roles.SME)
    env = production_env()
    with web_server(env, free_port()) as web, celery_worker(env):
        browser = logged_in(web, officer, env)
        with connection.cursor() as cursor:  # what a PostgreSQL restart does to its clients
            cursor.execute(TERMINATE_CONNECTIONS)
        page = browser.get(f"{web}/", timeout=20)
        run_django(QUEUE_MAIL.format(user_ids=[sme.pk]), env)
        assert wait_until(lambda: sink.recipients == [sme.email], 60) is True
    assert (page.status_code, page.url) == (200, f"{web}/")


def test_pages_fail_fast_with_the_error_page_while_postgresql_is_down(production_env):
    env = production_env(DATABASE_URL=f"postgres://clinic@127.0.0.1:{free_port()}/clinic")
    with web_server(env, free_port()) as web:
        began = time.monotonic()
        page = requests.get(f"{web}/", cookies={"sessionid": "a" * 32}, timeout=20)
        elapsed = time.monotonic() - began
    assert (page.status_code, "Something went wrong" in page.text, elapsed < 10) == (
        500,
        True,
        True,
    )
