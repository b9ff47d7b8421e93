"""Matchmaking pages: thin views over permission-scoped querysets that call the services."""

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404

from ..forms import ORDERINGS, ListFilterForm
from ..services import matching

PAGE_SIZE = 20


def scoped(queryset, pk):
    """The row ``pk`` of a user's scope, or 404."""
    return get_object_or_404(queryset, pk=pk)


def listing_page(request, queryset, *, states, area_field):
    """Search (by what a listing does, both languages), area and state filters, ordering and
    pagination for a list of technologies or needs: a fixed number of queries."""
    form = ListFilterForm(request.GET or None, states=states)
    if area := form.value("area"):
        queryset = queryset.filter(**{area_field: area})
    if state := form.value("state"):
        queryset = queryset.filter(state=state)
    query = form.value("q")
    if query:
        pks = matching.search(queryset, query)
        page = Paginator(pks, PAGE_SIZE).get_page(request.GET.get("page"))
        rows = queryset.in_bulk(list(page.object_list))
        page.object_list = [rows[pk] for pk in page.object_list if pk in rows]
    else:
        order = form.value("order") or "-updated_at"
        order = order if order in ORDERINGS else "-updated_at"
        page = Paginator(queryset.order_by(order, "pk"), PAGE_SIZE).get_page(
            request.GET.get("page")
        )
    return {"form": form, "page": page, "query": query}
