"""Mentoring pages. Every view scopes its queryset (mentoring.permissions) and answers 404 outside
the user's scope; the services check the rules again."""

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
