"""Impact pages: a cohort's and an expert's (officers and the lead; an expert their own), and a
company's radar (whoever sees the participant: officers, its experts, its representatives)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from clinic.dimensions import Dimension
from clinic.files import serve_private
from clinic.spreadsheets import csv_bytes, csv_response
from cohorts.models import Cohort

from .. import permissions
from ..models import ImpactReport, Participation
from . import charts, impact, impact_pdf
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


def render_impact(request, subject, participations, kind, reports=(), load=None):
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
        {
            "subject": subject,
            "kind": kind,
            "data": data,
            "chart": chart,
            "reports": reports,
            "load": load,
            "languages": settings.LANGUAGES,
        },
    )


@require_safe
def cohort_impact(request, pk):
    if not permissions.can_see_dashboard(request.user):
        raise Http404
    cohort = get_object_or_404(Cohort, pk=pk)
    return render_impact(
        request,
        cohort,
        Participation.objects.filter(cohort=cohort),
        "cohort",
        reports=list(ImpactReport.objects.filter(cohort=cohort)[:10]),
    )


@require_POST
def cohort_impact_pdf(request, pk):
    """An officer asks for the cohort's impact report PDF in a language."""
    if not permissions.can_see_dashboard(request.user):
        raise Http404
    cohort = get_object_or_404(Cohort, pk=pk)
    impact_pdf.request_report(request.user, cohort, request.POST.get("language", ""))
    messages.success(request, _("The impact report is being prepared; it appears below."))
    return redirect(reverse("mentoring:cohort_impact", args=[cohort.pk]) + "#reports")


@require_safe
def impact_report_download(request, pk):
    if not permissions.can_see_dashboard(request.user):
        raise Http404
    report = get_object_or_404(ImpactReport, pk=pk, state=ImpactReport.State.READY)
    return serve_private(report.file, filename=report.filename(), content_type="application/pdf")


@require_safe
def expert_impact(request, pk):
    expert = get_object_or_404(get_user_model(), pk=pk)
    if not permissions.can_see_expert_impact(request.user, expert):
        raise Http404
    return render_impact(
        request, expert, impact.led_by(expert), "expert", load=impact.expert_load(expert)
    )


@require_safe
def my_impact(request):
    """An expert's own impact page."""
    return expert_impact(request, request.user.pk)


@require_safe
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
