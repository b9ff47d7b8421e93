"""Officers' ranking of a cohort's eligible applications, with filters, sorting and CSV export.

Rows are aggregated in Python from three queries (services.ranking) and rendered without a
template call per cell.
"""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from clinic.models import GreenArea, SizeClass
from clinic.spreadsheets import csv_bytes, csv_response

from .. import permissions
from ..models import Application, Cohort
from ..services.ranking import RANKED_STATES, rank_applications

PAGE_SIZE = 250
FILTERS = ("area", "size", "region", "state")


def _cohort(request, pk):
    if not permissions.can_manage_reviews(request.user):
        raise Http404
    return get_object_or_404(Cohort, pk=pk)


def _filtered(request, cohort):
    applications = Application.objects.filter(cohort=cohort)
    params = {name: request.GET.get(name, "") for name in FILTERS}
    if params["area"]:
        applications = applications.filter(tech_area=params["area"])
    if params["size"]:
        applications = applications.filter(size_class=params["size"])
    if params["region"]:
        applications = applications.filter(company__region=params["region"])
    if params["state"]:
        applications = applications.filter(state=params["state"])
    narrowed = any(params.values())
    return (applications if narrowed else None), params


def _sort(rows, order, criteria):
    keys = {
        "rank": lambda r: (r.rank is None, r.rank or 0),
        "company": lambda r: r.company_name.lower(),
        "area": lambda r: r.tech_area,
        "size": lambda r: r.size_class,
        "region": lambda r: r.region,
        "state": lambda r: r.state,
        "score": lambda r: (r.score is None, r.score or 0),
        "reviews": lambda r: r.reviews,
        "reviewed": lambda r: r.reviewed,
        "spread": lambda r: (r.spread is None, r.spread or 0),
        "disagreement": lambda r: r.disagreement,
        "submitted": lambda r: r.submitted_at.timestamp() if r.submitted_at else 0,
    }
    for criterion in criteria:
        keys[f"c{criterion.pk}"] = lambda r, pk=criterion.pk: (
            pk not in r.medians,
            r.medians.get(pk, 0),
        )
    field = order.lstrip("-")
    if field not in keys:
        return rows, "rank"
    return sorted(rows, key=keys[field], reverse=order.startswith("-")), order


def fmt(value):
    if value is None:
        return "–"
    return f"{value:.1f}" if isinstance(value, float) else str(value)


def render_rows(rows, criteria):
    """The table body as one string; every text from users is escaped."""
    areas = dict(GreenArea.choices)
    sizes = dict(SizeClass.choices)
    states = dict(Application.State.choices)
    yes, no = escape(_("yes")), escape(_("no"))
    badge = (
        f'<span class="badge text-bg-warning" title="{escape(_("Reviewers disagree"))}">!</span>'
    )
    link = reverse("cohorts:application", args=[0])[:-2]
    parts = []
    for row in rows:
        medians = "".join(
            f'<td class="text-end">{fmt(row.medians.get(c.pk))}</td>' for c in criteria
        )
        parts.append(
            f'<tr><td class="text-end">{fmt(row.rank)}</td>'
            f'<td><a href="{link}{row.pk}/">{escape(row.company_name)}</a>'
            f'<div class="small text-muted">{escape(row.tech_title)}</div></td>'
            f"<td>{escape(areas.get(row.tech_area, row.tech_area))}</td>"
            f'<td class="text-nowrap">{escape(sizes.get(row.size_class, row.size_class))}</td>'
            f'<td class="text-nowrap">{escape(row.region)}</td>'
            f'<td class="text-nowrap">{escape(states.get(row.state, row.state))}</td>'
            f'<td class="text-end fw-semibold">{fmt(row.score)}</td>{medians}'
            f'<td class="text-end">{row.reviews}/{row.assigned}</td>'
            f"<td>{yes if row.reviewed else no}</td>"
            f'<td class="text-end">{fmt(row.spread)}</td>'
            f"<td>{badge if row.disagreement else ''}</td></tr>"
        )
    return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped or a number


def ranking(request, pk):
    cohort = _cohort(request, pk)
    narrowed, params = _filtered(request, cohort)
    rows, criteria = rank_applications(cohort, narrowed)
    rows, order = _sort(rows, request.GET.get("order", "rank"), criteria)
    show_all = request.GET.get("all") == "1"
    page = Paginator(rows, (len(rows) or 1) if show_all else PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    language = get_language()
    return render(
        request,
        "cohorts/ranking.html",
        {
            "cohort": cohort,
            "page": page,
            "body": render_rows(page.object_list, criteria),
            "criteria": [(c, c.localized_name(language), f"c{c.pk}") for c in criteria],
            "params": params,
            "order": order,
            "show_all": show_all,
            "areas": GreenArea.choices,
            "sizes": SizeClass.choices,
            "regions": sorted(
                set(
                    cohort.applications.filter(state__in=RANKED_STATES).values_list(
                        "company__region", flat=True
                    )
                )
            ),
            "states": [(s, label) for s, label in Application.State.choices if s in RANKED_STATES],
            "total": len(rows),
        },
    )


def ranking_csv(request, pk):
    """The ranking as CSV (``clinic.spreadsheets``: formula-like text is guarded)."""
    cohort = _cohort(request, pk)
    narrowed, _params = _filtered(request, cohort)
    rows, criteria = rank_applications(cohort, narrowed)
    rows, _order = _sort(rows, request.GET.get("order", "rank"), criteria)
    header = [
        _("Rank"),
        _("Company"),
        _("Local name"),
        _("Technology"),
        _("Technology area"),
        _("Size class"),
        _("Region"),
        _("State"),
        _("Weighted score"),
        *[c.localized_name(get_language()) for c in criteria],
        _("Reviews"),
        _("Assigned"),
        _("Abstentions"),
        _("Reviewed"),
        _("Spread"),
        _("Disagreement"),
        _("Submitted"),
    ]
    lines = [
        [
            row.rank or "",
            row.company_name,
            row.local_name,
            row.tech_title,
            row.tech_area,
            row.size_class,
            row.region,
            row.state,
            "" if row.score is None else f"{row.score:.2f}",
            *["" if c.pk not in row.medians else f"{row.medians[c.pk]:.1f}" for c in criteria],
            row.reviews,
            row.assigned,
            row.abstentions,
            int(row.reviewed),
            "" if row.spread is None else f"{row.spread:.2f}",
            int(row.disagreement),
            row.submitted_at.isoformat() if row.submitted_at else "",
        ]
        for row in rows
    ]
    return csv_response(csv_bytes(header, lines), f"ranking-cohort-{cohort.pk}.csv")
