"""Page decoration: the cover band, running header and footer, and "Page N of M"."""

from django.utils.translation import gettext as _

from .styles import MM, PAGE_MARGIN, _colour


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
