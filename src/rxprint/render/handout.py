"""Rendering a handout: a function from a resolved program to PDF bytes.

No global state: safe to call many times in one process (fonts, images and the catalog
are loaded once and shared). The output depends only on the arguments.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from rxprint.files.textsafety import one_line
from rxprint.language.messages import Catalog, catalog
from rxprint.library.branding import DEFAULT_BRANDING, Branding
from rxprint.library.model import Program
from rxprint.render.builtin_layouts import CLASSIC
from rxprint.render.document import branded_page_info, build_pdf, page_decorator, page_setup
from rxprint.render.fonts import FontFamily
from rxprint.render.layout_base import Layout, LayoutRequest
from rxprint.render.story import StoryBuilder


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
                   messages: Catalog | None = None, pictures: bool = True,
                   file_id: bytes | None = None) -> RenderResult:
    """Render ``program`` as a PDF handout with ``layout``.

    ``font`` is the family the branding names (registered by a plugin); None is the
    default, Atkinson Hyperlegible. ``pictures=False`` leaves out drawings and photos.
    ``file_id``: the PDF's file identifier, the handout's fingerprint
    (:meth:`rxprint.app.App.fingerprint`).
    """
    c = messages or catalog("en")
    page, family = page_setup(paper, font, first_header=branding.has_identity
                              or not layout.title_block)
    request = LayoutRequest(program=program, branding=branding, paper=paper, catalog=c,
                            family=family, page=page)
    styles = layout.styles(request)
    builder = StoryBuilder(program, c, styles, pictures=pictures, branding=branding)
    story = layout.story(request, builder)
    patient = one_line(program.patient_name) if program.patient_name else None
    info = branded_page_info(
        branding, c, date=program.date, clinic_default=c.t("handout.default_clinic"),
        disclaimer=branding.disclaimer or c.t("handout.disclaimer"),
        patient_line=f"{c.t('handout.patient')}: {patient}" if patient else None,
        footer_text=branding.footer_text)
    info = replace(info, safety_pointer=lambda page: c.t("safety.pointer", page=page))
    templates = layout.page_templates(
        request, page_decorator(info, styles, page, title_block=layout.title_block))
    pdf, pages = build_pdf(story, templates, page=page, info=info, family=family,
                           title=c.t("handout.document_title"), doc_date=program.date,
                           file_id=file_id)
    return RenderResult(pdf=pdf, pages=pages, missing_glyphs=builder.glyphs.missing,
                        fallback_glyphs=builder.glyphs.fallback)
