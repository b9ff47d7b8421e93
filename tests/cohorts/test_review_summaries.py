"""The review summaries the ranking reads (services.summaries): every review change renews its
application's summary in the same service call, a review saved any other way drops it, and
the page ranked, filtered and sorted by the database is the whole ranking sorted in Python."""

import random
from datetime import timedelta
from functools import partial

import pytest
from django.utils import timezone

from clinic import roles
from cohorts.models import Review, ReviewGap, ReviewSummary, Score
from cohorts.services import reviews
from cohorts.services.applications import withdraw
from cohorts.services.ranking import FILTERS, rank_applications, sort_rows
from cohorts.services.ranking_pages import SORTS, ranking_page
from cohorts.services.rubric import ensure_rubric
from cohorts.services.summaries import fill_missing
from tests.factories import (
    ApplicationFactory,
    CohortFactory,
    application_with_reviewers,
    make_user,
    scored_application,
    uniform_scores,
)
from tests.parallel import at_once, require_postgres

pytestmark = pytest.mark.django_db

COLUMNS = (
    "assigned",
    "abstentions",
    "reviews",
    "medians",
    "score",
    "ip_relevance",
    "spread",
    "disagreement",
)


def stored(application):
    """The summary the services left, checked against one computed afresh from the reviews."""
    summary = ReviewSummary.objects.filter(application=application).values(*COLUMNS).get()
    gaps = dict(
        ReviewGap.objects.filter(review__application=application).values_list("review_id", "gap")
    )
    ReviewSummary.objects.filter(application=application).delete()
    fill_missing(type(application).objects.filter(pk=application.pk))
    fresh = ReviewSummary.objects.filter(application=application).values(*COLUMNS).get()
    fresh_gaps = dict(
        ReviewGap.objects.filter(review__application=application).values_list("review_id", "gap")
    )
    assert (summary, gaps) == (fresh, fresh_gaps)
    return summary, gaps


def scores(cohort, value, **overrides):
    return {c.pk: overrides.get(c.key, value) for c in ensure_rubric(cohort)}


@pytest.fixture
def reviewed():
    return application_with_reviewers(min_reviews=1, reviewers=3)


def test_summary_follows_assignment_submit_edit_abstain_conflict_and_reassignment(reviewed):
    cohort, officer, application, _rep, people, (r1, r2, r3) = reviewed
    summary, gaps = stored(application)
    assert (summary["assigned"], summary["reviews"], summary["score"], gaps) == (3, 0, None, {})

    reviews.save_review(people[0], r1, scores(cohort, 2), comment="draft")  # a draft counts not
    assert stored(application)[0]["reviews"] == 0
    reviews.save_review(people[0], r1, scores(cohort, 5), submit=True)
    summary, gaps = stored(application)
    assert (summary["reviews"], summary["score"], summary["medians"]) == (
        1,
        100.0,
        {f"c{pk}": 5.0 for pk in scores(cohort, 5)},
    )
    reviews.save_review(people[1], r2, scores(cohort, 1, innovation=2), submit=True)
    summary, gaps = stored(application)
    # innovation (5, 2) -> 3.5, the rest (5, 1) -> 3: (20 * 3.5 + 80 * 3) / 5 = 62
    assert (summary["reviews"], summary["score"], summary["disagreement"]) == (2, 62.0, True)
    gap = pytest.approx(5 - 7 / 6)  # the means 5 and 7/6, each the other's median
    assert (summary["spread"], gaps) == (76.0, {r1.pk: gap, r2.pk: gap})

    reviews.save_review(people[2], r3, {}, abstained=True, submit=True)
    summary, _gaps = stored(application)
    assert (summary["assigned"], summary["abstentions"], summary["reviews"]) == (3, 1, 2)

    reviews.declare_conflict(people[1], r2)  # the conflicted review no longer counts
    summary, gaps = stored(application)
    assert (summary["assigned"], summary["reviews"], summary["score"], gaps) == (2, 1, 100.0, {})

    fourth = make_user(roles.REVIEWER)
    r4 = reviews.assign_reviewer(officer, application, fourth)
    assert stored(application)[0]["assigned"] == 3
    reviews.unassign_reviewer(officer, r4)
    assert stored(application)[0]["assigned"] == 2
    r4 = reviews.assign_reviewer(officer, application, fourth)  # reassigned: the review reopens
    assert stored(application)[0]["assigned"] == 3
    reviews.save_review(fourth, r4, scores(cohort, 3), submit=True)
    summary, gaps = stored(application)
    # (5, 3) -> 4 on every criterion
    assert (summary["reviews"], summary["score"], summary["spread"]) == (2, 80.0, 40.0)
    assert gaps == {r1.pk: 2.0, r4.pk: 2.0}
    row = rank_applications(cohort)[0][0]
    assert (row.score, row.reviews, row.assigned, row.abstentions) == (80.0, 2, 3, 1)


def test_auto_assign_and_withdrawal_renew_the_summary(reviewed):
    cohort, officer, application, representative, _people, _assigned = reviewed
    cohort.reviewers_per_application = 5
    cohort.save()
    for _ in range(2):
        make_user(roles.REVIEWER)
    assert reviews.auto_assign(officer, cohort) == 2
    assert stored(application)[0]["assigned"] == 5
    withdraw(representative, application)
    assert stored(application)[0]["assigned"] == 0


def test_a_review_saved_outside_the_services_drops_the_summary_until_the_next_read():
    cohort = CohortFactory(min_reviews=1)
    application = scored_application(cohort, [uniform_scores(4)])
    assert rank_applications(cohort)[0][0].score == 80.0
    review = application.reviews.get()
    Score.objects.filter(review=review).update(value=2)
    review.save()  # e.g. the admin: the receiver drops the summary
    assert not ReviewSummary.objects.filter(application=application).exists()
    assert rank_applications(cohort)[0][0].score == 40.0
    assert stored(application)[0]["score"] == 40.0


def random_cohort(seed, count=40):
    """Applications with 0-4 reviews of every kind: submitted, abstained, drafts, conflicted,
    removed, one missing a score; scores drawn from few values so that ties are common."""
    rng = random.Random(seed)
    cohort = CohortFactory(min_reviews=2)
    criteria = ensure_rubric(cohort)
    reviewers = [make_user(roles.REVIEWER) for _ in range(4)]
    now = timezone.now()
    for index in range(count):
        application = ApplicationFactory(
            cohort=cohort,
            state=rng.choice(["under_review", "eligible", "selected"]),
            submitted_at=now - timedelta(days=rng.choice([0, 1, 2])),
            tech_area=rng.choice(["water", "renewable_energy", "agriculture"]),
        )
        for reviewer in rng.sample(reviewers, rng.randint(0, 4)):
            state = rng.choice(["submitted"] * 4 + ["draft", "conflicted", "removed", "assigned"])
            abstained = state == "submitted" and rng.random() < 0.15
            review = Review.objects.create(
                application=application, reviewer=reviewer, state=state, abstained=abstained
            )
            if not abstained and state != "assigned":
                given = [c for c in criteria if index % 11 or c.key != "team"]
                Score.objects.bulk_create(
                    Score(review=review, criterion=c, value=rng.choice([3, 4, 5])) for c in given
                )
    return cohort, criteria


@pytest.mark.parametrize("seed", [1, 2])
def test_the_database_page_is_the_whole_ranking_sorted_filtered_and_sliced(seed):
    cohort, criteria = random_cohort(seed)
    rows, _criteria = rank_applications(cohort)
    orders = [*SORTS, *(f"c{c.pk}" for c in criteria)]
    cases = [({}, order) for order in orders + [f"-{order}" for order in orders]]
    cases += [({"area": "water"}, "rank"), ({"state": "selected", "area": "water"}, "-score")]
    cases += [({"region": rows[0].region}, "company"), ({}, "unknown")]
    for filters, order in cases:
        wanted = [(FILTERS[name], value) for name, value in filters.items()]
        expected = [r for r in rows if all(getattr(r, a) == v for a, v in wanted)]
        expected, expected_order = sort_rows(expected, order, criteria)
        shown = []
        for number in (1, 2, 3):
            result = ranking_page(cohort, filters, order, str(number), 7)
            if result.page.number == number:  # past the last page: the last one again
                shown += result.page.object_list
        assert result.order == expected_order
        assert result.page.paginator.count == len(expected)
        assert [(r.pk, r.rank, r.score, r.medians) for r in shown] == [
            (r.pk, r.rank, r.score, r.medians) for r in expected[:21]
        ], (filters, order)


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_two_reviewers_submitting_at_once_both_count():
    require_postgres()
    cohort, officer, application, _rep, people, assigned = application_with_reviewers(1, 2)
    values = [scores(cohort, 5), scores(cohort, 1)]
    outcomes = at_once(
        [
            partial(reviews.save_review, person, review, given, submit=True)
            for person, review, given in zip(people, assigned, values, strict=True)
        ]
    )
    assert [type(outcome) for outcome in outcomes] == [Review, Review]
    summary, _gaps = stored(application)
    assert (summary["reviews"], summary["score"]) == (2, 60.0)
