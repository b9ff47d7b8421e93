"""The IP action plan PDF (DOMAIN.md "Action plan PDF"), rendered with reportlab platypus.

The caller passes plain, already-translated data (PlanDocument); fixed labels are translated here
inside ``translation.override(doc.language)``. All text uses one embedded CJK TrueType font (which
also covers Latin), so Chinese in any field renders in viewers without Chinese fonts installed.
reportlab is imported lazily: importing this module stays cheap.
"""

import os
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from io import BytesIO
from itertools import groupby
from xml.sax.saxutils import escape

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from clinic.dimensions import MAX_MATURITY, Maturity, traffic_light

TTF_FONT_NAME = "WenQuanYi"
CID_FALLBACK_FONT = "STSong-Light"
MM = 72 / 25.4
PAGE_MARGIN = 18 * MM
CONTENT_WIDTH = 210 * MM - 2 * PAGE_MARGIN
PALETTE = {
    "primary": "#0B5D4B",
    "accent": "#2E8B6E",
    "stripe": "#F5F8F7",
    "rule": "#C9D6D1",
    "text": "#1F2A28",
    "muted": "#5F6B68",
    "audit": "#4C6FA8",
    "red": "#D0453C",
    "amber": "#E89B0C",
    "green": "#2E9E5B",
    "grey": "#A5ADAB",
}
SWOT_COLOURS = {
    "strengths": "green",
    "weaknesses": "red",
    "opportunities": "audit",
    "threats": "amber",
}


@dataclass
class DimensionFinding:
    number: int
    name: str
    audit_score: float | None
    expert_score: int | None
    target: int | None
    rationale: str


@dataclass
class ActionLine:
    dimension: str
    policy: str
    title: str
    description: str
    horizon: str
    horizon_order: int
    owner: str
    due_date: date
    cost: str
    kpi: str
    status: str


@dataclass
class SessionLine:
    number: int
    held_on: date
    mode: str
    topics: str
    summary: str
    recommendations: str


@dataclass
class PlanDocument:
    language: str  # "en" or "zh-hans"
    programme: str
    cohort: str
    company_name: str
    company_local_name: str
    profile: list[tuple[str, str]]  # label/value pairs (area, size, region, founded, employees …)
    version: int
    generated_at: datetime
    assessment_date: date
    executive_summary: str
    swot: dict[str, str]  # keys strengths/weaknesses/opportunities/threats
    readiness_percent: float | None
    dimensions: list[DimensionFinding]
    actions: list[ActionLine]
    sessions: list[SessionLine]
    follow_up_dates: list[date]
    expert_names: list[str]
    signed_by: str = ""
    signed_at: datetime | None = None


def render_plan_pdf(doc: PlanDocument) -> bytes:
    """Render one version of an action plan to PDF bytes, labels in ``doc.language``."""
    with translation.override(doc.language):
        return _build(doc)


def cjk_font_name() -> str:
    """Register and return the embedded CJK TrueType font, or the CID fallback if it is missing."""
    path = settings.CJK_FONT_PATH
    if os.path.isfile(path):
        return _register_ttf(path)
    return _register_cid_fallback()


@lru_cache
def _register_ttf(path):
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    pdfmetrics.registerFont(TTFont(TTF_FONT_NAME, path, subfontIndex=0))
    return TTF_FONT_NAME


@lru_cache
def _register_cid_fallback():
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    pdfmetrics.registerFont(UnicodeCIDFont(CID_FALLBACK_FONT))
    return CID_FALLBACK_FONT


# --- document ---------------------------------------------------------------------------------


def _build(doc):
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import SimpleDocTemplate

    font = cjk_font_name()
    buffer = BytesIO()
    template = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=PAGE_MARGIN,
        rightMargin=PAGE_MARGIN,
        topMargin=24 * MM,
        bottomMargin=20 * MM,
        title=f"{_('IP action plan')}: {doc.company_name}",
        author=doc.programme,
        subject=_("%(cohort)s, version %(version)d")
        % {"cohort": doc.cohort, "version": doc.version},
        creator="IP Clinic",
        lang=doc.language,
        initialFontName=font,
    )
    cover, later = _page_painters(doc, font)
    template.build(
        _story(doc, _styles(font, doc.language)),
        onFirstPage=cover,
        onLaterPages=later,
        canvasmaker=_numbered_canvas(font, _("Page %(page)d of %(total)d")),
    )
    return buffer.getvalue()


def _story(doc, st):
    sections = (
        _cover,
        _executive_summary,
        _company_profile,
        _maturity_profile,
        _findings,
        _action_table,
        _session_log,
        _kpis_and_follow_up,
        _sign_off,
    )
    return [flowable for section in sections for flowable in section(doc, st)]


# --- styles and small helpers ----------------------------------------------------------------


def _colour(name):
    from reportlab.lib.colors import HexColor

    return HexColor(PALETTE[name])


def _styles(font, language):
    """Paragraph styles; Chinese plans wrap with CJK line-breaking rules (kinsoku)."""
    from reportlab.lib.colors import white
    from reportlab.lib.styles import ParagraphStyle

    base = ParagraphStyle(
        "body",
        fontName=font,
        bulletFontName=font,
        fontSize=9.5,
        leading=14,
        spaceAfter=4,
        textColor=_colour("text"),
        wordWrap="CJK" if language.startswith("zh") else None,
    )

    def style(name, **kw):
        return ParagraphStyle(name, parent=base, **kw)

    return {
        "body": base,
        "h1": style(
            "h1",
            fontSize=16,
            leading=21,
            textColor=_colour("primary"),
            spaceBefore=14,
            spaceAfter=8,
            keepWithNext=1,
        ),
        "h2": style(
            "h2",
            fontSize=11.5,
            leading=15,
            textColor=_colour("primary"),
            spaceBefore=8,
            spaceAfter=4,
            keepWithNext=1,
        ),
        "cell": style("cell", fontSize=8.5, leading=11.5, spaceAfter=0),
        "head": style("head", fontSize=8.5, leading=11, spaceAfter=0, textColor=white),
        "muted": style("muted", fontSize=8.5, leading=12, spaceAfter=0, textColor=_colour("muted")),
        "cell_muted": style("cell_muted", fontSize=7.5, leading=10, textColor=_colour("muted")),
        "company": style("company", fontSize=24, leading=30, textColor=_colour("primary")),
        "local_name": style("local_name", fontSize=15, leading=20, textColor=_colour("accent")),
        "readiness": style("readiness", fontSize=22, leading=26, textColor=_colour("primary")),
    }


def _text(value):
    """User text made safe for reportlab's paragraph mini-markup; line breaks kept."""
    return escape(value or "").replace("\n", "<br/>")


def _p(value, style):
    from reportlab.platypus import Paragraph

    return Paragraph(_text(value), style)


def _markup(markup, style):
    from reportlab.platypus import Paragraph

    return Paragraph(markup, style)


def _fmt_date(value):
    return value.isoformat() if value else ""


def _fmt_datetime(value):
    return value.strftime("%Y-%m-%d %H:%M") if value else ""


def _fmt_score(value, digits=0):
    return "–" if value is None else f"{value:.{digits}f}"


def _light(score, digits=0):
    """A coloured traffic-light dot followed by the score."""
    colour = PALETTE[traffic_light(score)]
    return f'<font color="{colour}">●</font> {_fmt_score(score, digits)}'


def _heading(text, st):
    return _p(text, st["h1"])


def _table(rows, widths, header=True, extra=()):
    """A grid table with the house style; the header row repeats across pages."""
    from reportlab.platypus import Table, TableStyle

    commands = [
        _font_command(),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, _colour("rule")),
        ("TOPPADDING", (0, 0), (-1, -1), 4),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ("ROWBACKGROUNDS", (0, 1 if header else 0), (-1, -1), [None, _colour("stripe")]),
    ]
    if header:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), _colour("primary")))
    table = Table(
        rows, colWidths=widths, repeatRows=1 if header else 0, splitInRow=1, hAlign="LEFT"
    )
    table.setStyle(TableStyle(commands + list(extra)))
    return table


def _font_command():
    """Table cells default to Helvetica (for plain-string cells): keep the PDF on one font."""
    return ("FONTNAME", (0, 0), (-1, -1), cjk_font_name())


def _header_row(labels, st):
    return [_p(label, st["head"]) for label in labels]


def _none_recorded(st):
    return [_p(_("None recorded."), st["muted"])]


# --- sections ----------------------------------------------------------------------------------


def _cover(doc, st):
    from reportlab.platypus import PageBreak, Spacer

    facts = [
        (_("Programme"), doc.programme),
        (_("Cohort"), doc.cohort),
        (_("Assessment date"), _fmt_date(doc.assessment_date)),
        (_("Plan version"), str(doc.version)),
        (_("Generated"), _fmt_datetime(doc.generated_at)),
        (_("Experts"), ", ".join(doc.expert_names)),
        (_("Status"), _("Signed off") if doc.signed_by else _("Awaiting sign-off")),
    ]
    rows = [[_p(label, st["muted"]), _p(value, st["body"])] for label, value in facts]
    flowables = [Spacer(1, 62 * MM), _p(doc.company_name, st["company"])]
    if doc.company_local_name:
        flowables.append(_p(doc.company_local_name, st["local_name"]))
    flowables += [Spacer(1, 12 * MM), _table(rows, [45 * MM, 110 * MM], header=False)]
    return [*flowables, PageBreak()]


def _executive_summary(doc, st):
    flowables = [_heading(_("Executive summary"), st)]
    if doc.readiness_percent is not None:
        flowables += [
            _p(_("Overall IP readiness"), st["muted"]),
            _p(f"{doc.readiness_percent:.0f}%", st["readiness"]),
        ]
    for paragraph in (doc.executive_summary or "").split("\n\n"):
        if paragraph.strip():
            flowables.append(_p(paragraph.strip(), st["body"]))
    flowables += [_p(_("SWOT analysis"), st["h2"]), _swot(doc.swot, st)]
    return flowables


def _swot(swot, st):
    labels = {
        "strengths": _("Strengths"),
        "weaknesses": _("Weaknesses"),
        "opportunities": _("Opportunities"),
        "threats": _("Threats"),
    }
    cells = {key: _p(swot.get(key, ""), st["cell"]) for key in labels}
    heads = {key: _p(label, st["head"]) for key, label in labels.items()}
    rows = [
        [heads["strengths"], heads["weaknesses"]],
        [cells["strengths"], cells["weaknesses"]],
        [heads["opportunities"], heads["threats"]],
        [cells["opportunities"], cells["threats"]],
    ]
    positions = {
        "strengths": (0, 0),
        "weaknesses": (1, 0),
        "opportunities": (0, 2),
        "threats": (1, 2),
    }
    backgrounds = [
        ("BACKGROUND", position, position, _colour(SWOT_COLOURS[key]))
        for key, position in positions.items()
    ]
    box = ("BOX", (0, 0), (-1, -1), 0.6, _colour("rule"))
    return _table(rows, [CONTENT_WIDTH / 2] * 2, header=False, extra=[*backgrounds, box])


def _company_profile(doc, st):
    pairs = [(_("Company"), doc.company_name)]
    if doc.company_local_name:
        pairs.append((_("Local name"), doc.company_local_name))
    pairs += doc.profile
    rows = [[_p(label, st["muted"]), _p(value, st["body"])] for label, value in pairs]
    return [
        _heading(_("Company profile"), st),
        _table(rows, [50 * MM, CONTENT_WIDTH - 50 * MM], header=False),
    ]


def _maturity_profile(doc, st):
    from reportlab.platypus import PageBreak, Table

    flowables = [PageBreak(), _heading(_("Maturity profile"), st)]
    if not doc.dimensions:
        return flowables + _none_recorded(st)
    chart_width = 80 * MM
    side_by_side = Table(
        [[_radar(doc.dimensions, st["body"].fontName), _maturity_table(doc.dimensions, st)]],
        colWidths=[chart_width, CONTENT_WIDTH - chart_width],
        style=[
            _font_command(),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ],
    )
    scale = ", ".join(str(label) for label in Maturity.labels)
    legend = escape(
        _("Traffic lights: %(red)s 0–1, %(amber)s 2, %(green)s 3–4. Scale: %(scale)s.")
    ) % {
        "red": _light_only("red"),
        "amber": _light_only("amber"),
        "green": _light_only("green"),
        "scale": escape(scale),
    }
    return [*flowables, side_by_side, _markup(legend, st["muted"])]


def _light_only(colour):
    return f'<font color="{PALETTE[colour]}">●</font>'


def _maturity_table(dimensions, st):
    head = _header_row(["#", _("Dimension"), _("Audit"), _("Expert"), _("Target")], st)
    rows = [
        [
            _p(str(finding.number), st["cell"]),
            _p(finding.name, st["cell"]),
            _markup(_light(finding.audit_score, 1), st["cell"]),
            _markup(_light(finding.expert_score), st["cell"]),
            _p(_fmt_score(finding.target), st["cell"]),
        ]
        for finding in dimensions
    ]
    return _table([head, *rows], [8 * MM, 43 * MM, 15 * MM, 15 * MM, 13 * MM])


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


def _findings(doc, st):
    flowables = [_heading(_("Findings per dimension"), st)]
    return flowables + ([_finding(finding, st) for finding in doc.dimensions] or _none_recorded(st))


def _finding(finding, st):
    """One finding; kept on one page when it fits (a split would leave a bare stripe behind)."""
    from reportlab.platypus import KeepTogether, Table

    scores = escape(_("Audit %(audit)s | Expert %(expert)s | Target %(target)s")) % {
        "audit": _light(finding.audit_score, 1),
        "expert": _light(finding.expert_score),
        "target": _fmt_score(finding.target),
    }
    body = [
        _p(f"{finding.number}. {finding.name}", st["h2"]),
        _markup(scores, st["muted"]),
        _p(finding.rationale, st["body"]),
    ]
    stripe = _colour(traffic_light(finding.expert_score))
    table = Table(
        [[body]],
        colWidths=[CONTENT_WIDTH],
        style=[
            _font_command(),
            ("LINEBEFORE", (0, 0), (0, 0), 3, stripe),
            ("LEFTPADDING", (0, 0), (-1, -1), 9),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ],
        spaceAfter=8,
        splitInRow=1,
    )
    return KeepTogether([table])


def _numbered_actions(actions):
    """Actions sorted by horizon (stable: the caller's priority order within one) and numbered."""
    ordered = sorted(actions, key=lambda action: action.horizon_order)
    return list(enumerate(ordered, start=1))


def _action_table(doc, st):
    from reportlab.platypus import PageBreak

    flowables = [PageBreak(), _heading(_("Prioritised action plan"), st)]
    numbered = _numbered_actions(doc.actions)
    if not numbered:
        return flowables + _none_recorded(st)
    labels = ["#", _("Action"), _("Owner"), _("Due date"), _("Cost"), _("Status")]
    widths = [8 * MM, 82 * MM, 22 * MM, 20 * MM, 21 * MM, 21 * MM]
    for (_order, horizon), group in groupby(
        numbered, key=lambda n: (n[1].horizon_order, n[1].horizon)
    ):
        rows = [_action_row(number, action, st) for number, action in group]
        flowables += [_p(horizon, st["h2"]), _table([_header_row(labels, st), *rows], widths)]
    return flowables


def _action_row(number, action, st):
    what = [
        _markup(f'<font color="{PALETTE["primary"]}">{_text(action.title)}</font>', st["cell"]),
        _p(action.description, st["cell"]),
        _p(f"{action.dimension} | {action.policy}", st["cell_muted"]),
    ]
    values = [action.owner, _fmt_date(action.due_date), action.cost, action.status]
    return [_p(str(number), st["cell"]), what] + [_p(value, st["cell"]) for value in values]


def _session_log(doc, st):
    flowables = [_heading(_("Mentoring sessions"), st)]
    if not doc.sessions:
        return flowables + _none_recorded(st)
    labels = ["#", _("Date"), _("Mode"), _("Topics"), _("Summary"), _("Recommendations")]
    rows = [
        [
            _p(value, st["cell"])
            for value in (
                str(s.number),
                _fmt_date(s.held_on),
                s.mode,
                s.topics,
                s.summary,
                s.recommendations,
            )
        ]
        for s in doc.sessions
    ]
    widths = [8 * MM, 20 * MM, 17 * MM, 31 * MM, 49 * MM, 49 * MM]
    return flowables + [_table([_header_row(labels, st), *rows], widths)]


def _kpis_and_follow_up(doc, st):
    flowables = [_heading(_("KPIs and follow-up"), st)]
    rows = [
        [
            _p(str(number), st["cell"]),
            _p(action.title, st["cell"]),
            _p(action.kpi, st["cell"]),
            _p(_fmt_date(action.due_date), st["cell"]),
        ]
        for number, action in _numbered_actions(doc.actions)
        if action.kpi
    ]
    if rows:
        head = _header_row(["#", _("Action"), _("KPI"), _("Due date")], st)
        flowables.append(_table([head, *rows], [8 * MM, 62 * MM, 79 * MM, 25 * MM]))
    else:
        flowables += _none_recorded(st)
    flowables.append(_p(_("Follow-up reviews"), st["h2"]))
    reviews = [
        [_p(_("Review %(number)d") % {"number": n}, st["muted"]), _p(_fmt_date(d), st["body"])]
        for n, d in enumerate(doc.follow_up_dates, start=1)
    ]
    return flowables + (
        [_table(reviews, [50 * MM, 50 * MM], header=False)] if reviews else _none_recorded(st)
    )


def _sign_off(doc, st):
    from reportlab.platypus import KeepTogether

    rows = [
        [_p(_("Signed off by"), st["muted"]), _p(doc.signed_by, st["body"])],
        [_p(_("Date"), st["muted"]), _p(_fmt_datetime(doc.signed_at), st["body"])],
    ]
    lines = [
        ("LINEBELOW", (1, 0), (1, -1), 0.8, _colour("text")),
        ("TOPPADDING", (0, 0), (-1, -1), 14),
    ]
    table = _table(rows, [45 * MM, 80 * MM], header=False, extra=lines)
    return [KeepTogether([_heading(_("Sign-off"), st), table])]


# --- page decoration ---------------------------------------------------------------------------


def _page_painters(doc, font):
    """The cover band, and the running header and footer of the other pages."""
    from reportlab.lib.colors import white

    title = _("IP action plan")

    def cover(canvas, template):
        width, height = template.pagesize
        canvas.saveState()
        canvas.setFillColor(_colour("primary"))
        canvas.rect(0, height - 70 * MM, width, 70 * MM, stroke=0, fill=1)
        canvas.setFillColor(white)
        canvas.setFont(font, 11)
        canvas.drawString(PAGE_MARGIN, height - 22 * MM, doc.programme)
        canvas.setFont(font, 30)
        canvas.drawString(PAGE_MARGIN, height - 48 * MM, title)
        canvas.setFillColor(_colour("accent"))
        canvas.rect(0, height - 72 * MM, width, 2 * MM, stroke=0, fill=1)
        canvas.restoreState()
        _footer(canvas, template, font, doc.programme)

    def later(canvas, template):
        width, height = template.pagesize
        canvas.saveState()
        canvas.setFont(font, 8)
        canvas.setFillColor(_colour("muted"))
        canvas.drawString(PAGE_MARGIN, height - 14 * MM, f"{title} | {doc.company_name}")
        version = _("%(cohort)s | version %(version)d") % {
            "cohort": doc.cohort,
            "version": doc.version,
        }
        canvas.drawRightString(width - PAGE_MARGIN, height - 14 * MM, version)
        canvas.setStrokeColor(_colour("primary"))
        canvas.setLineWidth(0.8)
        canvas.line(PAGE_MARGIN, height - 16 * MM, width - PAGE_MARGIN, height - 16 * MM)
        canvas.restoreState()
        _footer(canvas, template, font, doc.programme)

    return cover, later


def _footer(canvas, template, font, programme):
    width = template.pagesize[0]
    canvas.saveState()
    canvas.setStrokeColor(_colour("rule"))
    canvas.setLineWidth(0.5)
    canvas.line(PAGE_MARGIN, 13 * MM, width - PAGE_MARGIN, 13 * MM)
    canvas.setFont(font, 8)
    canvas.setFillColor(_colour("muted"))
    canvas.drawString(PAGE_MARGIN, 9 * MM, programme)
    canvas.restoreState()


def _numbered_canvas(font, label):
    """A canvas that holds pages back until the end so each can show "Page N of M"."""
    from reportlab.pdfgen.canvas import Canvas

    class NumberedCanvas(Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._held_pages = []

        def showPage(self):
            self._held_pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._held_pages)
            for number, state in enumerate(self._held_pages, start=1):
                self.__dict__.update(state)
                self.setFont(font, 8)
                self.setFillColor(_colour("muted"))
                text = label % {"page": number, "total": total}
                self.drawRightString(self._pagesize[0] - PAGE_MARGIN, 9 * MM, text)
                super().showPage()
            super().save()

    return NumberedCanvas
