"""The IP action plan PDF (DOMAIN.md "Action plan PDF"), rendered with reportlab platypus.

The caller passes plain, already-translated data (PlanDocument); fixed labels are translated here
inside ``translation.override(doc.language)``. All text uses one embedded CJK TrueType font (which
also covers Latin), so Chinese in any field renders in viewers without Chinese fonts installed.
reportlab is imported lazily: importing this module stays cheap.
"""

from io import BytesIO

from django.utils import translation
from django.utils.translation import gettext as _

from .document import ActionLine, DimensionFinding, PlanDocument, SessionLine
from .fonts import cjk_font_name
from .pages import _numbered_canvas, _page_painters
from .sections import _story
from .styles import MM, PAGE_MARGIN, _styles

__all__ = [
    "ActionLine",
    "DimensionFinding",
    "PlanDocument",
    "SessionLine",
    "cjk_font_name",
    "render_plan_pdf",
]


def render_plan_pdf(doc: PlanDocument) -> bytes:
    """Render one version of an action plan to PDF bytes, labels in ``doc.language``."""
    with translation.override(doc.language):
        return _build(doc)


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
