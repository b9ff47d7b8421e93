"""Exact cohort selection under quota rules, explained against the plain score ranking.

The suggestion maximises the total weighted score subject to every quota rule, solved exactly as
a 0-1 integer programme with scipy's HiGHS. Candidates that match the same rules are
interchangeable except for their rank, so only the best `capacity` of each such class (fewer when
the class counts towards a smaller maximum) can ever be chosen: the programme stays small however
many candidates apply, and which rules a candidate matches is worked out once per combination of
attribute values.

Size of the selection: exactly `capacity` when at least that many candidates are given (the quota
rules must allow it, otherwise InfeasibleQuotas); with fewer candidates, as many as the rules allow.
Among selections with equal totals the one whose plain ranks add up to the least wins. The
programme is in selection_solver, the words for problems and reasons in selection_reasons.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from .selection_reasons import conflict_message, count_matching, plain_problems, reasons_for
from .selection_solver import (
    Candidate,
    QuotaRule,
    best_selection,
    class_pool,
    is_feasible,
    plain_ranking,
    rule_signatures,
)

SELECTED, WAITLISTED, REJECTED = "selected", "waitlisted", "rejected"


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


def suggest_selection(
    candidates: Iterable[Candidate],
    rules: Sequence[QuotaRule],
    capacity: int,
    waitlist_length: int = 10,
) -> Suggestion:
    ranked = plain_ranking(candidates)
    signatures = rule_signatures(ranked, rules)  # once: the checks and the pool both need them
    problems = plain_problems(ranked, rules, capacity, signatures)
    if problems:
        raise InfeasibleQuotas(problems)
    pool, ranks, signatures = class_pool(ranked, rules, capacity, signatures)
    chosen = best_selection(pool, ranks, signatures, rules, capacity, fill=len(ranked) >= capacity)
    if chosen is None:
        raise InfeasibleQuotas([conflict_message(ranked, rules, capacity)])
    return _suggestion(ranked, {c.id for c in chosen}, rules, capacity, waitlist_length)


def explain(candidates: Iterable[Candidate], chosen_ids, rules, capacity) -> dict[int, str]:
    """The reasons of a suggestion's lines (``chosen_ids`` selected) in the active language,
    without solving again: candidate id -> reason, for the lines that have one."""
    reasons = reasons_for(plain_ranking(candidates), set(chosen_ids), rules, capacity)
    return {candidate_id: text for candidate_id, (text, _rule) in reasons.items()}


def check_feasibility(
    candidates: Iterable[Candidate], rules: Sequence[QuotaRule], capacity: int
) -> list[str]:
    candidates = list(candidates)
    problems = plain_problems(candidates, rules, capacity)
    if problems or is_feasible(candidates, rules, capacity):
        return problems
    return [conflict_message(candidates, rules, capacity)]


def holds(rule, count) -> bool:
    """Whether ``count`` selected companies matching ``rule`` keep its bounds (any object with
    ``minimum`` and ``maximum``: a ``QuotaRule`` here or the model's)."""
    return (rule.minimum is None or count >= rule.minimum) and (
        rule.maximum is None or count <= rule.maximum
    )


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
    fitting = (c for c in waitlist if fits(c.attributes, selected_attributes, rules))
    candidate = next(fitting, None)
    return (candidate, True) if candidate is not None else (waitlist[0], False)


def fits(attributes, selected_attributes, rules) -> bool:
    def keeps(rule):
        count, hit = count_matching(selected_attributes, rule), rule.matches(attributes)
        over = rule.maximum is not None and count + hit > rule.maximum
        short = rule.minimum is not None and count < rule.minimum and not hit
        return not (over or short)

    return all(keeps(rule) for rule in rules)


def _suggestion(ranked, chosen_ids, rules, capacity, waitlist_length) -> Suggestion:
    selected = [c for c in ranked if c.id in chosen_ids]
    remaining = [c for c in ranked if c.id not in chosen_ids]
    waitlist, rejected = remaining[:waitlist_length], remaining[waitlist_length:]
    reasons = reasons_for(ranked, chosen_ids, rules, capacity)
    position = {c.id: index for index, c in enumerate(waitlist, start=1)}
    outcomes = dict.fromkeys((c.id for c in rejected), REJECTED)
    outcomes.update(dict.fromkeys(position, WAITLISTED))
    outcomes.update(dict.fromkeys(chosen_ids, SELECTED))
    unexplained = ("", None)
    lines = {}
    for rank, candidate in enumerate(ranked, start=1):
        key = candidate.id
        reason, rule_id = reasons.get(key, unexplained)
        lines[key] = Line(key, rank, outcomes[key], position.get(key), reason, rule_id)
    return Suggestion(
        selected=[c.id for c in selected],
        waitlist=[c.id for c in waitlist],
        rejected=[c.id for c in rejected],
        lines=lines,
        total_score=sum(c.score for c in selected),
    )
