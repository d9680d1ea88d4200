"""Checks of a printed handout as a person would make them at print size, shared by the
tests of the layouts' promises on the fixture library (``test_pagination.py``) and of the
real handouts' print quality (``test_print_quality.py``).

Each check reads the PDF back and compares it with the program it was made from (the
titles, steps and cautions of its exercises, read from its library): none names any
wording of a library.
"""

from __future__ import annotations

import datetime as dt

from rxprint.language.messages import catalog
from rxprint.library.branding import DEFAULT_BRANDING
from rxprint.library.loader import Library
from rxprint.library.model import Item, Program
from rxprint.render.builtin_layouts import CLASSIC, COMPACT
from rxprint.render.document import page_setup
from rxprint.render.layout_base import LayoutRequest
from rxprint.render.story import StoryBuilder

from .conftest import Pdf

INCH = 72.0
SAFETY_INTRO = "Stop your exercises and call your clinician if any of these happen"


def squeeze(text: str) -> str:
    """Whitespace folded to single spaces (as :meth:`Pdf.flat` prints text)."""
    return " ".join(text.split())


def parts(item: Item) -> list[str]:
    """What must print of an exercise, each folded like :meth:`Pdf.flat`."""
    ex = item.exercise
    return [squeeze(p) for p in (ex.title, ex.purpose, ex.position, *ex.steps, *ex.cues,
                                 *ex.cautions)]


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


def assert_pages_filled(pdf: Pdf, columns: int) -> None:
    """Every page but the last is at least two thirds full (on average over its
    columns)."""
    for page in range(pdf.pages - 1):
        fill = lowest_text(pdf, page, columns)
        assert sum(fill) / columns >= 2 / 3, (page + 1, fill)


def body_height(pdf: Pdf, page: int) -> float:
    """The height of the body (between the header and footer bands) :func:`lowest_text`
    measures its fractions of, in points."""
    height = pdf.size(page)[1]
    return (height - 36 - (0.66 * INCH if page else 0)) - (36 + 0.4 * INCH)


def box_heights(program: Program, layout: str, paper: str) -> dict[str, float]:
    """The boxes of a handout (the safety box, by its first line, and each education
    section, by its title) with their heights, whole, as the layout sets them in a frame
    of its pages (a column, in compact), in points."""
    page, family = page_setup(paper, None)
    request = LayoutRequest(program=program, branding=DEFAULT_BRANDING, paper=paper,
                            catalog=catalog("en"), family=family, page=page)
    compact = layout == "compact"
    chosen = COMPACT if compact else CLASSIC
    builder = StoryBuilder(program, request.catalog, chosen.styles(request))
    width = (page.body[2] - COMPACT.GAP) / 2 if compact else page.body[2]
    names = [SAFETY_INTRO, *(squeeze(section.title) for section in program.education)]
    boxes = builder.boxes(compact=compact)
    assert len(boxes) == len(names)
    return {name: box.wrap(width, 100_000)[1] + builder.gap
            for name, box in zip(names, boxes, strict=True)}


def assert_short_pages_had_no_box_to_fill_them(pdf: Pdf, program: Program, layout: str,
                                               paper: str) -> int:
    """A page (but the last) left less than two thirds full, because the block after it
    did not fit there, is one no waiting box would have filled: every box that prints
    on a later page is taller than the space left in each of the page's columns (0.3 inch
    allowed for measuring that space from the lowest text). Returns how many short pages
    there were."""
    columns = 2 if layout == "compact" else 1
    heights = box_heights(program, layout, paper)
    first_page = {name: next(i for i in range(pdf.pages) if name in pdf.flat(i))
                  for name in heights}
    short = 0
    for page in range(pdf.pages - 1):
        fill = lowest_text(pdf, page, columns)
        if sum(fill) / columns >= 2 / 3:
            continue
        short += 1
        space = max(1 - f for f in fill) * body_height(pdf, page)
        for name, height in heights.items():
            if first_page[name] > page:
                assert height > space - 0.3 * INCH, (page + 1, name, height, space)
    return short


def heading_pages(pdf: Pdf, program: Program) -> list[int]:
    """The page each exercise's block starts on (0-based), found by "N. Title" on a page
    that also has a dosage bar (page 1 lists every title in the at-a-glance list)."""
    pages = [pdf.flat(i) for i in range(pdf.pages)]
    found = []
    for n, item in enumerate(program.items, start=1):
        heading = f"{n}. {squeeze(item.exercise.title)}"
        on = [i for i, text in enumerate(pages) if heading in text and "How much:" in text]
        assert on, (item.exercise.id, "heading not found")
        found.append(on[-1])
    return found


def assert_whole_and_in_order(pdf: Pdf, program: Program) -> None:
    """Every exercise prints whole on the page its heading is on (never split across
    pages), in the program's order."""
    pages = [pdf.flat(i) for i in range(pdf.pages)]
    starts = heading_pages(pdf, program)
    for item, page in zip(program.items, starts, strict=True):
        for part in parts(item):
            assert part in pages[page], (item.exercise.id, "splits across pages", part)
    assert starts == sorted(starts)


def assert_page_one_and_safety_box(pdf: Pdf, program: Program, contact: str) -> None:
    """Page 1 carries exercise 1 whole; the safety box is on one page, which it shares
    with an exercise or an education section, and which every other page's footer points
    to; the box names who to call (``contact``: "Call Sam Lee, PT at")."""
    first = program.items[0].exercise
    assert f"1. {squeeze(first.title)}" in pdf.flat(0)
    assert squeeze(first.steps[-1]) in pdf.flat(0)
    # the box's own first line (an education section may name the box by its title)
    on = [i for i in range(pdf.pages) if SAFETY_INTRO in pdf.flat(i)]
    assert len(on) == 1, on
    page = pdf.flat(on[0])
    education = [squeeze(section.title) for section in program.education]
    assert "How much:" in page or any(title in page for title in education), on
    assert contact in page
    for i in range(pdf.pages):
        pointer = f"When to call your clinician: page {on[0] + 1}"
        assert (pointer in pdf.flat(i)) == (i != on[0]), i


def text_runs(pdf: Pdf) -> list[tuple[int, int, str]]:
    """Every text run of a two-column handout, in order: (page, column, text)."""
    width = pdf.size(0)[0]
    runs: list[tuple[int, int, str]] = []
    for page in range(pdf.pages):
        def visit(text: str, cm: list[float], tm: list[float], font: object,
                  size: float, page: int = page) -> None:
            x = cm[4] + tm[4] * cm[0]
            if text.strip():
                runs.append((page, 0 if x < width / 2 else 1, text.strip()))
        pdf.reader.pages[page].extract_text(visitor_text=visit)
    return runs


def assert_compact_headings_kept(pdf: Pdf, program: Program) -> None:
    """In a two-column handout, the title, the dosage bar and "Why it helps" of each
    exercise are in the same column of the same page."""
    runs = text_runs(pdf)
    for n, item in enumerate(program.items, start=1):
        title = f"{n}. {squeeze(item.exercise.title)}"[:20]
        at = next(i for i, r in enumerate(runs) if r[2].startswith(title))
        dosage = next(i for i in range(at, len(runs)) if runs[i][2].startswith("How much:"))
        purpose = next(i for i in range(at, len(runs))
                       if runs[i][2].startswith("Why it helps:"))
        place = runs[at][:2]
        assert runs[dosage][:2] == place == runs[purpose][:2], (item.exercise.id, n)


def picture_sizes(library: Library, layout: str,
                  paper: str) -> dict[str, list[tuple[float, ...]]]:
    """Every drawing of ``library`` as the layout prints it: (width, height, scale) in
    points, for each variant of the exercise block the layout may use."""
    page, family = page_setup(paper, None)
    program = Program(date=dt.date(2026, 11, 21),
                      items=tuple(Item(e, e.dosage) for e in library.exercises.values()
                                  if e.picture is not None))
    request = LayoutRequest(program=program, branding=DEFAULT_BRANDING, paper=paper,
                            catalog=catalog("en"), family=family, page=page)
    chosen = CLASSIC if layout == "classic" else COMPACT
    builder = StoryBuilder(program, request.catalog, chosen.styles(request))
    options = CLASSIC.OPTIONS if layout == "classic" else COMPACT.options(request)
    heights = [options.picture_height]  # (row) and the shorter pictures it may use
    short = options.short_picture_height
    if options.arrangement == "row" and short and 0 < short < options.picture_height:
        heights.append(short)
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


def assert_pictures_can_be_seen(library: Library, paper: str) -> None:
    """No drawing prints smaller than 1.2 in on its short side; the person is at least
    1.1 in tall or long (the figure's unit, a standing person's height); compact's
    drawings are never larger than classic's."""
    classic = picture_sizes(library, "classic", paper)
    compact = picture_sizes(library, "compact", paper)
    drawn = {e.id for e in library.exercises.values() if e.picture is not None}
    assert drawn and set(classic) == set(compact) == drawn
    for ident in drawn:
        for w, h, scale in classic[ident] + compact[ident]:
            assert min(w, h) >= 1.2 * INCH - 0.5, (ident, w, h)
            assert scale >= 1.1 * INCH, (ident, scale / INCH)
        assert max(s for *_, s in compact[ident]) <= classic[ident][0][2] + 0.01, ident
