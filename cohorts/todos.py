"""My tasks entries that are data, not flow tasks: drafts, information requests, reviews,
conflicts to replace. Each provider runs a fixed number of queries."""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from clinic import todos
from clinic.permissions import is_officer, is_reviewer, is_sme

from .models import Application, Conflict, Review
from .models.cohorts import localized_value
from .transitions import AWAITING_DECISION


@todos.register
def sme_applications(user):
    if not is_sme(user):
        return []
    now = timezone.now()  # drafts only of calls not yet closed (upcoming or open)
    items = []
    for application in (
        Application.objects.filter(company__representatives=user)
        .filter(
            Q(state=Application.State.NEEDS_INFO)
            | Q(state=Application.State.DRAFT, cohort__applications_close_at__gt=now)
            | Q(state=Application.State.DRAFT, cohort__applications_open_at__gt=now)
        )
        .select_related("cohort", "company")
        .order_by("pk")
    ):
        if application.state == Application.State.NEEDS_INFO:
            items.append(
                todos.Todo(
                    title=_("Answer the information request"),
                    url=reverse("cohorts:application_edit", args=[application.pk]),
                    detail=application.summary,
                    due=application.info_due_at,
                )
            )
        elif application.cohort.stage in ("open", "upcoming"):
            items.append(
                todos.Todo(
                    title=_("Finish and submit your application"),
                    url=reverse("cohorts:application_edit", args=[application.pk]),
                    detail=application.summary,
                    due=application.cohort.applications_close_at,
                )
            )
    return items


@todos.register
def reviewer_reviews(user):
    if not is_reviewer(user):
        return []
    rows = (
        Review.objects.filter(
            reviewer=user,
            state__in=Review.OPEN_STATES,
            application__state__in=AWAITING_DECISION,
        )
        .values(
            "application__cohort__name",
            "application__cohort__name_zh",
            "application__cohort__review_deadline",
        )
        .annotate(n=Count("pk"))
        .order_by("application__cohort__review_deadline")
    )
    return [
        todos.Todo(
            title=ngettext(
                "Review %(count)s application", "Review %(count)s applications", row["n"]
            )
            % {"count": row["n"]},
            url=reverse("cohorts:reviews"),
            detail=localized_value(row, "application__cohort__name"),
            due=row["application__cohort__review_deadline"],
        )
        for row in rows
    ]


@todos.register
def officer_conflicts(user):
    if not is_officer(user):
        return []
    rows = (
        Conflict.objects.filter(resolved_at__isnull=True, application__isnull=False)
        .values(
            "application__cohort_id", "application__cohort__name", "application__cohort__name_zh"
        )
        .annotate(n=Count("pk"))
        .order_by("application__cohort_id")
    )
    return [
        todos.Todo(
            title=ngettext(
                "Replace %(count)s conflicted reviewer",
                "Replace %(count)s conflicted reviewers",
                row["n"],
            )
            % {"count": row["n"]},
            url=reverse("cohorts:assignments", args=[row["application__cohort_id"]]),
            detail=localized_value(row, "application__cohort__name"),
        )
        for row in rows
    ]


@todos.register
def sme_places(user):
    """Selected SMEs confirm or decline their place before the deadline."""
    if not is_sme(user):
        return []
    return [
        todos.Todo(
            title=_("Confirm or decline your place"),
            url=reverse("cohorts:place", args=[application.pk]),
            detail=application.summary,
            due=application.confirm_due_at,
        )
        for application in Application.objects.filter(
            company__representatives=user, state=Application.State.SELECTED
        )
        .select_related("cohort", "company")
        .order_by("confirm_due_at", "pk")
    ]
