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
from reportlab.platypus import Flowable, Image, Spacer

from rxprint.files.images import prepare_image
from rxprint.library.model import Item
from rxprint.render.compat import MemoParagraph as Paragraph
from rxprint.render.drawings import PictureFlowable
from rxprint.render.flowables import (
    Block,
    Candidate,
    ColumnBlock,
    Flexible,
    Shortest,
    SideBySide,
)
from rxprint.render.story_text import BalancedLine, TextPieces
from rxprint.render.styles import CAUTION

INCH = 72.0
MIN_PICTURE = 1.2 * INCH  # no drawing prints smaller on its short side
MIN_PERSON = 1.1 * INCH  # nor its person (a standing figure's height) smaller


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
        exercise fit the space left on a page (never below rxprint's floor: 1.2 inches on
        the short side, a person 1.1 inches tall); None: never.
    """

    arrangement: Literal["row", "column"] = "row"
    picture_width: float = 2.4 * INCH
    picture_height: float = 2.3 * INCH
    run_in: bool = False
    gap: float = 14.0
    short_picture_height: float | None = 1.6 * INCH
    side_picture_width: float | None = 1.4 * INCH


class ExercisePieces(TextPieces):
    """An exercise's flowables: its pictures, its dosage bar, the whole exercise as one
    block arranged as :class:`ExerciseOptions` says."""

    def pictures(self, item: Item, width: float, max_height: float, *,
                 panel: bool = False, min_height: float = 0.0) -> list[Flowable]:
        """The exercise's drawing (vector), then its photos, each as large as fits
        ``width`` by ``max_height`` points. ``panel``: each in a thin frame as wide as
        ``width`` and at least ``min_height`` tall. An empty list when pictures are off,
        the exercise has none, or the box is empty (a layout's way to leave them out).
        Each photo is embedded once per PDF."""
        out: list[Flowable] = []
        if not self.show_pictures or width <= 0 or max_height <= 0:
            return out
        if item.exercise.picture is not None:
            accent = self.styles.accent
            out.append(PictureFlowable(item.exercise.picture,
                                       (accent.red, accent.green, accent.blue), width,
                                       max_height, panel=panel, min_height=min_height,
                                       min_scale=MIN_PERSON if panel else 0.0))
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
        parts = [self.m(part) for part in c.dosage_parts(item.dosage)]
        label = f"{self.m(c.t('handout.dosage'))}:"
        return BalancedLine(label, parts, self.m(c.t("dosage.separator")).strip(),
                            style or self.styles.dosage)

    def exercise(self, number: int, item: Item,
                 options: ExerciseOptions | None = None) -> Flowable:
        """One exercise as one :class:`~rxprint.render.flowables.Block`: kept on one page
        (or in one column) unless it alone is taller than that.

        Its title, the dosage bar, then (``row``) the pictures in their own column beside
        why it helps, the starting position and the numbered steps, tips and when to
        stop (the tips and cautions go under the pictures when that makes the block
        shorter), or (``column``) the pictures above all the text; the clinician's note
        last."""
        o = options or ExerciseOptions()
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
        if progression is not None:
            cautions.append(progression)
        tail: list[Flowable] = []
        if item.note:
            tail.append(Paragraph(f"<b>{self.m(c.t('handout.clinician_note'))}:</b> "
                                  f"{self.m(item.note)}", s.note, shared=False))
        if o.arrangement == "column":
            return self._column_block(item, o, head, purpose, steps, [*tips, *cautions, *tail],
                                      continued)
        heights = [o.picture_height]
        if self.show_pictures and o.short_picture_height and (
                0 < o.short_picture_height < o.picture_height):
            heights.append(o.short_picture_height)
        # the variants share their text (each paragraph breaks its lines once per width)
        blocks = [self._row_block(item, replace(o, picture_height=h), head, purpose, steps,
                                  tips, cautions, tail, continued) for h in heights]
        return blocks[0] if len(blocks) == 1 else Flexible(blocks)

    def progression(self, item: Item) -> Paragraph | None:
        """"Too hard? Try: X.  Too easy? Next: Y." for an exercise linked to an easier or
        a harder one (``item.easier``, ``item.harder``), else None. A linked exercise this
        handout has is given its number, "(exercise 3)"; one it lacks says to ask the
        clinician first. The labels are bold."""
        c = self.catalog
        parts: list[str] = []
        for key, other in (("handout.easier", item.easier), ("handout.harder", item.harder)):
            if other is None:
                continue
            number = next((n for n, it in enumerate(self.program.items, start=1)
                           if it.exercise.id == other.id), None)
            name = (c.t("handout.linked_here", title=other.title, number=number)
                    if number is not None else
                    c.t("handout.linked_elsewhere", title=other.title))
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
        """The row arrangement at one picture size."""
        s = self.styles
        font = (s.family.normal, s.body.fontSize)
        pictures = self.pictures(item, o.picture_width, o.picture_height, panel=True,
                                 min_height=min(MIN_PICTURE, o.picture_height))
        if pictures:
            # the dosage right under the pictures, where the eye goes first
            pictures += [Spacer(1, 6), self.dosage(item, s.dosage_box)]
            return Block([head[0], self._picture_row(pictures, purpose, steps, tips,
                                                     cautions, o, font), *tail],
                         continued=continued)
        return Block([*head, purpose, SideBySide.ratios(steps, [*tips, *cautions], font),
                      *tail], continued=continued)

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
        floor = min(MIN_PICTURE, o.picture_height)
        above = self.pictures(item, o.picture_width, o.picture_height, panel=True,
                              min_height=floor)
        intro: list[Flowable] = [dosage, *above, *([Spacer(1, 5)] if above else []),
                                 purpose, position]
        side_w = o.side_picture_width
        while above and side_w and side_w < o.picture_width:
            beside = self.pictures(item, side_w, o.picture_height, panel=True,
                                   min_height=floor)
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

    def _picture_row(self, pictures: list[Flowable], purpose: Flowable,
                     steps: list[Flowable], tips: list[Flowable], cautions: list[Flowable],
                     o: ExerciseOptions, font: tuple[str, float]) -> Flowable:
        """Pictures left, text right, in whichever of a few arrangements gives the
        shortest block: tips and cautions under the pictures or under the text, or side
        by side below the row (in the row's columns); why it helps beside the pictures or
        above the row. The reading order is the same in all of them."""
        under = [Spacer(1, 8)]
        w = o.picture_width

        def row(text: list[Flowable], rest: list[Flowable]) -> SideBySide:
            def candidates(width: float) -> list[Candidate]:
                out: list[Candidate] = [(pictures, [*text, *rest], w)]
                if rest:
                    out += [([*pictures, *under, *tips], [*text, *cautions], w),
                            ([*pictures, *under, *cautions], [*text, *tips], w),
                            ([*pictures, *under, *tips, *cautions], text, w)]
                return out
            return SideBySide(candidates, font, gap=o.gap)

        # below the row: tips and cautions in the row's own two columns (aligned with it)
        below = (SideBySide(lambda width: [(tips, cautions, w), (cautions, tips, w)], font,
                            gap=o.gap) if tips else Block(cautions))
        return Shortest([
            [row([purpose, *steps], [*tips, *cautions])],
            [row([purpose, *steps], []), Spacer(1, 6), below],
            [purpose, row(steps, [*tips, *cautions])],
        ])

    def exercise_within(self, width: float, height: float, number: int, item: Item,
                        options: ExerciseOptions | None = None) -> Flowable:
        """:meth:`exercise` with its pictures if the block fits ``width`` x ``height``
        points (a card, a column), else without them, so the instructions stay whole; and
        when even that is too tall, with its tips and "when to stop" run in (``run_in``)."""
        o = options or ExerciseOptions()
        block = self.exercise(number, item, o)
        if block.wrap(width, height)[1] <= height:
            return block
        bare = self.exercise(number, item, replace(o, picture_width=0))
        if o.run_in or bare.wrap(width, height)[1] <= height:
            return bare
        return self.exercise(number, item, replace(o, picture_width=0, run_in=True))


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
