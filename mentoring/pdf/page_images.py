"""A plan PDF's pages as PNG images, rendered on the server with PDFium (pypdfium2), for the
lead's sign-off page: the lead sees what the company will get without a PDF viewer."""

import io

PAGE_SCALE = 1.25  # 90 dpi: an A4 page is about 1,030 pixels high
MAX_PAGES = 20  # a plan has a handful of pages; the rest stays in the PDF link


def page_count(content):
    import pypdfium2

    pdf = pypdfium2.PdfDocument(content)
    try:
        return len(pdf)
    finally:
        pdf.close()


def page_png(content, index, scale=PAGE_SCALE):
    """Page ``index`` (0-based) of the PDF bytes ``content`` as PNG bytes; IndexError if the
    PDF has no such page."""
    import pypdfium2

    pdf = pypdfium2.PdfDocument(content)
    try:
        if not 0 <= index < len(pdf):
            raise IndexError(index)
        page = pdf[index]
        image = page.render(scale=scale).to_pil()
        out = io.BytesIO()
        image.save(out, format="PNG", optimize=True)
        return out.getvalue()
    finally:
        pdf.close()
