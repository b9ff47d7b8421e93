"""Applications in the staff's global search (clinic/search.py): by technology title or the
company's names, within what the user may see."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from clinic import search
from clinic.text_search import matching

from .permissions import visible_applications

# The fields the staff's search and the lists of applications look in.
FIELDS = [
    "tech_title",
    "company__legal_name",
    "company__local_name",
    "company__registration_number",
]


@search.register
def applications(user, query):
    matches = matching(
        visible_applications(user).select_related("company", "cohort"),
        query,
        FIELDS,
        order=("-created_at", "-pk"),
    )
    return search.group_of(
        _("Applications"),
        matches,
        lambda a: search.Result(
            a.summary,
            reverse("cohorts:application", args=[a.pk]),
            f"{a.tech_title} · {a.get_state_display()}",
        ),
    )
