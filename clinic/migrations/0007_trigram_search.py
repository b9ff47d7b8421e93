"""Search and natural order on PostgreSQL (clinic/text_search.py): the pg_trgm extension, the
``natural_sort`` collation (ICU, numbers by value) and GIN trigram indexes on the names that
the lists search. Nothing on SQLite."""

from django.db import migrations

from clinic.db_operations import PostgreSQLOnly, trigram_indexes


class Migration(migrations.Migration):
    dependencies = [("clinic", "0006_webhooks")]

    operations = [
        PostgreSQLOnly(
            sql=[
                "CREATE EXTENSION IF NOT EXISTS pg_trgm",
                "CREATE COLLATION IF NOT EXISTS natural_sort "
                "(provider = icu, locale = 'und-u-kn-true')",
            ],
            reverse_sql=["DROP COLLATION IF EXISTS natural_sort"],
        ),
        trigram_indexes(
            "clinic_company", ["legal_name", "local_name", "registration_number", "city"]
        ),
        trigram_indexes("clinic_user", ["first_name", "last_name", "username", "email"]),
        trigram_indexes("clinic_outboxmessage", ["to_email", "subject"]),
    ]
