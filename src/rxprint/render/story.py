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

from reportlab.platypus import Flowable, Table
from reportlab.platypus.tables import TableStyle

from rxprint.render.compat import MemoParagraph as Paragraph
from rxprint.render.flowables import FillerPool, Gap
from rxprint.render.story_boxes import BoxPieces
from rxprint.render.story_exercises import ExerciseOptions, ExercisePieces
from rxprint.render.styles import table_font

__all__ = ["StoryBuilder"]


class StoryBuilder(ExercisePieces, BoxPieces):
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
