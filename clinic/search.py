"""The staff's global search: every stage registers what it finds for a query (the core finds
companies and people; the cohort stage applications) through ``clinic.text_search.matching``:
a case-insensitive substring (Chinese text too) and, on PostgreSQL, misspelt and partial names.

A provider is ``provider(user, query) -> Group`` (or None) and runs a fixed number of queries.
"""

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .text_search import matching, natural

PEOPLE_FIELDS = ["first_name", "last_name", "username", "email"]
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

    matches = matching(
        visible_companies(user),
        query,
        ["legal_name", "local_name", "registration_number"],
        order=(natural("legal_name"), "pk"),
    )
    return group_of(
        _("Companies"),
        matches,
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
    matches = matching(
        get_user_model().objects.all(),
        query,
        PEOPLE_FIELDS,
        order=(natural("last_name"), natural("first_name"), "pk"),
    )
    return group_of(
        _("People"),
        matches,
        lambda u: Result(
            u.get_full_name() or u.username, reverse("user_detail", args=[u.pk]), u.email
        ),
    )
