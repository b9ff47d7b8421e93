"""The ranking of a cohort's eligible applications (DOMAIN.md rubric rules).

Per criterion, the median of the counting reviews (submitted, not abstained, not conflicted;
the mean of the two middle values for an even count); the weighted score is
sum(weight x median) / 5, so 100 is the best. Ties: higher IP relevance median, then earlier
submission. Three queries whatever the number of applications.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from statistics import median

from django.db.models import Count, Q

from ..models import Application, Review, Score
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


@dataclass
class Row:
    application: Application
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

    @property
    def submitted_at(self) -> datetime:
        return self.application.submitted_at


def weighted(values_by_criterion, criteria):
    return sum(c.weight * values_by_criterion[c.pk] for c in criteria) / 5


def rank_applications(cohort, applications=None):
    """Rows for the cohort's eligible applications, ranked; ``applications`` may narrow the set
    (ranks stay those of the whole cohort). Returns (rows, criteria)."""
    criteria = ensure_rubric(cohort)
    base = (
        Application.objects.filter(cohort=cohort, state__in=RANKED_STATES)
        .select_related("company")
        .annotate(
            assigned_reviews=Count("reviews", filter=Q(reviews__state__in=Review.ACTIVE_STATES))
        )
    )
    rows = {app.pk: Row(application=app, assigned=app.assigned_reviews) for app in base}
    scores = defaultdict(lambda: defaultdict(dict))  # app -> review -> criterion -> value
    for app_id, review_id, criterion_id, value in Score.objects.filter(
        review__application__cohort=cohort,
        review__state=Review.State.SUBMITTED,
        review__abstained=False,
    ).values_list("review__application_id", "review_id", "criterion_id", "value"):
        scores[app_id][review_id][criterion_id] = value
    abstentions = abstentions_by_application(cohort)
    keys = {c.pk: c.key for c in criteria}
    ip_id = next((pk for pk, key in keys.items() if key == IP_RELEVANCE), None)
    for app_id, row in rows.items():
        by_review = {
            review_id: values
            for review_id, values in scores.get(app_id, {}).items()
            if all(c.pk in values for c in criteria)
        }
        row.reviews = len(by_review)
        row.abstentions = abstentions.get(app_id, 0)
        row.reviewed = row.reviews >= cohort.min_reviews
        if not by_review:
            continue
        row.medians = {
            c.pk: float(median(values[c.pk] for values in by_review.values())) for c in criteria
        }
        row.score = round(weighted(row.medians, criteria), 2)
        row.ip_relevance = row.medians.get(ip_id) if ip_id else None
        totals = [weighted(values, criteria) for values in by_review.values()]
        row.spread = round(max(totals) - min(totals), 2)
        row.disagreement = row.spread > DISAGREEMENT_SPREAD
    ranked = sorted(rows.values(), key=sort_key)
    for position, row in enumerate(ranked, start=1):
        row.rank = position if row.score is not None else None
    if applications is not None:
        wanted = set(applications.values_list("pk", flat=True))
        ranked = [row for row in ranked if row.application.pk in wanted]
    return ranked, criteria


def sort_key(row):
    """Best first: score, IP relevance, earlier submission; unscored applications last."""
    submitted = row.submitted_at.timestamp() if row.submitted_at else float("inf")
    return (
        row.score is None,
        -(row.score or 0),
        -(row.ip_relevance or 0),
        submitted,
        row.application.pk,
    )


def abstentions_by_application(cohort):
    return dict(
        Review.objects.filter(
            application__cohort=cohort, state=Review.State.SUBMITTED, abstained=True
        )
        .values_list("application_id")
        .annotate(n=Count("pk"))
        .values_list("application_id", "n")
    )
