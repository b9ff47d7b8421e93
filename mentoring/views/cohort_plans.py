"""A cohort's plans board (generate all, progress) and its outcomes."""

import uuid

from django.contrib import messages
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from clinic.spreadsheets import csv_response
from cohorts.models import Cohort

from .. import permissions
from ..models import Participation, PlanVersion
from ..services import follow_up as follow_up_service
from ..services import plan_versions as version_service


def _officer_cohort(request, pk):
    if not permissions.is_officer(request.user):
        raise Http404
    return get_object_or_404(Cohort, pk=pk)


@require_safe
def cohort_plans(request, pk):
    cohort = _officer_cohort(request, pk)
    participations = (
        Participation.objects.filter(cohort=cohort)
        .select_related("company", "assessment")
        .prefetch_related(
            Prefetch(
                "plan_versions",
                queryset=PlanVersion.objects.order_by("-number"),
                to_attr="versions",
            )
        )
        .order_by("company__legal_name")
    )
    rows = []
    for participation in participations:
        versions = participation.versions
        rows.append(
            {
                "participation": participation,
                "assessment": getattr(participation, "assessment", None),
                "latest": versions[0] if versions else None,
                "signed": next((v for v in versions if v.signed_at), None),
            }
        )
    batch = _batch(request)
    return render(
        request,
        "mentoring/cohort_plans.html",
        {
            "cohort": cohort,
            "rows": rows,
            "batch": batch,
            "progress": version_service.batch_progress(cohort, batch) if batch else None,
            "can_sign": permissions.can_sign_off(request.user),
        },
    )


def _batch(request):
    """The ``batch`` query parameter when it is a UUID, else an empty string."""
    try:
        return str(uuid.UUID(request.GET.get("batch", "")))
    except ValueError:
        return ""


@require_POST
def cohort_generate_all(request, pk):
    cohort = _officer_cohort(request, pk)
    batch, count = version_service.generate_all(request.user, cohort)
    if not count:
        messages.warning(request, _("No participant has a submitted assessment yet."))
        return redirect("mentoring:cohort_plans", pk=cohort.pk)
    messages.success(request, _("%(count)d plans are being generated.") % {"count": count})
    return redirect(reverse("mentoring:cohort_plans", args=[cohort.pk]) + f"?batch={batch}")


@require_safe
def cohort_plans_progress(request, pk):
    cohort = _officer_cohort(request, pk)
    batch = _batch(request)
    if not batch:
        raise Http404
    progress = version_service.batch_progress(cohort, batch)
    return render(
        request,
        "mentoring/_batch_progress.html",
        {"cohort": cohort, "batch": batch, "progress": progress},
    )


@require_safe
def cohort_outcomes(request, pk):
    cohort = _officer_cohort(request, pk)
    rows = follow_up_service.cohort_outcomes(cohort)
    return render(
        request,
        "mentoring/cohort_outcomes.html",
        {"cohort": cohort, "rows": rows, "totals": follow_up_service.outcome_totals(rows)},
    )


@require_safe
def cohort_outcomes_csv(request, pk):
    cohort = _officer_cohort(request, pk)
    content = follow_up_service.outcomes_csv(follow_up_service.cohort_outcomes(cohort))
    return csv_response(content, f"outcomes-{cohort.pk}-{timezone.localdate()}.csv")
