"""Rendering a handout: a function from a resolved program to PDF bytes.

No global state: safe to call many times in one process (fonts and the catalog are loaded
once and shared). The output depends only on the arguments.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..branding import DEFAULT_BRANDING, Branding
from ..messages import Catalog, catalog
from ..model import Program
from ..textsafety import one_line
from .document import PAPERS, PageInfo, build_pdf
from .story import StoryBuilder
from .styles import build_styles


@dataclass(frozen=True)
class RenderResult:
    pdf: bytes
    pages: int
    missing_glyphs: int  # characters no font has (printed as "?")
    fallback_glyphs: int  # characters set in the fallback font

    def warnings(self) -> list[str]:
        if not self.missing_glyphs:
            return []
        n = self.missing_glyphs
        return [f"{n} character{'s' if n != 1 else ''} in the handout text "
                f"{'have' if n != 1 else 'has'} no glyph in the handout fonts "
                '(emoji or CJK, for example) and printed as "?"']


def render_handout(program: Program, *, paper: str = "letter",
                   branding: Branding = DEFAULT_BRANDING,
                   messages: Catalog | None = None) -> RenderResult:
    """Render ``program`` as a PDF handout."""
    if paper not in PAPERS:
        raise ValueError(f"unknown paper {paper!r}; expected one of {', '.join(PAPERS)}")
    c = messages or catalog("en")
    styles = build_styles(branding)
    builder = StoryBuilder(program, c, styles)
    story = builder.story()
    patient = one_line(program.patient_name) if program.patient_name else None
    info = PageInfo(
        clinic=one_line(branding.clinic_name or c.t("handout.default_clinic")),
        patient_line=f"{c.t('handout.patient')}: {patient}" if patient else None,
        date_line=f"{c.t('handout.date')}: {c.date(program.date)}",
        disclaimer=one_line(branding.disclaimer or c.t("handout.disclaimer")),
        page_label=lambda page, pages: c.t("handout.page_of", page=page, pages=pages),
    )
    pdf, pages = build_pdf(story, paper=paper, info=info, styles=styles,
                           title=c.t("handout.document_title"), doc_date=program.date)
    return RenderResult(pdf=pdf, pages=pages, missing_glyphs=builder.glyphs.missing,
                        fallback_glyphs=builder.glyphs.fallback)
