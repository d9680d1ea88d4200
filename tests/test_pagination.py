"""The built-in layouts' pagination promises, on the fixture library (tests/fixtures/library,
see tests/library_fixture.py): page counts, page breaks, where the boxes land, exercises
kept whole, large exercises split, pictures and dosage bars at print size.

The fixture's wording belongs to these tests, so rewriting the text of rxprint's own
library changes none of them; the same checks on the real handouts are in
test_print_quality.py.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import cast

import pytest
from click.testing import Result

from rxprint.language.messages import catalog
from rxprint.library.branding import DEFAULT_BRANDING
from rxprint.library.dosage import Side
from rxprint.library.loader import Library, builtin_library
from rxprint.library.model import Item, Program
from rxprint.library.plain_language import check_education, check_exercise
from rxprint.render import story as story_module
from rxprint.render.builtin_layouts import CLASSIC, COMPACT
from rxprint.render.document import page_setup
from rxprint.render.flowables import FillerPool, SideBySide
from rxprint.render.handout import render_handout
from rxprint.render.layout_base import LayoutRequest
from rxprint.render.planner import SLACK, Frames, Measured, plan, simulate
from rxprint.render.story import StoryBuilder
from rxprint.render.story_text import BalancedLine

from .conftest import Pdf, built
from .library_fixture import (
    FIXTURE_PROGRAMS,
    LIBRARY_DIR,
    GapFilling,
    fixture_library,
    handout,
    make_program,
    use_fixture_library,
)
from .page_checks import (
    DOSAGE,
    SAFETY_INTRO,
    assert_column_breaks_titled,
    assert_compact_headings_kept,
    assert_page_one_and_safety_box,
    assert_pictures_can_be_seen,
    assert_short_pages_had_no_box_to_fill_them,
    assert_whole_and_in_order,
    continued,
    exercise_heights,
    lowest_text,
    own_headings,
    parts,
    squeeze,
)

Run = Callable[..., Result]
Writer = Callable[[str, "str | bytes"], Path]
PAPERS = ["letter", "a4"]
LAYOUTS = ["classic", "compact"]
LAYOUTS_BY_NAME = {"classic": CLASSIC, "compact": COMPACT}


# -- the fixture library itself ------------------------------------------------------------


def test_the_fixture_library_validates_and_covers_what_the_tests_need(
        run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    result = run("validate", str(LIBRARY_DIR))
    assert result.exit_code == 0, result.output
    files = len(list(LIBRARY_DIR.rglob("*.toml")))
    lib = fixture_library()
    # its text is longer than plain language allows in places (getting-down-to-the-floor
    # and living-with-stiff-joints on purpose, for the pagination tests): warnings, on
    # stderr, one per limit an entry goes past, and no problem
    findings = {**{e.path: check_exercise(e) for e in lib.exercises.values()},
                **{s.path: check_education(s) for s in lib.education.values()}}
    count = sum(len(found) for found in findings.values())
    warned = result.stderr.splitlines()
    assert len(warned) == count and all(line.startswith(f"warning: {LIBRARY_DIR}/")
                                        for line in warned), result.stderr
    for path, found in findings.items():
        assert sum(line.startswith(f"warning: {path}:") for line in warned) == len(found)
    assert findings[lib.exercises["getting-down-to-the-floor"].path]
    assert findings[lib.education["living-with-stiff-joints"].path]
    assert result.stdout == (f"OK: {files} files checked, no problems, {count} "
                             "plain-language warnings.\n")
    exercises = list(lib.exercises.values())
    assert {e.category for e in exercises} == {"stretch", "mobility", "strengthening",
                                              "self-massage", "posture"}
    drawn = [e for e in exercises if e.picture is not None]
    assert 0 < len(drawn) < len(exercises)  # with and without drawings
    postures = {f.posture for e in drawn if e.picture for f in e.picture.frames}
    assert {"lying-on-back", "standing", "sitting"} <= postures
    assert sorted(len(p.entries) for p in lib.programs.values()) == [4, 6, 8]
    assert len(lib.education) == 2
    # through its folder plugin, beside the built-in library (its ids are its own)
    use_fixture_library(monkeypatch)
    listing = run("programs").output
    for ident in FIXTURE_PROGRAMS:
        assert ident in listing, listing
    assert all(ident in listing for ident in builtin_library().programs)


# -- page counts and layouts ---------------------------------------------------------------


@pytest.mark.parametrize(("pictures", "pages"), [(True, 4), (False, 3)])
def test_compact_fits_six_exercises_on_four_letter_pages_two_without_pictures(
        run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pictures: bool,
        pages: int) -> None:
    """Six exercises of typical length and both sections (one long): every part of every
    exercise within 4 Letter pages with pictures, 3 without (the plan puts the long
    section between exercises so the last page is not near empty); at most 4 pages in
    all, the last at least a third full."""
    lib = use_fixture_library(monkeypatch)
    program = make_program("stiff-legs-at-home")
    assert len(program.items) == 6
    result = run("build", "--template", "stiff-legs-at-home", "--layout", "compact",
                 "--patient", "Jane Doe", "--clinician", "Sam Lee, PT", "-o", "c.pdf",
                 "--no-log",  # the page budget counts the handout without its log
                 *([] if pictures else ["--no-pictures"]))
    assert result.exit_code == 0, result.output
    pdf = Pdf((tmp_path / "c.pdf").read_bytes())
    first = " ".join(pdf.flat(i) for i in range(pages))
    for item in program.items:
        for part in parts(item):
            assert part in first, (item.exercise.id, part)
    assert pdf.pages <= 4
    assert sum(lowest_text(pdf, pdf.pages - 1, 2)) / 2 >= 1 / 3
    assert "When to contact your clinician" in pdf.flat()
    assert all(squeeze(e.title) in pdf.flat() for e in lib.education.values())


def test_classic_is_the_default_and_compact_is_shorter(
        run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    use_fixture_library(monkeypatch)
    template = ("--template", "strength-and-balance")
    for args in ((), ("--layout", "classic"), ("--layout", "compact")):
        name = f"{args[-1] if args else 'default'}.pdf"
        assert run("build", *template, *args, "-o", name).exit_code == 0
    a, b, c = (Pdf((tmp_path / n).read_bytes())
               for n in ("default.pdf", "classic.pdf", "compact.pdf"))
    assert a.data == b.data
    assert c.pages < a.pages


@pytest.mark.parametrize("paper", PAPERS)
@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("template", FIXTURE_PROGRAMS)
def test_without_a_plan_a_page_is_left_short_only_when_no_waiting_box_fits_there(
        template: str, layout: str, paper: str) -> None:
    """Without the plan (a layout that gives ``exercises`` no frames), the boxes fill the
    space an exercise leaves at a page's foot (first fit): a page less than two thirds
    full is one that no box still to come would have fitted. (That every page but the
    last is two thirds full is a property of the standard programs, checked in
    test_print_quality.py; the fixture has pages the boxes cannot fill.)"""
    assert_short_pages_had_no_box_to_fill_them(
        handout(template, layout, paper, plan=False), make_program(template), layout, paper)


def test_the_short_page_check_fails_when_the_boxes_fill_no_gap(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The check above can fail: with no box standing in any gap, stiff-legs-at-home
    leaves pages short that a box would have filled; with them it has one short page
    (on A4), which no box fits."""
    program = make_program("stiff-legs-at-home")
    assert assert_short_pages_had_no_box_to_fill_them(
        handout("stiff-legs-at-home", "classic", "a4", plan=False), program, "classic",
        "a4") == 1
    monkeypatch.setattr(FillerPool, "choose", lambda self, width, space: [])
    pdf = Pdf(render_handout(program, layout=GapFilling("classic"), paper="a4").pdf)
    with pytest.raises(AssertionError):
        assert_short_pages_had_no_box_to_fill_them(pdf, program, "classic", "a4")


Planned = dict[str, object]


def planned(monkeypatch: pytest.MonkeyPatch, template: str, layout: str,
            paper: str) -> tuple[Pdf, Planned]:
    """A handout made with the plan, and what the plan was given and chose."""
    seen: Planned = {}

    def spy(anchors: list[Measured], movable: list[Measured], frames: Frames,
            ranges: list[tuple[int, int] | None] | None = None) -> tuple[int, ...] | None:
        slots = plan(anchors, movable, frames, ranges)
        seen.update(anchors=anchors, movable=movable, frames=frames, slots=slots)
        return slots

    monkeypatch.setattr(story_module, "plan", spy)
    program = make_program(template)
    pdf = Pdf(render_handout(program, layout=LAYOUTS_BY_NAME[layout], paper=paper).pdf)
    return pdf, seen


@pytest.mark.parametrize("paper", PAPERS)
@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("template", FIXTURE_PROGRAMS)
def test_the_plan_predicts_the_pages_and_never_adds_one(
        monkeypatch: pytest.MonkeyPatch, template: str, layout: str, paper: str) -> None:
    """The plan places the education sections on the measured heights of the blocks: the
    handout it makes has the pages and the page fill it predicted (to 5 % of a page), and
    never more pages than the sections filling the gaps as they come. A plan is made
    unless a block is taller than a frame (it would split)."""
    pdf, seen = planned(monkeypatch, template, layout, paper)
    assert seen, "no plan was asked for"
    frames = seen["frames"]
    assert isinstance(frames, Frames)
    anchors = cast(list[Measured], seen["anchors"])
    movable = cast(list[Measured], seen["movable"])
    slots = cast("tuple[int, ...] | None", seen["slots"])
    tallest = max(h for h, *_ in [*anchors, *movable])
    assert (slots is None) == (tallest > max(frames.rest) - SLACK), (slots, tallest)
    if slots is not None:
        blocks: list[Measured] = []
        for i, anchor in enumerate(anchors):
            blocks += [anchor, *(m for m, slot in zip(movable, slots, strict=True)
                                 if slot == i)]
        predicted = simulate(blocks, frames)
        assert predicted is not None and predicted.pages == pdf.pages
        columns = 2 if layout == "compact" else 1
        fills = [sum(lowest_text(pdf, i, columns)) / columns for i in range(pdf.pages)]
        assert all(abs(f - p) <= 0.05 for f, p in zip(fills, predicted.fills, strict=True)), \
            (fills, predicted.fills)
    assert pdf.pages <= handout(template, layout, paper, plan=False).pages


# -- where the exercises and the boxes land --------------------------------------------------


@pytest.mark.parametrize("paper", PAPERS)
@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("template", FIXTURE_PROGRAMS)
def test_page_one_carries_the_title_block_and_the_safety_box(
        template: str, layout: str, paper: str) -> None:
    """The safety box is in the same place in every handout: page 1, right after the
    title block, before exercise 1; every other page points to it. (short-daily-routine
    on classic Letter once left it alone on a page 3 of its own, after the last
    exercise.)"""
    assert_page_one_and_safety_box(handout(template, layout, paper), make_program(template),
                                   "Call Sam Lee, PT at")


@pytest.mark.parametrize("paper", PAPERS)
@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("template", FIXTURE_PROGRAMS)
def test_exercises_keep_the_programs_order_and_stay_whole(template: str, layout: str,
                                                          paper: str) -> None:
    """Each exercise whole on one page; only getting-down-to-the-floor, the fixture's
    longest, may be taller than a page (it is taller than a compact column), and then
    goes on under its "(continued)" title."""
    program = make_program(template)
    flowed = assert_whole_and_in_order(handout(template, layout, paper), program, layout,
                                       paper)
    longest = "getting-down-to-the-floor"
    assert set(flowed) <= {longest}
    if layout == "compact" and any(item.exercise.id == longest for item in program.items):
        assert flowed == [longest]


@pytest.mark.parametrize("paper", PAPERS)
@pytest.mark.parametrize("template", FIXTURE_PROGRAMS)
def test_compact_keeps_each_heading_with_its_dosage_picture_and_first_lines(
        template: str, paper: str) -> None:
    assert_compact_headings_kept(handout(template, "compact", paper), make_program(template))


def test_an_exercise_going_on_in_the_right_column_repeats_its_title() -> None:
    """Issue 17: never split across a column without the title repeated."""
    went_on = 0
    for template in FIXTURE_PROGRAMS:
        for paper in PAPERS:
            went_on += assert_column_breaks_titled(handout(template, "compact", paper),
                                                   make_program(template))
    assert went_on  # the fixture has exercises that go on into the right column


def test_exercises_never_split_across_pages(run: Run, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """Every exercise of the library in one handout: each prints whole on one page (but
    one taller than a page)."""
    lib = use_fixture_library(monkeypatch)
    ids = tuple(lib.exercises)
    assert run("build", *[a for i in ids for a in ("-e", i)], "-o", "all.pdf").exit_code == 0
    pdf = Pdf((tmp_path / "all.pdf").read_bytes())
    assert pdf.pages >= 5
    assert set(assert_whole_and_in_order(pdf, make_program(exercises=ids))) <= {
        "getting-down-to-the-floor"}  # the only one that may be taller than a page


PROGRAM_FILE = '''\
template = "stiff-legs-at-home"
date = 2026-11-21
clinician = "Sam Lee, PT, DPT"
notes = "Do these after your evening walk."
[patient]
name = "Jane Doe"
'''


def test_the_safety_box_shares_its_page_and_the_education_sections_print(
        run: Run, write: Writer, monkeypatch: pytest.MonkeyPatch) -> None:
    lib = use_fixture_library(monkeypatch)
    write("visit.toml", PROGRAM_FILE)
    pdf = built(run, "visit.toml")
    text = pdf.flat()
    program = lib.programs["stiff-legs-at-home"]
    for ident in program.education:
        section = lib.education[ident]
        assert squeeze(section.title) in text
        for paragraph in (*section.paragraphs, *section.bullets):
            assert squeeze(paragraph) in text, paragraph
    pages = [pdf.flat(i) for i in range(pdf.pages)]
    on = [i for i, page in enumerate(pages) if SAFETY_INTRO in page]
    assert on == [0]
    page = pages[0]
    c = catalog("en")
    for line in (*c.items("safety.stop_now"), c.t("safety.urgent"),
                 *c.items("safety.urgent_items")):
        assert squeeze(line) in page, line
    assert squeeze(f"{c.t('safety.before_label')}: {c.t('safety.before')}") in page
    # no clinic in the neutral branding: the clinician named on the program is
    assert "Call Sam Lee, PT, DPT at ____" in page
    # the clinician's notes are in the title block, above the box
    assert page.index("Do these after your evening walk.") < page.index(SAFETY_INTRO)


# -- an education section printed by the first exercise of a category ---------------------

# the category given to "Pacing your exercises" (``before``), the exercises, and the
# number of the first exercise of that category (None: no exercise has it)
# (the cases between them put it where it would not have stood as an ordinary
# section, in each layout, with the plan and without)
BEFORE_CASES = {
    "stretch-is-exercise-2": ("stretch", ("heel-raises-at-counter", "single-knee-hug",
                                          "wall-push-up", "seated-marching",
                                          "calf-stretch-at-wall"), 2),
    "stretch-is-exercise-4": ("stretch", ("wall-push-up", "chin-tuck",
                                          "heel-raises-at-counter", "calf-stretch-at-wall",
                                          "seated-marching"), 4),
    "stretch-is-exercise-1": ("stretch", ("calf-stretch-at-wall", "heel-raises-at-counter",
                                          "single-knee-hug"), 1),
    "no-such-exercise": ("self-massage", ("heel-raises-at-counter", "single-knee-hug",
                                          "chin-tuck", "wall-push-up"), None),
}


def library_with_before(tmp_path: Path, category: str) -> Library:
    """The fixture library, its "Pacing your exercises" given ``before = category`` in
    its file."""
    folder = tmp_path / "library"
    shutil.copytree(LIBRARY_DIR, folder)
    path = folder / "education" / "pacing-your-exercises.toml"
    path.write_text(path.read_text(encoding="utf-8") + f'before = "{category}"\n',
                    encoding="utf-8")
    return Library.from_dirs([folder])


@pytest.mark.parametrize("plan", [True, False], ids=["plan", "gap-filling"])
@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("case", BEFORE_CASES)
def test_a_section_with_before_prints_by_the_first_exercise_of_its_category(
        tmp_path: Path, case: str, layout: str, plan: bool) -> None:
    """A section with ``before`` prints just before the first exercise of its category,
    or (with the plan, when that fits better) just after it: no other exercise between;
    one whose category no exercise has prints like the other sections. The safety box
    stays first."""
    category, ids, number = BEFORE_CASES[case]
    lib = library_with_before(tmp_path, category)
    section, other = (lib.education["pacing-your-exercises"],
                      lib.education["living-with-stiff-joints"])
    assert section.before == category and other.before is None
    program = Program(log=False, date=dt.date(2026, 11, 21),
                      items=tuple(Item(lib.exercises[i], lib.exercises[i].dosage)
                                  for i in ids),
                      education=(section, other), clinician="Sam Lee, PT")
    firsts = [n for n, item in enumerate(program.items, start=1)
              if item.exercise.category == category]
    assert (firsts[0] if firsts else None) == number
    layout_used = LAYOUTS_BY_NAME[layout] if plan else GapFilling(layout)
    text = Pdf(render_handout(program, layout=layout_used).pdf).flat()
    # every block by where it starts: the safety box, the exercises, the sections
    title = squeeze(section.title)
    assert text.count(title) == 1  # (the long other section may go on: "(continued)")
    for part in (*section.paragraphs, *section.bullets):  # whole, under its title
        assert text.index(squeeze(part)) > text.index(title), part
    starts = {"safety": text.index(SAFETY_INTRO), "section": text.index(title),
              "other": text.index(squeeze(other.title))}
    for n, item in enumerate(program.items, start=1):
        (starts[f"exercise {n}"],) = own_headings(text, n, item)
    order = sorted(starts, key=starts.__getitem__)
    assert order[0] == "safety"
    exercises = [b for b in order if b not in ("other",)]  # the section among the exercises
    at = exercises.index("section")
    if number is None:  # anywhere, like the other section
        return
    before, after = exercises[at - 1], exercises[at + 1] if at + 1 < len(exercises) else None
    just_before = after == f"exercise {number}"
    just_after = before == f"exercise {number}"
    assert just_before or (plan and just_after), (order, number)


# -- exercises larger than a page, dosage bars, side notes ------------------------------------


def test_an_exercise_taller_than_a_page_flows_and_loses_nothing(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The grid's two side-by-side parts (the pictures beside the steps; tips beside
    when to stop) must not become unsplittable blocks: in a huge exercise both split,
    what does not fit beside goes on full width, and the exercise continues on the next
    page under its "(continued)" title."""
    fallbacks: list[int] = []
    real_split = SideBySide.split

    def spy(self: SideBySide, width: float, height: float) -> list[object]:
        parts = real_split(self, width, height)
        if len(parts) > 1:
            fallbacks.append(len(parts))
        return parts

    monkeypatch.setattr(SideBySide, "split", spy)

    base = fixture_library().exercises["heel-raises-at-counter"]
    steps = tuple(f"Step {i} " + "move slowly and keep breathing " * 9 + f"end{i}."
                  for i in range(1, 11))
    cautions = tuple(f"Caution {i}: " + "stop if it hurts " * 12 + f"stop{i}."
                     for i in range(1, 7))
    huge = replace(base, steps=steps, cautions=cautions)
    result = render_handout(Program(date=dt.date(2026, 11, 21),
                                    items=(Item(huge, huge.dosage),) * 2))
    assert result.pages >= 3
    pdf = Pdf(result.pdf)
    text = pdf.flat()
    for i in range(1, 11):
        assert text.count(f"end{i}.") == 2
    for i in range(1, 7):
        assert text.count(f"stop{i}.") == 2
    assert len(fallbacks) == 4  # each exercise: the picture row, then tips and cautions
    for n in (1, 2):
        later = [i for i in range(pdf.pages)
                 if continued(n, Item(huge, huge.dosage)) in pdf.flat(i)]
        assert later and "end10." in " ".join(pdf.flat(i) for i in later), n


def test_the_dosage_bar_never_leaves_one_part_alone() -> None:
    lib: Library = fixture_library()
    page, family = page_setup("letter", None)
    program = Program(date=dt.date(2026, 11, 21),
                      items=tuple(Item(e, e.dosage) for e in lib.exercises.values()))
    styles = COMPACT.styles(LayoutRequest(program=program, branding=DEFAULT_BRANDING,
                                          paper="letter", catalog=catalog("en"),
                                          family=family, page=page))
    builder = StoryBuilder(program, catalog("en"), styles)
    column = (page.body[2] - COMPACT.GAP) / 2
    wrapped = []
    for item in program.items:
        bar = builder.dosage(item)
        assert isinstance(bar, BalancedLine)
        _, height = bar.wrap(column, 1000)
        if height > styles.dosage.leading * 1.5:
            wrapped.append(item.exercise.id)
            assert bar._para is not None
            second = bar._para.text.split("<br/>")[1]
            if len(bar.parts) > 2:
                assert bar.separator in second, item.exercise.id
    assert "wall-push-up" in wrapped  # the check ran on a real two-line bar


def test_a_one_sided_prescription_overrides_switch_side_steps() -> None:
    """single-leg-stand's steps end "switch to the other leg": prescribed for the right
    side only, the handout says so under the steps; each side, it says nothing more."""
    stand = fixture_library().exercises["single-leg-stand"]
    assert any("other leg" in step for step in stand.steps)
    for side, expected in ((Side.RIGHT, True), (Side.EACH, False)):
        item = Item(stand, replace(stand.dosage, side=side))
        pdf = Pdf(render_handout(Program(date=dt.date(2026, 11, 21), items=(item,))).pdf)
        assert ("Do this on your right side only." in pdf.flat()) == expected, side


@pytest.mark.parametrize("paper", PAPERS)
def test_pictures_can_be_seen_lying_sitting_and_standing(paper: str) -> None:
    assert_pictures_can_be_seen(fixture_library(), paper)


# -- classic: one grid for every exercise -------------------------------------------------


def runs_by_page(pdf: Pdf) -> list[list[tuple[float, float, str]]]:
    """Every text run of each page, in the order drawn: (x, y, text)."""
    pages: list[list[tuple[float, float, str]]] = []
    for page in pdf.reader.pages:
        runs: list[tuple[float, float, str]] = []

        def visit(text: str, cm: list[float], tm: list[float], font: object,
                  size: float, runs: list[tuple[float, float, str]] = runs) -> None:
            if text.strip():
                runs.append((cm[4] + tm[4] * cm[0], cm[5] + tm[5] * cm[3],
                             " ".join(text.split())))
        page.extract_text(visitor_text=visit)
        pages.append(runs)
    return pages


@pytest.mark.parametrize("paper", PAPERS)
@pytest.mark.parametrize("template", FIXTURE_PROGRAMS)
def test_classic_sets_every_exercise_on_one_grid(template: str, paper: str) -> None:
    """The title across the page; with a drawing, the pictures and the dosage under them
    in a column of their own (at least 2.5 in wide) and beside them why it helps, the
    starting position and the steps; without, the dosage bar under the title and the
    text full width; under that, the tips in the left half and when to stop in the
    right, side by side."""
    c = catalog("en")
    label = {key: c.t(f"handout.{key}") for key in ("purpose", "position", "steps", "cues",
                                                  "cautions")}
    program = make_program(template)
    pdf = handout(template, "classic", paper)
    page, _ = page_setup(paper, None)
    left, width = page.body[0], page.body[2]
    gap = CLASSIC.OPTIONS.gap
    heights, frame = exercise_heights(program, "classic", paper)
    pages = runs_by_page(pdf)
    checked = 0
    for n, (item, height) in enumerate(zip(program.items, heights, strict=True), start=1):
        if height > frame:
            continue  # taller than a page: it goes on (see above)
        ex = item.exercise
        found = [(p, i) for p, runs in enumerate(pages) for i, run in enumerate(runs)
                 if run[2].startswith(f"{n}. {ex.title[:12]}")]
        assert len(found) == 1, (ex.id, found)
        p, i = found[0]
        runs = pages[p][i:]
        title_y = runs[0][1]

        def first(text: str, runs: list[tuple[float, float, str]] = runs,
                  ex_id: str = ex.id) -> tuple[float, float]:
            at = next((r for r in runs if r[2].startswith(text)), None)
            assert at is not None, (ex_id, text)
            return at[0], at[1]

        dosage = first(DOSAGE)
        why, position, how = (first(f"{label['purpose']}:"), first(f"{label['position']}:"),
                              first(label["steps"]))
        stop = first(label["cautions"])
        # the last step's number (a run of its own, in the steps' hanging indent)
        last_step = next(((x, y) for x, y, text in runs[1:]
                          if text == f"{len(ex.steps)}." and y < how[1]), (0.0, 0.0))
        assert title_y > why[1] > position[1] > how[1] > last_step[1] > stop[1], ex.id
        assert why[0] == pytest.approx(position[0]) == pytest.approx(how[0]), ex.id
        if ex.picture is not None:  # the dosage under the pictures, the text beside them
            assert dosage[0] < left + 12 and dosage[1] < why[1], ex.id
            assert why[0] >= left + CLASSIC.OPTIONS.picture_width + gap - 1, ex.id
            assert dosage[1] > stop[1], ex.id
        else:  # the dosage bar under the title, the text full width
            assert title_y > dosage[1] > why[1] and why[0] < left + 6, ex.id
        # the halves: tips left, when to stop right, their labels on one line
        assert stop[0] == pytest.approx(left + (width + gap) / 2, abs=2), ex.id
        if ex.cues:
            tips = first(label["cues"])
            assert tips[0] < left + 6 and tips[1] == pytest.approx(stop[1], abs=1), ex.id
        checked += 1
    assert checked >= len(program.items) - 1
