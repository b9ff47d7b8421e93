"""GIN trigram index on the technology title the lists search (clinic/text_search.py); on
PostgreSQL only."""

from django.db import migrations

from clinic.db_operations import trigram_indexes


class Migration(migrations.Migration):
    dependencies = [("cohorts", "0014_review_summaries"), ("clinic", "0007_trigram_search")]

    operations = [trigram_indexes("cohorts_application", ["tech_title"])]
