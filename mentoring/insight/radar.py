"""A company's IP maturity radar as server-rendered SVG: audit → assessment → 12 months.

Told apart without colour: each series has its own line (dashed, dotted, solid) and marker
(circle, square, triangle), named in the legend; the numbers are in the table beside it.
"""

import math

from django.utils.html import format_html, format_html_join

from clinic.dimensions import MAX_MATURITY, Dimension

from .impact import POINT_LABELS, POINTS

CX, CY, R = 230, 200, 150
MARKERS = {"audit": "circle", "assessment": "square", "twelve": "triangle"}


def corner(index, level, count):
    angle = -math.pi / 2 + 2 * math.pi * index / count
    distance = R * (level or 0) / MAX_MATURITY
    return round(CX + distance * math.cos(angle), 1), round(CY + distance * math.sin(angle), 1)


def marker(kind, x, y):
    if kind == "circle":
        return format_html('<circle cx="{}" cy="{}" r="4"/>', x, y)
    if kind == "square":
        return format_html('<rect x="{}" y="{}" width="8" height="8"/>', x - 4, y - 4)
    return format_html('<path d="M{} {} l5 8 h-10 z"/>', x, y - 5)


def grid(count):
    rings = format_html_join(
        "",
        '<circle cx="{}" cy="{}" r="{}" class="radar-grid"/>',
        ((CX, CY, R * level / MAX_MATURITY) for level in range(1, MAX_MATURITY + 1)),
    )
    spokes = []
    for index in range(count):
        x, y = corner(index, MAX_MATURITY, count)
        lx, ly = corner(index, MAX_MATURITY + 0.5, count)
        spokes.append(
            format_html(
                '<line x1="{}" y1="{}" x2="{}" y2="{}" class="radar-grid"/>'
                '<text x="{}" y="{}" text-anchor="middle" class="radar-axis">{}</text>',
                CX,
                CY,
                x,
                y,
                lx,
                ly + 4,
                index + 1,
            )
        )
    return rings + format_html_join("", "{}", ((s,) for s in spokes))


def series(point, levels, count):
    corners = [corner(i, levels.get(d), count) for i, d in enumerate(Dimension.values)]
    markers = format_html_join(
        "",
        "{}",
        (
            (marker(MARKERS[point], x, y),)
            for (x, y), d in zip(corners, Dimension.values, strict=True)
            if levels.get(d) is not None
        ),
    )
    return format_html(
        '<g class="radar-{}"><polygon points="{}"/>{}</g>',
        point,
        " ".join(f"{x},{y}" for x, y in corners),
        markers,
    )


def legend(points):
    items = []
    for index, point in enumerate(points):
        y = 20 + index * 22
        items.append(
            format_html(
                '<g class="radar-{}"><line x1="470" x2="510" y1="{}" y2="{}"/>{}</g>'
                '<text x="518" y="{}" class="radar-legend">{}</text>',
                point,
                y,
                y,
                marker(MARKERS[point], 490, y),
                y + 4,
                POINT_LABELS[point],
            )
        )
    return format_html_join("", "{}", ((item,) for item in items))


def radar(company, title):
    """The SVG radar of a ``impact.Company``; series without any level are left out."""
    count = len(Dimension.values)
    points = [p for p in POINTS if any(v is not None for v in company.levels[p].values())]
    body = format_html_join("", "{}", ((series(p, company.levels[p], count),) for p in points))
    return format_html(
        '<svg class="insight-radar" viewBox="0 0 720 400" width="100%" role="img" '
        'aria-labelledby="radar-title" xmlns="http://www.w3.org/2000/svg">'
        '<title id="radar-title">{}</title>{}{}{}</svg>',
        title,
        grid(count),
        body,
        legend(points),
    )
