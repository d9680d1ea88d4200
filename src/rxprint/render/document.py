"""The page: paper sizes, margins, header and footer, "Page N of M", PDF metadata.

Headers and footers are drawn in page callbacks; the page count is filled in when the
document is saved (each page's drawing is held until then).
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.units import inch
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Paragraph

from .. import __version__
from ..fonts import BODY, markup
from .styles import MUTED, Styles

PAPERS: dict[str, tuple[float, float]] = {"letter": LETTER, "a4": A4}
MARGIN = 0.5 * inch
HEADER_H = 0.66 * inch
FOOTER_H = 0.4 * inch


@dataclass(frozen=True)
class PageInfo:
    """What every page's header and footer show, as plain (untrusted) text."""

    clinic: str
    patient_line: str | None
    date_line: str
    disclaimer: str
    page_label: Callable[[int, int], str]


def pdf_date(day: dt.date) -> str:
    return f"D:{day.year:04d}{day.month:02d}{day.day:02d}000000+00'00'"


class HandoutCanvas(Canvas):
    """A canvas that holds every page until saving, so each can say 'Page N of M'."""

    def __init__(self, *args: Any, page_info: PageInfo, doc_date: dt.date,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._held: list[dict[str, Any]] = []
        self._page_info = page_info
        date_text = pdf_date(doc_date)
        self.setDateFormatter(lambda *_: date_text)

    def showPage(self) -> None:
        self._held.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._held)
        for state in self._held:
            self.__dict__.update(state)
            self.saveState()
            self.setFont(BODY, 8.5)
            self.setFillColor(MUTED)
            width = self._pagesize[0]
            self.drawRightString(width - MARGIN, MARGIN - 2,
                                 self._page_info.page_label(self._pageNumber, total))
            self.restoreState()
            super().showPage()
        super().save()

    @property
    def page_count(self) -> int:
        return len(self._held)


def _draw_fitted(canv: Canvas, text: str, style: Any, x: float, top: float,
                 width: float, max_lines: int = 1) -> None:
    """Draw text as a paragraph whose top edge is at ``top``; text too long for
    ``max_lines`` is cut at a word boundary with an ellipsis (page 1 has it in full)."""
    para = Paragraph(markup(text), style)
    _, height = para.wrap(width, 1000)
    words = text.split(" ")
    while height > style.leading * max_lines + 0.1 and len(words) > 1:
        words = words[:-1]
        para = Paragraph(markup(" ".join(words) + " …"), style)
        _, height = para.wrap(width, 1000)
    para.drawOn(canv, x, top - height)


def page_decorator(info: PageInfo, styles: Styles) -> Callable[[Canvas, Any], None]:
    """The onPage callback: header band and footer rule with the disclaimer."""

    def decorate(canv: Canvas, doc: Any) -> None:
        width, height = doc.pagesize
        inner = width - 2 * MARGIN
        top = height - MARGIN
        canv.saveState()
        _draw_fitted(canv, info.clinic, styles.header_clinic, MARGIN, top + 2, inner * 0.5,
                     max_lines=2)
        right_x = MARGIN + inner * 0.45
        right_w = inner * 0.55
        y = top + 1
        if info.patient_line is not None:
            _draw_fitted(canv, info.patient_line, styles.header_right, right_x, y, right_w)
            y -= styles.header_right.leading
        _draw_fitted(canv, info.date_line, styles.header_right, right_x, y, right_w)
        canv.setStrokeColor(styles.accent)
        canv.setLineWidth(1.2)
        rule_y = height - MARGIN - HEADER_H + 12
        canv.line(MARGIN, rule_y, width - MARGIN, rule_y)
        canv.setStrokeColor(MUTED)
        canv.setLineWidth(0.5)
        canv.line(MARGIN, MARGIN + 11, width - MARGIN, MARGIN + 11)
        _draw_fitted(canv, info.disclaimer, styles.footer, MARGIN, MARGIN + 8, inner * 0.78)
        canv.restoreState()

    return decorate


def build_pdf(story: list[Flowable], *, paper: str, info: PageInfo, styles: Styles,
              title: str, doc_date: dt.date) -> tuple[bytes, int]:
    """Lay out ``story`` on pages and return the PDF bytes and the page count.

    Invariant mode makes the bytes depend only on the inputs; the document date is the
    program date. Metadata carries no patient data: title, creator, nothing else.
    """
    pagesize = PAPERS[paper]
    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer, pagesize=pagesize, invariant=1,
        leftMargin=MARGIN, rightMargin=MARGIN,
        topMargin=MARGIN + HEADER_H, bottomMargin=MARGIN + FOOTER_H,
        title=title, author="", subject="", keywords="",
        creator=f"rxprint {__version__}",
        initialFontName=BODY, initialFontSize=11,  # no unembedded Helvetica anywhere
    )
    frame = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="body",
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame],
                                       onPage=page_decorator(info, styles))])
    canvases: list[HandoutCanvas] = []

    def make_canvas(*args: Any, **kwargs: Any) -> HandoutCanvas:
        canv = HandoutCanvas(*args, page_info=info, doc_date=doc_date, **kwargs)
        canvases.append(canv)
        return canv

    doc.build(story, canvasmaker=make_canvas)
    return buffer.getvalue(), canvases[-1].page_count
