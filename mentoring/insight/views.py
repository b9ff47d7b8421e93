"""The programme dashboard (officers and the lead): every section as a chart, a table and CSV."""

from datetime import datetime

from django.contrib.auth import get_user_model
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from clinic.spreadsheets import csv_bytes, csv_response

from .. import permissions
from ..models import Assignment
from . import charts
from .dashboard import SECTIONS
from .forms import DashboardFilterForm


def cell(value):
    """A table value as the page and the CSV show it."""
    if value is None:
        return "–"
    if value is True or value is False:
        return _("yes") if value else _("no")
    if isinstance(value, datetime):
        return date_format(timezone.localtime(value), "Y-m-d H:i")
    return value


def lead_experts(filters):
    """The experts who led a participant of the filtered cohorts (for the impact links)."""
    ids = Assignment.objects.filter(
        role=Assignment.Role.LEAD, participation__cohort__in=filters.cohorts().values("pk")
    ).values("expert_id")
    return get_user_model().objects.filter(pk__in=ids).order_by("first_name", "username")


@require_safe
def dashboard(request):
    if not permissions.can_see_dashboard(request.user):
        raise Http404
    form = DashboardFilterForm(request.GET)
    filters = form.filters()
    wanted = request.GET.get("csv")
    if wanted in SECTIONS:
        table = SECTIONS[wanted](filters)
        rows = [[cell(value) for value in row] for row in table.rows]
        content = csv_bytes([str(h) for h in table.header], rows)
        return csv_response(content, f"dashboard-{wanted}.csv")
    query = request.GET.copy()
    query.pop("csv", None)
    sections = []
    for build in SECTIONS.values():
        table = build(filters)
        sections.append(
            {
                "table": table,
                "chart": charts.chart(table),
                "legend": charts.LEGENDS[table.key],
                "rows": [[cell(value) for value in row] for row in table.rows],
            }
        )
    return render(
        request,
        "mentoring/insight/dashboard.html",
        {
            "form": form,
            "sections": sections,
            "query": query.urlencode(),
            "impact_cohorts": list(filters.cohorts().select_related("programme")),
            "impact_experts": list(lead_experts(filters)),
        },
    )
