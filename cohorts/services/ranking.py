"""The ranking of a cohort's eligible applications (DOMAIN.md rubric rules).

Per criterion, the median of the counting reviews (submitted, not abstained, not conflicted;
the mean of the two middle values for an even count); the weighted score is
sum(weight x median) / 5, so 100 is the best. Ties: higher IP relevance median, then earlier
submission.

Two queries compute it whatever the number of applications (the rows with their companies, and
every active review with its scores pivoted into columns by the database); rows are plain
objects built from value tuples. It is cached as tuples under the cohort's ranking version, a
token that changes with every saved review, application or company of the cohort (one small
query to read), and each page of each filter and order is cached on its own, so a request for a
page reads only that page's rows.
"""

import hashlib
import uuid
from collections import defaultdict
from dataclasses import dataclass, field, fields
from datetime import datetime
from operator import attrgetter, itemgetter, mul

from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import IntegrityError, connection, transaction
from django.db.models import Case, F, Sum, Value, When
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from clinic.models import Company

from ..models import Application, RankingVersion, Review, quota_attributes
from .rubric import IP_RELEVANCE, ensure_rubric

RANKED_STATES = (
    Application.State.ELIGIBLE,
    Application.State.UNDER_REVIEW,
    Application.State.SELECTED,
    Application.State.WAITLISTED,
    Application.State.REJECTED,
    Application.State.CONFIRMED,
    Application.State.DECLINED,
    Application.State.LAPSED,
)
# Reviewers' weighted totals further apart than this (out of 100) flag a disagreement.
DISAGREEMENT_SPREAD = 25.0
CACHE_SECONDS = 15 * 60
FIELDS = (
    "pk",
    "state",
    "tech_title",
    "tech_area",
    "size_class",
    "submitted_at",
    "company_id",
    "company__legal_name",
    "company__local_name",
    "company__region",
)
# Filter name -> the row attribute it compares (the ranking page's filters).
FILTERS = {"area": "tech_area", "size": "size_class", "region": "region", "state": "state"}


@dataclass(slots=True)
class Row:
    pk: int
    state: str
    tech_title: str
    tech_area: str
    size_class: str
    submitted_at: datetime | None
    company_id: int
    company_name: str
    local_name: str
    region: str
    medians: dict = field(default_factory=dict)
    score: float | None = None
    ip_relevance: float | None = None
    reviews: int = 0
    assigned: int = 0
    abstentions: int = 0
    reviewed: bool = False
    spread: float | None = None
    disagreement: bool = False
    rank: int | None = None


ROW_FIELDS = tuple(f.name for f in fields(Row))
as_tuple = attrgetter(*ROW_FIELDS)  # a row's values in field order


def median(values):
    """The median; the mean of the two middle values for an even count."""
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return float(ordered[middle])
    return (ordered[middle - 1] + ordered[middle]) / 2


# --- The version the cache is keyed by --------------------------------------------------------


def ranking_token(cohort):
    """The cohort's current ranking version (created on first use)."""
    token = RankingVersion.objects.filter(cohort=cohort).values_list("token", flat=True).first()
    if token is None:
        try:
            with transaction.atomic():
                token = RankingVersion.objects.create(cohort=cohort, token=uuid.uuid4().hex).token
        except IntegrityError:  # created meanwhile by another request
            token = RankingVersion.objects.get(cohort=cohort).token
    return token


def ranking_changed(**cohorts_filter):
    """A new ranking version for the cohorts matching ``cohorts_filter`` (lookups on Cohort):
    one UPDATE; cohorts without a version yet get theirs when first ranked."""
    RankingVersion.objects.filter(
        **{f"cohort__{lookup}": value for lookup, value in cohorts_filter.items()}
    ).update(token=uuid.uuid4().hex)


def _cache_key(cohort, criteria, *parts):
    rubric = [(c.pk, c.key, c.weight) for c in criteria]
    signature = repr((ROW_FIELDS, cohort.min_reviews, rubric, parts))
    digest = hashlib.sha256(signature.encode()).hexdigest()[:32]
    return f"cohorts.ranking.{cohort.pk}.{ranking_token(cohort)}.{digest}"


# --- The whole ranking ------------------------------------------------------------------------


def rank_applications(cohort):
    """Rows for the cohort's eligible applications, ranked. Returns (rows, criteria).

    Cached as tuples under the ranking version, so it is computed again only after a change
    that affects it.
    """
    criteria = ensure_rubric(cohort)
    return [Row(*values) for values in _ranked_tuples(cohort, criteria)], criteria


def _ranked_tuples(cohort, criteria):
    key = _cache_key(cohort, criteria)
    ranked = cache.get(key)
    if ranked is None:
        ranked = [as_tuple(row) for row in compute_ranking(cohort, criteria)]
        cache.set(key, ranked, CACHE_SECONDS)
    return ranked


def compute_ranking(cohort, criteria):
    rows = {
        values[0]: Row(*values)
        for values in Application.objects.filter(cohort=cohort, state__in=RANKED_STATES)
        .order_by()
        .values_list(*FIELDS)
    }
    ids = [c.pk for c in criteria]
    decode = _decoder(len(ids))
    complete = defaultdict(list)  # application -> the score tuples of its complete reviews
    submitted = Review.State.SUBMITTED
    for app_id, state, abstained, packed in _review_scores(cohort, ids):
        row = rows.get(app_id)
        if row is None:
            continue
        row.assigned += 1
        if state != submitted:
            continue
        if abstained:
            row.abstentions += 1
        else:
            scores = decode(packed)
            if 0 not in scores:
                complete[app_id].append(scores)
    weights = [c.weight / 5 for c in criteria]
    ip_index = next((i for i, c in enumerate(criteria) if c.key == IP_RELEVANCE), None)
    for app_id, given in complete.items():
        _score_row(rows[app_id], ids, weights, ip_index, given)
    for row in rows.values():
        row.reviewed = row.reviews >= cohort.min_reviews
    ranked = sorted(rows.values(), key=sort_key)
    for position, row in enumerate(ranked, start=1):
        row.rank = position if row.score is not None else None
    return ranked


def _score_row(row, ids, weights, ip_index, given):
    """Medians, weighted score, IP relevance and spread of a row from its complete reviews'
    score tuples (criteria order)."""
    row.reviews = len(given)
    medians = (
        [float(v) for v in given[0]]
        if len(given) == 1
        else list(map(median, zip(*given, strict=True)))
    )
    row.medians = dict(zip(ids, medians, strict=True))
    row.score = round(sum(map(mul, medians, weights)), 2)
    row.ip_relevance = medians[ip_index] if ip_index is not None else None
    totals = [sum(map(mul, values, weights)) for values in given]
    row.spread = round(max(totals) - min(totals), 2)
    row.disagreement = row.spread > DISAGREEMENT_SPREAD


# Scores are 1-5 (a check constraint), so each fits in three bits: the database sums a review's
# scores into integers of PACK criteria each (0 where a criterion has no score), read back
# three criteria at a time from tables.
PACK = 10
DIGITS = {n: [tuple((x >> 3 * i) & 7 for i in range(n)) for x in range(8**n)] for n in (1, 2, 3)}


def _review_scores(cohort, ids):
    """(application id, state, abstained, packed scores) of every active review of the cohort:
    one grouped query; criterion i of ``ids`` is bits 3i to 3i+2 of the packed integer."""
    chunks = [ids[start : start + PACK] for start in range(0, len(ids), PACK)]
    packed = {
        f"p{index}": Sum(
            F("scores__value")
            * Case(
                *[When(scores__criterion_id=pk, then=Value(8**i)) for i, pk in enumerate(chunk)],
                default=Value(0),
            )
        )
        for index, chunk in enumerate(chunks)
    }
    query = (
        Review.objects.filter(application__cohort=cohort, state__in=Review.ACTIVE_STATES)
        .order_by()
        .values("pk")
        .annotate(**packed)
        .values_list("application_id", "state", "abstained", *packed)
    )
    sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:  # plain tuples: no per-row converters
        cursor.execute(sql, params)
        found = cursor.fetchall()
    if len(chunks) == 1:
        return [(app, state, abstained, total or 0) for app, state, abstained, total in found]
    return [
        (app, state, abstained, sum((total or 0) << (3 * PACK * i) for i, total in enumerate(sums)))
        for app, state, abstained, *sums in found
    ]


def _decoder(count):
    """packed integer -> the tuple of its ``count`` scores."""
    if count == 0:
        return lambda packed: ()
    shifts = range(0, 3 * count, 9)
    last, tail = DIGITS[3], DIGITS[count - 3 * (len(shifts) - 1)]
    if len(shifts) == 1:
        return tail.__getitem__
    if len(shifts) == 2:
        return lambda packed: last[packed & 511] + tail[packed >> 9]
    return lambda packed: (
        sum((last[(packed >> shift) & 511] for shift in shifts[:-1]), ())
        + tail[packed >> shifts[-1]]
    )


# --- One page of it ---------------------------------------------------------------------------


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
    key = _cache_key(cohort, criteria, sorted(filters.items()), order, str(number), per_page)
    entry = cache.get(key)
    if entry is None:
        entry = _page_entry(cohort, criteria, filters, order, number, per_page)
        cache.set(key, entry, CACHE_SECONDS)
    rows, count, number, per_page, order, regions = entry
    page = Paginator(range(count), per_page).page(number)
    page.object_list = [Row(*values) for values in rows]
    return RankingPage(page, criteria, order, regions)


def _page_entry(cohort, criteria, filters, order, number, per_page):
    ranked = _ranked_tuples(cohort, criteria)
    regions = sorted({values[ROW_FIELDS.index("region")] for values in ranked})
    wanted = [(ROW_FIELDS.index(FILTERS[name]), value) for name, value in filters.items() if value]
    rows = [values for values in ranked if all(values[i] == value for i, value in wanted)]
    if order != "rank":  # the ranked list is in rank order already
        sorted_rows, order = sort_rows([Row(*values) for values in rows], order, criteria)
        rows = [as_tuple(row) for row in sorted_rows]
    per_page = per_page or len(rows) or 1
    page = Paginator(rows, per_page).get_page(number)
    return list(page.object_list), len(rows), page.number, per_page, order, regions


def sort_rows(rows, order, criteria):
    """Rows sorted by ``order`` (a column name, "-" first for descending) and the order used."""
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
    name = order.lstrip("-")
    if name not in keys:
        return rows, "rank"
    return sorted(rows, key=keys[name], reverse=order.startswith("-")), order


def sort_key(row):
    """Best first: score, IP relevance, earlier submission; unscored applications last."""
    submitted = row.submitted_at.timestamp() if row.submitted_at else float("inf")
    return (row.score is None, -(row.score or 0), -(row.ip_relevance or 0), submitted, row.pk)


def selection_candidates(cohort):
    """The cohort's reviewed applications as ``cohorts.selection.Candidate`` values, best first,
    with the attributes quota rules use (``models.quota_attributes``), read straight from the
    cached tuples; applications alike in those share one attributes mapping."""
    from ..selection import Candidate

    pick = itemgetter(*(ROW_FIELDS.index(name) for name in CANDIDATE_FIELDS))
    shared = {}
    candidates = []
    for values in _ranked_tuples(cohort, ensure_rubric(cohort)):
        pk, score, ip_relevance, submitted_at, reviewed, *alike = pick(values)
        if not reviewed or score is None:
            continue
        key = tuple(alike)
        attributes = shared.get(key)
        if attributes is None:
            attributes = shared[key] = quota_attributes(*key)
        candidates.append(Candidate(pk, score, ip_relevance or 0, submitted_at, attributes))
    return candidates


CANDIDATE_FIELDS = (
    "pk",
    "score",
    "ip_relevance",
    "submitted_at",
    "reviewed",
    "tech_area",
    "size_class",
    "region",
)


# --- What changes the version -----------------------------------------------------------------


@receiver([post_save, post_delete], sender=Review)
def _review_changed(sender, instance, **kwargs):
    ranking_changed(applications__pk=instance.application_id)


@receiver([post_save, post_delete], sender=Application)
def _application_changed(sender, instance, **kwargs):
    ranking_changed(pk=instance.cohort_id)


@receiver([post_save, post_delete], sender=Company)
def _company_changed(sender, instance, **kwargs):
    ranking_changed(applications__company_id=instance.pk)
