"""The ranking of a cohort's eligible applications (DOMAIN.md rubric rules).

Per criterion, the median of the counting reviews (submitted, not abstained, not conflicted;
the mean of the two middle values for an even count); the weighted score is
sum(weight x median) / 5, so 100 is the best. Ties: higher IP relevance median, then earlier
submission. Four queries whatever the number of applications; rows are plain objects built from
value tuples (no model instances), so thousands of rows stay cheap; the result is cached under a
fingerprint of everything it depends on (two aggregate queries).
"""

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.core.cache import cache
from django.db.models import Count, Max, Q

from ..models import Application, Review
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


@dataclass
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


def median(values):
    """The median; the mean of the two middle values for an even count."""
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return float(ordered[middle])
    return (ordered[middle - 1] + ordered[middle]) / 2


def _counts(queryset):
    return dict(
        queryset.values_list("application_id")
        .annotate(n=Count("pk"))
        .values_list("application_id", "n")
    )


def fingerprint(cohort, criteria):
    """Everything the ranking depends on, in two aggregate queries: a change to any review,
    application state, company or the rubric gives a new fingerprint."""
    review_counts = Review.objects.filter(application__cohort=cohort).aggregate(
        total=Count("pk"),
        last=Max("pk"),
        last_submitted=Max("submitted_at"),
        **{f"n_{state}": Count("pk", filter=Q(state=state)) for state in Review.State.values},
        abstained=Count("pk", filter=Q(abstained=True, state=Review.State.SUBMITTED)),
    )
    application_counts = Application.objects.filter(cohort=cohort).aggregate(
        total=Count("pk"),
        last=Max("updated_at"),
        company_last=Max("company__updated_at"),
        **{f"n_{state}": Count("pk", filter=Q(state=state)) for state in RANKED_STATES},
    )
    rubric = [(c.pk, c.key, c.weight) for c in criteria]
    return repr((cohort.pk, cohort.min_reviews, rubric, review_counts, application_counts))


def rank_applications(cohort, applications=None):
    """Rows for the cohort's eligible applications, ranked; ``applications`` (a queryset) may
    narrow the rows returned (ranks stay those of the whole cohort). Returns (rows, criteria).

    The full ranking is cached under its fingerprint, so it is computed again only after a
    change that affects it.
    """
    criteria = ensure_rubric(cohort)
    key = "cohorts.ranking." + hashlib.sha256(fingerprint(cohort, criteria).encode()).hexdigest()
    ranked = cache.get(key)
    if ranked is None:
        ranked = compute_ranking(cohort, criteria)
        cache.set(key, ranked, CACHE_SECONDS)
    if applications is not None:
        wanted = set(applications.values_list("pk", flat=True))
        ranked = [row for row in ranked if row.pk in wanted]
    return ranked, criteria


def compute_ranking(cohort, criteria):
    rows = {
        values[0]: Row(*values)
        for values in Application.objects.filter(cohort=cohort, state__in=RANKED_STATES)
        .order_by()
        .values_list(*FIELDS)
    }
    reviews = Review.objects.filter(application__cohort=cohort)
    assigned = _counts(reviews.filter(state__in=Review.ACTIVE_STATES))
    abstentions = _counts(reviews.filter(state=Review.State.SUBMITTED, abstained=True))
    ids = [c.pk for c in criteria]
    weights = [(c.pk, c.weight / 5) for c in criteria]
    ip_id = next((c.pk for c in criteria if c.key == IP_RELEVANCE), None)
    # One row per submitted review with its scores pivoted into columns (grouped in SQL).
    pivot = {f"c{pk}": Max("scores__value", filter=Q(scores__criterion_id=pk)) for pk in ids}
    complete = defaultdict(list)  # application -> {criterion: value} of its complete reviews
    for app_id, *values in (
        reviews.filter(state=Review.State.SUBMITTED, abstained=False)
        .order_by()
        .values("pk", "application_id")
        .annotate(**pivot)
        .values_list("application_id", *pivot)
    ):
        if None not in values:
            complete[app_id].append(dict(zip(ids, values, strict=True)))
    for app_id, row in rows.items():
        row.assigned = assigned.get(app_id, 0)
        row.abstentions = abstentions.get(app_id, 0)
        given = complete.get(app_id)
        row.reviews = len(given) if given else 0
        row.reviewed = row.reviews >= cohort.min_reviews
        if not given:
            continue
        medians = row.medians = {pk: median([values[pk] for values in given]) for pk in ids}
        row.score = round(sum(medians[pk] * w for pk, w in weights), 2)
        row.ip_relevance = medians.get(ip_id) if ip_id else None
        totals = [sum(values[pk] * w for pk, w in weights) for values in given]
        row.spread = round(max(totals) - min(totals), 2)
        row.disagreement = row.spread > DISAGREEMENT_SPREAD
    ranked = sorted(rows.values(), key=sort_key)
    for position, row in enumerate(ranked, start=1):
        row.rank = position if row.score is not None else None
    return ranked


def sort_key(row):
    """Best first: score, IP relevance, earlier submission; unscored applications last."""
    submitted = row.submitted_at.timestamp() if row.submitted_at else float("inf")
    return (row.score is None, -(row.score or 0), -(row.ip_relevance or 0), submitted, row.pk)


def selection_candidates(cohort):
    """The cohort's reviewed applications as ``cohorts.selection.Candidate`` values, best first,
    with the attributes quota rules use (green_area, size_class, region)."""
    from ..selection import Candidate

    rows, _criteria = rank_applications(cohort)
    return [
        Candidate(
            id=row.pk,
            score=row.score,
            ip_relevance=row.ip_relevance or 0,
            submitted_at=row.submitted_at,
            attributes={
                "green_area": row.tech_area,
                "size_class": row.size_class,
                "region": row.region.strip().lower(),
            },
        )
        for row in rows
        if row.reviewed and row.score is not None
    ]
