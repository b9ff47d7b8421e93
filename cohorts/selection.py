"""Exact cohort selection under quota rules, explained against the plain score ranking.

The suggestion maximises the total weighted score subject to every quota rule, solved exactly as
a 0-1 integer programme with scipy's HiGHS. Candidates that match the same rules are
interchangeable except for their rank, so only the best `capacity` of each such class (fewer when
the class counts towards a smaller maximum) can ever be chosen: the programme stays small however
many candidates apply, and which rules a candidate matches is worked out once per combination of
attribute values.

Size of the selection: exactly `capacity` when at least that many candidates are given (the quota
rules must allow it, otherwise InfeasibleQuotas); with fewer candidates, as many as the rules allow.
Among selections with equal totals (within TIE_TOLERANCE) the one whose plain ranks add up to the
least wins.
"""

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from operator import attrgetter

import numpy as np
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from scipy.optimize import Bounds, LinearConstraint, milp

SELECTED, WAITLISTED, REJECTED = "selected", "waitlisted", "rejected"
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


class InfeasibleQuotas(Exception):
    def __init__(self, problems: list[str]):
        super().__init__(" ".join(problems))
        self.problems = problems


@dataclass
class Line:
    candidate_id: int
    plain_rank: int
    outcome: str
    waitlist_position: int | None
    reason: str
    rule_id: int | None


@dataclass
class Suggestion:
    selected: list[int]
    waitlist: list[int]
    rejected: list[int]
    lines: dict[int, Line]
    total_score: float


def plain_ranking(candidates: Iterable[Candidate]) -> list[Candidate]:
    """Best score first, then IP relevance, then the earlier submission, then the id (two
    stable sorts with C key functions)."""
    ranked = sorted(candidates, key=attrgetter("submitted_at", "id"))
    ranked.sort(key=attrgetter("score", "ip_relevance"), reverse=True)
    return ranked


def suggest_selection(
    candidates: Iterable[Candidate],
    rules: Sequence[QuotaRule],
    capacity: int,
    waitlist_length: int = 10,
) -> Suggestion:
    ranked = plain_ranking(candidates)
    signatures = _signatures(ranked, rules)  # once: the checks and the pool both need them
    problems = _plain_problems(ranked, rules, capacity, signatures)
    if problems:
        raise InfeasibleQuotas(problems)
    pool, ranks, signatures = _pool(ranked, rules, capacity, signatures)
    chosen = _best(pool, ranks, signatures, rules, capacity, fill=len(ranked) >= capacity)
    if chosen is None:
        raise InfeasibleQuotas([_conflict(ranked, rules, capacity)])
    return _suggestion(ranked, {c.id for c in chosen}, rules, capacity, waitlist_length)


def explain(candidates: Iterable[Candidate], chosen_ids, rules, capacity) -> dict[int, str]:
    """The reasons of a suggestion's lines (``chosen_ids`` selected) in the active language,
    without solving again: candidate id -> reason, for the lines that have one."""
    reasons = _reasons(plain_ranking(candidates), set(chosen_ids), rules, capacity)
    return {candidate_id: text for candidate_id, (text, _rule) in reasons.items()}


def check_feasibility(
    candidates: Iterable[Candidate], rules: Sequence[QuotaRule], capacity: int
) -> list[str]:
    candidates = list(candidates)
    problems = _plain_problems(candidates, rules, capacity)
    if problems or _feasible(candidates, rules, capacity):
        return problems
    return [_conflict(candidates, rules, capacity)]


def pick_backfill(
    selected_attributes: list[Mapping[str, str]],
    waitlist: list[Candidate],
    rules: Sequence[QuotaRule],
) -> tuple[Candidate | None, bool]:
    """The first candidate of the (ranked) waitlist whose entry keeps the rules satisfied.

    An entry fits when it takes no rule over its maximum and matches every rule whose minimum is
    not met yet. Returns (candidate, True), or (first on the waitlist, False) when none fits and
    the officer must be told, or (None, True) for an empty waitlist.
    """
    if not waitlist:
        return None, True
    fitting = (c for c in waitlist if _fits(c.attributes, selected_attributes, rules))
    candidate = next(fitting, None)
    return (candidate, True) if candidate is not None else (waitlist[0], False)


def _fits(attributes, selected_attributes, rules) -> bool:
    def keeps(rule):
        count, hit = _count(selected_attributes, rule), rule.matches(attributes)
        over = rule.maximum is not None and count + hit > rule.maximum
        short = rule.minimum is not None and count < rule.minimum and not hit
        return not (over or short)

    return all(keeps(rule) for rule in rules)


def _count(attributes_list, rule: QuotaRule) -> int:
    return sum(rule.matches(a) for a in attributes_list)


def _names(rules) -> str:
    return ", ".join(f"“{rule.label}”" for rule in rules)


# Plain causes of infeasibility, each naming its rules.


def _plain_problems(candidates, rules, capacity, signatures=None) -> list[str]:
    return [
        *_inverted_bounds(rules),
        *_minimums_over_capacity(rules, capacity),
        *_minimums_over_group(signatures or _signatures(candidates, rules), rules),
        *_maximums_under_capacity(candidates, rules, capacity),
    ]


def _inverted_bounds(rules) -> list[str]:
    return [
        _(
            "The rule “%(low)s” asks for at least %(minimum)d, "
            "but “%(high)s” allows at most %(maximum)d."
        )
        % {"low": low.label, "minimum": low.minimum, "high": high.label, "maximum": high.maximum}
        for low in rules
        for high in rules
        if (low.dimension, low.value) == (high.dimension, high.value)
        and low.minimum is not None
        and high.maximum is not None
        and low.minimum > high.maximum
    ]


def _by_dimension(rules, bound: str) -> dict[str, list[QuotaRule]]:
    grouped = defaultdict(list)
    for rule in rules:
        if getattr(rule, bound) is not None:
            grouped[rule.dimension].append(rule)
    return grouped


def _strictest(rules, rule: QuotaRule) -> QuotaRule:
    """The first rule with the highest minimum among those on the same value as `rule`."""
    return max((r for r in rules if r.value == rule.value), key=lambda r: r.minimum)


def _minimums_over_capacity(rules, capacity) -> list[str]:
    problems = []
    for dimension_rules in _by_dimension(rules, "minimum").values():
        named = [r for r in dimension_rules if r.minimum and r is _strictest(dimension_rules, r)]
        total = sum(rule.minimum for rule in named)
        if total > capacity:
            problems.append(
                ngettext(
                    "The minimum of %(rules)s is %(total)d, "
                    "more than the capacity of %(capacity)d.",
                    "The minimums of %(rules)s add up to %(total)d, "
                    "more than the capacity of %(capacity)d.",
                    len(named),
                )
                % {"rules": _names(named), "total": total, "capacity": capacity}
            )
    return problems


def _minimums_over_group(signatures, rules) -> list[str]:
    problems = []
    classes = Counter(signatures)
    for index, rule in enumerate(rules):
        available = sum(n for signature, n in classes.items() if signature[index])
        if rule.minimum is not None and rule.minimum > available:
            problems.append(
                ngettext(
                    "The rule “%(rule)s” asks for at least %(minimum)d, "
                    "but only %(available)d candidate matches it.",
                    "The rule “%(rule)s” asks for at least %(minimum)d, "
                    "but only %(available)d candidates match it.",
                    available,
                )
                % {"rule": rule.label, "minimum": rule.minimum, "available": available}
            )
    return problems


def _maximums_under_capacity(candidates, rules, capacity) -> list[str]:
    if len(candidates) < capacity:
        return []
    problems = []
    for dimension, dimension_rules in _by_dimension(rules, "maximum").items():
        counts = Counter(c.attributes.get(dimension) for c in candidates)
        caps = {}
        for rule in dimension_rules:
            caps[rule.value] = min(rule.maximum, caps.get(rule.value, rule.maximum))
        available = sum(min(count, caps.get(value, count)) for value, count in counts.items())
        if available < capacity:
            named = [r for r in dimension_rules if r.maximum < counts[r.value]]
            problems.append(
                ngettext(
                    "The maximum of %(rules)s leaves at most %(available)d candidates to select, "
                    "fewer than the capacity of %(capacity)d.",
                    "The maximums of %(rules)s leave at most %(available)d candidates to select, "
                    "fewer than the capacity of %(capacity)d.",
                    len(named),
                )
                % {"rules": _names(named), "available": available, "capacity": capacity}
            )
    return problems


def _conflict(candidates, rules, capacity) -> str:
    """Name an irreducible set of rules that cannot hold together (deletion filter)."""
    conflict = list(rules)
    for rule in rules:
        trial = [r for r in conflict if r is not rule]
        if not _feasible(candidates, trial, capacity):
            conflict = trial
    return ngettext(
        "The rule %(rules)s cannot be met with a capacity of %(capacity)d.",
        "The rules %(rules)s cannot all be met together with a capacity of %(capacity)d.",
        len(conflict),
    ) % {"rules": _names(conflict), "capacity": capacity}


# The integer programme.


def _signatures(candidates, rules) -> list[tuple[bool, ...]]:
    """Per candidate, which rules it matches; worked out once per combination of the values
    the rules look at (a few hundred at most), not once per candidate and rule."""
    dimensions = sorted({rule.dimension for rule in rules})
    known = {}
    signatures = []
    for candidate in candidates:
        values = tuple(candidate.attributes.get(d) for d in dimensions)
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


def _pool(ranked, rules, capacity, signatures=None) -> tuple[list[Candidate], np.ndarray, list]:
    """The best candidates of each class matching the same rules (as many as the class could
    ever have chosen), with their plain ranks and rule signatures."""
    if signatures is None:
        signatures = _signatures(ranked, rules)
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


def _feasible(candidates, rules, capacity) -> bool:
    pool, _ranks, signatures = _pool(plain_ranking(candidates), rules, capacity)
    if not pool:
        return True
    fill = len(candidates) >= capacity
    rows = _constraints(signatures, rules, capacity if fill else 0, capacity)
    return _solve(np.zeros(len(pool)), rows) is not None


def _best(pool, ranks, signatures, rules, capacity, fill: bool) -> list[Candidate] | None:
    """Most total score, then least rank sum: `capacity` of them if `fill`, else most allowed."""
    if not pool:
        return []
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


# The suggestion and its explanations.


def _suggestion(ranked, chosen_ids, rules, capacity, waitlist_length) -> Suggestion:
    selected = [c for c in ranked if c.id in chosen_ids]
    remaining = [c for c in ranked if c.id not in chosen_ids]
    waitlist, rejected = remaining[:waitlist_length], remaining[waitlist_length:]
    reasons = _reasons(ranked, chosen_ids, rules, capacity)
    position = {c.id: index for index, c in enumerate(waitlist, start=1)}

    def outcome(candidate_id):
        if candidate_id in chosen_ids:
            return SELECTED
        return WAITLISTED if candidate_id in position else REJECTED

    lines = {
        c.id: Line(c.id, rank, outcome(c.id), position.get(c.id), *reasons.get(c.id, ("", None)))
        for rank, c in enumerate(ranked, start=1)
    }
    return Suggestion(
        selected=[c.id for c in selected],
        waitlist=[c.id for c in waitlist],
        rejected=[c.id for c in rejected],
        lines=lines,
        total_score=sum(c.score for c in selected),
    )


def _reasons(ranked, chosen_ids, rules, capacity) -> dict[int, tuple[str, int | None]]:
    """Reasons for the candidates the plain top-`capacity` ranking does not explain."""
    top = ranked[:capacity]
    top_attributes = [c.attributes for c in top]
    chosen_attributes = [c.attributes for c in ranked if c.id in chosen_ids]
    binding = [
        r
        for r in rules
        if r.minimum is not None
        and (_count(top_attributes, r) < r.minimum or _count(chosen_attributes, r) == r.minimum)
    ]
    full = [r for r in rules if r.maximum is not None and _count(chosen_attributes, r) >= r.maximum]
    left_out = [c for c in top if c.id not in chosen_ids]
    moved_up = [c for c in ranked[capacity:] if c.id in chosen_ids]
    freeing = [r for r in full if any(r.matches(c.attributes) for c in left_out)]
    reasons = {c.id: _left_out_reason(c, full, binding) for c in left_out}
    reasons.update({c.id: _moved_up_reason(c, binding, freeing) for c in moved_up})
    return reasons


def _first(rules, predicate: Callable[[QuotaRule], bool]) -> QuotaRule | None:
    return next((rule for rule in rules if predicate(rule)), None)


def _left_out_reason(candidate, full, binding) -> tuple[str, int | None]:
    rule = _first(full, lambda r: r.matches(candidate.attributes))
    if rule:
        return _("Left out because the rule “%(rule)s” was full.") % {"rule": rule.label}, rule.id
    rule = _first(binding, lambda r: not r.matches(candidate.attributes))
    if rule:
        return _("Left out to make room for the rule “%(rule)s”.") % {"rule": rule.label}, rule.id
    return _("Left out so that all the quota rules hold together."), None


def _moved_up_reason(candidate, binding, freeing) -> tuple[str, int | None]:
    rule = _first(binding, lambda r: r.matches(candidate.attributes))
    if rule:
        return _("Taken to meet the rule “%(rule)s”.") % {"rule": rule.label}, rule.id
    if freeing:
        rule = freeing[0]
        return _("Moved up because the rule “%(rule)s” was full.") % {"rule": rule.label}, rule.id
    return _("Taken so that all the quota rules hold together."), None
