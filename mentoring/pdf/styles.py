"""Page geometry, colours, paragraph styles and the small helpers every section uses."""

from xml.sax.saxutils import escape

from django.utils.translation import gettext as _

from clinic.dimensions import traffic_light

from .fonts import cjk_font_name

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
