"""My tasks: the lead expert confirms the 12-month re-ratings waiting for them (one query)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from clinic import permissions as core
from clinic import todos

from ..models import Assignment, FollowUpReport


@todos.register
def re_ratings_to_confirm(user):
    if not core.is_expert(user):
        return []
    reports = (
        FollowUpReport.objects.filter(
            round=FollowUpReport.Round.TWELVE,
            state=FollowUpReport.State.SUBMITTED,
            participation__assignments__expert=user,
            participation__assignments__role=Assignment.Role.LEAD,
            participation__assignments__ended_at__isnull=True,
        )
        .exclude(self_levels={})
        .select_related("participation__company")
        .order_by("submitted_at", "pk")
    )
    return [
        todos.Todo(
            title=_("Confirm the 12-month re-rating"),
            url=reverse("mentoring:follow_up_report", args=[report.pk]) + "#confirm-re-rating",
            detail=report.participation.company.legal_name,
        )
        for report in reports
    ]
