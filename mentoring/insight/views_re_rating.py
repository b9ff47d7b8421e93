"""The 12-month re-rating on the follow-up report page: shown to everyone who sees the report,
confirmed or adjusted by the lead expert."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from clinic.dimensions import Dimension
from clinic.transitions import Refused

from .. import permissions
from ..models import ActionItem, FollowUpReport
from ..services.re_rating import confirm_re_rating
from .forms_re_rating import LEVELS_HELP, ConfirmReRatingForm


def rows(report):
    if not report.self_levels:
        return []
    return [
        {
            "label": d.label,
            "own": report.self_levels.get(str(d.value)),
            "confirmed": report.confirmed_levels.get(str(d.value)),
            "adjusted": report.confirmed_levels
            and report.confirmed_levels.get(str(d.value)) != report.self_levels.get(str(d.value)),
        }
        for d in Dimension
    ]


def context(user, report, form=None):
    pending = report.state == FollowUpReport.State.SUBMITTED and report.self_levels
    may_confirm = pending and permissions.can_confirm_re_rating(user, report)
    return {
        "levels_help": LEVELS_HELP,
        "rerating_rows": rows(report),
        "confirm_form": form or (ConfirmReRatingForm(report=report) if may_confirm else None),
    }


def confirm(request, report):
    """POST of the lead expert's confirmation (a repeat after it was confirmed: the result)."""
    participation = report.participation
    if report.state == FollowUpReport.State.CONFIRMED:
        return redirect("mentoring:follow_up_report", pk=report.pk)
    if not permissions.can_confirm_re_rating(request.user, report):
        raise Refused("not_permitted")
    form = ConfirmReRatingForm(request.POST, report=report)
    if form.is_valid():
        try:
            confirm_re_rating(request.user, report, form.levels())
        except Refused as error:
            form.add_error(None, error.shown(hidden=True))
        else:
            messages.success(request, _("The 12-month levels are confirmed."))
            return redirect("mentoring:participant", pk=participation.pk)
    from ..services import follow_up as follow_up_service

    return render(
        request,
        "mentoring/follow_up_report.html",
        {
            "participation": participation,
            "report": report,
            "form": None,
            "items": follow_up_service.report_items(report),
            "can_fill": False,
            "statuses": dict(ActionItem.Status.choices),
            **context(request.user, report, form),
        },
        status=400,
    )
