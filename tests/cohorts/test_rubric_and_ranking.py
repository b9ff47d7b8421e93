from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from clinic import roles
from cohorts.models import Review
from cohorts.services import reviews, save_cohort
from cohorts.services.ranking import rank_applications, selection_candidates
from cohorts.services.rubric import ensure_rubric, save_rubric
from tests.factories import (
    CohortFactory,
    CompanyFactory,
    eligible_application,
    make_user,
    scored_application,
    uniform_scores,
)
from tests.refusals import refused

pytestmark = pytest.mark.django_db


def test_default_rubric_follows_domain():
    cohort = CohortFactory()
    criteria = ensure_rubric(cohort)
    assert [(c.key, c.weight) for c in criteria] == [
        ("innovation", 20),
        ("green_impact", 20),
        ("ip_relevance", 20),
        ("market", 15),
        ("team", 15),
        ("clinic_fit", 10),
    ]
    assert all(all(text for _level, text in c.anchors) for c in criteria)


def test_save_rubric_weights_not_100_is_refused():
    cohort = CohortFactory()
    criteria = ensure_rubric(cohort)
    criteria[0].weight = 25
    with pytest.raises(ValidationError):
        save_rubric(make_user(roles.OFFICER), cohort, criteria)
    assert cohort.criteria.get(key="innovation").weight == 20


def test_save_rubric_by_non_officer_is_refused():
    cohort = CohortFactory()
    with refused("not_permitted"):
        save_rubric(make_user(roles.REVIEWER), cohort, ensure_rubric(cohort))


def test_save_rubric_after_first_submitted_review_is_refused():
    cohort = CohortFactory()
    scored_application(cohort, [uniform_scores(3)])
    criteria = ensure_rubric(cohort)
    criteria[0].weight, criteria[1].weight = 25, 15
    with pytest.raises(ValidationError):
        save_rubric(make_user(roles.OFFICER), cohort, criteria)


def test_save_rubric_with_a_new_criterion_reusing_a_kept_key_is_refused():
    from cohorts.models import RubricCriterion

    cohort = CohortFactory()
    criteria = ensure_rubric(cohort)
    copies = [
        RubricCriterion(key=c.key, name=c.name, weight=c.weight, cohort=cohort) for c in criteria
    ]
    with pytest.raises(ValidationError):
        save_rubric(make_user(roles.OFFICER), cohort, copies)
    assert cohort.criteria.count() == len(criteria)


def test_save_rubric_edits_and_records_audit():
    cohort = CohortFactory()
    criteria = ensure_rubric(cohort)
    criteria[0].weight, criteria[1].weight = 25, 15
    save_rubric(make_user(roles.OFFICER), cohort, criteria)
    assert cohort.criteria.get(key="innovation").weight == 25


def test_new_cohort_copies_rubric_of_source():
    officer = make_user(roles.OFFICER)
    source = CohortFactory()
    criteria = ensure_rubric(source)
    criteria[0].weight, criteria[5].weight = 10, 20
    criteria[0].anchor_1 = "Copied anchor"
    save_rubric(officer, source, criteria)
    target = CohortFactory.build(programme=source.programme)
    save_cohort(officer, target, copy_from=source)
    copied = {c.key: (c.weight, c.anchor_1) for c in target.criteria.all()}
    assert copied["innovation"] == (10, "Copied anchor")
    assert copied["clinic_fit"][0] == 20
    fresh = CohortFactory.build(programme=source.programme)
    save_cohort(officer, fresh)
    assert fresh.criteria.get(key="innovation").weight == 20


def test_ranking_uses_median_per_criterion_even_count_mean():
    cohort = CohortFactory(min_reviews=2)
    # innovation scores 2 and 5 -> median 3.5; other criteria all 4.
    app = scored_application(
        cohort, [uniform_scores(4, innovation=2), uniform_scores(4, innovation=5)]
    )
    rows, criteria = rank_applications(cohort)
    row = rows[0]
    innovation = next(c for c in criteria if c.key == "innovation")
    assert row.medians[innovation.pk] == 3.5
    # (20*3.5 + 80*4) / 5 = 78
    assert (row.pk, row.score, row.reviews, row.reviewed) == (app.pk, 78.0, 2, True)


def test_ranking_leaves_out_abstentions_and_conflicted_reviews():
    cohort = CohortFactory(min_reviews=2)
    app = scored_application(cohort, [uniform_scores(5), None, uniform_scores(1)])
    conflicted = app.reviews.get(scores__value=1, scores__criterion__key="innovation")
    Review.objects.filter(pk=conflicted.pk).update(state=Review.State.CONFLICTED)
    row = rank_applications(cohort)[0][0]
    assert (row.score, row.reviews, row.abstentions, row.reviewed) == (100.0, 1, 1, False)


def test_ranking_ties_broken_by_ip_relevance_then_submission():
    cohort = CohortFactory()
    now = timezone.now()
    # Both weigh 76 in total; "high_ip" has IP relevance 5.
    late_same = scored_application(
        cohort,
        [uniform_scores(4, ip_relevance=4, innovation=3)],
        submitted_at=now,
    )
    high_ip = scored_application(
        cohort, [uniform_scores(4, ip_relevance=5, innovation=3, green_impact=3)], submitted_at=now
    )
    early_same = scored_application(
        cohort,
        [uniform_scores(4, ip_relevance=4, innovation=3)],
        submitted_at=now - timedelta(days=1),
    )
    rows, _criteria = rank_applications(cohort)
    assert [r.score for r in rows] == [76.0, 76.0, 76.0]
    assert [r.pk for r in rows] == [high_ip.pk, early_same.pk, late_same.pk]
    assert [r.rank for r in rows] == [1, 2, 3]


def test_ranking_flags_disagreement_and_spread():
    cohort = CohortFactory()
    scored_application(cohort, [uniform_scores(1), uniform_scores(5)])
    row = rank_applications(cohort)[0][0]
    assert (row.spread, row.disagreement) == (80.0, True)


def test_ranking_unscored_applications_come_last():
    cohort = CohortFactory()
    empty = scored_application(cohort, [])
    scored = scored_application(cohort, [uniform_scores(2)])
    rows, _ = rank_applications(cohort)
    assert [(r.pk, r.rank) for r in rows] == [(scored.pk, 1), (empty.pk, None)]


def test_ranking_cache_follows_new_reviews_and_conflicts():
    cohort = CohortFactory(min_reviews=1)
    officer = make_user(roles.OFFICER)
    application, _ = eligible_application(officer, cohort=cohort)
    first, second = make_user(roles.REVIEWER), make_user(roles.REVIEWER)
    r1 = reviews.assign_reviewer(officer, application, first)
    r2 = reviews.assign_reviewer(officer, application, second)
    assert rank_applications(cohort)[0][0].score is None
    reviews.save_review(first, r1, {c.pk: 5 for c in ensure_rubric(cohort)}, submit=True)
    assert rank_applications(cohort)[0][0].score == 100.0
    reviews.save_review(second, r2, {c.pk: 1 for c in ensure_rubric(cohort)}, submit=True)
    assert rank_applications(cohort)[0][0].score == 60.0
    reviews.declare_conflict(second, r2)
    row = rank_applications(cohort)[0][0]
    assert (row.score, row.reviews) == (100.0, 1)


def test_selection_candidates_are_reviewed_rows_best_first():
    cohort = CohortFactory(min_reviews=2)
    best = scored_application(cohort, [uniform_scores(5), uniform_scores(5)])
    scored_application(cohort, [uniform_scores(5)])  # one review: not reviewed yet
    good = scored_application(cohort, [uniform_scores(3), uniform_scores(4)])
    candidates = selection_candidates(cohort)
    assert [(c.id, c.score) for c in candidates] == [(best.pk, 100.0), (good.pk, 70.0)]
    assert candidates[0].attributes == {
        "green_area": "water",
        "size_class": "small",
        "region": "beijing",
    }


def test_ranking_version_changes_with_reviews_applications_and_companies():
    from cohorts.services.ranking import ranking_token

    cohort, other = CohortFactory(), CohortFactory()
    application = scored_application(cohort, [uniform_scores(3)])
    seen = [ranking_token(cohort)]
    review = application.reviews.get()
    review.comment = "Changed"
    review.save()
    seen.append(ranking_token(cohort))
    application.tech_title = "Renamed technology"
    application.save()
    seen.append(ranking_token(cohort))
    untouched = ranking_token(other)
    application.company.legal_name = "Renamed Ltd."
    application.company.save()
    seen.append(ranking_token(cohort))
    assert (len(set(seen)), ranking_token(other)) == (4, untouched)


def test_ranking_pages_follow_a_company_rename_and_a_new_review(client):
    from django.urls import reverse

    cohort = CohortFactory(min_reviews=1)
    first = scored_application(cohort, [uniform_scores(3)])
    second = scored_application(cohort, [uniform_scores(2)])
    client.force_login(make_user(roles.OFFICER))
    url = reverse("cohorts:ranking", args=[cohort.pk])

    def shown(**params):
        page = client.get(url, params).context["page"]
        return [(row.company_name, row.rank) for row in page.object_list]

    assert shown(order="-score") == [(first.company.legal_name, 1), (second.company.legal_name, 2)]
    first.company.legal_name = "Renamed Ltd."
    first.company.save()
    assert shown(order="-score") == [("Renamed Ltd.", 1), (second.company.legal_name, 2)]
    scored_application(cohort, [uniform_scores(5)], company=CompanyFactory(legal_name="New Ltd."))
    assert shown(order="-score")[0] == ("New Ltd.", 1)


def test_ranking_of_a_rubric_longer_than_one_packed_integer():
    """Twelve criteria: the database packs ten scores per integer, the ranking reads both."""
    from cohorts.models import RubricCriterion, Score

    cohort = CohortFactory(min_reviews=1)
    ensure_rubric(cohort)
    cohort.criteria.all().delete()
    weights = [5, 5, 5, 5, 5, 5, 10, 10, 10, 10, 15, 15]
    criteria = [
        RubricCriterion.objects.create(
            cohort=cohort, key=f"k{i}", name=f"Criterion {i}", weight=weight, order=i
        )
        for i, weight in enumerate(weights)
    ]
    application = scored_application(cohort, [])
    expected = [1 + i % 5 for i in range(12)]  # the median of (v, v, 5) is v
    given = [expected, expected, [5] * 12]
    for values in given:
        review = Review.objects.create(
            application=application,
            reviewer=make_user(roles.REVIEWER),
            state=Review.State.SUBMITTED,
            submitted_at=timezone.now(),
        )
        Score.objects.bulk_create(
            Score(review=review, criterion=c, value=v)
            for c, v in zip(criteria, values, strict=True)
        )
    row = rank_applications(cohort)[0][0]
    assert [row.medians[c.pk] for c in criteria] == expected
    totals = [sum(v * w / 5 for v, w in zip(values, weights, strict=True)) for values in given]
    # (5+10+15+20+25+5 + 20+30+40+50 + 15+30) / 5 = 53
    assert (row.reviews, row.score) == (3, 53.0)
    assert row.spread == round(max(totals) - min(totals), 2)
