"""Checks of a printed handout as a person would make them at print size, shared by the
tests of the layouts' promises on the fixture library (``test_pagination.py``) and of the
real handouts' print quality (``test_print_quality.py``).

Each check reads the PDF back and compares it with the program it was made from (the
titles, steps and cautions of its exercises, read from its library): none names any
wording of a library.
"""

from __future__ import annotations

import datetime as dt
import re

from rxprint.language.messages import catalog
from rxprint.library.branding import DEFAULT_BRANDING
from rxprint.library.loader import Library
from rxprint.library.model import Item, Program
from rxprint.render.builtin_layouts import CLASSIC, COMPACT
from rxprint.render.document import page_setup
from rxprint.render.drawings import drawing_shape
from rxprint.render.layout_base import LayoutRequest
from rxprint.render.story import StoryBuilder
from rxprint.render.story_exercises import ExerciseOptions, picture_column_width

from .conftest import Pdf

INCH = 72.0
CATALOG = catalog("en")
# the safety box's own first line, as both layouts print it (compact runs the list in)
SAFETY_INTRO = CATALOG.t("safety.intro").rstrip(".:")
SAFETY_TITLE = CATALOG.t("safety.title")
DOSAGE = f"{CATALOG.t('handout.dosage')}:"  # the dosage bar's label


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


def _builder(program: Program, layout: str,
             paper: str) -> tuple[StoryBuilder, ExerciseOptions, float, float]:
    """A story builder for ``program`` in ``layout`` on ``paper``, the layout's exercise
    options, and the width and height of a full frame of its pages (a column, in compact;
    no padding), in points."""
    page, family = page_setup(paper, None)
    request = LayoutRequest(program=program, branding=DEFAULT_BRANDING, paper=paper,
                            catalog=CATALOG, family=family, page=page)
    compact = layout == "compact"
    chosen = COMPACT if compact else CLASSIC
    builder = StoryBuilder(program, request.catalog, chosen.styles(request))
    width = (page.body[2] - COMPACT.GAP) / 2 if compact else page.body[2]
    options = COMPACT.options(request) if compact else CLASSIC.OPTIONS
    return builder, options, width, page.body[3]


def box_heights(program: Program, layout: str, paper: str) -> dict[str, float]:
    """The boxes of a handout (the safety box, by its first line, and each education
    section, by its title) with their heights, whole, as the layout sets them in a frame
    of its pages (a column, in compact), in points."""
    compact = layout == "compact"
    builder, _, width, _ = _builder(program, layout, paper)
    names = [SAFETY_INTRO, *(squeeze(section.title) for section in program.education)]
    boxes = builder.boxes(compact=compact)
    assert len(boxes) == len(names)
    return {name: box.wrap(width, 100_000)[1] + builder.gap
            for name, box in zip(names, boxes, strict=True)}


def assert_short_pages_had_no_box_to_fill_them(pdf: Pdf, program: Program, layout: str,
                                               paper: str) -> int:
    """A page (but the last) left less than two thirds full, because the block after it
    did not fit there, is one no waiting box would have filled: every filler (an
    education section without ``before``; the safety box has its place on page 1, a
    section with ``before`` its own) that prints on a later page is taller than the space
    left in each of the page's columns (0.3 inch allowed for measuring that space from
    the lowest text). Returns how many short pages there were."""
    columns = 2 if layout == "compact" else 1
    fillers = {squeeze(s.title) for s in program.education if s.before is None}
    heights = {name: height for name, height in box_heights(program, layout, paper).items()
               if name in fillers}
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


def heading(number: int, item: Item) -> str:
    """An exercise's heading, "3. Title" (folded like :meth:`Pdf.flat`)."""
    return f"{CATALOG.t('handout.exercise_number', number=number)} {squeeze(item.exercise.title)}"


def continued(number: int, item: Item) -> str:
    """The heading the rest of an exercise taller than a page starts the next page with."""
    return squeeze(CATALOG.t("handout.continued", title=heading(number, item)))


def own_headings(text: str, number: int, item: Item) -> list[int]:
    """Where ``text`` has the exercise's own heading: not "(continued)", nor a line of
    page 1's list of the exercises at a glance ("3. Title — 3 sets of 10")."""
    after = re.escape(continued(number, item)[len(heading(number, item)):])
    return [m.start() for m in re.finditer(re.escape(heading(number, item))
                                           + rf"(?!{after}| —)", text)]


def heading_pages(pdf: Pdf, program: Program) -> list[int]:
    """The page each exercise's block starts on (0-based), found by its heading
    ("N. Title", not "(continued)" nor the at-a-glance list) on a page that also has a
    dosage bar."""
    pages = [pdf.flat(i) for i in range(pdf.pages)]
    found = []
    for n, item in enumerate(program.items, start=1):
        on = [i for i, text in enumerate(pages)
              if own_headings(text, n, item) and DOSAGE in text]
        assert len(on) == 1, (item.exercise.id, "heading not found once", on)
        found.append(on[0])
    return found


def exercise_heights(program: Program, layout: str, paper: str) -> tuple[list[float], float]:
    """Each exercise's block as the layout sets it in a full frame of its pages (a
    column, in compact), and that frame's height, in points."""
    builder, options, width, height = _builder(program, layout, paper)
    return ([builder.exercise(n, item, options).wrap(width, 100_000)[1]
             for n, item in enumerate(program.items, start=1)], height)


def assert_whole_and_in_order(pdf: Pdf, program: Program, layout: str = "classic",
                              paper: str = "letter") -> list[str]:
    """Every exercise prints whole on the page its heading is on, in the program's
    order; only one taller than a whole frame of the layout's pages (a column, in
    compact) may go on at the top of the next page under "N. Title (continued)" (and the
    page after, if need be), and then nothing of it is lost. Returns the ids of the
    exercises that went on."""
    pages = [pdf.flat(i) for i in range(pdf.pages)]
    starts = heading_pages(pdf, program)
    heights, frame = exercise_heights(program, layout, paper)
    flowed: list[str] = []
    for n, (item, page, height) in enumerate(zip(program.items, starts, heights,
                                                 strict=True), start=1):
        # (the right column of the heading's own page may go on under "(continued)" too:
        # see assert_column_breaks_titled)
        later = [i for i, text in enumerate(pages)
                 if i != page and continued(n, item) in text]
        # (one taller than a column may still print whole on one page, from the foot of
        # its left column on into the right one)
        assert not later or height > frame, (item.exercise.id, "splits but fits a page",
                                             height, frame)
        assert later == list(range(page + 1, page + 1 + len(later))), (item.exercise.id,
                                                                      page, later)
        text = pages[page]
        if later:  # its text without the page furniture where it breaks
            footer = CATALOG.t("handout.page_of", page=page + 1, pages=pdf.pages)
            text = text[:text.rindex(footer)]
            for i in later:
                go_on = pages[i][pages[i].index(continued(n, item))
                                 + len(continued(n, item)):]
                if i != later[-1]:
                    go_on = go_on[:go_on.rindex(
                        CATALOG.t("handout.page_of", page=i + 1, pages=pdf.pages))]
                text = f"{text.rstrip()} {go_on.lstrip()}"
        for part in parts(item):
            assert part in text, (item.exercise.id, "splits across pages", part)
        if later:
            flowed.append(item.exercise.id)
    assert starts == sorted(starts)
    return flowed


def assert_page_one_and_safety_box(pdf: Pdf, program: Program, contact: str) -> None:
    """Page 1 carries the title block and, right after it, the safety box (before
    exercise 1, wherever exercise 1 prints: the box is never alone on a page); the box is
    on no other page, every other page's footer points to page 1; the box names who to
    call (``contact``: "Call Sam Lee, PT at")."""
    first = pdf.flat(0)
    title = squeeze(program.title or CATALOG.t("handout.title"))
    assert title in first and CATALOG.t("handout.prepared_for") in first
    if program.patient_name:
        assert squeeze(program.patient_name) in first
    # the box's own first line (an education section may name the box by its title)
    on = [i for i in range(pdf.pages) if SAFETY_INTRO in pdf.flat(i)]
    assert on == [0], on
    box = first.index(SAFETY_TITLE)
    assert first.index(title) < box < first.index(SAFETY_INTRO)
    assert all(at > box for at in own_headings(first, 1, program.items[0])), "after exercise 1"
    assert contact in first
    pointer = CATALOG.t("safety.pointer", page=1)
    for i in range(pdf.pages):
        assert (pointer in pdf.flat(i)) == (i != 0), i


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


def assert_column_breaks_titled(pdf: Pdf, program: Program) -> int:
    """In a two-column handout, an exercise whose title is in the left column and some
    of whose steps are in the right column of the same page goes on there under "N.
    Title (continued)". Returns how many exercises went on so."""
    runs = text_runs(pdf)
    went_on = 0
    titles = [f"{n}. {squeeze(item.exercise.title)}"[:20]
              for n, item in enumerate(program.items, start=1)]
    starts = [next(i for i, r in enumerate(runs) if r[2].startswith(t)) for t in titles]
    for n, item in enumerate(program.items, start=1):
        at = starts[n - 1]
        end = starts[n] if n < len(starts) else len(runs)
        page, column = runs[at][:2]
        firsts = [" ".join(step.split()[:3]) for step in item.exercise.steps]
        right = [r for r in runs[at:end] if r[0] == page and r[1] == 1
                 and any(r[2].startswith(f) for f in firsts)]
        if column == 0 and right:
            went_on += 1
            assert continued(n, item) in pdf.flat(page), (item.exercise.id, page)
    return went_on


def assert_compact_headings_kept(pdf: Pdf, program: Program) -> None:
    """In a two-column handout, the title, the dosage bar and "Why it helps" of each
    exercise are in the same column of the same page."""
    runs = text_runs(pdf)
    for n, item in enumerate(program.items, start=1):
        title = f"{n}. {squeeze(item.exercise.title)}"[:20]
        at = next(i for i, r in enumerate(runs) if r[2].startswith(title))
        dosage = next(i for i in range(at, len(runs)) if runs[i][2].startswith(DOSAGE))
        purpose = next(i for i in range(at, len(runs))
                       if runs[i][2].startswith("Why it helps:"))
        place = runs[at][:2]
        assert runs[dosage][:2] == place == runs[purpose][:2], (item.exercise.id, n)


def picture_sizes(library: Library, layout: str, paper: str, *,
                  large_print: bool = False) -> dict[str, tuple[float, float, float]]:
    """Every drawing of ``library`` as the layout prints it: (width, height, the person's
    long side) in points."""
    page, family = page_setup(paper, None, large_print=large_print)
    program = Program(date=dt.date(2026, 11, 21),
                      items=tuple(Item(e, e.dosage) for e in library.exercises.values()
                                  if e.picture is not None), large_print=large_print)
    request = LayoutRequest(program=program, branding=DEFAULT_BRANDING, paper=paper,
                            catalog=catalog("en"), family=family, page=page,
                            large_print=large_print)
    chosen = CLASSIC if layout == "classic" else COMPACT
    builder = StoryBuilder(program, request.catalog, chosen.styles(request))
    options = builder.sized(CLASSIC.OPTIONS if layout == "classic"
                            else COMPACT.options(request))
    out: dict[str, tuple[float, float, float]] = {}
    for item in program.items:
        picture = item.exercise.picture
        assert picture is not None
        shape = drawing_shape(picture)
        # classic's picture column is wider for a drawing whose two panels then fit side
        # by side
        width = (picture_column_width(picture, options) if options.arrangement == "row"
                 else options.picture_width)
        (flowable,) = builder.pictures(item, width, options.picture_height,
                                       panel=True, min_person=options.min_person)
        w, h = flowable.wrap(width, 1000)
        person = float(getattr(flowable, "scale", 0.0)) * max(shape.person_width,
                                                               shape.person_height)
        out[item.exercise.id] = (w, h, person)
    return out


def assert_pictures_can_be_seen(library: Library, paper: str) -> None:
    """The person in every drawing is at least 1.5 in on their long side in classic (a
    lying person too: wide, short panels) and 1.1 in in compact, never larger in compact
    than in classic."""
    classic = picture_sizes(library, "classic", paper)
    compact = picture_sizes(library, "compact", paper)
    drawn = {e.id for e in library.exercises.values() if e.picture is not None}
    assert drawn and set(classic) == set(compact) == drawn
    for ident in drawn:
        assert classic[ident][2] >= 1.5 * INCH - 0.5, (ident, classic[ident][2] / INCH)
        assert compact[ident][2] >= 1.1 * INCH - 0.5, (ident, compact[ident][2] / INCH)
        assert compact[ident][2] <= classic[ident][2] + 0.01, ident
