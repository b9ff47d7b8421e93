"""Follow-up reports filled by the company's representatives."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from clinic.transitions import Refused

from .. import permissions
from ..forms_plans import (
    FollowUpReportForm,
)
from ..insight import views_re_rating as re_rating
from ..models import ActionItem, FollowUpReport
from ..services import follow_up as follow_up_service


def _report_submitted(request, participation):
    messages.success(request, _("Thank you: your follow-up report is submitted."))
    return redirect("mentoring:participant", pk=participation.pk)


def follow_up_report(request, pk):
    report = get_object_or_404(
        FollowUpReport.objects.filter(
            participation__in=permissions.visible_participations(request.user).values("pk")
        ).select_related("participation__company", "participation__cohort"),
        pk=pk,
    )
    participation = report.participation
    if request.method == "POST" and request.POST.get("confirm"):
        return re_rating.confirm(request, report)
    can_fill = permissions.can_fill_follow_up(request.user, report)
    submitted = request.method == "POST" and report.state in FollowUpReport.DONE_STATES
    if submitted and permissions.is_representative_of(request.user, participation):
        return _report_submitted(request, participation)  # a repeated submit
    items = follow_up_service.report_items(report)
    form = FollowUpReportForm(
        request.POST if request.method == "POST" and can_fill else None,
        instance=report,
        items=items,
    )
    if request.method == "POST" and can_fill and form.is_valid():
        try:
            follow_up_service.submit_report(
                request.user, report, progress=form.progress(), **form.outcomes()
            )
        except Refused as error:
            form.add_error(None, error.shown(hidden=True))
        else:
            return _report_submitted(request, participation)
    return render(
        request,
        "mentoring/follow_up_report.html",
        {
            "participation": participation,
            "report": report,
            "form": form,
            "items": items,
            "can_fill": can_fill,
            "statuses": dict(ActionItem.Status.choices),
            **re_rating.context(request.user, report),
        },
    )
