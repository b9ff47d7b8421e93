"""A plan PDF's pages as PNG images, rendered on the server with PDFium (pypdfium2), for the
lead's sign-off page: the lead sees what the company will get without a PDF viewer.

PDFium is not thread-safe, not even across documents: two threads inside it crash the process
(the sign-off page's images load in parallel on a threaded server). Every PDFium call holds
``PDFIUM``, the PNG encoding too (the image shares the bitmap's memory)."""

import io
import threading

PAGE_SCALE = 1.25  # 90 dpi: an A4 page is about 1,030 pixels high
MAX_PAGES = 20  # a plan has a handful of pages; the rest stays in the PDF link
PDFIUM = threading.Lock()


def page_count(content):
    import pypdfium2

    with PDFIUM:
        pdf = pypdfium2.PdfDocument(content)
        try:
            return len(pdf)
        finally:
            pdf.close()


def page_png(content, index, scale=PAGE_SCALE):
    """Page ``index`` (0-based) of the PDF bytes ``content`` as PNG bytes; IndexError if the
    PDF has no such page."""
    import pypdfium2

    with PDFIUM:
        pdf = pypdfium2.PdfDocument(content)
        try:
            if not 0 <= index < len(pdf):
                raise IndexError(index)
            page = pdf[index]
            bitmap = page.render(scale=scale)
            out = io.BytesIO()
            bitmap.to_pil().save(out, format="PNG", optimize=True)
            bitmap.close()  # freed here, under the lock, not by a later garbage collection
            page.close()
            return out.getvalue()
        finally:
            pdf.close()
