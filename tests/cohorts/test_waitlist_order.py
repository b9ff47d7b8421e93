"""Which waitlist entries count as moved when the officer reorders the waitlist: the fewest
entries whose removal leaves the rest in the suggested order (property-based)."""

from itertools import combinations
from types import SimpleNamespace

from hypothesis import given, settings
from hypothesis import strategies as st

from cohorts.services.proposals import moved_up


def entries(order):
    """Waitlisted entries suggested at 1..n, placed by the officer in ``order``."""
    return [
        SimpleNamespace(
            pk=suggested, outcome="waitlisted", suggested_position=suggested, position=placed
        )
        for placed, suggested in enumerate(order, start=1)
    ]


def fewest_moves(order):
    for size in range(len(order) + 1):
        for moved in combinations(order, size):
            rest = [p for p in order if p not in moved]
            if rest == sorted(rest):
                return size
    return len(order)


@settings(max_examples=200, deadline=None)
@given(st.permutations(list(range(1, 8))))
def test_moved_entries_are_the_fewest_that_restore_the_suggested_order(order):
    moved = moved_up(entries(order))
    kept = [p for p in order if p not in moved]
    assert kept == sorted(kept)
    assert len(moved) == fewest_moves(order)


def test_moving_the_last_entry_to_the_top_moves_only_it():
    assert moved_up(entries([5, 1, 2, 3, 4])) == {5}


def test_unchanged_order_moves_nothing():
    assert moved_up(entries([1, 2, 3])) == set()
