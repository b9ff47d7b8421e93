"""The test runner's opt-in to purge the append-only audit log.

The database refuses UPDATE, DELETE (and on PostgreSQL TRUNCATE) on clinic_auditlog unless the
connection opted in (see clinic/migrations/0003_auditlog_changes_append_only.py). Django's flush
between transactional tests (DELETE on SQLite, TRUNCATE on PostgreSQL) needs it, so conftest.py
opts in every connection the test run opens; tests of the guard opt out with ``forbid``.
"""

from django.db.backends.signals import connection_created

SQLITE_FLAG = "clinic_audit_purge"


def allow(connection):
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET clinic.audit_purge = 'on'")
        else:
            cursor.execute(f"CREATE TEMP TABLE IF NOT EXISTS {SQLITE_FLAG} (flag integer)")


def forbid(connection):
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET clinic.audit_purge = 'off'")
        else:
            cursor.execute(f"DROP TABLE IF EXISTS temp.{SQLITE_FLAG}")


def allow_on_connect(sender, connection, **kwargs):
    allow(connection)


def install():
    connection_created.connect(allow_on_connect, dispatch_uid="tests.audit_purge")
