"""Celery: one queue per kind of work, and a broker connection that is retried for ever."""

from django.conf import settings

from clinic.celery import app


def queue_of(task_name):
    return app.amqp.router.route({}, task_name)["queue"].name


def test_tasks_are_routed_to_the_queue_of_their_kind():
    names = [
        "clinic.tasks.send_outbox_message",
        "mentoring.tasks.render_plan_version",
        "clinic.tasks.sweep_outbox",
        "mentoring.tasks.sweep_plan_versions",
    ]
    ns = settings.NAMESPACE
    expected = [f"{ns}mail", f"{ns}pdf", f"{ns}default", f"{ns}default"]
    assert [queue_of(name) for name in names] == expected


def test_a_worker_without_queues_named_consumes_every_kind():
    assert sorted(queue.name for queue in app.conf.task_queues) == sorted(
        [settings.QUEUE_DEFAULT, settings.QUEUE_MAIL, settings.QUEUE_PDF]
    )


def test_broker_connection_is_retried_for_ever():
    assert (app.conf.broker_connection_max_retries, app.conf.broker_connection_retry) == (
        None,
        True,
    )
