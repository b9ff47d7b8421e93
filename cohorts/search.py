"""Applications in the staff's global search (clinic/search.py): by technology title or the
company's names, within what the user may see."""

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from clinic import search

from .permissions import visible_applications


@search.register
def applications(user, query):
    matches = visible_applications(user).filter(
        Q(tech_title__icontains=query)
        | Q(company__legal_name__icontains=query)
        | Q(company__local_name__icontains=query)
        | Q(company__registration_number__icontains=query)
    )
    return search.group_of(
        _("Applications"),
        matches.select_related("company", "cohort").order_by("-created_at", "-pk"),
        lambda a: search.Result(
            a.summary,
            reverse("cohorts:application", args=[a.pk]),
            f"{a.tech_title} · {a.get_state_display()}",
        ),
    )
