"""Quick links beside My tasks: the core's own, and those each stage registers when its app is
ready (``register``); the core names no stage's pages."""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from . import permissions


@dataclass(frozen=True)
class QuickLink:
    label: str
    url_name: str
    icon: str
    show: Callable
    primary: bool
    order: int


_LINKS = []


def register(label, url_name, icon, *, show=None, primary=False, order=50):
    """Show a link to ``url_name`` (a Bootstrap icon, ``show(user)`` deciding who sees it) on My
    tasks, lowest ``order`` first."""
    _LINKS.append(QuickLink(label, url_name, icon, show or (lambda user: True), primary, order))


def links_for(user):
    """The quick links ``user`` sees: label, url, icon and whether it is a primary one."""
    return [
        {
            "label": link.label,
            "url": reverse(link.url_name),
            "icon": link.icon,
            "primary": link.primary,
        }
        for link in sorted(_LINKS, key=lambda link: link.order)
        if link.show(user)
    ]


register(_("Companies"), "company_list", "bi-buildings", show=permissions.is_officer, order=90)
register(_("Outbox"), "outbox_list", "bi-envelope", show=permissions.can_see_outbox, order=91)
