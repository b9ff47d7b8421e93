"""Server-rendered SVG bar charts (no script, no inline style: the CSP allows both as drawn).

Readable without colour: every bar carries its numbers as text; a second quantity (assigned
reviews, an expert's capacity) is an outlined bar behind the filled one; quota bounds are
ticks labelled "min"/"max", and a rule that fails is marked with a "✗" in its text.
"""

from dataclasses import dataclass, field

from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


@dataclass
class Table:
    """One dashboard section: a titled table (header and rows) that charts draw."""

    key: str
    title: object
    header: list
    rows: list = field(default_factory=list)


ROW, LABEL, BAR, TEXT = 30, 230, 330, 220
TOP = 10  # room above each bar for the min/max labels
WIDTH = LABEL + BAR + TEXT


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    text: str
    outline: float | None = None  # a total the value is part of (drawn as an outline)
    low: float | None = None
    high: float | None = None


def shorten(text, room=30):
    """``text`` cut to about ``room`` Latin letters of width (a CJK character counts two)."""
    text, used = str(text), 0
    for index, char in enumerate(text):
        used += 2 if ord(char) > 0x2E80 else 1
        if used > room:
            return text[:index] + "…"
    return text


def bar_chart(bars, title, key):
    """An SVG of horizontal bars, one per ``Bar``; ``title`` names it for screen readers."""
    scale = max([1] + [v for b in bars for v in (b.value, b.outline, b.low, b.high) if v]) or 1
    height = max(ROW * len(bars), ROW) + 6
    rows = format_html_join("", "{}", ((row(index, bar, scale),) for index, bar in enumerate(bars)))
    return format_html(
        '<svg class="insight-chart" viewBox="0 0 {} {}" width="100%" role="img" '
        'aria-labelledby="{}" xmlns="http://www.w3.org/2000/svg"><title id="{}">{}</title>'
        "{}</svg>",
        WIDTH,
        height,
        f"chart-{key}",
        f"chart-{key}",
        title,
        rows,
    )


def x_of(value, scale):
    return LABEL + round(BAR * (value or 0) / scale, 1)


def row(index, bar, scale):
    y = 4 + index * ROW
    parts = [
        format_html(
            '<text x="{}" y="{}" text-anchor="end" class="insight-label">{}</text>',
            LABEL - 8,
            y + TOP + 13,
            shorten(bar.label),
        )
    ]
    if bar.outline:
        parts.append(
            format_html(
                '<rect x="{}" y="{}" width="{}" height="18" class="insight-outline"/>',
                LABEL,
                y + TOP,
                x_of(bar.outline, scale) - LABEL,
            )
        )
    parts.append(
        format_html(
            '<rect x="{}" y="{}" width="{}" height="18" class="insight-bar"/>',
            LABEL,
            y + TOP,
            max(x_of(bar.value, scale) - LABEL, 0),
        )
    )
    for bound, word in ((bar.low, _("min")), (bar.high, _("max"))):
        if bound is not None:
            parts.append(tick(x_of(bound, scale), y, word))
    parts.append(
        format_html(
            '<text x="{}" y="{}" class="insight-value">{}</text>',
            LABEL + BAR + 8,
            y + TOP + 13,
            bar.text,
        )
    )
    return format_html_join("", "{}", ((part,) for part in parts))


def tick(x, y, word):
    return format_html(
        '<line x1="{}" x2="{}" y1="{}" y2="{}" class="insight-tick"/>'
        '<text x="{}" y="{}" class="insight-tick-label">{}</text>',
        x,
        x,
        y + TOP - 2,
        y + TOP + 20,
        x + 3,
        y + TOP - 2,
        word,
    )


def number(value, suffix=""):
    return "–" if value is None else f"{value}{suffix}"


def funnel_bars(table):
    return [
        Bar(
            label,
            count,
            " · ".join(
                [str(count), number(previous, "%")]
                + ([_("%(days)s days") % {"days": days}] if days is not None else [])
            ),
        )
        for label, count, previous, _applied, days in table.rows
    ]


def composition_bars(table):
    return [
        Bar(
            f"{cohort}: {rule}",
            count,
            f"{count} {'✓' if holds else '✗'}",
            low=low,
            high=high,
        )
        for cohort, rule, count, low, high, holds in table.rows
    ]


def reviewer_bars(table):
    return [
        Bar(name, submitted, f"{submitted} / {assigned} · ± {number(distance)}", outline=assigned)
        for name, assigned, submitted, _open, distance in table.rows
    ]


def expert_bars(table):
    return [
        Bar(
            name,
            lead + support,
            f"{lead + support} / {number(capacity)} · {held} · ★ {number(rating)}",
            outline=capacity,
        )
        for name, lead, support, capacity, held, rating, _count in table.rows
    ]


def overdue_bars(table):
    return [
        Bar(f"{owner} · {kind}", count, str(count)) for owner, kind, count, _oldest in table.rows
    ]


LEGENDS = {
    "funnel": gettext_lazy("companies · per cent of the stage before · median days from it"),
    "composition": gettext_lazy("companies (✓ holds, ✗ fails); ticks mark the minimum and maximum"),
    "reviewers": gettext_lazy(
        "submitted / assigned (outline) · mean distance from the others' median"
    ),
    "experts": gettext_lazy("companies / capacity (outline) · sessions held · mean rating"),
    "overdue": gettext_lazy("overdue items"),
}
BARS = {
    "funnel": funnel_bars,
    "composition": composition_bars,
    "reviewers": reviewer_bars,
    "experts": expert_bars,
    "overdue": overdue_bars,
}


def chart(table):
    """The SVG of a dashboard ``Table``."""
    return bar_chart(BARS[table.key](table), table.title, table.key)
