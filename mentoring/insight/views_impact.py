"""Impact pages: a cohort's and an expert's (officers and the lead; an expert their own), and a
company's radar (whoever sees the participant: officers, its experts, its representatives)."""

from django.contrib.auth import get_user_model
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from clinic.dimensions import Dimension
from clinic.spreadsheets import csv_bytes, csv_response
from cohorts.models import Cohort

from .. import permissions
from ..models import Participation
from . import charts, impact
from .radar import radar


def change_bars(changes):
    bars = []
    for row in changes:
        average, deviation, count = row["audit"]
        if row["dimension"] is None or average is None:
            continue
        bars.append(
            charts.Bar(
                f"{row['dimension'].value} {row['dimension'].label}",
                abs(average),
                f"{average:+.2f} ± {deviation:.2f} (n={count})",
            )
        )
    return bars


def render_impact(request, subject, participations, kind):
    data = impact.report(participations)
    wanted = request.GET.get("csv")
    if wanted in ("companies", "dimensions"):
        header, rows = (companies_csv if wanted == "companies" else dimensions_csv)(data)
        return csv_response(csv_bytes(header, rows), f"impact-{kind}-{subject.pk}-{wanted}.csv")
    chart = charts.bar_chart(
        change_bars(data["changes"]), _("Mean change in maturity since the audit"), "impact"
    )
    return render(
        request,
        "mentoring/insight/impact.html",
        {"subject": subject, "kind": kind, "data": data, "chart": chart},
    )


def cohort_impact(request, pk):
    if not permissions.can_see_dashboard(request.user):
        raise Http404
    cohort = get_object_or_404(Cohort, pk=pk)
    return render_impact(request, cohort, Participation.objects.filter(cohort=cohort), "cohort")


def expert_impact(request, pk):
    expert = get_object_or_404(get_user_model(), pk=pk)
    if not permissions.can_see_expert_impact(request.user, expert):
        raise Http404
    return render_impact(request, expert, impact.led_by(expert), "expert")


def my_impact(request):
    """An expert's own impact page."""
    return expert_impact(request, request.user.pk)


def company_impact(request, pk):
    participation = get_object_or_404(
        permissions.visible_participations(request.user).select_related("company", "cohort"),
        pk=pk,
    )
    (company,) = impact.load(Participation.objects.filter(pk=participation.pk))
    rows = [
        {"dimension": d, "levels": [company.levels[p][d.value] for p in impact.POINTS]}
        for d in Dimension
    ]
    return render(
        request,
        "mentoring/insight/company_impact.html",
        {
            "participation": participation,
            "company": company,
            "rows": rows,
            "labels": [impact.POINT_LABELS[p] for p in impact.POINTS],
            "readiness": [company.readiness[p] for p in impact.POINTS],
            "radar": radar(company, _("IP maturity: audit, assessment and 12 months")),
        },
    )


def companies_csv(data):
    header = [_("Company"), _("Cohort"), _("Measured at"), *map(str, Dimension.values)]
    header.append(_("Readiness (%)"))
    rows = []
    for company in data["companies"]:
        for point in impact.POINTS:
            rows.append(
                [
                    company.participation.company.legal_name,
                    str(company.participation.cohort),
                    str(impact.POINT_LABELS[point]),
                    *[
                        "" if company.levels[point][d] is None else company.levels[point][d]
                        for d in Dimension.values
                    ],
                    "" if company.readiness[point] is None else company.readiness[point],
                ]
            )
    return header, rows


def dimensions_csv(data):
    header = [
        _("Dimension"),
        _("Mean change since the audit"),
        _("Spread"),
        _("Companies"),
        _("Mean change since the assessment"),
        _("Spread"),
        _("Companies"),
    ]
    rows = []
    for row in data["changes"]:
        label = str(row["dimension"].label) if row["dimension"] else _("Readiness (points)")
        cells = [label]
        for since in ("audit", "assessment"):
            average, deviation, count = row[since]
            cells += ["" if average is None else average, "" if deviation is None else deviation]
            cells.append(count)
        rows.append(cells)
    return header, rows
