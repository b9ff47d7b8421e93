"""The audit log is append-only in the database: every door that writes SQL is refused."""

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction

from clinic.models import AuditLog
from clinic.services import audit
from tests import audit_purge
from tests.factories import CompanyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry(audit_guard):
    return audit.record(CompanyFactory(), "registered", to_state="registered", reason="kept")


def refused(sql, params=()):
    with (
        pytest.raises(IntegrityError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, params)


def stored_reason(entry):
    with connection.cursor() as cursor:
        cursor.execute("SELECT reason FROM clinic_auditlog WHERE id = %s", [entry.pk])
        return cursor.fetchone()[0]


def test_audit_log_raw_update_is_refused_by_the_database(entry):
    refused("UPDATE clinic_auditlog SET reason = %s WHERE id = %s", ["forged", entry.pk])
    assert stored_reason(entry) == "kept"


def test_audit_log_raw_delete_is_refused_by_the_database(entry):
    refused("DELETE FROM clinic_auditlog WHERE id = %s", [entry.pk])
    refused("DELETE FROM clinic_auditlog")
    assert AuditLog.objects.filter(pk=entry.pk).count() == 1


def test_audit_log_base_manager_update_and_delete_are_refused(entry):
    with pytest.raises(IntegrityError), transaction.atomic():
        AuditLog._base_manager.filter(pk=entry.pk).update(reason="forged")
    with pytest.raises(IntegrityError), transaction.atomic():
        AuditLog._base_manager.filter(pk=entry.pk).delete()
    assert stored_reason(entry) == "kept"


def test_audit_log_upsert_is_refused(entry):
    forged = AuditLog(
        pk=entry.pk,
        actor_name="mallory",
        object_type=entry.object_type,
        object_id=entry.object_id,
        object_text=entry.object_text,
        action="registered",
        reason="forged",
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        AuditLog.objects.bulk_create(
            [forged], update_conflicts=True, unique_fields=["id"], update_fields=["reason"]
        )
    assert stored_reason(entry) == "kept"


def test_audit_log_truncate_is_refused_on_postgresql(entry):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no TRUNCATE (its DELETE is refused above)")
    refused("TRUNCATE clinic_auditlog")
    assert AuditLog.objects.count() == 1


def test_audit_log_accepts_new_records_under_the_guard(entry):
    audit.record(CompanyFactory(), "updated")
    assert AuditLog.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_audit_log_flush_works_with_the_test_runners_opt_in():
    audit.record(CompanyFactory(), "registered")
    call_command("flush", interactive=False)
    assert AuditLog.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_audit_log_flush_is_refused_without_the_opt_in():
    audit.record(CompanyFactory(), "registered")
    audit_purge.forbid(connection)
    try:
        with pytest.raises(CommandError) as refusal:
            call_command("flush", interactive=False)
    finally:
        audit_purge.allow(connection)
    assert "append-only" in str(refusal.value.__cause__)
    assert AuditLog.objects.count() == 1
