"""Event pages. Every page scopes its queryset (``permissions.visible_events``): anything
outside a user's scope is 404, and officer pages are 404 for everyone else."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect

from .. import permissions
from ..models import Event


def visible_event(request, pk):
    return get_object_or_404(
        permissions.visible_events(request.user).select_related("programme", "cohort"), pk=pk
    )


def managed_event(request, pk):
    if not permissions.can_manage_events(request.user):
        raise Http404
    return get_object_or_404(Event.objects.select_related("programme", "cohort"), pk=pk)


def refused(request, error, to, *args):
    """Show a refusal as a message and go back (409-like moves a second click makes)."""
    messages.error(request, str(error))
    return redirect(to, *args)
