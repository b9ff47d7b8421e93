"""What the proposal and roster pages show of a selection against its quota rules: a bar per
rule and the spread over each dimension."""

from .. import selection


def composition(rules, attributes):
    """Per quota rule: how many of ``attributes`` it counts, whether its bounds hold, and bar
    widths (percent of the largest of count, minimum and maximum)."""
    lines = []
    for rule in rules:
        count = sum(a.get(rule.dimension) == rule.match_value for a in attributes)
        scale = max(count, rule.minimum or 0, rule.maximum or 0, 1)
        lines.append(
            {
                "rule": rule,
                "count": count,
                "ok": selection.holds(rule, count),
                "width": round(100 * count / scale),
                "min_at": round(100 * rule.minimum / scale) if rule.minimum is not None else None,
                "max_at": round(100 * rule.maximum / scale) if rule.maximum is not None else None,
            }
        )
    return lines


def distribution(attributes, dimension, labels):
    """(label, count, percent) per value of ``dimension``, largest first."""
    counts = {}
    for item in attributes:
        counts[item.get(dimension)] = counts.get(item.get(dimension), 0) + 1
    total = max(len(attributes), 1)
    return [
        (labels.get(value, value or "–"), count, round(100 * count / total))
        for value, count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0] or ""))
    ]
