"""My tasks: the user's own work whose deadline passed, marked overdue (one query)."""

from django.utils.translation import gettext_lazy as _

from clinic import todos

from . import kind_label, overdue


@todos.register
def overdue_work(user):
    rows = overdue().filter(owners=user).order_by("due_at", "pk")
    return [
        todos.Todo(
            title=_("Overdue: %(kind)s") % {"kind": kind_label(row.kind)},
            url=row.url,
            detail=row.summary,
            due=row.due_at,
            overdue=True,
        )
        for row in rows
    ]
