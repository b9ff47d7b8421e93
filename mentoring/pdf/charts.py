"""The maturity radar chart: audit vs expert scores on the fixed maturity scale."""

from functools import lru_cache

from django.utils.translation import gettext as _

from clinic.dimensions import MAX_MATURITY

from .styles import MM, _colour


def _radar(dimensions, font):
    """Audit vs expert maturity on the fixed 0..MAX_MATURITY scale, spokes numbered by dimension."""
    from reportlab.graphics.shapes import Drawing

    size = 66 * MM
    drawing = Drawing(78 * MM, size + 24 * MM, initialFontName=font)
    chart = _spider_class()()
    chart.x, chart.y, chart.width, chart.height = 6 * MM, 16 * MM, size, size
    chart.data = [
        [finding.audit_score or 0 for finding in dimensions],
        [finding.expert_score or 0 for finding in dimensions],
    ]
    chart.labels = [str(finding.number) for finding in dimensions]
    chart.spokeLabels.fontName = font
    chart.spokeLabels.fontSize = 8
    chart.spokes.strokeColor = _colour("rule")
    _style_strands(chart)
    for shape in _rings(chart, len(dimensions), font):
        drawing.add(shape)
    drawing.add(chart)
    for shape in _radar_legend(font):
        drawing.add(shape)
    return drawing


@lru_cache
def _spider_class():
    from reportlab.graphics.charts.spider import SpiderChart

    class FixedScaleSpiderChart(SpiderChart):
        """SpiderChart scales to the data maximum; maturity needs the fixed 0..4 scale."""

        def normalizeData(self, outer=0.0):
            self._norm = MAX_MATURITY
            return [[value / MAX_MATURITY for value in row] for row in self.data]

    return FixedScaleSpiderChart


def _style_strands(chart):
    from reportlab.lib.colors import Color

    for index, name in enumerate(("audit", "primary")):
        colour = _colour(name)
        chart.strands[index].strokeColor = colour
        chart.strands[index].strokeWidth = 1.4
        chart.strands[index].fillColor = Color(colour.red, colour.green, colour.blue, alpha=0.18)
    chart.strands[0].strokeDashArray = (3, 2)


def _rings(chart, count, font):
    """Grey polygons at each maturity level, labelled along the first spoke."""
    from math import cos, pi, sin

    from reportlab.graphics.shapes import Polygon, String

    radius = chart.width / 2
    cx, cy = chart.x + radius, chart.y + radius
    angles = [pi / 2 - 2 * pi * i / count for i in range(count)]
    shapes = []
    for level in range(1, MAX_MATURITY + 1):
        r = radius * level / MAX_MATURITY
        points = [coord for a in angles for coord in (cx + r * cos(a), cy + r * sin(a))]
        shapes.append(Polygon(points, fillColor=None, strokeColor=_colour("rule"), strokeWidth=0.5))
        shapes.append(
            String(
                cx + 2,
                cy + r - 7,
                str(level),
                fontName=font,
                fontSize=6,
                fillColor=_colour("muted"),
            )
        )
    return shapes


def _radar_legend(font):
    from reportlab.graphics.shapes import Line, String

    shapes = []
    entries = (
        (_("Self-assessment (audit)"), "audit", (3, 2)),
        (_("Expert assessment"), "primary", None),
    )
    for row, (label, colour, dash) in enumerate(entries):
        y = 8 * MM - row * 5 * MM
        shapes.append(
            Line(
                6 * MM,
                y + 2.5,
                14 * MM,
                y + 2.5,
                strokeColor=_colour(colour),
                strokeWidth=1.6,
                strokeDashArray=dash,
            )
        )
        shapes.append(
            String(16 * MM, y, label, fontName=font, fontSize=8, fillColor=_colour("text"))
        )
    return shapes
