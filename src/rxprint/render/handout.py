"""Rendering a handout: a function from a resolved program to PDF bytes.

No global state: safe to call many times in one process (fonts, images and the catalog
are loaded once and shared). The output depends only on the arguments.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..branding import DEFAULT_BRANDING, Branding
from ..fonts import FontFamily, default_family, register
from ..messages import Catalog, catalog
from ..model import Program
from ..textsafety import one_line
from .document import PageInfo, build_pdf, page_decorator
from .layout import PAPERS, Layout, LayoutRequest, PageGeometry
from .layouts import CLASSIC
from .story import StoryBuilder


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


def render_handout(program: Program, *, layout: Layout = CLASSIC, paper: str = "letter",
                   branding: Branding = DEFAULT_BRANDING, font: FontFamily | None = None,
                   messages: Catalog | None = None, pictures: bool = True) -> RenderResult:
    """Render ``program`` as a PDF handout with ``layout``.

    ``font`` is the family the branding names (registered by a plugin); None is the
    default, Atkinson Hyperlegible. ``pictures=False`` leaves out drawings and photos.
    """
    if paper not in PAPERS:
        raise ValueError(f"unknown paper {paper!r}; expected one of {', '.join(PAPERS)}")
    c = messages or catalog("en")
    family = register(font) if font is not None else default_family()
    page = PageGeometry(paper)
    request = LayoutRequest(program=program, branding=branding, paper=paper, catalog=c,
                            family=family, page=page)
    styles = layout.styles(request)
    builder = StoryBuilder(program, c, styles, pictures=pictures)
    story = layout.story(request, builder)
    patient = one_line(program.patient_name) if program.patient_name else None
    info = PageInfo(
        clinic=one_line(branding.clinic_name or c.t("handout.default_clinic")),
        patient_line=f"{c.t('handout.patient')}: {patient}" if patient else None,
        date_line=f"{c.t('handout.date')}: {c.date(program.date)}",
        disclaimer=one_line(branding.disclaimer or c.t("handout.disclaimer")),
        page_label=lambda n, total: c.t("handout.page_of", page=n, pages=total),
        contact=one_line(branding.contact_line) if branding.contact_line else None,
        footer_text=one_line(branding.footer_text) if branding.footer_text else None,
        logo=branding.prepared_logo(),
    )
    templates = layout.page_templates(request, page_decorator(info, styles, page))
    pdf, pages = build_pdf(story, templates, page=page, info=info, family=family,
                           title=c.t("handout.document_title"), doc_date=program.date)
    return RenderResult(pdf=pdf, pages=pages, missing_glyphs=builder.glyphs.missing,
                        fallback_glyphs=builder.glyphs.fallback)
