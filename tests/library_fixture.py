"""The fixture library: a small exercise library under ``tests/fixtures/library`` for the
layout and pagination tests, whose wording the tests control.

It is laid out like rxprint's own ``exercises/`` folder (exercises by category,
``education/``, ``programs/``) and passes ``rxprint validate``. Its content, and what each
entry is there for:

- ``single-knee-hug`` (stretch, lying, drawing), ``calf-stretch-at-wall`` (stretch,
  standing, drawing), ``heel-raises-at-counter`` and ``seated-marching`` (strengthening,
  standing and sitting, two-frame drawings), ``ankle-pumps`` (mobility, lying, drawing,
  the shortest text with one), ``single-leg-stand`` (posture, standing, drawing; its
  steps end "switch to the other leg"; linked to ``heel-raises-at-counter`` as its easier
  exercise): exercises of typical length;
- ``getting-down-to-the-floor`` (posture, standing then half-kneeling, drawing): the
  longest, with the most steps, tips and cautions the schema allows (nearly);
- ``wall-push-up`` (strengthening; a five-part dosage that needs two lines in a compact
  column), ``seated-trunk-turn`` (mobility), ``calf-rub-with-ball`` (self-massage) and
  ``chin-tuck`` (posture, the shortest): no drawing;
- ``pacing-your-exercises`` (a short education section) and ``living-with-stiff-joints``
  (a long one: four paragraphs and eight bullets);
- ``short-daily-routine`` (4 exercises, none with a drawing, one section),
  ``stiff-legs-at-home`` (6 exercises of typical length with drawings, both sections) and
  ``strength-and-balance`` (8 exercises, short and long, with and without drawings, both
  sections).

Tests build handouts from it directly (:func:`fixture_library`, :func:`make_program`,
:func:`handout`) or through the command line: :func:`use_fixture_library` points
``rxprint`` at the folder plugin ``tests/fixtures/plugins/fixture_library.py``, which
registers the folder the way a clinic registers its own exercises (beside the built-in
library: the fixture's ids are its own). Nothing in rxprint is there for the tests' sake.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import replace
from pathlib import Path

import pytest
from reportlab.platypus import Flowable, FrameBreak, NextPageTemplate, PageTemplate

from rxprint.library.loader import Library, builtin_library
from rxprint.library.model import Program, ProgramRequest
from rxprint.library.programs import resolve, with_flags
from rxprint.render.builtin_layouts import CLASSIC, COMPACT
from rxprint.render.handout import render_handout
from rxprint.render.layout_base import Layout, LayoutRequest, PageCallback
from rxprint.render.story import StoryBuilder
from rxprint.render.styles import Styles

from .conftest import Pdf

FIXTURES = Path(__file__).parent / "fixtures"
LIBRARY_DIR = FIXTURES / "library"
PLUGINS_DIR = FIXTURES / "plugins"
PLUGIN = "fixture_library"
DATE = dt.date(2026, 11, 21)
FIXTURE_PROGRAMS = ("short-daily-routine", "stiff-legs-at-home", "strength-and-balance")
LAYOUTS: dict[str, Layout] = {"classic": CLASSIC, "compact": COMPACT}


class GapFilling(Layout):
    """A built-in layout, its story made without the plan: ``exercises`` is given no
    frames, so the education sections fill the space an exercise leaves at a page's foot
    as they come (first fit) and the rest follow the last exercise, as in a layout of
    one's own. The arrangement the plan is measured against."""

    title_block = True

    def __init__(self, name: str) -> None:
        self.base = LAYOUTS[name]

    def styles(self, request: LayoutRequest) -> Styles:
        return self.base.styles(request)

    def page_templates(self, request: LayoutRequest,
                       decorate: PageCallback) -> list[PageTemplate]:
        return self.base.page_templates(request, decorate)

    def story(self, request: LayoutRequest, builder: StoryBuilder) -> list[Flowable]:
        if self.base is COMPACT:
            return [NextPageTemplate("columns"), *builder.masthead(), FrameBreak(),
                    *builder.exercises(COMPACT.options(request), compact_boxes=True)]
        return [*builder.first_page(), *builder.exercises(CLASSIC.OPTIONS)]


@functools.cache
def fixture_library() -> Library:
    """The fixture library alone, loaded and checked once per process."""
    return Library.from_dirs([LIBRARY_DIR])


def library_named(name: str) -> Library:
    """``"fixture"``: the fixture library; ``"shipped"``: rxprint's own."""
    return fixture_library() if name == "fixture" else builtin_library()


def use_fixture_library(monkeypatch: pytest.MonkeyPatch) -> Library:
    """Let this test's ``rxprint`` commands (and every App it makes) see the fixture
    library, through its folder plugin (``--plugins-dir`` and ``RXPRINT_PLUGINS``, set in
    the environment). Returns the fixture library."""
    monkeypatch.setenv("RXPRINT_PLUGINS_DIR", str(PLUGINS_DIR))
    monkeypatch.setenv("RXPRINT_PLUGINS", PLUGIN)
    return fixture_library()


def make_program(template: str | None = None, exercises: tuple[str, ...] = (), *,
                    library: str = "fixture", patient_name: str | None = "Maria Gonzalez",
                    clinician: str | None = "Sam Lee, PT") -> Program:
    """A standard program and/or exercises of a library, resolved as ``rxprint build``
    resolves them."""
    request = with_flags(ProgramRequest(patient_name=patient_name, clinician=clinician),
                         template=template, exercises=exercises)
    # without the adherence log: the page budgets count the handout without it (its own
    # tests: tests/test_log.py)
    return replace(resolve(request, library_named(library), DATE), log=False)


@functools.cache
def handout(template: str, layout: str = "classic", paper: str = "letter", *,
            library: str = "fixture", pictures: bool = True, plan: bool = True) -> Pdf:
    """The handout of a standard program of a library, read back (once per process).
    ``plan=False``: without the plan of where the education sections go
    (:class:`GapFilling`)."""
    program = make_program(template, library=library)
    return Pdf(render_handout(program, layout=LAYOUTS[layout] if plan else GapFilling(layout),
                              paper=paper, pictures=pictures).pdf)
