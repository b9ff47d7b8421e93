"""Mentoring pages. Every view scopes its queryset (mentoring.permissions) and answers 404 outside
the user's scope; the services check the rules again."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from .. import permissions


def visible_participation(request, pk):
    queryset = permissions.visible_participations(request.user).select_related(
        "company", "cohort", "audit"
    )
    return get_object_or_404(queryset, pk=pk)


def visible_session(request, pk):
    queryset = permissions.visible_sessions(request.user).select_related(
        "participation__company", "participation__cohort", "expert"
    )
    return get_object_or_404(queryset, pk=pk)


def assessable_participation(request, pk):
    """The participation if the user may see its assessment and plan, else 404."""
    participation = visible_participation(request, pk)
    if not permissions.can_see_assessment(request.user, participation):
        raise Http404
    return participation
