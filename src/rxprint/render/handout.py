"""Rendering a handout: a function from a resolved program to PDF bytes.

No global state: safe to call many times in one process (fonts, images and the catalog
are loaded once and shared). The output depends only on the arguments.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TypeVar

from reportlab.platypus import Flowable, PageTemplate

from rxprint.errors import RxprintError
from rxprint.files.textsafety import one_line
from rxprint.language.messages import Catalog, catalog
from rxprint.library.branding import DEFAULT_BRANDING, Branding
from rxprint.library.fonts import FontFamily
from rxprint.library.model import Program
from rxprint.render.builtin_layouts import CLASSIC
from rxprint.render.document import branded_page_info, build_pdf, page_decorator, page_setup
from rxprint.render.layout_base import Layout, LayoutRequest
from rxprint.render.story import StoryBuilder
from rxprint.render.styles import Styles, large_print_problem
from rxprint.runtime.interrupt import is_real

T = TypeVar("T")


class LayoutError(Exception):
    """A layout's ``styles``, ``story`` or ``page_templates`` raised (the exception is
    this one's ``__cause__``; ``problem`` is None) or returned what it must not
    (``problem`` says what, without quoting it: it may hold patient details).
    ``method`` names the method. Flowables that fail later, while the pages are laid out,
    raise their own exceptions."""

    def __init__(self, method: str, problem: str | None = None) -> None:
        super().__init__(f"{method}: {problem}" if problem else method)
        self.method = method
        self.problem = problem


def _called(method: str, call: Callable[[], T]) -> T:
    """``call()``, a layout's ``method``; whatever it raises, as a LayoutError (an
    rxprint error or a real interrupt of this process excepted: they go on as they are)."""
    try:
        return call()
    except BaseException as exc:  # also SystemExit, GeneratorExit... from a layout
        if isinstance(exc, RxprintError) or is_real(exc):
            raise
        raise LayoutError(method) from exc


def _kind(value: object) -> str:
    """What ``value`` is, by its type's name only (its text may be patient data)."""
    if value is None:
        return "None"
    name = type(value).__name__
    return f"an {name}" if name[:1].lower() in "aeiou" else f"a {name}"


def check_styles(styles: object, *, large_print: bool = False) -> Styles:
    if not isinstance(styles, Styles):
        raise LayoutError("styles", f"it returned {_kind(styles)}, not a Styles (make one "
                          "with build_styles(request.branding, request.family, ...))")
    problem = large_print_problem(styles) if large_print else None
    if problem is not None:
        raise LayoutError("styles", f"the handout is in large print, but {problem} (make "
                          "them with build_styles(..., large_print=request.large_print))")
    return styles


def check_story(story: object) -> list[Flowable]:
    """``story`` if it is a flat list of flowables, else a LayoutError that says which
    element is not a flowable."""
    if not isinstance(story, list):
        raise LayoutError("story", f"it returned {_kind(story)}, not a list of flowables")
    for index, element in enumerate(story):
        if isinstance(element, Flowable):
            continue
        problem = f"element [{index}] of the list it returned is {_kind(element)}, not a flowable"
        if isinstance(element, list | tuple):
            problem += (": the story must be a flat list (write [*builder.first_page(), "
                        "...], not [builder.first_page(), ...])")
        elif isinstance(element, str):
            problem += ": text goes into a paragraph, builder.para(text, style)"
        raise LayoutError("story", problem)
    return story


def check_templates(templates: object) -> list[PageTemplate]:
    """``templates`` if it is a list of at least one PageTemplate, else a LayoutError."""
    if not isinstance(templates, list) or not templates:
        what = "an empty list" if isinstance(templates, list) else _kind(templates)
        raise LayoutError("page_templates", f"it returned {what}, not a list of one "
                          "or more PageTemplates")
    for index, element in enumerate(templates):
        if not isinstance(element, PageTemplate):
            raise LayoutError("page_templates", f"element [{index}] of the list it returned "
                              f"is {_kind(element)}, not a PageTemplate")
    return templates


@dataclass(frozen=True)
class RenderResult:
    pdf: bytes
    pages: int
    missing_glyphs: int  # characters no font has (printed as "?")
    fallback_glyphs: int  # characters set in the fallback font
    notices: tuple[str, ...] = ()  # text printed in English for want of a translation

    def warnings(self) -> list[str]:
        found = list(self.notices)
        if self.missing_glyphs:
            n = self.missing_glyphs
            found.append(f"{n} character{'s' if n != 1 else ''} in the handout text "
                         f"{'have' if n != 1 else 'has'} no glyph in the handout fonts "
                         '(emoji or CJK, for example) and printed as "?"')
        return found


def render_handout(program: Program, *, layout: Layout = CLASSIC, paper: str = "letter",
                   branding: Branding = DEFAULT_BRANDING, font: FontFamily | None = None,
                   messages: Catalog | None = None, pictures: bool = True,
                   file_id: bytes | None = None,
                   attachment: bytes | None = None) -> RenderResult:
    """Render ``program`` as a PDF handout with ``layout``.

    ``font`` is the family the branding names (registered by a plugin); None is the
    default, Atkinson Hyperlegible. ``pictures=False`` leaves out drawings and photos.
    ``file_id``: the PDF's file identifier, the handout's fingerprint
    (:meth:`rxprint.app.App.fingerprint`).

    The layout's ``styles``, ``story`` and ``page_templates`` are checked: what one
    raises, or a result of the wrong kind (a story that is not a flat list of flowables),
    is a :class:`LayoutError` naming the method.
    """
    c = messages or catalog("en")
    large = program.large_print
    page, family = page_setup(paper, font, first_header=branding.has_identity
                              or not layout.title_block, large_print=large)
    request = LayoutRequest(program=program, branding=branding, paper=paper, catalog=c,
                            family=family, page=page, large_print=large)
    styles = check_styles(_called("styles", lambda: layout.styles(request)),
                          large_print=large)
    builder = StoryBuilder(program, c, styles, pictures=pictures, branding=branding)
    story = check_story(_called("story", lambda: layout.story(request, builder)))
    patient = one_line(program.patient_name) if program.patient_name else None
    info = branded_page_info(
        branding, c, date=program.date, clinic_default=c.t("handout.default_clinic"),
        disclaimer=branding.disclaimer or c.t("handout.disclaimer"),
        patient_line=f"{c.t('handout.patient')}: {patient}" if patient else None,
        footer_text=branding.footer_text)
    info = replace(info, safety_pointer=lambda page: c.t("safety.pointer", page=page))
    decorate = page_decorator(info, styles, page, title_block=layout.title_block)
    templates = check_templates(_called("page_templates",
                                        lambda: layout.page_templates(request, decorate)))
    pdf, pages = build_pdf(story, templates, page=page, info=info, family=family,
                           page_label=styles.page_label,
                           title=c.t("handout.document_title"), doc_date=program.date,
                           file_id=file_id, lang=c.language, attachment=attachment)
    return RenderResult(pdf=pdf, pages=pages, missing_glyphs=builder.glyphs.missing,
                        fallback_glyphs=builder.glyphs.fallback)
