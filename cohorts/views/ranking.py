"""Officers' ranking of a cohort's eligible applications, with filters, sorting and CSV export.

Rows come a page at a time from the cached ranking (services.ranking) and are rendered without
a template call per cell.
"""

import html
import re

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from clinic.models import GreenArea, SizeClass
from clinic.regions import place
from clinic.spreadsheets import csv_bytes, csv_response

from .. import permissions
from ..models import Application, Cohort
from ..services.ranking import (
    DISAGREEMENT_SPREAD,
    FILTERS,
    RANKED_STATES,
    rank_applications,
    sort_rows,
)
from ..services.ranking_pages import ranking_page

PAGE_SIZE = 250


def _cohort(request, pk):
    if not permissions.can_manage_reviews(request.user):
        raise Http404
    return get_object_or_404(Cohort, pk=pk)


def _filters(request):
    return {name: request.GET.get(name, "") for name in FILTERS}


SHORT_SPLIT = re.compile(r"\s+and\s+|\s*[与和及、]\s*|,\s*")


def short_label(name):
    """A criterion's short column label: its name up to the first "and" (与, 和, 及),
    e.g. "Innovation and novelty" -> "Innovation", "创新性与新颖性" -> "创新性" (a leading
    connector is skipped: "与诊所的契合度" -> "诊所的契合度")."""
    parts = [part for part in SHORT_SPLIT.split(name) if part]
    return parts[0] if parts else name


def fmt(value):
    if value is None:
        return "–"
    return f"{value:.1f}" if isinstance(value, float) else str(value)


def _escaped_labels(choices):
    """value -> escaped label, each lazy label converted once per page."""
    return {value: escape(str(label)) for value, label in choices}


def render_rows(rows, criteria):
    """The table body as one string; every text from users is escaped (``html.escape``, what
    Django's ``escape`` does, without its lazy-string check per cell)."""
    areas = _escaped_labels(GreenArea.choices)
    sizes = _escaped_labels(SizeClass.choices)
    states = _escaped_labels(Application.State.choices)
    yes, no = escape(_("yes")), escape(_("no"))
    badge = (
        f'<span class="badge text-bg-warning" title="{escape(_("Reviewers disagree"))}">!</span>'
    )
    esc = html.escape
    regions = {}  # each typed region named (in the reader's language) and escaped once a page

    def named(region):
        regions[region] = esc(place(region))
        return regions[region]

    link = reverse("cohorts:application", args=[0])[:-2]
    parts = []
    for row in rows:
        medians = "".join(
            f'<td class="text-end">{fmt(row.medians.get(c.pk))}</td>' for c in criteria
        )
        parts.append(
            f'<tr><td class="text-end">{fmt(row.rank)}</td>'
            f'<td><a href="{link}{row.pk}/">{esc(row.company_name)}</a>'
            f'<div class="small text-muted">{esc(row.tech_title)}</div></td>'
            f"<td>{areas.get(row.tech_area) or esc(row.tech_area)}</td>"
            f'<td class="text-nowrap">{sizes.get(row.size_class) or esc(row.size_class)}</td>'
            f'<td class="text-nowrap">{regions.get(row.region) or named(row.region)}</td>'
            f'<td class="text-nowrap">{states.get(row.state) or esc(row.state)}</td>'
            f'<td class="text-end fw-semibold">{fmt(row.score)}</td>{medians}'
            f'<td class="text-end">{row.reviews}/{row.assigned}</td>'
            f"<td>{yes if row.reviewed else no}</td>"
            f'<td class="text-end">{fmt(row.spread)}</td>'
            f"<td>{badge if row.disagreement else ''}</td></tr>"
        )
    return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped or a number


@require_safe
def ranking(request, pk):
    cohort = _cohort(request, pk)
    params = _filters(request)
    show_all = request.GET.get("all") == "1"
    result = ranking_page(
        cohort,
        params,
        request.GET.get("order", "rank"),
        request.GET.get("page") or "1",
        None if show_all else PAGE_SIZE,
    )
    language = get_language()
    return render(
        request,
        "cohorts/ranking.html",
        {
            "cohort": cohort,
            "page": result.page,
            "body": render_rows(result.page.object_list, result.criteria),
            "criteria": [
                (c, c.localized_name(language), f"c{c.pk}", short_label(c.localized_name(language)))
                for c in result.criteria
            ],
            "disagreement_limit": f"{DISAGREEMENT_SPREAD:g}",
            "params": params,
            "order": result.order,
            "show_all": show_all,
            "areas": GreenArea.choices,
            "sizes": SizeClass.choices,
            "regions": result.regions,
            "states": [(s, label) for s, label in Application.State.choices if s in RANKED_STATES],
            "total": result.page.paginator.count,
        },
    )


@require_safe
def ranking_csv(request, pk):
    """The ranking as CSV (``clinic.spreadsheets``: formula-like text is guarded)."""
    cohort = _cohort(request, pk)
    rows, criteria = rank_applications(cohort)
    wanted = [(FILTERS[name], value) for name, value in _filters(request).items() if value]
    rows = [row for row in rows if all(getattr(row, a) == value for a, value in wanted)]
    rows, _order = sort_rows(rows, request.GET.get("order", "rank"), criteria)
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
