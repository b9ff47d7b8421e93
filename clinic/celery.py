import os
import sys

from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic.settings")

app = Celery("clinic")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@signals.worker_init.connect
@signals.beat_init.connect
def refuse_missing_services(**_signal):
    from clinic.startup import refuse_missing_services

    try:
        refuse_missing_services()
    except SystemExit as refusal:  # Celery would log it as a crash: one line, as elsewhere
        print(refusal, file=sys.__stderr__, flush=True)  # beat redirects sys.stderr
        os._exit(1)
