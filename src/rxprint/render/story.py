"""The handout's content as platypus flowables: first page, exercises, education, safety.

Every text passes through :func:`rxprint.fonts.markup` (escaped, with glyph fallback)
before it becomes a Paragraph. Nothing here reads files, the clock or global settings.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

from reportlab.lib.colors import Color
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, Image, Spacer, Table
from reportlab.platypus.tables import TableStyle

from rxprint.files.images import PreparedImage, prepare_image
from rxprint.language.messages import Catalog
from rxprint.library.branding import DEFAULT_BRANDING, Branding
from rxprint.library.model import EducationSection, Item, Program
from rxprint.render.compat import MemoParagraph as Paragraph
from rxprint.render.drawings import PictureFlowable
from rxprint.render.flowables import (
    Block,
    Candidate,
    ColumnBlock,
    FillerPool,
    Flexible,
    Gap,
    PageMark,
    Shortest,
    SideBySide,
    Splitter,
)
from rxprint.render.fonts import GlyphReport, markup
from rxprint.render.styles import CAUTION, INK, Styles, table_font

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


class StoryBuilder:
    """Builds the flowables of one handout; collects glyph problems as it goes.

    Every method returns flowables ready for a story; every text passes through
    :meth:`m` (escaped, with glyph fallback)."""

    BLOCK_GAP = 12.0  # between two exercises, or two boxes, at 11 pt (scales with it)

    def __init__(self, program: Program, catalog: Catalog, styles: Styles, *,
                 pictures: bool = True, branding: Branding = DEFAULT_BRANDING) -> None:
        self.program = program
        self.catalog = catalog
        self.styles = styles
        self.branding = branding
        self.show_pictures = pictures
        self.glyphs = GlyphReport()
        self._images: dict[Path, PreparedImage] = {}

    # -- small helpers ----------------------------------------------------------------

    @property
    def gap(self) -> float:
        """The space between two blocks (exercises, boxes), in points."""
        return float(self.BLOCK_GAP * self.styles.body.fontSize / 11)

    def m(self, text: str) -> str:
        """Untrusted text as safe markup."""
        return markup(text, self.glyphs, self.styles.family)

    def para(self, text: str, style: ParagraphStyle, *, bullet: str | None = None,
             private: bool = False) -> Paragraph:
        """A paragraph of untrusted text; ``private`` when it holds patient data (it is
        then not remembered beyond this handout)."""
        return Paragraph(self.m(text), style, bulletText=bullet, shared=not private)

    def labelled(self, label: str, text: str, style: ParagraphStyle | None = None) -> Paragraph:
        """'Label: text' with the label in bold."""
        return Paragraph(f"<b>{self.m(label)}:</b> {self.m(text)}", style or self.styles.body)

    def paragraphs(self, text: str, style: ParagraphStyle) -> list[Flowable]:
        """Free text (the clinician's notes, patient data): blank lines separate
        paragraphs, single breaks are kept."""
        blocks = [b.strip("\n") for b in text.replace("\r\n", "\n").split("\n\n")]
        return [self.para(b, style, private=True) for b in blocks if b.strip()]

    def run_in(self, label: str, items: Sequence[str], style: ParagraphStyle,
               label_colour: str | None = None) -> Paragraph:
        """'Label: first • second • third' as one paragraph (compact layouts)."""
        head = f"<b>{self.m(label)}:</b>"
        if label_colour:
            head = f'<font color="{label_colour}">{head}</font>'
        return Paragraph(head + " " + " • ".join(self.m(i) for i in items), style)

    # -- the first page -----------------------------------------------------------------

    def _facts(self) -> list[tuple[str, str]]:
        c, p = self.catalog, self.program
        facts = [(c.t("handout.prepared_for"), p.patient_name or "_" * 24)]
        if p.clinician:
            facts.append((c.t("handout.clinician"), p.clinician))
        facts.append((c.t("handout.date"), c.date(p.date)))
        if p.template is not None:
            facts.append((c.t("handout.program"), p.template.title))
        return facts

    def first_page(self) -> list[Flowable]:
        """The header block of page 1: title, patient, clinician, date and program (two
        facts a row), the clinician's notes, and the exercises at a glance."""
        c, s, p = self.catalog, self.styles, self.program
        story: list[Flowable] = [self.para(p.title or c.t("handout.title"), s.title,
                                           private=True)]
        facts = self._facts()
        rows: list[list[Flowable | str]] = []
        for i in range(0, len(facts), 2):
            row: list[Flowable | str] = []
            for label, value in facts[i:i + 2]:
                row += [self.para(label, s.meta_label),
                        self.para(value, s.meta_value, private=True)]
            rows.append(row + [""] * (4 - len(row)))
        # fixed shares of the width: a long name wraps in its own cell
        table = Table(rows, colWidths=["16%", "34%", "16%", "34%"], hAlign="LEFT")
        table.setStyle(TableStyle([
            table_font(s),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 8),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ("TOPPADDING", (0, 0), (-1, -1), 0),
        ]))
        story.append(table)
        if p.notes:
            story.append(self.para(c.t("handout.notes"), s.h2))
            story.extend(self.paragraphs(p.notes, s.body))
        story.append(self.para(c.t("handout.at_a_glance"), s.h2))
        for number, item in enumerate(p.items, start=1):
            story.append(Paragraph(
                f"<b>{self.m(item.exercise.title)}</b> — {self.m(c.dosage(item.dosage))}",
                s.glance, bulletText=c.t("handout.exercise_number", number=number)))
        return story

    def masthead(self) -> list[Flowable]:
        """A compact first-page band: title, then patient, clinician, date and program on
        one line, then the clinician's notes."""
        c, s, p = self.catalog, self.styles, self.program
        line = "   ".join(f"<b>{self.m(k)}:</b> {self.m(v)}" for k, v in self._facts())
        out: list[Flowable] = [self.para(p.title or c.t("handout.title"), s.title,
                                         private=True),
                               Paragraph(line, s.body, shared=False)]
        if p.notes:
            out.append(Paragraph(f"<b>{self.m(c.t('handout.notes'))}:</b> "
                                 f"{self.m(p.notes)}", s.body, shared=False))
        return out

    # -- exercises ----------------------------------------------------------------------

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
        head: list[Flowable] = [
            Paragraph(f"{self.m(c.t('handout.exercise_number', number=number))} "
                      f"{self.m(ex.title)}", s.exercise_title),
            self.dosage(item),
        ]
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
            return self._column_block(item, o, head, purpose, steps, [*tips, *cautions, *tail])
        heights = [o.picture_height]
        if self.show_pictures and o.short_picture_height and (
                0 < o.short_picture_height < o.picture_height):
            heights.append(o.short_picture_height)
        # the variants share their text (each paragraph breaks its lines once per width)
        blocks = [self._row_block(item, replace(o, picture_height=h), head, purpose, steps,
                                  tips, cautions, tail) for h in heights]
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
                   cautions: list[Flowable], tail: list[Flowable]) -> Block:
        """The row arrangement at one picture size."""
        s = self.styles
        font = (s.family.normal, s.body.fontSize)
        pictures = self.pictures(item, o.picture_width, o.picture_height, panel=True,
                                 min_height=min(MIN_PICTURE, o.picture_height))
        if pictures:
            # the dosage right under the pictures, where the eye goes first
            pictures += [Spacer(1, 6), self.dosage(item, s.dosage_box)]
            return Block([head[0], self._picture_row(pictures, purpose, steps, tips,
                                                     cautions, o, font), *tail])
        return Block([*head, purpose, SideBySide.ratios(steps, [*tips, *cautions], font),
                      *tail])

    def _column_block(self, item: Item, o: ExerciseOptions, head: list[Flowable],
                      purpose: Flowable, steps: list[Flowable],
                      rest: list[Flowable]) -> Flowable:
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
        return ColumnBlock([title, *intro, *how, *rest], glue=1 + len(intro))

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

    # -- boxes --------------------------------------------------------------------------

    def box(self, title: str | None, paragraphs: Sequence[str], bullets: Sequence[str],
            *, border: Color, background: Color, extra: Sequence[Flowable] = (),
            title_note: str | None = None) -> Table:
        """A framed box; one row per paragraph so a long box can still split between rows.
        ``title_note``: a short text set after the title, in bold body type. No title (the
        rest of a box continued in the next column): the box starts with its text."""
        s = self.styles
        k = s.body.fontSize / 11  # paddings scale with the type
        rows: list[list[Flowable]] = []
        if title is not None:
            heading = self.m(title)
            if title_note:
                heading += (f'<font name="{s.family.bold}" size="{s.body.fontSize}" '
                            f'color="{INK.hexval()}">\u2003{self.m(title_note)}</font>')
            rows.append([Paragraph(heading, s.box_title)])
        rows += [[self.para(text, s.box_body)] for text in paragraphs]
        rows += [[self.para(text, s.box_bullet, bullet="•")] for text in bullets]
        rows += [[f] for f in extra]
        table = Table(rows, colWidths=["100%"], splitByRow=1, splitInRow=1, repeatRows=0)
        table.setStyle(TableStyle([
            table_font(s),
            ("BOX", (0, 0), (-1, -1), 1.2, border),
            ("BACKGROUND", (0, 0), (-1, -1), background),
            ("LEFTPADDING", (0, 0), (-1, -1), 10 * k),
            ("RIGHTPADDING", (0, 0), (-1, -1), 10 * k),
            ("TOPPADDING", (0, 0), (-1, -1), 2 * k),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3 * k),
            ("TOPPADDING", (0, 0), (-1, 0), 7 * k),
            ("BOTTOMPADDING", (0, -1), (-1, -1), 8 * k),
        ]))
        return table

    def _education_rows(self, section: EducationSection, compact: bool) -> list[Flowable]:
        """An education section's rows: its paragraphs, then its bullets (run in when
        ``compact``, in two columns when there are four or more)."""
        s = self.styles
        rows: list[Flowable] = [self.para(text, s.box_body) for text in section.paragraphs]
        if not section.bullets:
            return rows
        if compact:
            return [*rows, Paragraph(" • ".join(self.m(b) for b in section.bullets),
                                     s.box_body)]
        bullets = [self.para(b, s.box_bullet, bullet="•") for b in section.bullets]
        if len(bullets) < 4:
            return [*rows, *bullets]
        half = (len(bullets) + 1) // 2
        font = (s.family.normal, s.body.fontSize)
        return [*rows, SideBySide(lambda width: [(bullets[:half], bullets[half:],
                                                  (width - 16) / 2)], font)]

    def education(self, section: EducationSection, *, compact: bool = False) -> Flowable:
        """One education section as a tinted box (bullets run in when ``compact``)."""
        return self.box(section.title, [], [], border=self.styles.accent,
                        background=self.styles.accent_tint,
                        extra=self._education_rows(section, compact))

    def education_block(self, section: EducationSection, *,
                        compact: bool = False) -> Block:
        """:meth:`education` as a :class:`~rxprint.render.flowables.Block` that, when it
        follows the last exercise, may continue in the next frame: it breaks between its
        paragraphs, and the second part is titled "... (continued)"."""
        rows = self._education_rows(section, compact)
        s, c = self.styles, self.catalog

        def part(start: int, stop: int, continued: bool = True) -> Table:
            title = (section.title if start == 0 else
                     c.t("handout.continued", title=section.title) if continued else None)
            return self.box(title, [], [], border=s.accent, background=s.accent_tint,
                            extra=rows[start:stop])

        def splitter(start: int) -> Splitter:
            def split(width: float, height: float, same_page: bool) -> list[Flowable]:
                cut = None
                for stop in range(start + 1, len(rows)):
                    if part(start, stop).wrap(width, height)[1] > height:
                        break
                    cut = stop
                if cut is None:
                    return []
                first = part(start, cut)
                if first.wrap(width, height)[1] < Block.MIN_PART:
                    return []
                # the rest is titled "(continued)" on the next page, not in the next column
                rest = part(cut, len(rows), continued=not same_page)
                return [first, Block([rest], splitter=splitter(cut))]
            return split

        return Block([part(0, len(rows))], splitter=splitter(0))

    def contact(self) -> str:
        """Who to call, as plain text: the clinic (or clinician) and phone when known;
        otherwise lines for the clinician to write them in."""
        c, b, p = self.catalog, self.branding, self.program
        who = b.clinic_name or p.clinician
        blank = "_" * (22 if self.styles.body.fontSize >= 11 else 14)
        if who and b.phone:
            text = c.t("safety.call_at", who=who, phone=b.phone)
        elif who:
            text = c.t("safety.call_at", who=who, phone=blank)
        else:
            text = c.t("safety.write_in", blank=blank)
        return text

    def safety(self, *, compact: bool = False) -> Flowable:
        """The red flags: when to stop and call, when to get urgent care, and who to call
        (beside the title when it fits there, else on a line of its own); then what to
        tell the clinician before starting (surgery, pregnancy, thin bones)."""
        c, s = self.catalog, self.styles
        background = Color(1, 0.95, 0.94)
        rows: list[Flowable]
        if compact:
            rows = [self.run_in(c.t("safety.intro").rstrip("."), c.items("safety.stop_now"),
                                s.box_body),
                    self.run_in(c.t("safety.urgent").rstrip(":"),
                                c.items("safety.urgent_items"), s.box_body)]
        else:
            font = (s.family.normal, s.body.fontSize)
            stop = [self.para(c.t("safety.intro"), s.box_body)]
            stop += [self.para(t, s.box_bullet, bullet="•") for t in c.items("safety.stop_now")]
            urgent = [self.para(c.t("safety.urgent"), s.label)]
            urgent += [self.para(t, s.box_bullet, bullet="•")
                       for t in c.items("safety.urgent_items")]
            rows = [SideBySide.ratios(stop, urgent, font)]
        rows.append(self.labelled(c.t("safety.before_label"), c.t("safety.before"),
                                  s.box_body))
        contact = self.contact()
        own_line = self.box(c.t("safety.title"), [], [], border=CAUTION, background=background,
                            extra=[Paragraph(f"<b>{self.m(contact)}</b>", s.box_body), *rows])
        beside = self.box(c.t("safety.title"), [], [], border=CAUTION, background=background,
                          title_note=contact, extra=rows)
        return Shortest([[own_line], [beside]])

    def boxes(self, *, compact: bool = False) -> list[Block]:
        """The safety box, then the program's education sections, each one
        :class:`~rxprint.render.flowables.Block` (an education section may continue in
        the next frame when it follows the last exercise; the safety box never splits)."""
        return [Block([PageMark("safety"), self.safety(compact=compact)]),
                *(self.education_block(section, compact=compact)
                  for section in self.program.education)]

    def closing(self, *, compact: bool = False) -> list[Flowable]:
        """The safety box and education sections one after the other (for layouts that
        do not use :meth:`exercises`)."""
        return [Block([b], space_before=self.gap) for b in
                (self.safety(compact=compact),
                 *(self.education(e, compact=compact) for e in self.program.education))]

    def exercises(self, options: ExerciseOptions | None = None, *,
                  compact_boxes: bool = False) -> list[Flowable]:
        """Every exercise in the program's order, each kept whole, then the safety box
        and the education sections. A box stands in the space an exercise leaves when the
        next one does not fit there (so no page stays half empty); the boxes no gap took
        follow the last exercise."""
        pool = FillerPool(self.boxes(compact=compact_boxes), self.gap)
        blocks = [self.exercise(n, item, options)
                  for n, item in enumerate(self.program.items, start=1)]
        story: list[Flowable] = []
        for i, block in enumerate(blocks):
            block.space_before = self.gap if i else 6.0  # dropped at a page top
            story += [Gap(pool, block), block]
        return story + pool.rest()


def _only(candidate: Candidate, width: float) -> list[Candidate]:
    """One arrangement, whatever the width (for SideBySide)."""
    return [candidate]


def _big_enough(picture: Flowable, width: float) -> bool:
    """A drawing whose person prints at least MIN_PERSON tall at ``width`` (a photo: yes)."""
    if not isinstance(picture, PictureFlowable):
        return True
    picture.wrap(width, 100_000)
    return picture.scale >= MIN_PERSON - 0.01


class BalancedLine(Flowable):
    """``label part · part · part`` as a paragraph that breaks only between parts, each
    line ending with the separator: in as few lines as fit, with no part alone on a line
    when another break avoids it, and the lines as even as they can be."""

    def __init__(self, label: str, parts: list[str], separator: str,
                 style: ParagraphStyle) -> None:
        super().__init__()
        self.label, self.parts, self.separator, self.style = label, parts, separator, style
        self._para: Paragraph | None = None
        self._width: float | None = None

    def _text(self, groups: list[list[str]], label_alone: bool = False) -> str:
        sep = f" {self.separator} "
        lines = [sep.join(group) for group in groups]
        text = f" {self.separator}<br/>".join(lines)
        return f"{self.label}<br/>{text}" if label_alone else f"{self.label} {text}"

    def _groups(self, mask: int) -> list[list[str]]:
        groups: list[list[str]] = [[]]
        for i, part in enumerate(self.parts):
            if i and mask >> (i - 1) & 1:
                groups.append([])
            groups[-1].append(part)
        return groups

    def _choose(self, width: float) -> Paragraph:
        line = self.style.leading
        best: tuple[tuple[int, int, float], Paragraph] | None = None
        for label_alone in (False, True):
            for mask in range(2 ** max(len(self.parts) - 1, 0)):
                groups = self._groups(mask)
                lines = len(groups) + label_alone
                para = Paragraph(self._text(groups, label_alone), self.style)
                if para.wrap(width, 100_000)[1] > line * lines + 0.5:
                    continue  # a line did not fit: it would break inside a part
                if lines == 1:
                    return para
                alone = (sum(len(g) == 1 for g in groups[1 - label_alone:])
                         if len(self.parts) > 2 else 0)
                widths = para.getActualLineWidths0()
                key = (lines, alone, max(widths) - min(widths))
                if best is None or key < best[0]:
                    best = (key, para)
        if best is not None:
            return best[1]
        # a single part wider than the space: let it wrap where it must
        return Paragraph(self._text([self.parts]), self.style)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        if self._width != availWidth or self._para is None:
            self._para, self._width = self._choose(availWidth), availWidth
        self.width, self.height = self._para.wrap(availWidth, availHeight)
        return self.width, self.height

    def draw(self) -> None:
        assert self._para is not None
        self._para.drawOn(self.canv, 0, 0)

    def getSpaceBefore(self) -> float:
        return float(self.style.spaceBefore)

    def getSpaceAfter(self) -> float:
        return float(self.style.spaceAfter)


@functools.lru_cache(maxsize=64)
def _progression_style(body: ParagraphStyle, space_before: float) -> ParagraphStyle:
    """The "Too hard? / Too easy?" line's style: one object per stylesheet, so the line's
    paragraphs are remembered across the handouts of a batch like the others."""
    return ParagraphStyle("progression", parent=body, spaceBefore=space_before)
