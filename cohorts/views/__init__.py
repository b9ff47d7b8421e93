"""Pages of the application stage. Every view scopes its queryset (cohorts.permissions) and
answers 404 outside the user's scope; the services check the rules again."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from .. import permissions
from ..models import Cohort


def selection_cohort(request, pk):
    """The cohort whose selection (quota rules, proposal, roster) the user may see, else 404."""
    if not permissions.can_see_selection(request.user):
        raise Http404
    return get_object_or_404(Cohort, pk=pk)
