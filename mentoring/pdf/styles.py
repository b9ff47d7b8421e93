"""Page geometry, colours, paragraph styles and the small helpers every section uses."""

import re
from functools import lru_cache
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
# Chinese characters and punctuation: a paragraph holding them wraps with CJK rules in any plan.
CJK_TEXT = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")


def _colour(name):
    from reportlab.lib.colors import HexColor

    return HexColor(PALETTE[name])


@lru_cache
def _styles(font, language):
    """Paragraph styles (made once per font and language); Chinese plans wrap with CJK
    line-breaking rules (kinsoku)."""
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
    return _markup(_text(value), style)


def _markup(markup, style):
    """A paragraph; Chinese text in an English plan (user input) wraps with CJK rules too, so
    that no line starts with a full stop or comma."""
    if style.wordWrap != "CJK" and CJK_TEXT.search(markup):
        style = _cjk_style(style)
    return _paragraph_class()(markup, style)


@lru_cache
def _paragraph_class():
    from reportlab.platypus import Paragraph

    class WrapOnce(Paragraph):
        """A Paragraph that breaks its lines once per width: tables measure each cell, then
        wrap it again to draw it, and KeepTogether measures first; the lines (and so the
        height) depend on the width alone."""

        _wrapped = (None, None)  # (width, the size wrap answered for it)

        def wrap(self, availWidth, availHeight):
            width, size = self._wrapped
            if width != availWidth:
                size = super().wrap(availWidth, availHeight)
                self._wrapped = (availWidth, size)
            return size

    return WrapOnce


@lru_cache
def _cjk_style(style):
    from reportlab.lib.styles import ParagraphStyle

    return ParagraphStyle(f"{style.name}_cjk", parent=style, wordWrap="CJK")


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


CELL_PADDING = 4


def _table(rows, widths, styles, header=True, extra=()):
    """A grid table with the house style; the header row repeats across pages.

    ``styles`` gives each column's paragraph style (the header row uses the "head" style of the
    same font). A text cell that fits on one line stays a plain string drawn in its column's
    style (nothing for the paragraph parser); longer text becomes a Paragraph; flowables pass.
    """
    from reportlab.platypus import Table, TableStyle

    head = _head_style(styles[0])
    cells = [
        [_cell(value, head if header and i == 0 else style, width)
         for value, style, width in zip(row, styles, widths, strict=True)]
        for i, row in enumerate(rows)
    ]  # fmt: skip
    commands = [
        *_text_commands(styles, head if header else None),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, _colour("rule")),
        ("TOPPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("BOTTOMPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("ROWBACKGROUNDS", (0, 1 if header else 0), (-1, -1), [None, _colour("stripe")]),
    ]
    if header:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), _colour("primary")))
    table = Table(
        cells, colWidths=widths, repeatRows=1 if header else 0, splitInRow=1, hAlign="LEFT"
    )
    table.setStyle(TableStyle(commands + list(extra)))
    return table


def _cell(value, style, width):
    """A plain string when ``value`` is text that fits on one line, else a Paragraph."""
    if not isinstance(value, str):
        return value
    from reportlab.pdfbase.pdfmetrics import stringWidth

    room = width - 2 * CELL_PADDING
    if "\n" in value or stringWidth(value, style.fontName, style.fontSize) > room:
        return _p(value, style)
    return value


def _text_commands(styles, head):
    """Font, size, leading and colour of plain-string cells, per column and for the header."""
    commands = [("FONTNAME", (0, 0), (-1, -1), styles[0].fontName)]
    for column, style in enumerate(styles):
        commands += _style_commands(style, (column, 0), (column, -1))
    if head is not None:
        commands += _style_commands(head, (0, 0), (-1, 0))
    return commands


def _style_commands(style, start, end):
    return [
        ("FONTSIZE", start, end, style.fontSize),
        ("LEADING", start, end, style.leading),
        ("TEXTCOLOR", start, end, style.textColor),
    ]


@lru_cache
def _head_style(style):
    from reportlab.lib.colors import white
    from reportlab.lib.styles import ParagraphStyle

    return ParagraphStyle(
        "head", parent=style, fontSize=8.5, leading=11, spaceAfter=0, textColor=white
    )


def _font_command():
    """Table cells default to Helvetica (for plain-string cells): keep the PDF on one font."""
    return ("FONTNAME", (0, 0), (-1, -1), cjk_font_name())


def _none_recorded(st):
    return [_p(_("None recorded."), st["muted"])]
