"""The built-in layouts keep their promises on every standard program. (Their page
counts, breaks and boxes, on content whose wording the tests control, are checked in
test_pagination.py on the fixture library.)"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, Spacer

from rxprint.language.messages import catalog
from rxprint.layout import (
    Layout,
    LayoutRequest,
    PageCallback,
    StoryBuilder,
    Styles,
    build_styles,
)
from rxprint.library.loader import Library
from rxprint.library.model import Item, Program
from rxprint.render.styles import SMALL_SIZE

from .conftest import Pdf


@pytest.mark.parametrize("paper", ["letter", "a4"])
@pytest.mark.parametrize("layout", ["classic", "compact"])
@pytest.mark.parametrize("pictures", [True, False], ids=["pictures", "text-only"])
def test_every_standard_program_lays_out_in_every_layout_and_paper(
        library: Library, paper: str, layout: str, pictures: bool) -> None:
    """Regression: compact on A4 once failed to split a block at a column's very foot."""
    from rxprint.library.model import ProgramRequest
    from rxprint.library.programs import resolve, with_flags
    from rxprint.render.builtin_layouts import CLASSIC, COMPACT
    from rxprint.render.handout import render_handout

    for template in sorted(library.programs):
        program = resolve(with_flags(ProgramRequest(), template=template), library,
                          dt.date(2026, 11, 21))
        result = render_handout(program, layout=CLASSIC if layout == "classic" else COMPACT,
                                paper=paper, pictures=pictures)
        text = Pdf(result.pdf).flat()
        for item in program.items:
            assert item.exercise.steps[-1].split()[-1] in text
        assert 2 <= result.pages <= 8


# -- an exercise taller than a page ---------------------------------------------------


def long_exercise(library: Library, steps: int = 50) -> Item:
    """The hip lift with ``steps`` long steps: taller than any page, in any layout."""
    bridge = library.exercises["glute-bridge"]
    long = dataclasses.replace(bridge, steps=tuple(
        f"Step {i:02d} of the long one: " + "breathe slowly and steadily, " * 6 + "then rest."
        for i in range(1, steps + 1)))
    return Item(long, long.dosage)


def body_text(pdf: Pdf, page: int, continued: str) -> str:
    """The flat text of ``page`` without its header and footer (the disclaimer is drawn
    first, "Page N of M" last) and without ``continued``, the heading the rest of an
    exercise starts a page with: what a step broken over two pages reads as, once
    joined."""
    c = catalog("en")
    text = pdf.flat(page)
    start = text.index(c.t("handout.disclaimer")) + len(c.t("handout.disclaimer"))
    end = text.rindex(c.t("handout.page_of", page=page + 1, pages=pdf.pages))
    return " ".join(text[start:end].replace(continued, " ").split())


def step_pages(pdf: Pdf, count: int, title: str) -> list[list[int]]:
    """For each page, the numbers of the long exercise's steps it prints, checking that
    each step is printed whole, once, in order (``title``: the exercise's heading)."""
    pages = [pdf.flat(i) for i in range(pdf.pages)]
    found = [[int(n) for n in re.findall(r"Step (\d\d) of the long one", page)]
             for page in pages]
    assert [n for numbers in found for n in numbers] == list(range(1, count + 1))
    # whole: no line lost where a page (or a column) breaks a step (a step may break
    # between two lines there)
    text = " ".join(body_text(pdf, i, f"{title} (continued)") for i in range(pdf.pages))
    assert text.count("breathe slowly and steadily,") == 6 * count
    assert text.count("then rest.") == count
    return found


@pytest.mark.parametrize("layout", ["classic", "compact"])
@pytest.mark.parametrize("pictures", [True, False], ids=["pictures", "text-only"])
def test_an_exercise_taller_than_a_page_continues_under_its_title(
        library: Library, layout: str, pictures: bool) -> None:
    from rxprint.render.builtin_layouts import CLASSIC, COMPACT
    from rxprint.render.handout import render_handout

    quad = library.exercises["quad-set"]
    long = long_exercise(library)
    program = Program(date=dt.date(2026, 11, 21), items=(Item(quad, quad.dosage), long))
    pdf = Pdf(render_handout(program, layout=CLASSIC if layout == "classic" else COMPACT,
                             pictures=pictures).pdf)
    title = f"2. {' '.join(long.exercise.title.split())}"
    found = step_pages(pdf, 50, title)
    on = [i for i, numbers in enumerate(found) if numbers]
    assert len(on) >= 3  # it does not fit two pages
    first = pdf.flat(on[0])
    assert title in first and f"{title} (continued)" not in first
    for page in on[1:]:  # every later page says whose steps these are, above them
        text = pdf.flat(page)
        assert text.count(f"{title} (continued)") == 1, page
        assert text.index(f"{title} (continued)") < text.index("of the long one")
    text = pdf.flat()
    for caution in long.exercise.cautions:  # and what follows the steps is all there
        assert " ".join(caution.split()) in text
    assert "When to contact your clinician" in text


class LargeType(Layout):
    """Classic at 24 pt: the library's own exercises are taller than a page."""

    title_block = True

    def styles(self, request: LayoutRequest) -> Styles:
        return build_styles(request.branding, request.family, body_size=24, leading=29)

    def story(self, request: LayoutRequest, builder: StoryBuilder) -> list[Flowable]:
        return [*builder.first_page(), *builder.exercises()]


def test_at_a_large_type_size_exercises_continue_on_the_next_page(library: Library) -> None:
    from rxprint.render.handout import render_handout

    ids = ["glute-bridge", "sit-to-stand"]
    items = tuple(Item(library.exercises[i], library.exercises[i].dosage) for i in ids)
    pdf = Pdf(render_handout(Program(date=dt.date(2026, 11, 21), items=items),
                             layout=LargeType()).pdf)
    pages = [pdf.flat(i) for i in range(pdf.pages)]
    for number, item in enumerate(items, start=1):
        title = f"{number}. {' '.join(item.exercise.title.split())}"
        # (not page 1's list of the exercises, where a dash follows the title)
        starts = [i for i, t in enumerate(pages)
                  if re.search(re.escape(title) + r" (?!\(continued\)|—)", t)]
        assert len(starts) == 1, title
        later = [i for i, t in enumerate(pages) if f"{title} (continued)" in t]
        assert later and later[0] == starts[0] + 1, (title, starts, later)
        text = " ".join(pages[starts[0]:later[-1] + 1])
        for part in (*item.exercise.steps, *item.exercise.cautions):
            assert " ".join(part.split()) in text, part


# -- a layout's results are checked -----------------------------------------------------


def quad_program(library: Library) -> Program:
    quad = library.exercises["quad-set"]
    return Program(date=dt.date(2026, 11, 21), items=(Item(quad, quad.dosage),),
                   patient_name="Quilla Zarnowski-Vex")


class Returns(Layout):
    """A layout whose methods return what a test gives (or raise it)."""

    def __init__(self, *, styles: object = None, story: object = None,
                 templates: object = None) -> None:
        self.results = {"styles": styles, "story": story, "page_templates": templates}

    def _result(self, method: str, default: Callable[[], object]) -> Any:
        result = self.results[method]
        if isinstance(result, BaseException):
            raise result
        return default() if result is None else result

    def styles(self, request: LayoutRequest) -> Any:
        return self._result("styles", lambda: super(Returns, self).styles(request))

    def story(self, request: LayoutRequest, builder: StoryBuilder) -> Any:
        return self._result("story", builder.closing)

    def page_templates(self, request: LayoutRequest, decorate: PageCallback) -> Any:
        return self._result("page_templates",
                            lambda: super(Returns, self).page_templates(request, decorate))


@pytest.mark.parametrize(("layout", "method", "problem"), [
    (Returns(story=42), "story", "it returned an int, not a list of flowables"),
    (Returns(story=(Spacer(1, 1),)), "story", "it returned a tuple, not a list"),
    (Returns(story=[Spacer(1, 1), [Spacer(1, 1)]]), "story",
     "element [1] of the list it returned is a list, not a flowable: the story must be a "
     "flat list (write [*builder.first_page(), ...]"),
    (Returns(story=["Quilla Zarnowski-Vex"]), "story",
     "element [0] of the list it returned is a str, not a flowable: text goes into a "
     "paragraph"),
    (Returns(story=[Spacer(1, 1), None]), "story",
     "element [1] of the list it returned is None, not a flowable"),
    (Returns(styles="large"), "styles", "it returned a str, not a Styles"),
    (Returns(templates=[]), "page_templates", "it returned an empty list, not a list of "
     "one or more PageTemplates"),
    (Returns(templates=[Spacer(1, 1)]), "page_templates",
     "element [0] of the list it returned is a Spacer, not a PageTemplate"),
], ids=["int", "tuple", "nested", "string", "none", "styles", "no-templates", "spacer"])
def test_a_layouts_results_are_checked_before_reportlab_sees_them(
        library: Library, layout: Layout, method: str, problem: str) -> None:
    from rxprint.render.handout import LayoutError, render_handout

    assert Pdf(render_handout(quad_program(library), layout=Returns()).pdf).pages == 1
    with pytest.raises(LayoutError) as caught:
        render_handout(quad_program(library), layout=layout)
    assert caught.value.method == method and caught.value.__cause__ is None
    assert caught.value.problem is not None and caught.value.problem.startswith(problem)
    assert "Quilla" not in str(caught.value)  # a string's type is told, not its text


@pytest.mark.parametrize("method", ["styles", "story", "page_templates"])
def test_what_a_layout_method_raises_names_the_method(library: Library,
                                                      method: str) -> None:
    from rxprint.render.handout import LayoutError, render_handout

    raised = KeyError("Quilla Zarnowski-Vex")
    layout = Returns(**{"templates" if method == "page_templates" else method: raised})
    with pytest.raises(LayoutError) as caught:
        render_handout(quad_program(library), layout=layout)
    assert caught.value.method == method and caught.value.problem is None
    assert caught.value.__cause__ is raised


# -- the footer's sizes come from the styles --------------------------------------------


class LargeFooter(Layout):
    title_block = True

    def styles(self, request: LayoutRequest) -> Styles:
        styles = build_styles(request.branding, request.family)
        return dataclasses.replace(
            styles,
            footer=ParagraphStyle("footer", parent=styles.footer, fontSize=11, leading=13),
            disclaimer=ParagraphStyle("disclaimer", parent=styles.disclaimer, fontSize=10,
                                      leading=12),
            page_label=ParagraphStyle("page_label", parent=styles.page_label, fontSize=12))

    def story(self, request: LayoutRequest, builder: StoryBuilder) -> list[Flowable]:
        return [*builder.first_page(), *builder.exercises()]


def sizes(pdf: Pdf, page: int) -> dict[str, float]:
    """Each run of text on ``page`` with the size it is set in."""
    found: dict[str, float] = {}

    def visit(text: str, cm: Any, tm: Any, font: Any, size: float) -> None:
        if text.strip():
            found[" ".join(text.split())] = float(size)

    pdf.reader.pages[page].extract_text(visitor_text=visit)
    return found


@pytest.mark.parametrize(("layout", "expected"), [
    ("classic", (SMALL_SIZE,) * 4), ("large", (11.0, 10.0, 12.0, 12.0))])
def test_a_layout_sets_the_footer_sizes_through_its_styles(
        library: Library, layout: str, expected: tuple[float, ...]) -> None:
    from rxprint.library.branding import Branding
    from rxprint.render.builtin_layouts import CLASSIC
    from rxprint.render.handout import render_handout

    program = dataclasses.replace(quad_program(library), items=tuple(
        Item(e, e.dosage) for e in list(library.exercises.values())[:4]))
    branding = Branding(footer_text="Riverside footer line")
    pdf = Pdf(render_handout(program, layout=CLASSIC if layout == "classic" else
                             LargeFooter(), branding=branding).pdf)
    assert pdf.pages >= 2
    on_2 = sizes(pdf, 1)
    footer, disclaimer, label, pointer = expected
    assert on_2["Riverside footer line"] == footer
    assert next(v for k, v in on_2.items() if k.startswith("This program is for")) == disclaimer
    assert on_2[f"Page 2 of {pdf.pages}"] == label
    assert next(v for k, v in on_2.items() if k.startswith("When to call your clinician: "
                                                           "page")) == pointer
