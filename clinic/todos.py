"""To-dos for My tasks that are not viewflow tasks (repeating items are data, see DESIGN.md).

Each stage registers a provider: a function ``provider(user) -> list[Todo]`` that runs a fixed
number of queries whatever the number of rows.
"""

from dataclasses import dataclass
from datetime import datetime

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

_PROVIDERS = []


@dataclass(frozen=True)
class Todo:
    title: str
    url: str
    detail: str = ""
    due: datetime | None = None
    overdue: bool = False


def register(provider):
    _PROVIDERS.append(provider)
    return provider


def todos_for(user):
    items = []
    for provider in _PROVIDERS:
        items.extend(provider(user))
    return sorted(items, key=lambda todo: (todo.due is None, todo.due or datetime.min))


@register
def verify_email(user):
    if user.email_verified_at is not None:
        return []
    return [
        Todo(
            title=_("Verify your email address"),
            url=reverse("resend_verification"),
            detail=_("You need a verified address before you can submit an application."),
        )
    ]


@register
def join_company(user):
    """An SME account that represents no company (its sign-up named a company registered
    already, or it was removed from its company): how to join one. Shown once the address is
    verified, so only the address's owner learns that the company was not made."""
    from . import permissions

    if user.email_verified_at is None or not permissions.is_sme(user):
        return []
    if user.companies.exists():
        return []
    return [
        Todo(
            title=_("Join your company"),
            url=reverse("no_company"),
            detail=_(
                "Your account does not represent a company yet: ask one of its representatives "
                "to invite you."
            ),
        )
    ]
