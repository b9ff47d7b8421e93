from django.utils.translation import gettext as _
from rest_framework import pagination
from rest_framework.exceptions import ValidationError


class CursorPagination(pagination.CursorPagination):
    """Cursor pagination over the view's fixed ``orderings`` (name -> fields, each ending in the
    id, so a page boundary is exact); ``?ordering=<name>`` picks one, the first is the default."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    ordering_param = "ordering"

    def get_ordering(self, request, queryset, view):
        orderings = view.orderings
        name = request.query_params.get(self.ordering_param) or next(iter(orderings))
        if name not in orderings:
            raise ValidationError(
                {self.ordering_param: [_("Choose one of: %s.") % ", ".join(orderings)]}
            )
        return tuple(orderings[name])

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        parameters.append(
            {
                "name": self.ordering_param,
                "required": False,
                "in": "query",
                "description": "Order of the list (each ends in the id).",
                "schema": {"type": "string", "enum": list(view.orderings)},
            }
        )
        return parameters
