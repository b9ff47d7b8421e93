"""Audit records store before -> after; the database refuses UPDATE and DELETE on the audit log.

The triggers let a statement through only while the connection has opted in to purging: on
PostgreSQL the session setting ``clinic.audit_purge = 'on'``, on SQLite a temporary table named
``clinic_audit_purge``. Only the test runner does that (conftest.py), so that Django can flush
the tables between transactional tests. PostgreSQL also refuses TRUNCATE without it.

SQLite rebuilds a table for most ALTERs and drops its triggers: a later migration that alters
clinic_auditlog must run INSTALL again (tests/clinic/test_audit_append_only.py checks it).
"""

import django.core.serializers.json
from django.db import migrations, models

POSTGRES_INSTALL = """
CREATE OR REPLACE FUNCTION clinic_auditlog_append_only() RETURNS trigger AS $$
BEGIN
    IF current_setting('clinic.audit_purge', true) = 'on' THEN
        IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
        IF TG_OP = 'UPDATE' THEN RETURN NEW; END IF;
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'clinic_auditlog is append-only: % refused', TG_OP
        USING ERRCODE = 'restrict_violation';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER clinic_auditlog_no_update BEFORE UPDATE ON clinic_auditlog
    FOR EACH ROW EXECUTE FUNCTION clinic_auditlog_append_only();
CREATE TRIGGER clinic_auditlog_no_delete BEFORE DELETE ON clinic_auditlog
    FOR EACH ROW EXECUTE FUNCTION clinic_auditlog_append_only();
CREATE TRIGGER clinic_auditlog_no_truncate BEFORE TRUNCATE ON clinic_auditlog
    FOR EACH STATEMENT EXECUTE FUNCTION clinic_auditlog_append_only();
"""
POSTGRES_REMOVE = """
DROP TRIGGER IF EXISTS clinic_auditlog_no_update ON clinic_auditlog;
DROP TRIGGER IF EXISTS clinic_auditlog_no_delete ON clinic_auditlog;
DROP TRIGGER IF EXISTS clinic_auditlog_no_truncate ON clinic_auditlog;
DROP FUNCTION IF EXISTS clinic_auditlog_append_only();
"""
SQLITE_PURGE_ALLOWED = (
    "EXISTS (SELECT 1 FROM pragma_table_list WHERE schema = 'temp' AND name = 'clinic_audit_purge')"
)
SQLITE_INSTALL = [
    f"""CREATE TRIGGER IF NOT EXISTS clinic_auditlog_no_{op.lower()} BEFORE {op} ON clinic_auditlog
    WHEN NOT {SQLITE_PURGE_ALLOWED}
    BEGIN SELECT RAISE(ABORT, 'clinic_auditlog is append-only: {op} refused'); END;"""
    for op in ("UPDATE", "DELETE")
]
SQLITE_REMOVE = [
    "DROP TRIGGER IF EXISTS clinic_auditlog_no_update;",
    "DROP TRIGGER IF EXISTS clinic_auditlog_no_delete;",
]


def install(apps, schema_editor):
    run(schema_editor, POSTGRES_INSTALL, SQLITE_INSTALL)


def remove(apps, schema_editor):
    run(schema_editor, POSTGRES_REMOVE, SQLITE_REMOVE)


def run(schema_editor, postgres, sqlite):
    vendor = schema_editor.connection.vendor
    statements = {"postgresql": [postgres], "sqlite": sqlite}.get(vendor)
    if statements is None:
        raise NotImplementedError(f"No append-only triggers for {vendor}")
    for statement in statements:
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("clinic", "0002_ipaudit"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditlog",
            name="changes",
            field=models.JSONField(
                blank=True,
                default=dict,
                encoder=django.core.serializers.json.DjangoJSONEncoder,
                verbose_name="changes",
            ),
        ),
        migrations.RunPython(install, remove),
    ]
