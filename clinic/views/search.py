"""The staff's global search page (``clinic.search``)."""

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_safe

from ..permissions import can_search
from ..search import MIN_LENGTH, search


@require_safe
def search_page(request):
    """Companies, applications and people matching ``q``, each kind with its own scope."""
    if not can_search(request.user):
        raise Http404
    query = request.GET.get("q", "").strip()[:100]
    context = {"q": query, "groups": search(request.user, query), "min_length": MIN_LENGTH}
    return render(request, "clinic/search.html", context)
