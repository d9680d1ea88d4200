"""One exercise as flowables: its parts, its pictures, and how they are arranged (a row
with the pictures in a column of their own, or a column with the pictures above).

Nothing here reads files (photos excepted, prepared once per handout), the clock or
global settings.
"""

from __future__ import annotations

import functools
import io
from dataclasses import dataclass, replace
from typing import Literal

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, Image, Spacer, Table
from reportlab.platypus.tables import TableStyle

from rxprint.figures.scene import Colour
from rxprint.figures.spec import Picture
from rxprint.files.images import prepare_image
from rxprint.library.model import Item
from rxprint.render.compat import MemoParagraph as Paragraph
from rxprint.render.drawings import DrawingShape, PictureFlowable, QrCode, shape_in
from rxprint.render.flowables import (
    NO_PADDING,
    Block,
    Candidate,
    ColumnBlock,
    Flexible,
    Shortest,
    SideBySide,
)
from rxprint.render.story_text import BalancedLine, TextPieces
from rxprint.render.styles import CAUTION, table_font

INCH = 72.0
MIN_PERSON = 1.1 * INCH  # no person in a drawing prints smaller on their long side
LARGE_PERSON = 2.0 * INCH  # large print: every person at least this long
LARGE_PRINT_PICTURES = 4 / 3  # large print: the picture column grows as the type does
LARGE_WIDEST = 3.75 * INCH  # large print: the widest picture column beside the text
QR_SIZE = 1.0 * INCH  # a video's QR code, its quiet margin in: large enough to scan
QR_LARGE = 1.3 * INCH  # in large print


@dataclass(frozen=True)
class ExerciseOptions:
    """How :meth:`StoryBuilder.exercise` sets one exercise. Sizes are in points
    (72 to the inch).

    :param arrangement: ``"row"``: the pictures in a column of their own
        (``picture_width`` wide) beside the text; ``"column"``: the pictures above the
        text, for narrow columns.
    :param picture_width: the width of the picture column (row) or the pictures'
        greatest width (column); 0 leaves the pictures out of this exercise.
    :param picture_height: the pictures' greatest height.
    :param run_in: tips and "when to stop" as one paragraph each
        ("Tips: first • second"), for small type and narrow columns.
    :param gap: the space between the picture column and the text (row).
    :param side_picture_width: (column) the pictures may instead stand beside the
        dosage, why it helps and the starting position, in a column this wide (or wider,
        by 0.2 inch steps, until the person prints at least 1.1 inches), when that makes
        the exercise shorter; None: always above.
    :param short_picture_height: (row) the pictures may be this short when that lets the
        exercise fit the space left on a page (the person never below ``min_person``);
        None: never (one grid: every exercise's pictures at their size).
    :param min_person: the person in each drawing prints at least this long on their
        long side (a standing person's height, a lying person's length); the drawing
        grows taller (never wider) for it. Never below rxprint's floor, 1.1 inches.
    :param wide_picture_width: (row) a drawing gets a picture column up to this wide
        when it is too wide to print its person ``min_person`` long in
        ``picture_width``, or when its two panels then stand side by side (shorter than
        one above the other); None: never wider.
    """

    arrangement: Literal["row", "column"] = "row"
    picture_width: float = 2.5 * INCH
    picture_height: float = 2.3 * INCH
    run_in: bool = False
    gap: float = 14.0
    short_picture_height: float | None = None
    side_picture_width: float | None = None
    min_person: float = 1.5 * INCH
    wide_picture_width: float | None = 3.5 * INCH

    def large_print(self) -> ExerciseOptions:
        """These options for a large-print handout: every person at least 2 inches long
        on their long side, the picture column and its limits a third larger (tips and
        "when to stop" as lists: run-in text is harder to follow)."""
        grow = LARGE_PRINT_PICTURES
        # a row's text column keeps at least about 3.3 inches (30 letters at 16 pt)
        widest = LARGE_WIDEST if self.arrangement == "row" else float("inf")
        return replace(self, run_in=False, min_person=max(self.min_person, LARGE_PERSON),
                       picture_width=min(self.picture_width * grow, widest),
                       picture_height=self.picture_height * grow,
                       side_picture_width=None, short_picture_height=None,
                       wide_picture_width=(min(self.wide_picture_width * grow, widest)
                                           if self.wide_picture_width is not None else None))


class ExercisePieces(TextPieces):
    """An exercise's flowables: its pictures, its dosage bar, the whole exercise as one
    block arranged as :class:`ExerciseOptions` says."""

    def pictures(self, item: Item, width: float, max_height: float, *,
                 panel: bool = False, min_height: float = 0.0,
                 min_person: float = 0.0) -> list[Flowable]:
        """The exercise's drawing (vector), then its photos, each as large as fits
        ``width`` by ``max_height`` points. ``panel``: each in a thin frame as wide as
        ``width`` and at least ``min_height`` tall (0: the frame hugs the drawing).
        ``min_person``: the drawing grows taller than ``max_height`` (never wider than
        ``width``) until its person is at least this long on their long side (panels
        always print them at least 1.1 inches). An empty list when pictures are off, the
        exercise has none, or the box is empty (a layout's way to leave them out). Each
        photo is embedded once per PDF."""
        out: list[Flowable] = []
        if not self.show_pictures or width <= 0 or max_height <= 0:
            return out
        if item.exercise.picture is not None:
            accent = self.styles.accent
            picture = item.exercise.picture
            person = max(min_person, MIN_PERSON if panel else 0.0)
            colour = (accent.red, accent.green, accent.blue)
            scale = person / _long_side(shape_in(picture, colour))
            height = (_person_sized_height(picture, colour, width, max_height, scale, panel)
                      if min_person else max_height)
            out.append(PictureFlowable(picture, colour, width, height, panel=panel,
                                       min_height=min_height, min_scale=scale))
        for path in item.exercise.images:
            prepared = self._images.get(path)
            if prepared is None:
                prepared = prepare_image(path, width, max_height)
                self._images[path] = prepared
            w = min(width, max_height * prepared.aspect)
            picture = Image(io.BytesIO(prepared.data), width=w, height=w / prepared.aspect)
            picture.hAlign = "CENTER" if panel else "LEFT"
            if out:
                picture.spaceBefore = 6
            out.append(picture)
        return out

    def dosage(self, item: Item, style: ParagraphStyle | None = None) -> Flowable:
        """'How much: ...' in the dosage bar (``style``, default ``styles.dosage``): it
        breaks only between dosage parts, and when it needs two lines, where they come out
        most even (never one part alone)."""
        c = self.catalog
        label = f"{self.m(c.t('handout.dosage'))}:"
        phases = [(ph, ph.dosage_of(item.exercise.id)) for ph in self.program.phases]
        if len({d for _, d in phases}) == 1:  # the same in every phase: one line
            phases = []
        if phases:  # each phase it is in, in the accent colour, its dosage under it
            accent = self.styles.accent.hexval()
            lines = [f'<font color="{accent}">{self.m(ph.title)}:</font><br/>'
                     f"{self.m(c.dosage(d))}" for ph, d in phases if d is not None]
            return Paragraph("<br/>".join([f"<b>{label}</b>", *lines]),
                             style or self.styles.dosage, shared=False)
        parts = [self.m(part) for part in c.dosage_parts(item.dosage)]
        return BalancedLine(label, parts, self.m(c.t("dosage.separator")).strip(),
                            style or self.styles.dosage)

    def sized(self, options: ExerciseOptions | None) -> ExerciseOptions:
        """``options`` (None: the defaults) as this handout prints them: for large print,
        :meth:`ExerciseOptions.large_print`."""
        o = options or ExerciseOptions()
        return o.large_print() if self.program.large_print else o

    def video(self, item: Item, width: float) -> list[Flowable]:
        """The exercise's video (``item.video``): a QR code to scan with a phone's camera,
        with what to do and the link beside it (under it when ``width`` is narrow), so a
        patient without a smartphone can type it; ``[]`` when it has none. The code is
        1 in square (1.3 in in large print), large enough to scan from paper."""
        link = item.video
        if not link:
            return []
        s, c = self.styles, self.catalog
        size = (QR_LARGE if self.program.large_print else QR_SIZE)
        code = QrCode(link, size)
        shown = link.removeprefix("https://").removeprefix("HTTPS://")
        size_pt = max(s.footer.fontSize, s.body.fontSize * 0.85)  # never under the footer
        style = ParagraphStyle("video", parent=s.body, fontSize=size_pt,
                               leading=size_pt * 1.2, spaceAfter=0)
        label = Paragraph(f"<b>{self.m(c.t('handout.video'))}</b>", style)
        # the link under the code and its words, across the whole width: fewer breaks
        link = Paragraph(self.m(shown), style, shared=False)
        if width < size + 1.1 * INCH:
            return [code, label, link]
        table = Table([[code, label], [link, ""]], colWidths=[size + 8, width - size - 8])
        table.setStyle(TableStyle([
            table_font(s), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"), *NO_PADDING,
            ("SPAN", (0, 1), (1, 1)), ("TOPPADDING", (0, 1), (-1, 1), 3),
        ]))
        return [table]

    def exercise(self, number: int, item: Item,
                 options: ExerciseOptions | None = None) -> Flowable:
        """One exercise as one :class:`~rxprint.render.flowables.Block`: kept on one page
        (or in one column) unless it alone is taller than that.

        Its title, then (``row``, one grid for every exercise) the pictures and the
        dosage in their own column beside why it helps, the starting position and the
        numbered steps, the tips and when to stop in two halves under them, the easier
        and harder exercises full width; or (``column``) the dosage and the pictures
        above all the text; the clinician's note last."""
        o = self.sized(options)
        c, s, ex = self.catalog, self.styles, item.exercise
        title = f"{self.m(c.t('handout.exercise_number', number=number))} {self.m(ex.title)}"
        head: list[Flowable] = [Paragraph(title, s.exercise_title), self.dosage(item)]
        # what the rest of an exercise taller than a page starts the next page with
        before, _, after = c.t("handout.continued", title="\x00").partition("\x00")
        continued = Paragraph(f"{self.m(before)}{title}{self.m(after)}", s.exercise_title)
        purpose = self.labelled(c.t("handout.purpose"), ex.purpose)
        steps: list[Flowable] = [
            self.labelled(c.t("handout.position"), ex.position),
            self.para(c.t("handout.steps"), s.label),
        ]
        steps += [self.para(step, s.step, bullet=f"{i}.")
                  for i, step in enumerate(ex.steps, start=1)]
        side_note = c.side_only_note(item.dosage, ex.steps)
        if side_note:  # the steps say "switch sides" but the dosage is for one side
            steps.append(Paragraph(f"<b>{self.m(side_note)}</b>", s.caution_label))
        tips: list[Flowable] = []
        cautions: list[Flowable] = []
        if o.run_in:
            if ex.cues:
                tips.append(self.run_in(c.t("handout.cues"), ex.cues, s.body))
            cautions.append(self.run_in(c.t("handout.cautions"), ex.cautions, s.body,
                                        label_colour=CAUTION.hexval()))
        else:
            if ex.cues:
                tips.append(self.para(c.t("handout.cues"), s.label))
                tips += [self.para(cue, s.bullet, bullet="•") for cue in ex.cues]
            cautions.append(self.para(c.t("handout.cautions"), s.caution_label))
            cautions += [self.para(text, s.caution, bullet="!") for text in ex.cautions]
        progression = self.progression(item)
        tail: list[Flowable] = []
        if progression is not None:
            # (row) full width under the tips and when to stop; (column) after them
            (tail if o.arrangement == "row" else cautions).append(progression)
        if item.note:
            tail.append(Paragraph(f"<b>{self.m(c.t('handout.clinician_note'))}:</b> "
                                  f"{self.m(item.note)}", s.note, shared=False))
        if o.arrangement == "column":
            return self._column_block(item, o, head, purpose, steps, [*tips, *cautions, *tail],
                                      continued)
        variants = [o]
        if self.show_pictures and o.short_picture_height and (
                0 < o.short_picture_height < o.picture_height):
            variants.append(replace(o, picture_height=o.short_picture_height))
        if self.show_pictures and self.program.large_print:
            # large print: a narrower picture column (the person still 2 in), so an
            # exercise a little taller than a page fits one with the text wider
            variants.append(replace(o, picture_width=o.picture_width * 0.75,
                                    wide_picture_width=(o.wide_picture_width * 0.8
                                                        if o.wide_picture_width else None)))
        # the variants share their text (each paragraph breaks its lines once per width)
        blocks: list[Block] = [self._row_block(item, v, head, purpose, steps, tips, cautions,
                                               tail, continued) for v in variants]
        if self.show_pictures and self.program.large_print:
            # and last, the pictures above the text, which then has the whole width
            above = replace(o, arrangement="column",
                            picture_width=o.wide_picture_width or o.picture_width)
            column = self._column_block(item, above, head, purpose, steps,
                                        [*tips, *cautions, *tail], continued)
            assert isinstance(column, Block)
            blocks.append(column)
        return blocks[0] if len(blocks) == 1 else Flexible(blocks)

    def progression(self, item: Item) -> Paragraph | None:
        """"Too hard? Try: X.  Too easy? Next: Y." for an exercise linked to an easier or
        a harder one (``item.easier``, ``item.harder``), else None. A linked exercise this
        handout has is given its number, "(exercise 3)"; an easier one it lacks, to ask
        the clinician to show it; a harder one it lacks, to ask the clinician first. The
        labels are bold."""
        c = self.catalog
        parts: list[str] = []
        for key, other in (("handout.easier", item.easier), ("handout.harder", item.harder)):
            if other is None:
                continue
            number = next((n for n, it in enumerate(self.program.items, start=1)
                           if it.exercise.id == other.id), None)
            name = (c.t("handout.linked_here", title=other.title, number=number)
                    if number is not None else
                    c.t("handout.linked_easier_elsewhere" if key == "handout.easier"
                        else "handout.linked_elsewhere", title=other.title))
            before, _, after = c.t(key, title="\x00").partition("\x00")
            parts.append(f"<b>{self.m(before)}</b>{self.m(name)}{self.m(after)}")
        if not parts:
            return None
        style = _progression_style(self.styles.body, self.styles.label.spaceBefore)
        return Paragraph(self.m(c.t("handout.progression_separator")).join(parts), style)

    def _row_block(self, item: Item, o: ExerciseOptions, head: list[Flowable],
                   purpose: Flowable, steps: list[Flowable], tips: list[Flowable],
                   cautions: list[Flowable], tail: list[Flowable],
                   continued: Flowable) -> Block:
        """The row arrangement: one grid for every exercise. The title across the page;
        under it the pictures with the dosage right under them, in a column of their own,
        and beside them why it helps, the starting position and the steps; under that,
        in two halves, the tips (left) and when to stop (right); then, full width, the
        easier and harder exercises and the clinician's note. Without pictures the
        dosage bar under the title and the text alone, full width."""
        s = self.styles
        font = (s.family.normal, s.body.fontSize)
        accent = s.accent
        column = picture_column_width(item.exercise.picture, o,
                                      (accent.red, accent.green, accent.blue))
        pictures = self.pictures(item, column, o.picture_height, panel=True,
                                 min_person=o.min_person)
        first: list[Flowable]
        video = self.video(item, column if pictures else min(column * 1.6, 4.5 * INCH))
        if pictures:
            # the dosage right under the pictures, where the eye goes first; the video's
            # code under that
            pictures += [Spacer(1, 6), self.dosage(item, s.dosage_box)]
            pictures += [Spacer(1, 6), *video] if video else []
            first = [head[0], SideBySide(functools.partial(_only, (pictures,
                                                                   [purpose, *steps],
                                                                   column)),
                                         font, gap=o.gap)]
        else:
            # the text's own items, not a block of them: a block inside a block cannot
            # split where a page ends (an exercise taller than a page must flow on)
            first = [*head, purpose, *steps, *([Spacer(1, 4), *video] if video else [])]
        gap = o.gap
        below = SideBySide(lambda width: [(tips, cautions, (width - gap) / 2)], font,
                           gap=gap)
        return Block([*first, Spacer(1, 4), below, *tail], continued=continued)

    def _column_block(self, item: Item, o: ExerciseOptions, head: list[Flowable],
                      purpose: Flowable, steps: list[Flowable], rest: list[Flowable],
                      continued: Flowable) -> Flowable:
        """The column arrangement: the title, then the dosage, pictures, why it helps and
        the starting position (kept together), then the steps and the rest. The pictures
        go above that text, or beside it (``side_picture_width``), whichever is shorter."""
        title, dosage = head
        position, how = steps[0], steps[1:]
        if len(how) > 1:  # "How to do it" never ends a column without its first step
            how = [Block(how[:2]), *how[2:]]
        above = self.pictures(item, o.picture_width, o.picture_height, panel=True,
                              min_person=o.min_person)
        video = self.video(item, o.picture_width or 2.5 * INCH)
        intro: list[Flowable] = [dosage, *above, *([Spacer(1, 5)] if above else []),
                                 *([*video, Spacer(1, 5)] if video else []),
                                 purpose, position]
        side_w = o.side_picture_width
        while above and side_w and side_w < o.picture_width:
            beside = self.pictures(item, side_w, o.picture_height, panel=True,
                                   min_person=o.min_person)
            if all(_big_enough(p, side_w) for p in beside):
                font = (self.styles.family.normal, self.styles.body.fontSize)
                candidate: Candidate = (beside, [dosage, purpose, position], side_w)
                row = SideBySide(functools.partial(_only, candidate), font, gap=10)
                intro = [Shortest([intro, [Spacer(1, 3), row]])]
                break
            side_w += 0.2 * INCH  # wider, until the person prints large enough
        # the title, dosage, pictures, why it helps and starting position stay together
        return ColumnBlock([title, *intro, *how, *rest], glue=1 + len(intro),
                           continued=continued)

    def exercise_within(self, width: float, height: float, number: int, item: Item,
                        options: ExerciseOptions | None = None) -> Flowable:
        """:meth:`exercise` with its pictures if the block fits ``width`` x ``height``
        points (a card, a column), else without them, so the instructions stay whole; and
        when even that is too tall, with its tips and "when to stop" run in (``run_in``)."""
        o = options or ExerciseOptions()  # exercise() sizes them for the handout
        block = self.exercise(number, item, o)
        if block.wrap(width, height)[1] <= height:
            return block
        bare = self.exercise(number, item, replace(o, picture_width=0))
        if self.sized(o).run_in or bare.wrap(width, height)[1] <= height:
            return bare
        return self.exercise(number, item, replace(o, picture_width=0, run_in=True))


PERSON_ROOM = 1.05  # a picture sized by its person prints them up to this much larger


def _long_side(shape: DrawingShape) -> float:
    """The person's long side in figure units (a standing person's height is 1)."""
    return max(shape.person_width, shape.person_height)


def _person_sized_height(picture: Picture, accent: Colour, width: float, max_height: float,
                         scale: float, panel: bool) -> float:
    """The height to give a drawing that should print its person ``scale`` points per
    figure unit (up to PERSON_ROOM times that, when the width allows) in ``width``: its
    panels side by side when they fit the width at that scale (a short, wide picture),
    else one above the other; never more than ``max_height`` unless the person needs it."""
    for stacked in (False, True):
        shape = shape_in(picture, accent, stacked=stacked)
        inset = (shape.size(1.0, panel=panel)[0] - shape.width) / 2
        fits = (width - 2 * inset) / shape.width  # the largest scale the width allows
        if fits >= scale - 0.01 or stacked:
            used = min(fits, scale * PERSON_ROOM)
            return max(min(shape.height * used + 2 * inset, max_height),
                       shape.height * min(fits, scale) + 2 * inset)
    raise AssertionError("unreachable")


def picture_column_width(picture: Picture | None, o: ExerciseOptions,
                         accent: Colour = (0.0, 0.0, 0.0)) -> float:
    """The picture column's width for one exercise (row): ``o.picture_width``, or wider
    (up to ``o.wide_picture_width``) for a drawing too wide to print its person
    ``o.min_person`` long in it, or whose two panels then stand side by side where one
    above the other would be taller."""
    if picture is None or not o.wide_picture_width or not o.min_person:
        return o.picture_width
    shape = shape_in(picture, accent)
    scale = o.min_person / _long_side(shape)
    w, h = shape.size(scale, panel=True)
    if w <= o.picture_width or w > o.wide_picture_width:
        return o.picture_width
    if shape.panels == 2:
        stacked_w, stacked_h = shape_in(picture, accent, stacked=True).size(scale,
                                                                            panel=True)
        if stacked_w <= o.picture_width and stacked_h <= h:
            return o.picture_width  # one above the other is as short, and narrower
    return w


def _only(candidate: Candidate, width: float) -> list[Candidate]:
    """One arrangement, whatever the width (for SideBySide)."""
    return [candidate]


def _big_enough(picture: Flowable, width: float) -> bool:
    """A drawing whose person prints at least MIN_PERSON tall at ``width`` (a photo: yes)."""
    if not isinstance(picture, PictureFlowable):
        return True
    picture.wrap(width, 100_000)
    return picture.scale >= MIN_PERSON - 0.01



@functools.lru_cache(maxsize=64)
def _progression_style(body: ParagraphStyle, space_before: float) -> ParagraphStyle:
    """The "Too hard? / Too easy?" line's style: one object per stylesheet, so the line's
    paragraphs are remembered across the handouts of a batch like the others."""
    return ParagraphStyle("progression", parent=body, spaceBefore=space_before)
