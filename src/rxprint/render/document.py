"""The page: header and footer, "Page N of M", PDF metadata, and building the PDF.

Headers and footers are drawn in page callbacks; the page count is filled in when the
document is saved (each page's drawing is held until then).
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, PageTemplate, Paragraph

from rxprint import __version__
from rxprint.files.extract import ATTACHMENT
from rxprint.files.images import PreparedImage
from rxprint.files.textsafety import one_line
from rxprint.language.messages import Catalog
from rxprint.library.branding import Branding
from rxprint.library.fonts import FontFamily
from rxprint.render import rlsetup  # noqa: F401  (ReportLab's safe settings, set on import)
from rxprint.render.compat import DeferredPageCanvas, embed_file, set_file_id
from rxprint.render.fonts import RegisteredFamily, default_family, markup, register
from rxprint.render.layout_base import PAPERS, PageGeometry
from rxprint.render.styles import CAUTION, MUTED, SMALL_SIZE, Styles

LARGE_HEADER = 0.9 * 72  # large print: the header band (0.66 in otherwise)
LARGE_FOOTER = 0.55 * 72  # and the footer band (0.4 in)


@dataclass(frozen=True)
class PageInfo:
    """What every page's header and footer show, as plain (untrusted) text."""

    clinic: str
    patient_line: str | None
    date_line: str
    disclaimer: str
    page_label: Callable[[int, int], str]
    contact: str | None = None
    footer_text: str | None = None
    logo: PreparedImage | None = None
    # "When to call: page N" in the footer of the other pages, once the safety box is placed
    safety_pointer: Callable[[int], str] | None = None


def page_setup(paper: str, font: FontFamily | None, *, first_header: bool = True,
               large_print: bool = False) -> tuple[PageGeometry, RegisteredFamily]:
    """The page geometry for ``paper`` and the registered font family (None: the default).
    ``first_header``: page 1 carries the running header too. ``large_print``: taller
    header and footer bands, for their larger type."""
    if paper not in PAPERS:
        raise ValueError(f"unknown paper {paper!r}; expected one of {', '.join(PAPERS)}")
    geometry = (PageGeometry(paper, first_header=first_header) if not large_print else
                PageGeometry(paper, first_header=first_header, header_h=LARGE_HEADER,
                             footer_h=LARGE_FOOTER))
    return geometry, register(font) if font is not None else default_family()


def branded_page_info(branding: Branding, c: Catalog, *, date: dt.date, clinic_default: str,
                      disclaimer: str, patient_line: str | None = None,
                      footer_text: str | None = None) -> PageInfo:
    """The header and footer texts a branding gives, as single lines."""
    return PageInfo(
        clinic=one_line(branding.clinic_name or clinic_default),
        patient_line=patient_line,
        date_line=f"{c.t('handout.date')}: {c.date(date)}",
        disclaimer=one_line(disclaimer),
        page_label=lambda n, total: c.t("handout.page_of", page=n, pages=total),
        contact=one_line(branding.contact_line) if branding.contact_line else None,
        footer_text=one_line(footer_text) if footer_text else None,
        logo=branding.prepared_logo(),
    )


def pdf_date(day: dt.date) -> str:
    return f"D:{day.year:04d}{day.month:02d}{day.day:02d}000000+00'00'"


class HandoutCanvas(DeferredPageCanvas):
    """A canvas that holds every page until saving, so each can say 'Page N of M'."""

    def __init__(self, *args: Any, page_info: PageInfo, doc_date: dt.date,
                 page: PageGeometry, label: ParagraphStyle, bold_font: str,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.page_marks: dict[str, int] = {}  # where marked flowables landed (PageMark)
        self._page_info = page_info
        self._geometry = page
        self._label = label
        self._bold_font = bold_font
        date_text = pdf_date(doc_date)
        self.setDateFormatter(lambda *_: date_text)

    def finish_page(self, number: int, total: int) -> None:
        margin = self._geometry.margin
        label = self._label
        self.saveState()
        self.setFont(label.fontName, label.fontSize)
        self.setFillColor(label.textColor)
        self.drawRightString(self._geometry.size[0] - margin, margin - 2,
                             self._page_info.page_label(number, total))
        safety = self.page_marks.get("safety")
        pointer = self._page_info.safety_pointer
        if pointer is not None and safety is not None and safety != number:
            self.setFont(self._bold_font, label.fontSize)
            self.setFillColor(CAUTION)
            self.drawRightString(self._geometry.size[0] - margin, margin + 14,
                                 pointer(safety))
        self.restoreState()


def _fitted(text: str, style: Any, width: float, family: RegisteredFamily,
            max_lines: int = 1, *, break_words: bool = False) -> tuple[Paragraph, float]:
    """``text`` as a paragraph of at most ``max_lines`` lines ``width`` wide, and its
    height. Longer text keeps its start and ends with an ellipsis: cut at a space when
    that keeps most of what fits, else inside the word; ``break_words``: always inside
    the word (so something of a patient's name always shows). Words too long for a line
    are broken (``splitLongWords``). A binary search over the cut, among no more
    characters than the lines could hold (none is narrower than a fifth of the type
    size): a few short wraps, whatever the length of the text."""

    def wrapped(candidate: str) -> tuple[Paragraph, float]:
        para = Paragraph(markup(candidate, family=family), style)
        return para, float(para.wrap(width, 1000)[1])

    limit = style.leading * max_lines + 0.1
    most = int(max_lines * width / (0.2 * style.fontSize)) + 1
    if len(text) <= most:
        best = wrapped(text)
        if best[1] <= limit:
            return best
    fits, too_long = 0, min(len(text), most)  # the longest prefix that fits: fits..too_long-1
    while too_long - fits > 1:
        middle = (fits + too_long) // 2
        if wrapped(text[:middle].rstrip() + "…")[1] <= limit:
            fits = middle
        else:
            too_long = middle
    cut = fits
    space = text.rfind(" ", 0, fits + 1)
    if not break_words and space >= fits * 2 / 3:
        cut = space
    return wrapped(text[:cut].rstrip() + "…")


def _draw_fitted(canv: Canvas, text: str, style: Any, x: float, top: float,
                 width: float, family: RegisteredFamily, max_lines: int = 1, *,
                 break_words: bool = False) -> float:
    """Draw text (see :func:`_fitted`) as a paragraph whose top edge is at ``top``
    (page 1 has it in full). Returns the height used."""
    para, height = _fitted(text, style, width, family, max_lines, break_words=break_words)
    para.drawOn(canv, x, top - height)
    return height


def _text_width(text: str, style: Any, family: RegisteredFamily) -> float:
    """The printed width of one line of text, fallback glyphs included."""
    para = Paragraph(markup(text, family=family), style)
    para.wrap(100_000, 1_000)
    return float(max(para.getActualLineWidths0(), default=0.0))


RIGHT_SHARE = 0.3  # of the header's width, the least the patient and date block keeps
HEADER_GAP = 14.0  # between the clinic's block and the patient's


def header_widths(available: float, left_need: float, right_need: float,
                  date_need: float = 0.0) -> tuple[float, float]:
    """Split the header's width (less the gap) between the clinic and contact lines (left)
    and the patient and date lines (right). Each takes what it needs when both fit. Else
    the clinic's lines (the branding's, one line each) keep what they need as long as
    the right block keeps its share: RIGHT_SHARE of the width, and room for the date on
    one line; a patient line wider than that wraps to two lines, then is shortened."""
    room = available - HEADER_GAP
    if left_need + right_need <= room:
        right = right_need
    else:
        right = max(room - left_need, min(right_need, max(room * RIGHT_SHARE, date_need)))
    return room - right, right


def page_decorator(info: PageInfo, styles: Styles, page: PageGeometry, *,
                   title_block: bool = False) -> Callable[[Canvas, Any], None]:
    """The onPage callback: logo, clinic and contact line, patient and date, footer.
    ``title_block``: page 1 opens with a title block that names the patient and date, so
    its header leaves them out (and is left out whole when ``page.first_header`` is
    false)."""
    logo = ImageReader(io.BytesIO(info.logo.data)) if info.logo is not None else None
    family = styles.family
    logo_w = 0.0
    if info.logo is not None:
        logo_w = min(2.0 * 72, 0.46 * 72 * info.logo.aspect)
    # the widths the texts need on one line, to share the header's width between them
    patient_need = _text_width(info.patient_line or "", styles.header_right, family) + 4
    date_need = _text_width(info.date_line, styles.header_right, family) + 4
    right_need = max(patient_need, date_need)
    left_need = max(_text_width(info.clinic, styles.header_clinic, family),
                    _text_width(info.contact or "", styles.header_small, family)) + 2
    # a patient line on two lines: the lines close up and the date line shrinks so the
    # three fit the band with 4 points to spare above the rule (2 x 11.5 + 10.5 of 37.5)
    # (large print: the band is taller, the lines as close as their larger type allows)
    patient_two = ParagraphStyle("header_patient_two", parent=styles.header_right,
                                 leading=max(11.5, styles.header_right.fontSize * 1.1))
    date_small = ParagraphStyle("header_date_small", parent=styles.header_right,
                                fontSize=styles.header_small.fontSize,
                                leading=styles.header_small.leading)

    def decorate(canv: Canvas, doc: Any) -> None:
        width = page.size[0]
        margin = page.margin
        inner = width - 2 * margin
        first = title_block and canv.getPageNumber() == 1
        canv.saveState()
        if not first or page.first_header:
            header(canv, first)
        canv.setStrokeColor(MUTED)
        canv.setLineWidth(0.5)
        canv.line(margin, margin + 11, width - margin, margin + 11)
        if info.footer_text:
            # above the rule, its foot where it is at 8.5 pt whatever its size; the right
            # of this line is kept for "When to call your clinician: page N"
            _draw_fitted(canv, info.footer_text, styles.footer, margin,
                         margin + 9.5 + styles.footer.leading, inner * 0.6, family)
        # below the rule, its top fixed: larger type reaches further into the margin (on
        # two lines when it must: large print's 12 pt would otherwise cut it short)
        _draw_fitted(canv, info.disclaimer, styles.disclaimer, margin, margin + 8,
                     inner * 0.78, family,
                     max_lines=2 if styles.disclaimer.fontSize > SMALL_SIZE else 1)
        canv.restoreState()

    def header(canv: Canvas, first: bool) -> None:
        """Logo, clinic and contact line; from page 2 on, patient and date too (page 1
        has them in its title block)."""
        width, height = page.size
        margin = page.margin
        inner = width - 2 * margin
        top = height - margin
        x = margin
        if logo is not None and info.logo is not None:
            logo_h = logo_w / info.logo.aspect
            canv.drawImage(logo, x, top - logo_h + 2, width=logo_w, height=logo_h,
                           mask="auto")
            x += logo_w + 10
        if first:
            left_w, right_w = inner - (x - margin), 0.0
        else:
            left_w, right_w = header_widths(inner - (x - margin), left_need, right_need,
                                            date_need)
        right_x = width - margin - right_w
        used = _draw_fitted(canv, info.clinic, styles.header_clinic, x, top + 2, left_w,
                            family, max_lines=1 if info.contact else 2)
        if info.contact:
            _draw_fitted(canv, info.contact, styles.header_small, x, top + 1 - used, left_w,
                         family)
        if not first:
            y = top + 2
            date_style = styles.header_right
            if info.patient_line is not None:
                # the patient's name is never left out: on two lines when it needs them,
                # then cut inside the word with an ellipsis
                if patient_need <= right_w:
                    para, para_h = _fitted(info.patient_line, styles.header_right,
                                           right_w, family, break_words=True)
                else:
                    para, para_h = _fitted(info.patient_line, patient_two, right_w, family,
                                           max_lines=2, break_words=True)
                    date_style = date_small
                para.drawOn(canv, right_x, y - para_h)
                y -= para_h
            _draw_fitted(canv, info.date_line, date_style, right_x, y, right_w, family)
        canv.setStrokeColor(styles.accent)
        canv.setLineWidth(1.2)
        rule_y = height - margin - page.header_h + 12
        canv.line(margin, rule_y, width - margin, rule_y)

    return decorate


def build_pdf(story: list[Flowable], templates: list[PageTemplate], *, page: PageGeometry,
              info: PageInfo, family: RegisteredFamily, page_label: ParagraphStyle,
              title: str, doc_date: dt.date,
              file_id: bytes | None = None, lang: str | None = None,
              attachment: bytes | None = None) -> tuple[bytes, int]:
    """Lay out ``story`` on pages and return the PDF bytes and the page count.
    ``page_label``: the style of "Page N of M" (its font, size and colour).

    Invariant mode makes the bytes depend only on the inputs; the document date is the
    program date. Metadata carries no patient data: title, creator, nothing else.
    ``file_id``: the PDF's file identifier (the handout's fingerprint), else ReportLab's.
    """
    buffer = io.BytesIO()
    x, y, width, height = page.body
    doc = BaseDocTemplate(
        buffer, pagesize=page.size, invariant=1,
        leftMargin=x, rightMargin=page.size[0] - x - width,
        topMargin=page.size[1] - y - height, bottomMargin=y,
        title=title, author="", subject="", keywords="",
        creator=f"rxprint {__version__}",
        initialFontName=family.normal, initialFontSize=11,  # no unembedded Helvetica
        lang=lang,  # the document's language (/Lang): what a screen reader speaks it in
    )
    doc.addPageTemplates(templates)
    canvases: list[HandoutCanvas] = []

    def make_canvas(*args: Any, **kwargs: Any) -> HandoutCanvas:
        canv = HandoutCanvas(*args, page_info=info, doc_date=doc_date, page=page,
                             label=page_label, bold_font=family.bold, **kwargs)
        if file_id is not None:
            set_file_id(canv, file_id)
        if attachment is not None:  # the program, for rxprint extract
            embed_file(canv, ATTACHMENT, attachment, "The program this handout was made "
                       "from (rxprint extract)")
        canvases.append(canv)
        return canv

    doc.build(story, canvasmaker=make_canvas)
    return buffer.getvalue(), canvases[-1].page_count
