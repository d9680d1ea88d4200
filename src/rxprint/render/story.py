"""The handout's content as platypus flowables: :class:`StoryBuilder`, the one object a
layout uses to make the standard pieces (page 1's title block, exercises, the safety box,
education sections).

The pieces are made in modules of their own, by job:

- :mod:`~rxprint.render.story_text`: the builder's state and text helpers (``m``,
  ``para``, ``labelled``, ``paragraphs``, ``run_in``; the dosage bar's paragraph);
- :mod:`~rxprint.render.story_exercises`: one exercise and how it is arranged
  (``ExerciseOptions``, ``pictures``, ``dosage``, ``exercise``, ``exercise_within``,
  ``progression``);
- :mod:`~rxprint.render.story_boxes`: the framed boxes (``box``, ``safety``,
  ``education``, ``education_block``, ``boxes``, ``closing``, ``contact``);
- here: page 1 (``first_page``, ``masthead``) and the handout's body in order
  (``exercises``).

Every text passes through :func:`rxprint.render.fonts.markup` (escaped, with glyph
fallback) before it becomes a Paragraph. Nothing here reads files, the clock or global
settings.
"""

from __future__ import annotations

import datetime as dt

from reportlab.lib.units import inch
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Table
from reportlab.platypus.tables import TableStyle

from rxprint.library.model import Phase
from rxprint.render.compat import MemoParagraph as Paragraph
from rxprint.render.flowables import Block, FillerPool, Gap
from rxprint.render.planner import Frames, Measured, plan
from rxprint.render.story_boxes import BoxPieces
from rxprint.render.story_exercises import ExerciseOptions, ExercisePieces
from rxprint.render.story_log import LogPieces
from rxprint.render.styles import table_font

__all__ = ["StoryBuilder"]


class StoryBuilder(ExercisePieces, BoxPieces, LogPieces):
    """Builds the flowables of one handout; collects glyph problems as it goes.

    Every method returns flowables ready for a story; every text passes through
    :meth:`m` (escaped, with glyph fallback)."""

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
        facts a row), the clinician's notes, and the exercises at a glance, with how long
        to keep going, (when a dosage has sets) what "2 sets of 10" means and (when it
        has drawings) how to read them."""
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
        # the labels as wide as the longest one needs (at least a sixth of the width as
        # before: "Preparado para" must not wrap); the values share the rest equally, a
        # long name wrapping in its own cell
        label = s.meta_label
        need = max(stringWidth(lab, label.fontName, label.fontSize) for lab, _ in facts)
        label_w = max(need + 10, 1.2 * inch)  # the right padding is 8 points
        table = Table(rows, colWidths=[label_w, "*", label_w, "*"], hAlign="LEFT")
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
        numbers = {item.exercise.id: n for n, item in enumerate(p.items, start=1)}
        titles = {item.exercise.id: item.exercise.title for item in p.items}
        before: dict[str, object] = {}
        for phase in p.phases or [None]:
            doses = (phase.doses if phase is not None else
                     tuple((item.exercise.id, item.dosage) for item in p.items))
            if phase is not None:  # "Weeks 1-2: gentle start (2 weeks)", then its exercises
                story.append(self.para(self.phase_heading(phase), s.label, private=True))
                now = dict(doses)
                if before:  # a later phase: what changes (new, or another dosage)
                    stopped = [titles[i] for i in before if i not in now]
                    same = [str(numbers[i]) for i, d in now.items() if before.get(i) == d]
                    doses = tuple((i, d) for i, d in doses if before.get(i) != d)
                    if stopped:
                        story.append(self.para(c.t("handout.phase_stops",
                                                   titles=", ".join(stopped)), s.body))
                    if not doses and not stopped:
                        story.append(self.para(c.t("handout.phase_same"), s.body))
                    elif same:  # never read as "stop the others"
                        story.append(self.para(c.t("handout.phase_rest",
                                                   numbers=", ".join(same)), s.body))
                before = dict(now)
            for ident, dosage in doses:
                story.append(Paragraph(
                    f"<b>{self.m(titles[ident])}</b> — {self.m(c.dosage(dosage))}", s.glance,
                    bulletText=c.t("handout.exercise_number", number=numbers[ident])))
        if p.phases and len(p.phases) > 1:  # when to move on, not by the calendar alone
            story.append(self.para(c.t("handout.phase_rule"), s.body))
        story += [self.para(note, s.body) for note in self.reading_notes()]
        return story

    def phase_heading(self, phase: Phase) -> str:
        """"Gentle start (2 weeks)": a phase's title and length, as text; the title alone
        when it says when already ("Weeks 1-2: gentle start": it has a number)."""
        c, p = self.catalog, self.program
        heading = phase.title if any(ch.isdigit() for ch in phase.title) else c.t(
            "handout.phase", title=phase.title, weeks=c.n("handout.weeks", phase.weeks))
        index = next((i for i, ph in enumerate(p.phases) if ph is phase), 0)
        if index == 0:
            return heading
        # a later phase: from which day ("from December 21, 2026")
        days = 7 * sum(ph.weeks for ph in p.phases[:index])
        try:
            start = p.date + dt.timedelta(days=days)
        except OverflowError:  # the end of the calendar: no day to give
            return heading
        return c.t("handout.phase_from", heading=heading, date=c.date(start))

    def reading_notes(self) -> list[str]:
        """How to read the handout, as plain texts: how long to keep going and what "2
        sets of 10" means (when a dosage has sets); how to read the pictures (when it has
        drawings; what a tick and a cross mean, when a drawing has them)."""
        c, p = self.catalog, self.program
        note = c.t("handout.glance_note")
        if any(item.dosage.sets and item.dosage.sets > 1 for item in p.items):
            note += " " + c.t("handout.sets_note")
        notes = [note]
        pictures = [item.exercise.picture for item in p.items if item.exercise.picture]
        if self.show_pictures and pictures:
            note = c.t("handout.pictures_note")
            if any(frame.mark for picture in pictures for frame in picture.frames):
                note += " " + c.t("handout.marks_note")  # only where a drawing has them
            notes.append(note)
        return notes

    def masthead(self) -> list[Flowable]:
        """A compact first-page band: title, then patient, clinician, date and program on
        one line, the clinician's notes, and how to read the handout
        (:meth:`reading_notes`)."""
        c, s, p = self.catalog, self.styles, self.program
        line = "   ".join(f"<b>{self.m(k)}:</b> {self.m(v)}" for k, v in self._facts())
        out: list[Flowable] = [self.para(p.title or c.t("handout.title"), s.title,
                                         private=True),
                               Paragraph(line, s.body, shared=False)]
        if p.notes:
            out.append(Paragraph(f"<b>{self.m(c.t('handout.notes'))}:</b> "
                                 f"{self.m(p.notes)}", s.body, shared=False))
        if p.phases:  # "Your plan: Weeks 1-2: gentle start (2 weeks) · Weeks 3-4: ..."
            plan = self.m(c.t("dosage.separator")).join(
                self.m(self.phase_heading(ph)) for ph in p.phases)
            out.append(Paragraph(f"<b>{self.m(c.t('handout.plan'))}:</b> {plan}", s.body,
                                 shared=False))
        out.append(self.para(" ".join(self.reading_notes()), s.body))
        return out

    def exercises(self, options: ExerciseOptions | None = None, *,
                  compact_boxes: bool = False,
                  frames: Frames | None = None) -> list[Flowable]:
        """The safety box first (in the same place in every handout: on page 1, before
        exercise 1), then every exercise in the program's order, each kept whole, and
        the education sections. A section with ``before`` (a category) stands just
        before the first exercise of that category ("How to stretch gently" before the
        first stretch). In large print every exercise but the first starts a page (with
        the section that stands before it, if any).

        The other sections go where they make the handout shortest: given ``frames``
        (the frames this story fills, page 1's after the title block), they are placed
        by :func:`~rxprint.render.planner.plan` on the measured heights (fewest pages,
        then no near-empty last page, then full pages). Without ``frames``, or when a
        block is taller than a frame, each fills the space an exercise leaves when the
        next one does not fit there, and those no gap took follow the last exercise."""
        safety, *sections = self.boxes(compact=compact_boxes)
        education = self.program.education
        anchors: list[Block] = [safety]
        movable: list[Block] = []
        ranges: list[tuple[int, int] | None] = []
        waiting = {s.id: b for s, b in zip(education, sections, strict=True)
                   if s.before is not None}
        for n, item in enumerate(self.program.items, start=1):
            for section in education:
                if section.before == item.exercise.category and section.id in waiting:
                    # just before this exercise, or (when that fits better) just after it
                    movable.append(waiting.pop(section.id))
                    ranges.append((len(anchors) - 1, len(anchors)))
            anchors.append(self.exercise(n, item, options))
        for section, block in zip(education, sections, strict=True):
            if section.before is None or section.id in waiting:
                movable.append(block)  # anywhere (a category no exercise has: too)
                ranges.append(None)
        safety.space_before = 6.0
        for block in [*anchors[1:], *movable]:
            block.space_before = self.gap
        if self.program.large_print:
            # one exercise a page at most: each one after the first starts a page (a
            # section placed before it, with it); no plan: a forced page breaks the
            # planner's flow, so the gaps the exercises leave take the sections
            frames = None
            led = {span[1] for span in ranges if span is not None}
            for i, block in enumerate(anchors[2:], start=2):
                block.new_page = i not in led
            for block, span in zip(movable, ranges, strict=True):
                block.new_page = span is not None and span[1] >= 2
        slots = None
        if frames is not None:
            splitters = [block.splitter for block in movable]
            for block in movable:  # placed whole where the plan says, never split
                block.splitter = None

            def measured(block: Block) -> Measured:
                return (block.wrap(frames.width, 100_000)[1], block.space_before,
                        block.flow_head(frames.width) if frames.columns else None)
            slots = plan([measured(b) for b in anchors], [measured(b) for b in movable],
                         frames, ranges)
            if slots is None:
                for block, splitter in zip(movable, splitters, strict=True):
                    block.splitter = splitter
        if slots is not None:
            story: list[Flowable] = []
            for i, anchor in enumerate(anchors):
                story.append(anchor)
                story += [m for m, slot in zip(movable, slots, strict=True) if slot == i]
            return story
        # no plan: a section placed by category just before its exercise; the others
        # fill the gaps, the rest after the last exercise
        before: dict[int, list[Block]] = {}
        for block, span in zip(movable, ranges, strict=True):
            if span is not None:
                before.setdefault(span[0], []).append(block)
        pool = FillerPool([b for b, r in zip(movable, ranges, strict=True) if r is None],
                          self.gap)
        # large print: when the safety box does not fit under page 1's title block, the
        # sections fill that space and the box opens page 2
        story = [Gap(pool, safety), safety] if self.program.large_print else [safety]
        for i, block in enumerate(anchors[1:], start=1):
            for item in [*before.get(i - 1, []), block]:
                story += [Gap(pool, item), item]
        return story + pool.rest()
