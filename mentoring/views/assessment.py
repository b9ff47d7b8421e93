"""The strategy assessment page: the lead expert edits and submits it, an officer returns it."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from clinic.transitions import Refused
from clinic.versioning import save_current

from .. import permissions
from ..forms_plans import (
    AssessmentForm,
    ReturnForm,
)
from ..models import Assessment
from ..services import assessment as assessment_service
from . import assessable_participation


def assessment(request, pk):
    """The assessment page: audit vs expert per dimension, readiness; the lead expert edits and
    submits; an officer returns it with comments."""
    participation = assessable_participation(request, pk)
    user = request.user
    current = Assessment.objects.filter(participation=participation).first()
    can_write = permissions.can_write_assessment(user, participation)
    if current is None:
        if request.method == "POST" and can_write:
            try:
                assessment_service.start_assessment(user, participation)
            except Refused as error:
                messages.error(request, error.shown())
            return redirect("mentoring:assessment", pk=participation.pk)
        return render(
            request,
            "mentoring/assessment_start.html",
            {"participation": participation, "can_write": can_write},
        )
    submitting = request.method == "POST" and "submit" in request.POST and can_write
    if submitting and current.state == Assessment.State.SUBMITTED:
        return _assessment_submitted(request, participation)  # a repeated submit
    rows = assessment_service.score_rows(current)
    editable = can_write and current.is_editable
    form = AssessmentForm(
        request.POST if request.method == "POST" and editable else None,
        instance=current,
        rows=rows,
    )
    if request.method == "POST" and editable and form.is_valid():
        try:
            saved = save_current(
                form,
                lambda: assessment_service.save_assessment(
                    user, current, scores=form.scores(), **form.text_fields()
                ),
            )
            if saved and "submit" in request.POST:
                assessment_service.submit_assessment(user, current)
        except Refused as error:
            messages.error(request, error.shown(hidden=True))
        else:
            if saved and "submit" in request.POST:
                return _assessment_submitted(request, participation)
            if saved:
                messages.success(request, _("Draft saved."))
        if not form.stale:
            return redirect("mentoring:assessment", pk=participation.pk)
    current.refresh_from_db()
    return render(
        request,
        "mentoring/assessment.html",
        {
            "participation": participation,
            "assessment": current,
            "rows": rows,
            "form": form,
            "editable": editable,
            "readiness": assessment_service.assessment_readiness(current),
            "audit_readiness": assessment_service.readiness(r["audit"] for r in rows),
            "can_return": permissions.can_return_assessment(user, participation)
            and current.state == Assessment.State.SUBMITTED
            and not participation.plan_versions.filter(signed_at__isnull=False).exists(),
            "return_form": ReturnForm(),
            "is_officer": permissions.is_officer(user),
        },
        status=form.status,
    )


def _assessment_submitted(request, participation):
    messages.success(request, _("Assessment submitted. Next: the action plan."))
    return redirect("mentoring:plan", pk=participation.pk)


@require_POST
def assessment_return(request, pk):
    participation = assessable_participation(request, pk)
    current = get_object_or_404(Assessment, participation=participation)
    form = ReturnForm(request.POST)
    if form.is_valid():
        try:
            assessment_service.return_assessment(
                request.user, current, form.cleaned_data["comment"]
            )
        except Refused as error:
            messages.error(request, error.shown(hidden=True))
        else:
            messages.success(request, _("Assessment returned to the lead expert."))
    else:
        messages.error(request, _("Say what should change."))
    return redirect("mentoring:assessment", pk=participation.pk)
