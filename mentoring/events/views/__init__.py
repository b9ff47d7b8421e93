"""Event pages. Every page scopes its queryset (``permissions.visible_events``): anything
outside a user's scope is 404, and officer pages are 404 for everyone else."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect

from clinic.transitions import Refused

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
    """Show a refusal as a message and go back (a move a second click no longer makes); a
    refusal of scope or permission answers 404."""
    messages.error(request, error.shown(hidden=True) if isinstance(error, Refused) else error)
    return redirect(to, *args)


def run(request, pk, call, done="", back="events:detail"):
    """Call a service for the event ``pk``; its refusal goes back to ``back`` as a message,
    success to the event page with ``done``."""
    try:
        call()
    except Refused as error:
        return refused(request, error, back, pk)
    if done:
        messages.success(request, done)
    return redirect("events:detail", pk=pk)
