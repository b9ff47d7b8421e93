import logging
import os
import sys

from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic.settings")

app = Celery("clinic")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
logger = logging.getLogger(__name__)


def enqueue(name, **ids):
    """Queue the Celery task registered as ``name`` with keyword IDs, by name: a service never
    imports the task module that calls it back. The database row is the truth, so when the broker
    is unreachable this only logs (the task's sweep re-queues the work) and returns False."""
    if name not in app.tasks:  # a web process has not imported the stages' tasks modules yet
        app.loader.import_default_modules()
    task = app.tasks[name]
    try:
        task.delay(**ids)
    except Exception:  # the broker is unreachable: nothing is lost, the sweep re-queues it
        logger.warning("Could not queue %s %s; the sweep will retry", name, ids)
        return False
    return True


@signals.worker_init.connect
@signals.beat_init.connect
def refuse_missing_services(**_signal):
    from clinic.startup import refuse_missing_services

    try:
        refuse_missing_services()
    except SystemExit as refusal:  # Celery would log it as a crash: one line, as elsewhere
        print(refusal, file=sys.__stderr__, flush=True)  # beat redirects sys.stderr
        os._exit(1)
