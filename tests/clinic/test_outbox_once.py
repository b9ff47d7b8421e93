"""A mail goes out once: the outbox row says sent before the mail leaves, and on SQLite a reader
never makes the sending transaction's commit fail (the duplicate verification mail: "database is
locked" after the mail was written, and the sweep sent it again)."""

import sqlite3

import pytest
from django.core import mail
from django.db.backends.sqlite3.base import DatabaseWrapper
from django.urls import reverse

from clinic import roles
from clinic.models import OutboxMessage
from clinic.services import outbox
from tests.clinic import failing_mail
from tests.clinic.test_accounts import SIGNUP
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_the_row_says_sent_before_the_mail_leaves_so_the_sweep_never_sends_it_again(
    client, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.clinic.failing_mail.RowReadingBackend"
    settings.OUTBOX_SWEEP_AFTER = 0
    failing_mail.RowReadingBackend.seen = []
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("signup"), SIGNUP).status_code == 302
    assert failing_mail.RowReadingBackend.seen == [("sent", 1)]
    assert outbox.sweep() == 0
    message = OutboxMessage.objects.get(kind="verify_email")
    assert (message.status, message.attempts) == ("sent", 1)


def test_a_failed_send_leaves_the_row_queued_with_its_error(
    settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.clinic.failing_mail.BrokenBackend"
    settings.OUTBOX_MAX_ATTEMPTS = 5
    user = make_user(roles.SME)
    message = outbox.queue_message(user, "verify_email", {"link": "/x/"})
    with pytest.raises(outbox.TransientSendError):
        outbox.deliver(message.pk)
    message.refresh_from_db()
    assert (message.status, message.attempts, message.sent_at) == ("queued", 1, None)
    assert "SMTP server unreachable" in message.last_error
    assert mail.outbox == []


def sqlite_connection(settings, name):
    """A Django SQLite connection with the project's options (its commits give up in half a
    second instead of 20 when they have to wait)."""
    options = {**settings.SQLITE_OPTIONS, "timeout": 0.5}
    params = {"NAME": name, "OPTIONS": options, "TIME_ZONE": None, "AUTOCOMMIT": True}
    params.update(CONN_MAX_AGE=0, CONN_HEALTH_CHECKS=False, ATOMIC_REQUESTS=False, TEST={})
    return DatabaseWrapper({"ENGINE": "django.db.backends.sqlite3", **params})


def test_on_sqlite_a_reader_in_the_middle_of_a_read_does_not_make_a_commit_fail(settings, tmp_path):
    name = str(tmp_path / "clinic.sqlite3")
    writer = sqlite_connection(settings, name)
    with writer.cursor() as cursor:
        cursor.execute("CREATE TABLE outbox (id INTEGER PRIMARY KEY, status TEXT)")
        cursor.execute("INSERT INTO outbox (status) VALUES ('queued')")
        assert cursor.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    reader = sqlite3.connect(name, isolation_level=None)
    reader.execute("BEGIN")
    assert reader.execute("SELECT status FROM outbox").fetchall() == [("queued",)]
    writer.set_autocommit(False)  # BEGIN IMMEDIATE, as transaction.atomic does
    with writer.cursor() as cursor:
        cursor.execute("UPDATE outbox SET status = 'sent'")
    writer.commit()  # in SQLite's default journal: "database is locked" after half a second
    writer.set_autocommit(True)
    reader.execute("COMMIT")
    assert reader.execute("SELECT status FROM outbox").fetchall() == [("sent",)]
    reader.close()
    writer.close()
