"""Migration operations that only run on one database backend."""

from django.db import migrations


class PostgreSQLOnly(migrations.RunSQL):
    """``RunSQL`` on PostgreSQL; nothing on any other backend (SQLite keeps its defaults)."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


def trigram_indexes(table, columns):
    """One GIN trigram index per column of ``table`` (search: clinic/text_search.py)."""
    return PostgreSQLOnly(
        sql=[
            f"CREATE INDEX IF NOT EXISTS {table}_{column}_trgm ON {table} "
            f"USING gin ({column} gin_trgm_ops)"
            for column in columns
        ],
        reverse_sql=[f"DROP INDEX IF EXISTS {table}_{column}_trgm" for column in columns],
    )
