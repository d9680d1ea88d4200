"""A handout's pages as images (the web page's preview), drawn by PDFium (pypdfium2,
in the ``web`` extra): the PDF itself, as a viewer shows it, not a second rendering.

PDFium must never be called from two threads at once, not even for two documents (it
crashes the process): every use is under one lock, whatever thread asks.
"""

from __future__ import annotations

import io
import threading

_PDFIUM = threading.Lock()


def page_images(pdf: bytes, width: int) -> list[bytes]:
    """Each page of ``pdf`` as a PNG ``width`` pixels wide."""
    with _PDFIUM:
        return _page_images(pdf, width)


def _page_images(pdf: bytes, width: int) -> list[bytes]:
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    try:
        images = []
        for index in range(len(document)):
            page = document[index]
            scale = width / page.get_width()
            bitmap = page.render(scale=scale)
            out = io.BytesIO()
            bitmap.to_pil().save(out, format="PNG", optimize=False)
            images.append(out.getvalue())
            page.close()
        return images
    finally:
        document.close()
