"""The 0-1 integer programme behind a selection (scipy's HiGHS) over a small pool.

Candidates that match the same rules are interchangeable except for their rank, so only the best
`capacity` of each such class (fewer when the class counts towards a smaller maximum) can ever be
chosen: the programme stays small however many candidates apply, and which rules a candidate
matches is worked out once per combination of attribute values. Among selections with equal totals
(within TIE_TOLERANCE) the one whose plain ranks add up to the least wins.
"""

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from operator import attrgetter

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp

TIE_TOLERANCE = 1e-6


@dataclass(frozen=True)
class Candidate:
    id: int
    score: float
    ip_relevance: float
    submitted_at: datetime
    attributes: Mapping[str, str]


@dataclass(frozen=True)
class QuotaRule:
    id: int
    label: str
    dimension: str
    value: str
    minimum: int | None = None
    maximum: int | None = None

    def matches(self, attributes: Mapping[str, str]) -> bool:
        return attributes.get(self.dimension) == self.value


def plain_ranking(candidates: Iterable[Candidate]) -> list[Candidate]:
    """Best score first, then IP relevance, then the earlier submission, then the id (two
    stable sorts with C key functions)."""
    ranked = sorted(candidates, key=attrgetter("submitted_at", "id"))
    ranked.sort(key=attrgetter("score", "ip_relevance"), reverse=True)
    return ranked


def rule_signatures(candidates, rules) -> list[tuple[bool, ...]]:
    """Per candidate, which rules it matches; worked out once per combination of the values
    the rules look at (a few hundred at most), not once per candidate and rule."""
    dimensions = sorted({rule.dimension for rule in rules})
    known = {}
    signatures = []
    for candidate in candidates:
        values = tuple(map(candidate.attributes.get, dimensions))
        signature = known.get(values)
        if signature is None:
            signature = known[values] = tuple(rule.matches(candidate.attributes) for rule in rules)
        signatures.append(signature)
    return signatures


def _class_limit(signature, rules, capacity) -> int:
    """How many of one class can ever be chosen: the capacity, or less when the class counts
    towards a rule with a smaller maximum."""
    hits = zip(rules, signature, strict=True)
    return min([capacity, *[r.maximum for r, hit in hits if hit and r.maximum is not None]])


def class_pool(
    ranked, rules, capacity, signatures=None
) -> tuple[list[Candidate], np.ndarray, list]:
    """The best candidates of each class matching the same rules (as many as the class could
    ever have chosen), with their plain ranks and rule signatures."""
    if signatures is None:
        signatures = rule_signatures(ranked, rules)
    taken = Counter()
    limits = {}
    pool, ranks, kept = [], [], []
    for rank, (candidate, key) in enumerate(zip(ranked, signatures, strict=True), start=1):
        limit = limits.get(key)
        if limit is None:
            limit = limits[key] = _class_limit(key, rules, capacity)
        if taken[key] < limit:
            taken[key] += 1
            pool.append(candidate)
            ranks.append(rank)
            kept.append(key)
    return pool, np.array(ranks, dtype=float), kept


def is_feasible(candidates, rules, capacity) -> bool:
    pool, _ranks, signatures = class_pool(plain_ranking(candidates), rules, capacity)
    fill = len(candidates) >= capacity
    if not pool:
        return empty_selection_allowed(rules, capacity, fill)
    rows = _constraints(signatures, rules, capacity if fill else 0, capacity)
    return _solve(np.zeros(len(pool)), rows) is not None


def best_selection(pool, ranks, signatures, rules, capacity, fill: bool) -> list[Candidate] | None:
    """Most total score, then least rank sum: `capacity` of them if `fill`, else most allowed."""
    if not pool:
        return [] if empty_selection_allowed(rules, capacity, fill) else None
    scores = np.array([c.score for c in pool])
    size = capacity
    if not fill:
        most = _solve(-np.ones(len(pool)), _constraints(signatures, rules, 0, capacity))
        if most is None:
            return None
        size = int(most.sum())
    rows = _constraints(signatures, rules, size, size)
    best = _solve(-scores, rows)
    if best is None:
        return None
    tie = LinearConstraint(scores, scores[best].sum() - TIE_TOLERANCE, np.inf)
    chosen = _solve(ranks, [*rows, tie])
    return [c for c, picked in zip(pool, chosen, strict=True) if picked]


def empty_selection_allowed(rules, capacity, fill: bool) -> bool:
    """When nobody may be chosen (every class capped at 0): fine only if nothing must be."""
    return not (fill and capacity) and not any(rule.minimum for rule in rules)


def _constraints(signatures, rules, low: int, high: int) -> list[LinearConstraint]:
    """The size of the selection between ``low`` and ``high``, and every rule's bounds, over
    the pool's candidates (given by their rule signatures)."""
    matrix = np.array(signatures, dtype=float).T.reshape(len(rules), len(signatures))
    minimums = [rule.minimum or 0 for rule in rules]
    maximums = [np.inf if rule.maximum is None else rule.maximum for rule in rules]
    return [
        LinearConstraint(np.ones((1, len(signatures))), low, high),
        LinearConstraint(matrix, minimums, maximums),
    ]


def _solve(objective: np.ndarray, constraints) -> np.ndarray | None:
    """Boolean mask of the optimal 0-1 solution, or None when infeasible."""
    result = milp(
        objective,
        constraints=constraints,
        integrality=np.ones(len(objective)),
        bounds=Bounds(0, 1),
        options={"mip_rel_gap": 0},
    )
    if result.status == 2:
        return None
    if result.status != 0:
        raise RuntimeError(result.message)
    return result.x > 0.5
