from datetime import datetime, timedelta
from itertools import combinations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cohorts.selection import (
    Candidate,
    InfeasibleQuotas,
    Line,
    QuotaRule,
    check_feasibility,
    pick_backfill,
    plain_ranking,
    suggest_selection,
)

START = datetime(2026, 3, 1, 9, 0)


def candidate(id, score, area="energy", size="small", ip=3.0, minute=0):
    attributes = {"green_area": area, "size_class": size}
    return Candidate(id, score, ip, START + timedelta(minutes=minute), attributes)


def at_most(id, value, maximum, dimension="green_area"):
    return QuotaRule(id, f"at most {maximum} {value}", dimension, value, None, maximum)


def at_least(id, value, minimum, dimension="size_class"):
    return QuotaRule(id, f"at least {minimum} {value}", dimension, value, minimum, None)


def test_plain_ranking_ties_broken_by_ip_relevance_then_submission_then_id():
    candidates = [
        candidate(1, 70, ip=3, minute=5),
        candidate(2, 70, ip=4, minute=9),
        candidate(3, 70, ip=3, minute=1),
        candidate(4, 80),
        candidate(5, 70, ip=3, minute=1),
    ]
    assert [c.id for c in plain_ranking(candidates)] == [4, 2, 3, 5, 1]


def test_suggest_selection_without_rules_takes_plain_top():
    candidates = [candidate(i, 100 - i) for i in range(1, 7)]
    suggestion = suggest_selection(candidates, [], capacity=3, waitlist_length=2)
    assert suggestion.selected == [1, 2, 3]
    assert suggestion.waitlist == [4, 5]
    assert suggestion.rejected == [6]
    assert suggestion.total_score == 99 + 98 + 97
    assert suggestion.lines[4] == Line(4, 4, "waitlisted", 1, "", None)
    assert suggestion.lines[6] == Line(6, 6, "rejected", None, "", None)
    assert {line.reason for line in suggestion.lines.values()} == {""}


def test_suggest_selection_full_maximum_leaves_out_and_moves_up():
    candidates = [
        candidate(1, 90, "water"),
        candidate(2, 85, "water"),
        candidate(3, 80, "water"),
        candidate(4, 70, "energy"),
        candidate(5, 60, "water"),
    ]
    suggestion = suggest_selection(candidates, [at_most(7, "water", 2)], capacity=3)
    assert suggestion.selected == [1, 2, 4]
    assert suggestion.waitlist == [3, 5]
    assert suggestion.lines[3] == Line(
        3, 3, "waitlisted", 1, "Left out because the rule “at most 2 water” was full.", 7
    )
    assert suggestion.lines[4] == Line(
        4, 4, "selected", None, "Moved up because the rule “at most 2 water” was full.", 7
    )
    assert suggestion.lines[5].reason == ""


def test_suggest_selection_minimum_takes_lower_ranked_candidate():
    candidates = [
        candidate(1, 90),
        candidate(2, 85),
        candidate(3, 80),
        candidate(4, 70, size="micro"),
        candidate(5, 65, size="micro"),
    ]
    suggestion = suggest_selection(candidates, [at_least(8, "micro", 1)], capacity=3)
    assert suggestion.selected == [1, 2, 4]
    assert suggestion.total_score == 245
    assert suggestion.lines[4] == Line(
        4, 4, "selected", None, "Taken to meet the rule “at least 1 micro”.", 8
    )
    assert suggestion.lines[3] == Line(
        3, 3, "waitlisted", 1, "Left out to make room for the rule “at least 1 micro”.", 8
    )


def test_suggest_selection_equal_totals_prefer_plain_order():
    candidates = [
        candidate(1, 60, "water"),
        candidate(2, 60, "water"),
        candidate(3, 40, "energy", ip=3),
        candidate(4, 40, "solar", ip=4),
    ]
    rules = [at_most(1, "water", 1), at_most(2, "energy", 1)]
    suggestion = suggest_selection(candidates, rules, capacity=2)
    assert suggestion.selected == [1, 4]
    assert suggestion.waitlist == [2, 3]


def test_suggest_selection_fewer_candidates_than_capacity_selects_all():
    candidates = [candidate(1, 50), candidate(2, 40, size="micro")]
    suggestion = suggest_selection(candidates, [at_least(1, "micro", 1)], capacity=20)
    assert suggestion.selected == [1, 2]
    assert suggestion.waitlist == []


def test_suggest_selection_fewer_candidates_than_capacity_selects_as_many_as_rules_allow():
    candidates = [candidate(1, 90, "water"), candidate(2, 80, "water"), candidate(3, 10)]
    suggestion = suggest_selection(candidates, [at_most(5, "water", 1)], capacity=20)
    assert suggestion.selected == [1, 3]
    assert suggestion.lines[2].reason == "Left out because the rule “at most 1 water” was full."


def test_suggest_selection_no_candidates_selects_nobody():
    suggestion = suggest_selection([], [at_most(1, "water", 1)], capacity=20)
    assert (suggestion.selected, suggestion.lines, suggestion.total_score) == ([], {}, 0)


def test_suggest_selection_infeasible_raises_with_problems():
    candidates = [candidate(i, 50) for i in range(1, 4)]
    with pytest.raises(InfeasibleQuotas) as raised:
        suggest_selection(candidates, [at_least(3, "micro", 1)], capacity=2)
    assert raised.value.problems == [
        "The rule “at least 1 micro” asks for at least 1, but only 0 candidates match it."
    ]


def test_check_feasibility_feasible_returns_no_problems():
    candidates = [candidate(1, 50, size="micro"), candidate(2, 40)]
    assert check_feasibility(candidates, [at_least(1, "micro", 1)], capacity=2) == []


def test_check_feasibility_minimums_of_one_dimension_above_capacity():
    candidates = [candidate(i, 50, size="micro" if i < 4 else "small") for i in range(1, 7)]
    rules = [
        at_least(1, "micro", 3),
        at_least(2, "small", 2),
        at_least(3, "water", 2, "green_area"),
    ]
    assert check_feasibility(candidates, rules, capacity=4) == [
        "The minimums of “at least 3 micro”, “at least 2 small” add up to 5, "
        "more than the capacity of 4.",
        "The rule “at least 2 water” asks for at least 2, but only 0 candidates match it.",
    ]


def test_check_feasibility_single_minimum_above_capacity():
    candidates = [candidate(i, 50, size="micro") for i in range(1, 7)]
    assert check_feasibility(candidates, [at_least(1, "micro", 5)], capacity=4) == [
        "The minimum of “at least 5 micro” is 5, more than the capacity of 4."
    ]


def test_check_feasibility_minimum_above_group_size():
    candidates = [candidate(1, 50, size="micro"), candidate(2, 50), candidate(3, 50)]
    assert check_feasibility(candidates, [at_least(1, "micro", 2)], capacity=2) == [
        "The rule “at least 2 micro” asks for at least 2, but only 1 candidate matches it."
    ]


def test_check_feasibility_maximums_below_capacity():
    candidates = [candidate(i, 50, "water" if i % 2 else "energy") for i in range(1, 9)]
    rules = [at_most(1, "water", 2), at_most(2, "energy", 1), at_most(3, "solar", 1)]
    assert check_feasibility(candidates, rules, capacity=4) == [
        "The maximums of “at most 2 water”, “at most 1 energy” leave at most 3 candidates "
        "to select, fewer than the capacity of 4."
    ]


def test_check_feasibility_minimum_above_maximum():
    candidates = [candidate(i, 50, "water") for i in range(1, 9)]
    rules = [
        QuotaRule(1, "water 3 to 2", "green_area", "water", 3, 2),
        at_most(2, "water", 1),
        at_least(3, "energy", 0, "green_area"),
    ]
    assert check_feasibility(candidates, rules, capacity=1) == [
        "The rule “water 3 to 2” asks for at least 3, but “water 3 to 2” allows at most 2.",
        "The rule “water 3 to 2” asks for at least 3, but “at most 1 water” allows at most 1.",
        "The minimum of “water 3 to 2” is 3, more than the capacity of 1.",
    ]


def test_check_feasibility_joint_conflict_names_irreducible_rules():
    candidates = [
        candidate(1, 50, "energy", "micro"),
        candidate(2, 50, "energy", "micro"),
        candidate(3, 50, "water", "small"),
        candidate(4, 50, "water", "small"),
    ]
    rules = [
        at_least(1, "micro", 2),
        at_most(2, "solar", 3),
        at_least(3, "water", 2, "green_area"),
    ]
    expected = [
        "The rules “at least 2 micro”, “at least 2 water” cannot all be met together "
        "with a capacity of 2."
    ]
    assert check_feasibility(candidates, rules, capacity=2) == expected
    with pytest.raises(InfeasibleQuotas) as raised:
        suggest_selection(candidates, rules, capacity=2)
    assert raised.value.problems == expected


def test_pick_backfill_skips_candidate_over_maximum():
    selected = [{"green_area": "water"}, {"green_area": "energy"}]
    waitlist = [candidate(1, 60, "water"), candidate(2, 50, "energy")]
    assert pick_backfill(selected, waitlist, [at_most(1, "water", 1)]) == (waitlist[1], True)


def test_pick_backfill_restores_unmet_minimum():
    selected = [{"size_class": "small"}, {"size_class": "micro"}]
    waitlist = [candidate(1, 60), candidate(2, 50, size="micro")]
    assert pick_backfill(selected, waitlist, [at_least(1, "micro", 2)]) == (waitlist[1], True)


def test_pick_backfill_met_minimum_keeps_plain_order():
    selected = [{"size_class": "micro"}]
    waitlist = [candidate(1, 60), candidate(2, 50, size="micro")]
    assert pick_backfill(selected, waitlist, [at_least(1, "micro", 1)]) == (waitlist[0], True)


def test_pick_backfill_none_fits_returns_highest_ranked_unflagged():
    selected = [{"green_area": "water", "size_class": "small"}]
    waitlist = [candidate(1, 60, "water", "micro"), candidate(2, 50, "energy", "small")]
    rules = [at_most(1, "water", 1), at_least(2, "micro", 1)]
    assert pick_backfill(selected, waitlist, rules) == (waitlist[0], False)


def test_pick_backfill_empty_waitlist_returns_none():
    assert pick_backfill([{"green_area": "water"}], [], [at_most(1, "water", 1)]) == (None, True)


AREAS, SIZES = ["water", "energy", "solar"], ["micro", "small"]


@st.composite
def instances(draw):
    count = draw(st.integers(0, 10))
    candidates = [
        Candidate(
            id=i,
            score=draw(st.integers(0, 400)) / 4,
            ip_relevance=draw(st.sampled_from([1.0, 3.0, 5.0])),
            submitted_at=START + timedelta(days=draw(st.integers(0, 2))),
            attributes={
                "green_area": draw(st.sampled_from(AREAS)),
                "size": draw(st.sampled_from(SIZES)),
            },
        )
        for i in range(count)
    ]
    rules = [
        QuotaRule(
            id=i,
            label=f"rule {i}",
            dimension=dimension,
            value=draw(st.sampled_from(AREAS if dimension == "green_area" else SIZES)),
            minimum=draw(st.none() | st.integers(0, 4)),
            maximum=draw(st.none() | st.integers(0, 5)),
        )
        for i, dimension in enumerate(
            draw(st.lists(st.sampled_from(["green_area", "size"]), max_size=3))
        )
    ]
    return candidates, rules, draw(st.integers(1, 5))


def holds(rule, chosen):
    count = sum(rule.matches(c.attributes) for c in chosen)
    return (rule.minimum or 0) <= count <= (rule.maximum if rule.maximum is not None else count)


def brute_force(candidates, rules, capacity):
    """(size, best total, least rank sum among best totals), or None when nothing is feasible."""
    ranks = {c.id: rank for rank, c in enumerate(plain_ranking(candidates), start=1)}
    sizes = [capacity] if len(candidates) >= capacity else range(len(candidates), -1, -1)
    for size in sizes:
        feasible = [s for s in combinations(candidates, size) if all(holds(r, s) for r in rules)]
        if feasible:
            best = max(sum(c.score for c in s) for s in feasible)
            ties = [s for s in feasible if sum(c.score for c in s) == best]
            return size, best, min(sum(ranks[c.id] for c in s) for s in ties)
    return None


@settings(max_examples=400, deadline=None)
@given(instances())
def test_suggest_selection_random_instances_match_brute_force(instance):
    candidates, rules, capacity = instance
    expected = brute_force(candidates, rules, capacity)
    if expected is None:
        with pytest.raises(InfeasibleQuotas):
            suggest_selection(candidates, rules, capacity)
        assert check_feasibility(candidates, rules, capacity) != []
        return
    suggestion = suggest_selection(candidates, rules, capacity, waitlist_length=3)
    chosen = [c for c in candidates if c.id in suggestion.selected]
    lines = suggestion.lines
    assert check_feasibility(candidates, rules, capacity) == []
    assert (len(chosen), suggestion.total_score) == expected[:2]
    assert sum(lines[i].plain_rank for i in suggestion.selected) == expected[2]
    assert [r.id for r in rules if not holds(r, chosen)] == []
    assert sorted(suggestion.selected + suggestion.waitlist + suggestion.rejected) == sorted(
        c.id for c in candidates
    )
    unexplained = [
        line.candidate_id
        for line in lines.values()
        if (line.outcome == "selected") != (line.plain_rank <= capacity) and line.reason == ""
    ]
    assert unexplained == []


def test_a_minimum_nobody_may_meet_is_infeasible_when_every_candidate_is_capped_at_zero():
    water = Candidate(
        0, 4.0, 1.0, datetime(2026, 3, 1, 9), {"green_area": "water", "size": "micro"}
    )
    rules = [
        QuotaRule(0, "no water", "green_area", "water", maximum=0),
        QuotaRule(1, "a micro company", "size", "micro", minimum=1),
    ]
    with pytest.raises(InfeasibleQuotas):
        suggest_selection([water], rules, 2)
