"""Integration: the outbox against real PostgreSQL, Redis and `celery worker` processes."""

import pytest

from clinic import roles
from clinic.models import OutboxMessage
from tests.factories import make_user
from tests.services import (
    celery_worker,
    free_port,
    process_env,
    redis_server,
    redis_url,
    require_postgres_and_redis,
    run_django,
    wait_until,
)

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

QUEUE = """
from clinic.models import User
from clinic.services.outbox import queue_message
from django.db import transaction
with transaction.atomic():
    message = queue_message(User.objects.get(pk={user_id}), "verify_email", {{"link": "/v/"}})
print(message.pk)
"""
SWEEP = "from clinic.services.outbox import sweep; print(sweep())"


def status_of(message_id):
    return OutboxMessage.objects.get(pk=message_id).status


def test_queued_message_is_sent_by_a_real_worker(tmp_path):
    require_postgres_and_redis()
    user = make_user(roles.SME, preferred_language="zh-hans")
    env = process_env(redis_url(), tmp_path)
    with celery_worker(env):
        message_id = int(run_django(QUEUE.format(user_id=user.pk), env))
        assert wait_until(lambda: status_of(message_id) == "sent", 60) is True
    message = OutboxMessage.objects.get(pk=message_id)
    assert (message.attempts, message.language) == (1, "zh-hans")
    sent_files = list((tmp_path / "mail").iterdir())
    assert len(sent_files) == 1
    assert user.email in sent_files[0].read_text()


def test_message_waits_while_broker_is_down_and_is_sent_when_it_is_back(tmp_path):
    require_postgres_and_redis()
    user = make_user(roles.EXPERT)
    port = free_port()
    env = process_env(f"redis://127.0.0.1:{port}/0", tmp_path, OUTBOX_SWEEP_AFTER=0)

    message_id = int(run_django(QUEUE.format(user_id=user.pk), env))  # no broker listening
    message = OutboxMessage.objects.get(pk=message_id)
    assert (message.status, message.attempts) == ("queued", 0)

    with redis_server(port), celery_worker(env):
        assert int(run_django(SWEEP, env)) == 1
        assert wait_until(lambda: status_of(message_id) == "sent", 60) is True
