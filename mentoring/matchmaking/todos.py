"""My tasks entries of matchmaking: listings and partners waiting for an officer, returned
listings for their owners, introductions a side has still to accept. A fixed number of queries
whatever the number of rows."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from clinic import todos

from . import permissions
from .models import Need, PartnerOrganisation, Technology


@todos.register
def officer_todos(user):
    if not permissions.can_review_listings(user):
        return []
    items = [
        todos.Todo(
            title=_("Approve or return the technology “%(title)s”") % {"title": t},
            url=reverse("matchmaking:technology", args=[t.pk]),
            detail=t.company.legal_name,
            due=t.submitted_at,
        )
        for t in Technology.objects.filter(state=Technology.State.SUBMITTED).select_related(
            "company"
        )
    ]
    items += [
        todos.Todo(
            title=_("Approve or return the need “%(title)s”") % {"title": n},
            url=reverse("matchmaking:need", args=[n.pk]),
            detail=str(n.partner),
            due=n.submitted_at,
        )
        for n in Need.objects.filter(state=Need.State.SUBMITTED).select_related("partner")
    ]
    items += [
        todos.Todo(
            title=_("Check the partner registration of %(name)s") % {"name": p},
            url=reverse("matchmaking:partner", args=[p.pk]),
            detail=p.get_kind_display(),
        )
        for p in PartnerOrganisation.objects.filter(state=PartnerOrganisation.State.PENDING)
    ]
    return items


@todos.register
def owner_todos(user):
    if not user.is_authenticated:
        return []
    items = [
        todos.Todo(
            title=_("Revise the returned technology “%(title)s”") % {"title": t},
            url=reverse("matchmaking:technology", args=[t.pk]),
            detail=t.return_comment,
        )
        for t in permissions.editable_technologies(user).filter(state=Technology.State.RETURNED)
    ]
    items += [
        todos.Todo(
            title=_("Revise the returned need “%(title)s”") % {"title": n},
            url=reverse("matchmaking:need", args=[n.pk]),
            detail=n.return_comment,
        )
        for n in permissions.editable_needs(user).filter(state=Need.State.RETURNED)
        if not permissions.is_officer(user)
    ]
    waiting = (
        permissions.introductions_to_accept(user).select_related("technology", "partner").distinct()
    )
    items += [
        todos.Todo(
            title=_("Accept or decline the introduction: %(title)s") % {"title": i.technology},
            url=reverse("matchmaking:introduction", args=[i.pk]),
            detail=str(i.partner),
        )
        for i in waiting
    ]
    return items
