"""The ranking of a cohort's eligible applications (DOMAIN.md rubric rules).

Per criterion, the median of the counting reviews (submitted, not abstained, not conflicted;
the mean of the two middle values for an even count); the weighted score is
sum(weight x median) / 5, so 100 is the best. Ties: higher IP relevance median, then earlier
submission.

Each application's medians, score and counts are aggregated when its reviews change
(``services.summaries``): a page is one query that ranks, filters, sorts and slices in the
database (the rank is the position in the ranking order over every ranked row) and one that
reads its rows. The whole ranking (the CSV, selection) is one query of every row with its
summary, sorted here. Both are cached as tuples under the cohort's ranking version, a token that
changes with every saved review, application or company of the cohort (one small query to
read), each page of each filter and order on its own.
"""

import hashlib
import uuid
from dataclasses import dataclass, field, fields
from datetime import datetime
from operator import attrgetter, itemgetter

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from clinic.models import Company

from ..models import Application, RankingVersion, Review, quota_attributes
from .rubric import ensure_rubric
from .summaries import DISAGREEMENT_SPREAD, fill_missing

__all__ = ["DISAGREEMENT_SPREAD", "rank_applications", "selection_candidates"]

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
SUMMARY = "review_summary__"
SUMMARY_FIELDS = tuple(
    SUMMARY + name
    for name in (
        "medians",
        "score",
        "ip_relevance",
        "reviews",
        "assigned",
        "abstentions",
        "spread",
        "disagreement",
    )
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


def cache_key(cohort, criteria, *parts):
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
    key = cache_key(cohort, criteria)
    ranked = cache.get(key)
    if ranked is None:
        ranked = [as_tuple(row) for row in compute_ranking(cohort, criteria)]
        cache.set(key, ranked, CACHE_SECONDS)
    return ranked


def ranked_applications(cohort):
    return Application.objects.filter(cohort=cohort, state__in=RANKED_STATES).order_by()


def summary_row(values, min_reviews):
    """A Row from FIELDS + SUMMARY_FIELDS values (no summary yet: nothing reviewed)."""
    *base, medians, score, ip_relevance, reviews, assigned, abstentions, spread, disagreement = (
        values
    )
    reviews = reviews or 0
    medians = {int(key[1:]): value for key, value in (medians or {}).items()}
    return Row(
        *base,
        medians,
        score,
        ip_relevance,
        reviews,
        assigned or 0,
        abstentions or 0,
        reviews >= min_reviews,
        spread,
        bool(disagreement),
    )


def compute_ranking(cohort, criteria):
    """Every ranked row, best first: one query of the applications with their review
    summaries (``services.summaries``), sorted by ``sort_key``."""
    applications = ranked_applications(cohort)
    fill_missing(applications)
    rows = [
        summary_row(values, cohort.min_reviews)
        for values in applications.values_list(*FIELDS, *SUMMARY_FIELDS)
    ]
    ranked = sorted(rows, key=sort_key)
    for position, row in enumerate(ranked, start=1):
        row.rank = position if row.score is not None else None
    return ranked


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
