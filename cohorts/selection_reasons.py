"""Words for a selection: why quota rules cannot hold (each cause naming its rules) and why a
candidate was left out of or moved into the plain top of the ranking.
"""

from collections import Counter, defaultdict
from collections.abc import Callable
from operator import methodcaller

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .selection_solver import QuotaRule, is_feasible, rule_signatures


def count_matching(attributes_list, rule: QuotaRule) -> int:
    return sum(rule.matches(a) for a in attributes_list)


def _names(rules) -> str:
    return ", ".join(f"“{rule.label}”" for rule in rules)


def plain_problems(candidates, rules, capacity, signatures=None) -> list[str]:
    return [
        *_inverted_bounds(rules),
        *_minimums_over_capacity(rules, capacity),
        *_minimums_over_group(signatures or rule_signatures(candidates, rules), rules),
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
    attributes = [c.attributes for c in candidates]
    for dimension, dimension_rules in _by_dimension(rules, "maximum").items():
        counts = Counter(map(methodcaller("get", dimension), attributes))
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


def conflict_message(candidates, rules, capacity) -> str:
    """Name an irreducible set of rules that cannot hold together (deletion filter)."""
    conflict = list(rules)
    for rule in rules:
        trial = [r for r in conflict if r is not rule]
        if not is_feasible(candidates, trial, capacity):
            conflict = trial
    return ngettext(
        "The rule %(rules)s cannot be met with a capacity of %(capacity)d.",
        "The rules %(rules)s cannot all be met together with a capacity of %(capacity)d.",
        len(conflict),
    ) % {"rules": _names(conflict), "capacity": capacity}


def reasons_for(ranked, chosen_ids, rules, capacity) -> dict[int, tuple[str, int | None]]:
    """Reasons for the candidates the plain top-`capacity` ranking does not explain."""
    top = ranked[:capacity]
    top_attributes = [c.attributes for c in top]
    chosen_attributes = [c.attributes for c in ranked if c.id in chosen_ids]
    binding = [
        r
        for r in rules
        if r.minimum is not None
        and (
            count_matching(top_attributes, r) < r.minimum
            or count_matching(chosen_attributes, r) == r.minimum
        )
    ]
    full = [
        r
        for r in rules
        if r.maximum is not None and count_matching(chosen_attributes, r) >= r.maximum
    ]
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
