"""One page of a cohort's ranking (services.ranking): ranked, filtered, sorted and sliced by
the database over the applications' review summaries, cached per page, filter and order under
the cohort's ranking version."""

from dataclasses import dataclass

from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import F, FloatField, Value, Window
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast, Coalesce, RowNumber

from ..models import Application
from .ranking import (
    CACHE_SECONDS,
    FIELDS,
    FILTERS,
    SUMMARY,
    SUMMARY_FIELDS,
    Row,
    as_tuple,
    cache_key,
    ranked_applications,
    summary_row,
)
from .rubric import ensure_rubric
from .summaries import fill_missing


@dataclass
class RankingPage:
    page: object  # a Paginator page whose object_list holds this page's rows
    criteria: list
    order: str  # the order applied ("rank" when the one asked for is unknown)
    regions: list  # every region of the ranked applications (the region filter's choices)


def ranking_page(cohort, filters, order, number, per_page):
    """One page of the ranking narrowed by ``filters`` (FILTERS names -> value, "" for any)
    and sorted by ``order``; ``per_page=None`` shows every row on one page. Each page is cached
    on its own under the ranking version: a warm request unpickles only its rows."""
    criteria = ensure_rubric(cohort)
    filters = {name: filters.get(name) or "" for name in FILTERS}
    key = cache_key(cohort, criteria, sorted(filters.items()), order, str(number), per_page)
    entry = cache.get(key)
    if entry is None:
        entry = _page_entry(cohort, criteria, filters, order, number, per_page)
        cache.set(key, entry, CACHE_SECONDS)
    rows, count, number, per_page, order, regions = entry
    page = Paginator(range(count), per_page).page(number)
    page.object_list = [Row(*values) for values in rows]
    return RankingPage(page, criteria, order, regions)


# The page query's columns: the ranking order's position over all ranked rows, the filters'
# columns and the sorts' columns, named for the outer query that filters, sorts and slices.
RANK_ORDER = (
    F(f"{SUMMARY}score").desc(nulls_last=True),
    Coalesce(f"{SUMMARY}ip_relevance", Value(0.0)).desc(),
    F("submitted_at").asc(nulls_last=True),
    F("pk").asc(),
)
FILTER_LOOKUPS = {"area": "tech_area", "size": "size_class", "region": "region", "state": "state"}
PAGE_COLUMNS = {
    "pk": F("pk"),
    "position": Window(RowNumber(), order_by=list(RANK_ORDER)),
    "state": F("state"),
    "tech_area": F("tech_area"),
    "size_class": F("size_class"),
    "region": F("company__region"),
    "company_name": F("company__legal_name"),
    "submitted_at": F("submitted_at"),
    "score": F(f"{SUMMARY}score"),
    "reviews": F(f"{SUMMARY}reviews"),
    "spread": F(f"{SUMMARY}spread"),
    "disagreement": F(f"{SUMMARY}disagreement"),
}


def _sort_sql(name, cohort):
    """SQL of the sort ``name``'s key (the terms of ``sort_rows``'s key, in order) over the page
    query's columns. Text compares by code point, as Python does."""
    collate = ' COLLATE "C"' if connection.vendor == "postgresql" else ""

    def nullable(column):
        return [f"({column} IS NULL)", f"COALESCE({column}, 0)"]

    keys = {
        "rank": ["(r_score IS NULL)", "CASE WHEN r_score IS NULL THEN 0 ELSE r_position END"],
        "company": [f"LOWER(r_company_name){collate}"],
        "area": [f"r_tech_area{collate}"],
        "size": [f"r_size_class{collate}"],
        "region": [f"r_region{collate}"],
        "state": [f"r_state{collate}"],
        "score": nullable("r_score"),
        "reviews": ["COALESCE(r_reviews, 0)"],
        "reviewed": [
            f"CASE WHEN COALESCE(r_reviews, 0) >= {int(cohort.min_reviews)} THEN 1 ELSE 0 END"
        ],
        "spread": nullable("r_spread"),
        "disagreement": ["CASE WHEN r_disagreement THEN 1 ELSE 0 END"],
        "submitted": ["(r_submitted_at IS NOT NULL)", "r_submitted_at"],
    }
    return keys.get(name, nullable("r_criterion") if name.startswith("c") else None)


def _page_entry(cohort, criteria, filters, order, number, per_page):
    """The page's rows sorted, filtered and sliced by the database (their rank: their position
    in the ranking order over every ranked row), with the count and the regions."""
    applications = ranked_applications(cohort)
    fill_missing(applications)
    regions = sorted(set(applications.values_list("company__region", flat=True).distinct()))
    wanted = {name: value for name, value in filters.items() if value}
    lookups = {
        ("company__region" if n == "region" else FILTER_LOOKUPS[n]): v for n, v in wanted.items()
    }
    count = applications.filter(**lookups).count()
    name = order.lstrip("-")
    known = {f"c{c.pk}": c.pk for c in criteria}
    terms = _sort_sql(name, cohort) if name in SORTS or name in known else None
    if terms is None:
        name, order, terms = "rank", "rank", _sort_sql("rank", cohort)
    columns = dict(PAGE_COLUMNS)
    if name in known:
        columns["criterion"] = Cast(KeyTextTransform(name, f"{SUMMARY}medians"), FloatField())
    inner = applications.values(**{f"r_{column}": value for column, value in columns.items()})
    per_page = per_page or count or 1
    page = Paginator(range(count), per_page).get_page(number)
    sql, params = inner.query.sql_with_params()
    where = " AND ".join(f"r_{FILTER_LOOKUPS[n]} = %s" for n in wanted) or "1 = 1"
    descending = " DESC" if order.startswith("-") else ""
    sort = ", ".join(f"{term}{descending}" for term in terms)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT r_pk, r_position FROM ({sql}) ranked WHERE {where} "  # noqa: S608 - our own SQL
            f"ORDER BY {sort}, r_position LIMIT %s OFFSET %s",
            (*params, *wanted.values(), per_page, (page.number - 1) * per_page),
        )
        positions = dict(cursor.fetchall())
    found = {
        values[0]: summary_row(values, cohort.min_reviews)
        for values in Application.objects.filter(pk__in=positions).values_list(
            *FIELDS, *SUMMARY_FIELDS
        )
    }
    rows = []
    for pk, position in positions.items():
        row = found[pk]
        row.rank = position if row.score is not None else None
        rows.append(as_tuple(row))
    return rows, count, page.number, per_page, order, regions


SORTS = (
    "rank",
    "company",
    "area",
    "size",
    "region",
    "state",
    "score",
    "reviews",
    "reviewed",
    "spread",
    "disagreement",
    "submitted",
)
