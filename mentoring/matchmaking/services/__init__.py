"""Matchmaking services: one function per state transition (see each module)."""

from django.contrib.auth import get_user_model
from django.urls import reverse

from clinic import roles
from clinic.services.outbox import queue_message
from clinic.transitions import Refused


def refuse_unless(allowed, message="", code="not_permitted"):
    if not allowed:
        raise Refused(code, message)


def officers():
    """Active officers and leads: who is told of a submission or a registration."""
    return (
        get_user_model()
        .objects.filter(groups__name__in=roles.STAFF_ROLES, is_active=True)
        .distinct()
        .order_by("pk")
    )


def tell(recipients, kind, context, *, related, link_name=None, link_args=(), **options):
    """Queue mail ``kind`` for each recipient (in their language), once per person."""
    link = reverse(link_name, args=link_args) if link_name else ""
    seen = set()
    for person in recipients:
        if person.pk in seen or not person.is_active or not person.email:
            continue
        seen.add(person.pk)
        queue_message(person, kind, {**context, "link": link}, related=related, **options)
