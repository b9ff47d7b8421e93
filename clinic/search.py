"""The staff's global search: every stage registers what it finds for a query (the core finds
companies and people; the cohort stage applications). Case-insensitive substring matching
(``icontains``), which also finds Chinese text.

A provider is ``provider(user, query) -> Group`` (or None) and runs a fixed number of queries.
"""

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

LIMIT = 20  # results shown per kind; the total says how many more matched
MIN_LENGTH = 2
_PROVIDERS = []


@dataclass
class Result:
    title: str
    url: str
    detail: str = ""


@dataclass
class Group:
    label: str
    results: list = field(default_factory=list)
    total: int = 0


def register(provider):
    _PROVIDERS.append(provider)
    return provider


def search(user, query):
    """The groups of results for ``query`` that ``user`` may see (empty below MIN_LENGTH)."""
    query = (query or "").strip()[:100]
    if len(query) < MIN_LENGTH:
        return []
    groups = [provider(user, query) for provider in _PROVIDERS]
    return [group for group in groups if group is not None]


def group_of(label, queryset, describe):
    """A Group of the first LIMIT rows of ``queryset`` with its total count."""
    rows = list(queryset[:LIMIT])
    total = len(rows) if len(rows) < LIMIT else queryset.count()
    return Group(label, [describe(row) for row in rows], total)


@register
def companies(user, query):
    from .permissions import visible_companies

    matches = visible_companies(user).filter(
        Q(legal_name__icontains=query)
        | Q(local_name__icontains=query)
        | Q(registration_number__icontains=query)
    )
    return group_of(
        _("Companies"),
        matches.order_by("legal_name", "pk"),
        lambda c: Result(
            f"{c.legal_name}{f' ({c.local_name})' if c.local_name else ''}",
            reverse("company_detail", args=[c.pk]),
            f"{c.registration_number} · {c.region}",
        ),
    )


@register
def people(user, query):
    from .permissions import can_manage_users

    if not can_manage_users(user):
        return None
    matches = get_user_model().objects.filter(
        Q(first_name__icontains=query)
        | Q(last_name__icontains=query)
        | Q(username__icontains=query)
        | Q(email__icontains=query)
    )
    return group_of(
        _("People"),
        matches.order_by("last_name", "first_name", "pk"),
        lambda u: Result(
            u.get_full_name() or u.username, reverse("user_detail", args=[u.pk]), u.email
        ),
    )
