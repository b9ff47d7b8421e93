"""Comparing a list's search results on either database (clinic/text_search.py)."""

from django.db import connection


def matches(found):
    """The results a test compares: every one on SQLite (substring matching); on PostgreSQL the
    best match only, as similar names follow it there."""
    found = list(found)
    return found[:1] if connection.vendor == "postgresql" else found
