"""Each application's reviews aggregated once, when they change, for the ranking and the
dashboard's reviewer agreement (DOMAIN.md rubric rules).

A ``ReviewSummary`` holds what the ranking shows of an application's reviews: per criterion the
median of the counting reviews (submitted, not abstained, every criterion scored; the mean of
the two middle values for an even count), the weighted score sum(weight x median) / 5, the IP
relevance median, the number of counting reviews, active reviews and abstentions, the spread of
the reviewers' weighted totals and the disagreement flag. A ``ReviewGap`` per submitted review
holds its distance from the other reviewers (``summarise``).

The review services call ``renew`` inside their transaction, after the change. Any other save
of a review or a rubric criterion (the admin, demo data, tests) drops the summaries it touches
(the receivers at the end), and ``fill_missing`` computes the missing ones on the next read.
"""

from collections import defaultdict
from operator import mul
from statistics import median as statistics_median

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from ..models import Application, Review, ReviewGap, ReviewSummary, RubricCriterion, Score
from .rubric import IP_RELEVANCE

# Reviewers' weighted totals further apart than this (out of 100) flag a disagreement.
DISAGREEMENT_SPREAD = 25.0
SUBMITTED = Review.State.SUBMITTED


def median(values):
    """The median; the mean of the two middle values for an even count."""
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return float(ordered[middle])
    return (ordered[middle - 1] + ordered[middle]) / 2


def summarise(criteria, reviews):
    """``criteria``: the cohort's rubric in order; ``reviews``: (review id, state, abstained,
    {criterion id: score}) of one application's reviews, any state. Returns the
    ``ReviewSummary`` field values and {review id: gap}, where a submitted, not abstained review
    with scores has as gap the distance of its mean score from the median of the other such
    reviews' means (none when it is the only one)."""
    ids = [c.pk for c in criteria]
    values = {"assigned": 0, "abstentions": 0, "reviews": 0, "medians": {}}
    complete, means = [], {}
    for review_id, state, abstained, scores in reviews:
        if state not in Review.ACTIVE_STATES:
            continue
        values["assigned"] += 1
        if state != SUBMITTED:
            continue
        if abstained:
            values["abstentions"] += 1
            continue
        if scores:
            means[review_id] = sum(scores.values()) / len(scores)
        given = tuple(scores.get(pk, 0) for pk in ids)
        if 0 not in given:
            complete.append(given)
    if complete:
        values.update(_scored(criteria, complete))
    gaps = {}
    for review_id, own in means.items():
        others = [mean for other, mean in means.items() if other != review_id]
        if others:
            gaps[review_id] = abs(own - statistics_median(others))
    return values, gaps


def _scored(criteria, given):
    """Medians, weighted score, IP relevance and spread from the complete reviews' score tuples
    (criteria order)."""
    weights = [c.weight / 5 for c in criteria]
    medians = (
        [float(v) for v in given[0]]
        if len(given) == 1
        else list(map(median, zip(*given, strict=True)))
    )
    ip_index = next((i for i, c in enumerate(criteria) if c.key == IP_RELEVANCE), None)
    totals = [sum(map(mul, values, weights)) for values in given]
    spread = round(max(totals) - min(totals), 2)
    return {
        "reviews": len(given),
        "medians": {f"c{c.pk}": m for c, m in zip(criteria, medians, strict=True)},
        "score": round(sum(map(mul, medians, weights)), 2),
        "ip_relevance": medians[ip_index] if ip_index is not None else None,
        "spread": spread,
        "disagreement": spread > DISAGREEMENT_SPREAD,
    }


def _write(pairs, within, replace):
    """Summaries and gaps of the applications ``pairs`` ((application id, cohort id)), whose
    reviews are those of applications ``within`` (their ids, or a query of them)."""
    wanted = {app_id for app_id, _cohort in pairs}
    reviews, by_id = defaultdict(list), {}
    for pk, app_id, state, abstained in (
        Review.objects.filter(application__in=within)
        .order_by()
        .values_list("pk", "application_id", "state", "abstained")
    ):
        if app_id in wanted:
            by_id[pk] = (pk, state, abstained, {})
            reviews[app_id].append(by_id[pk])
    for review_id, criterion_id, value in (
        Score.objects.filter(review__application__in=within)
        .order_by()
        .values_list("review_id", "criterion_id", "value")
    ):
        if review_id in by_id:
            by_id[review_id][3][criterion_id] = value
    rubrics = defaultdict(list)
    for criterion in RubricCriterion.objects.filter(cohort_id__in={c for _a, c in pairs}):
        rubrics[criterion.cohort_id].append(criterion)
    summaries, gaps = [], []
    for app_id, cohort_id in pairs:
        values, app_gaps = summarise(rubrics[cohort_id], reviews[app_id])
        summaries.append(ReviewSummary(application_id=app_id, **values))
        gaps += [ReviewGap(review_id=pk, gap=gap) for pk, gap in app_gaps.items()]
    ReviewGap.objects.filter(review__application__in=within).delete()
    if replace:
        ReviewSummary.objects.filter(application__in=within).delete()
    ReviewSummary.objects.bulk_create(summaries, batch_size=500, ignore_conflicts=not replace)
    ReviewGap.objects.bulk_create(gaps, batch_size=500, ignore_conflicts=True)


def renew(*applications):
    """The review services' call, in their transaction after the change: the applications'
    rows locked (so two reviewers submitting at once cannot leave a summary without one of
    them), their summaries computed again."""
    ids = sorted({a.pk for a in applications})
    with transaction.atomic():  # the services' own; a savepoint inside it
        pairs = list(
            Application.objects.select_for_update()
            .filter(pk__in=ids)
            .order_by("pk")
            .values_list("pk", "cohort_id")
        )
        _write(pairs, ids, replace=True)


def fill_missing(applications):
    """Summaries for those of the ``applications`` (a query) that have none; a fixed number of
    queries whatever their number."""
    missing = applications.filter(review_summary__isnull=True).order_by()
    pairs = list(missing.values_list("pk", "cohort_id"))
    if pairs:
        with transaction.atomic():
            _write(pairs, missing.values("pk"), replace=False)


# --- What drops a summary ---------------------------------------------------------------------


@receiver([post_save, post_delete], sender=Review)
def _review_saved(sender, instance, **kwargs):
    ReviewSummary.objects.filter(application_id=instance.application_id).delete()


@receiver([post_save, post_delete], sender=RubricCriterion)
def _rubric_changed(sender, instance, **kwargs):
    ReviewSummary.objects.filter(application__cohort_id=instance.cohort_id).delete()
