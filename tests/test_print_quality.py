"""The printed handout, checked as a person would check it at print size: page counts,
full pages, pictures large enough to see, the safety box never alone, page 1 carrying the
first exercise, compact headings kept with their text, dosage bars that read."""

from __future__ import annotations

import datetime as dt
import functools

import pytest

from rxprint.language.messages import catalog
from rxprint.library.branding import DEFAULT_BRANDING
from rxprint.library.loader import Library, builtin_library
from rxprint.library.model import Item, Program, ProgramRequest
from rxprint.library.programs import resolve, with_flags
from rxprint.render.builtin_layouts import CLASSIC, COMPACT
from rxprint.render.document import page_setup
from rxprint.render.handout import render_handout
from rxprint.render.layout_base import LayoutRequest
from rxprint.render.story import BalancedLine, StoryBuilder

from .conftest import Pdf

PROGRAMS = ["desk-worker-movement", "hip-flexor-back-pain", "runner-hip-extension",
            "standing-posture-legs", "thigh-back-pain"]
LAYOUTS = {"classic": CLASSIC, "compact": COMPACT}
SAFETY_INTRO = "Stop your exercises and call your clinician if any of these happen"
INCH = 72.0

# The page table of the README (at most these pages; before this design in brackets):
# classic Letter [8, 5, 7, 7, 7], compact Letter [4, 3, 4, 3, 4].
PAGES: dict[tuple[str, str], tuple[int, ...]] = {
    ("classic", "letter"): (5, 5, 6, 5, 6),
    ("classic", "a4"): (5, 5, 5, 5, 5),
    ("compact", "letter"): (3, 3, 4, 3, 4),
    ("compact", "a4"): (3, 3, 3, 3, 3),
}


@functools.cache
def handout(template: str, layout: str, paper: str) -> Pdf:
    library = builtin_library()
    program = resolve(with_flags(ProgramRequest(patient_name="Maria Gonzalez",
                                                clinician="Sam Lee, PT"), template=template),
                      library, dt.date(2026, 11, 21))
    return Pdf(render_handout(program, layout=LAYOUTS[layout], paper=paper).pdf)


def lowest_text(pdf: Pdf, page: int, columns: int) -> list[float]:
    """Per column, how far down the body the text reaches, as a fraction of the body."""
    width, height = pdf.size(page)
    low: dict[int, float] = {}

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        x = cm[4] + tm[4] * cm[0]
        y = cm[5] + tm[5] * cm[3]
        if text.strip() and 66 < y < height - 76:  # between the footer and header bands
            column = 0 if columns == 1 or x < width / 2 else 1
            low[column] = min(low.get(column, height), y)

    pdf.reader.pages[page].extract_text(visitor_text=visit)
    top = height - 36 - (0.66 * INCH if page else 0)
    bottom = 36 + 0.4 * INCH
    return [(top - low.get(c, top)) / (top - bottom) for c in range(columns)]


@pytest.mark.parametrize(("layout", "paper"), sorted(PAGES))
def test_page_table(layout: str, paper: str) -> None:
    pages = tuple(handout(t, layout, paper).pages for t in PROGRAMS)
    assert all(p <= budget for p, budget in zip(pages, PAGES[layout, paper], strict=True)), \
        pages
    if layout == "compact":
        classic = tuple(handout(t, "classic", paper).pages for t in PROGRAMS)
        assert all(c <= k for c, k in zip(pages, classic, strict=True))


@pytest.mark.parametrize("paper", ["letter", "a4"])
@pytest.mark.parametrize("layout", ["classic", "compact"])
@pytest.mark.parametrize("template", PROGRAMS)
def test_every_page_but_the_last_is_two_thirds_full(template: str, layout: str,
                                                    paper: str) -> None:
    pdf = handout(template, layout, paper)
    columns = 2 if layout == "compact" else 1
    for page in range(pdf.pages - 1):
        fill = lowest_text(pdf, page, columns)
        assert sum(fill) / columns >= 2 / 3, (page + 1, fill)


@pytest.mark.parametrize("paper", ["letter", "a4"])
@pytest.mark.parametrize("layout", ["classic", "compact"])
@pytest.mark.parametrize("template", PROGRAMS)
def test_page_one_carries_exercise_one_and_the_safety_box_is_never_alone(
        template: str, layout: str, paper: str, library: Library) -> None:
    pdf = handout(template, layout, paper)
    first = library.exercises[library.programs[template].entries[0].id]
    assert f"1. {first.title}" in pdf.flat(0)
    assert " ".join(first.steps[-1].split()) in pdf.flat(0)
    # the box's own first line (an education section may name the box by its title)
    on = [i for i in range(pdf.pages) if SAFETY_INTRO in pdf.flat(i)]
    assert len(on) == 1
    page = pdf.flat(on[0])
    education = [library.education[e].title for e in library.programs[template].education]
    assert "How much:" in page or any(title in page for title in education), on
    assert "Call Sam Lee, PT at" in page
    # every other page points to it in its footer
    for i in range(pdf.pages):
        pointer = f"When to call your clinician: page {on[0] + 1}"
        assert (pointer in pdf.flat(i)) == (i != on[0]), i


@pytest.mark.parametrize("template", PROGRAMS)
def test_exercises_keep_the_programs_order_and_stay_whole(template: str,
                                                          library: Library) -> None:
    pdf = handout(template, "classic", "letter")
    pages = [pdf.flat(i) for i in range(pdf.pages)]
    seen = []
    for n, entry in enumerate(library.programs[template].entries, start=1):
        exercise = library.exercises[entry.id]
        found = [i for i, t in enumerate(pages) if f"{n}. {exercise.title}" in t]
        found = [i for i in found if "How much:" in pages[i]]
        page = found[-1]
        for part in (exercise.purpose, *exercise.steps, *exercise.cues, *exercise.cautions):
            assert " ".join(part.split()) in pages[page], (exercise.id, part)
        seen.append(page)
    assert seen == sorted(seen)


def _pictures(library: Library, layout: str, paper: str) -> dict[str, list[tuple[float, ...]]]:
    """Every built-in drawing as the layout prints it: (width, height, scale) in points,
    for each variant of the exercise block the layout may use."""
    page, family = page_setup(paper, None)
    program = Program(date=dt.date(2026, 11, 21),
                      items=tuple(Item(e, e.dosage) for e in library.exercises.values()))
    request = LayoutRequest(program=program, branding=DEFAULT_BRANDING, paper=paper,
                            catalog=catalog("en"), family=family, page=page)
    chosen = LAYOUTS[layout]
    builder = StoryBuilder(program, request.catalog, chosen.styles(request))
    options = CLASSIC.OPTIONS if layout == "classic" else COMPACT.options(request)
    heights = [options.picture_height]
    if options.short_picture_height:
        heights.append(options.short_picture_height)
    out: dict[str, list[tuple[float, ...]]] = {}
    for item in program.items:
        widths = [options.picture_width]
        if options.arrangement == "column" and options.side_picture_width:
            # compact may set the picture beside the intro, as wide as the floor needs
            side = options.side_picture_width
            while side < options.picture_width and not all(
                    p.wrap(side, 1000) and getattr(p, "scale", INCH) >= 1.1 * INCH - 0.01
                    for p in builder.pictures(item, side, options.picture_height,
                                              panel=True, min_height=1.2 * INCH)):
                side += 0.2 * INCH
            widths.append(side)
        for width in widths:
            for height in heights:
                for picture in builder.pictures(item, width, height, panel=True,
                                                min_height=1.2 * INCH):
                    w, h = picture.wrap(width, 1000)
                    out.setdefault(item.exercise.id, []).append(
                        (w, h, float(getattr(picture, "scale", 0.0))))
    return out


@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_pictures_can_be_seen_and_compact_is_never_larger(library: Library,
                                                          paper: str) -> None:
    """No drawing prints smaller than 1.2 in on its short side; the person is at least
    1.1 in tall or long (the figure's unit, a standing person's height); compact's
    drawings are never larger than classic's."""
    classic = _pictures(library, "classic", paper)
    compact = _pictures(library, "compact", paper)
    assert set(classic) == set(library.exercises)
    for ident in library.exercises:
        for w, h, scale in classic[ident] + compact[ident]:
            assert min(w, h) >= 1.2 * INCH - 0.5, (ident, w, h)
            assert scale >= 1.1 * INCH, (ident, scale / INCH)
        assert max(s for *_, s in compact[ident]) <= classic[ident][0][2] + 0.01, ident


def test_compact_keeps_each_heading_with_its_dosage_picture_and_first_lines(
        library: Library) -> None:
    """The title, the dosage bar and "Why it helps" of each exercise are in the same
    column of the same page."""
    for template in PROGRAMS:
        for paper in ("letter", "a4"):
            pdf = handout(template, "compact", paper)
            width = pdf.size(0)[0]
            chunks: list[tuple[int, int, str]] = []  # page, column, text, in order
            for page in range(pdf.pages):
                def visit(text: str, cm: list[float], tm: list[float], font: object,
                          size: float, page: int = page,
                          chunks: list[tuple[int, int, str]] = chunks,
                          width: float = width) -> None:
                    x = cm[4] + tm[4] * cm[0]
                    if text.strip():
                        chunks.append((page, 0 if x < width / 2 else 1, text.strip()))
                pdf.reader.pages[page].extract_text(visitor_text=visit)
            for n, entry in enumerate(library.programs[template].entries, start=1):
                title = f"{n}. {library.exercises[entry.id].title}"[:20]
                at = next(i for i, c in enumerate(chunks) if c[2].startswith(title))
                dosage = next(i for i in range(at, len(chunks))
                              if chunks[i][2].startswith("How much:"))
                purpose = next(i for i in range(at, len(chunks))
                               if chunks[i][2].startswith("Why it helps:"))
                place = chunks[at][:2]
                assert chunks[dosage][:2] == place == chunks[purpose][:2], (template, n)


def test_the_dosage_bar_never_leaves_one_part_alone(library: Library) -> None:
    page, family = page_setup("letter", None)
    program = Program(date=dt.date(2026, 11, 21),
                      items=tuple(Item(e, e.dosage) for e in library.exercises.values()))
    styles = COMPACT.styles(LayoutRequest(program=program, branding=DEFAULT_BRANDING,
                                          paper="letter", catalog=catalog("en"),
                                          family=family, page=page))
    builder = StoryBuilder(program, catalog("en"), styles)
    column = (page.body[2] - COMPACT.GAP) / 2
    wrapped = 0
    for item in program.items:
        bar = builder.dosage(item)
        assert isinstance(bar, BalancedLine)
        _, height = bar.wrap(column, 1000)
        if height > styles.dosage.leading * 1.5:
            wrapped += 1
            assert bar._para is not None
            text = bar._para.text
            second = text.split("<br/>")[1]
            if len(bar.parts) > 2:
                assert bar.separator in second, item.exercise.id
    assert wrapped  # the check ran on real two-line bars


def test_a_one_sided_prescription_overrides_switch_side_steps(library: Library) -> None:
    """quad-set's steps end "switch to the other leg": prescribed for the right side only,
    the handout says so under the steps; each side, it says nothing more."""
    from dataclasses import replace

    from rxprint.library.dosage import Side

    quad = library.exercises["quad-set"]
    assert any("other leg" in step for step in quad.steps)
    for side, expected in ((Side.RIGHT, True), (Side.EACH, False)):
        item = Item(quad, replace(quad.dosage, side=side))
        pdf = Pdf(render_handout(Program(date=dt.date(2026, 11, 21), items=(item,))).pdf)
        assert ("Do this on your right side only." in pdf.flat()) == expected, side
