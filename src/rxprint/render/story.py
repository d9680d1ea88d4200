"""The handout's content as platypus flowables: first page, exercises, education, safety.

Every text passes through :func:`rxprint.fonts.markup` (escaped, with glyph fallback)
before it becomes a Paragraph. Nothing here reads files, the clock or global settings.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from reportlab.lib.colors import Color
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, Image, KeepTogether, Paragraph, Spacer, Table
from reportlab.platypus.flowables import ImageAndFlowables
from reportlab.platypus.tables import TableStyle

from ..figures.pdf import PictureFlowable
from ..fonts import GlyphReport, markup
from ..images import PreparedImage, prepare_image
from ..messages import Catalog
from ..model import EducationSection, Item, Program
from .flowables import PictureColumn, SideBySide, stack_height
from .styles import CAUTION, Styles, table_font


class StoryBuilder:
    """Builds the flowables of one handout; collects glyph problems as it goes."""

    def __init__(self, program: Program, catalog: Catalog, styles: Styles, *,
                 pictures: bool = True) -> None:
        self.program = program
        self.catalog = catalog
        self.styles = styles
        self.show_pictures = pictures
        self.glyphs = GlyphReport()
        self._images: dict[Path, PreparedImage] = {}

    # -- small helpers ----------------------------------------------------------------

    def m(self, text: str) -> str:
        """Untrusted text as safe markup."""
        return markup(text, self.glyphs, self.styles.family)

    def para(self, text: str, style: object, *, bullet: str | None = None) -> Paragraph:
        return Paragraph(self.m(text), style, bulletText=bullet)

    def labelled(self, label: str, text: str) -> Paragraph:
        """'Label: text' with the label in bold."""
        return Paragraph(f"<b>{self.m(label)}:</b> {self.m(text)}", self.styles.body)

    def paragraphs(self, text: str, style: object) -> list[Flowable]:
        """Free text (notes): blank lines separate paragraphs, single breaks are kept."""
        blocks = [b.strip("\n") for b in text.replace("\r\n", "\n").split("\n\n")]
        return [self.para(b, style) for b in blocks if b.strip()]

    # -- sections ---------------------------------------------------------------------

    def first_page(self) -> list[Flowable]:
        c, s, p = self.catalog, self.styles, self.program
        story: list[Flowable] = [self.para(p.title or c.t("handout.title"), s.title)]
        rows: list[list[Flowable]] = [
            [self.para(c.t("handout.prepared_for"), s.meta_label),
             self.para(p.patient_name or "_" * 32, s.meta_value)],
        ]
        if p.clinician:
            rows.append([self.para(c.t("handout.clinician"), s.meta_label),
                         self.para(p.clinician, s.meta_value)])
        rows.append([self.para(c.t("handout.date"), s.meta_label),
                     self.para(c.date(p.date), s.meta_value)])
        if p.template is not None:
            rows.append([self.para(c.t("handout.program"), s.meta_label),
                         self.para(p.template.title, s.meta_value)])
        table = Table(rows, colWidths=[1.45 * 72 * s.body.fontSize / 11, None], hAlign="LEFT")
        table.setStyle(TableStyle([
            table_font(s),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ("TOPPADDING", (0, 0), (-1, -1), 0),
        ]))
        story.append(table)
        if p.notes:
            story.append(self.para(c.t("handout.notes"), s.h1))
            story.extend(self.paragraphs(p.notes, s.body))
        story.append(self.para(c.t("handout.at_a_glance"), s.h1))
        for number, item in enumerate(p.items, start=1):
            story.append(Paragraph(
                f"<b>{self.m(item.exercise.title)}</b> — {self.m(c.dosage(item.dosage))}",
                s.glance, bulletText=c.t("handout.exercise_number", number=number)))
        story.append(Spacer(1, 10))
        return story

    def pictures(self, item: Item, width: float, max_height: float) -> list[Flowable]:
        """The exercise's drawing (vector), then its images, scaled to fit ``width`` by
        ``max_height`` (each image embedded once per PDF). None when pictures are off or
        the box is empty (a layout's way to leave them out)."""
        out: list[Flowable] = []
        if not self.show_pictures or width <= 0 or max_height <= 0:
            return out
        if item.exercise.picture is not None:
            accent = self.styles.accent
            out += [PictureFlowable(item.exercise.picture,
                                    (accent.red, accent.green, accent.blue), width,
                                    max_height), Spacer(1, 6)]
        for path in item.exercise.images:
            prepared = self._images.get(path)
            if prepared is None:
                prepared = prepare_image(path, width, max_height)
                self._images[path] = prepared
            w = min(width, max_height * prepared.aspect)
            picture = Image(io.BytesIO(prepared.data), width=w, height=w / prepared.aspect)
            picture.hAlign = "LEFT"
            out += [picture, Spacer(1, 4)]
        return out

    def run_in(self, label: str, items: Sequence[str], style: ParagraphStyle,
               label_colour: str | None = None) -> Paragraph:
        """'Label: first • second • third' as one paragraph (compact layouts)."""
        head = f"<b>{self.m(label)}:</b>"
        if label_colour:
            head = f'<font color="{label_colour}">{head}</font>'
        return Paragraph(head + " " + " • ".join(self.m(i) for i in items), style)

    def masthead(self) -> list[Flowable]:
        """A compact first-page band: title, then patient, clinician, date and program on
        one line, then the clinician's notes."""
        c, s, p = self.catalog, self.styles, self.program
        facts = [(c.t("handout.prepared_for"), p.patient_name or "_" * 24)]
        if p.clinician:
            facts.append((c.t("handout.clinician"), p.clinician))
        facts.append((c.t("handout.date"), c.date(p.date)))
        if p.template is not None:
            facts.append((c.t("handout.program"), p.template.title))
        line = "   ".join(f"<b>{self.m(k)}:</b> {self.m(v)}" for k, v in facts)
        out: list[Flowable] = [self.para(p.title or c.t("handout.title"), s.title),
                               Paragraph(line, s.body)]
        if p.notes:
            out.append(Paragraph(f"<b>{self.m(c.t('handout.notes'))}:</b> "
                                 f"{self.m(p.notes)}", s.body))
        return out

    def exercise(self, number: int, item: Item, *, side_by_side: bool = True,
                 compact: bool = False, picture_width: float = 2.2 * 72,
                 picture_height: float | None = None,
                 keep: type[KeepTogether] = KeepTogether) -> Flowable:
        """One exercise, kept on one page.

        ``side_by_side``: the purpose, position and steps beside the pictures, then tips
        beside cautions (without pictures: steps beside tips and cautions); otherwise one
        column with the pictures first. ``compact``: tips and cautions as run-in
        paragraphs. ``keep``: how the block is kept together
        (:class:`~rxprint.render.flowables.KeepOnPage` for two-column pages). The pictures
        fit ``picture_width`` by ``picture_height`` (default 1.6 inches, compact 1.25)."""
        c, s, ex = self.catalog, self.styles, item.exercise
        head: list[Flowable] = [
            Paragraph(f"{self.m(c.t('handout.exercise_number', number=number))} "
                      f"{self.m(ex.title)}", s.exercise_title),
            Paragraph(f"{self.m(c.t('handout.dosage'))}: {self.m(c.dosage(item.dosage))}",
                      s.dosage),
        ]
        purpose = self.labelled(c.t("handout.purpose"), ex.purpose)
        steps: list[Flowable] = [
            self.labelled(c.t("handout.position"), ex.position),
            self.para(c.t("handout.steps"), s.label),
        ]
        steps += [self.para(step, s.step, bullet=f"{i}.")
                  for i, step in enumerate(ex.steps, start=1)]
        if picture_height is None:
            picture_height = (1.25 if compact else 1.6) * 72
        pictures = self.pictures(item, picture_width, picture_height)
        tips: list[Flowable] = []
        cautions: list[Flowable] = []
        if compact:
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
        tail: list[Flowable] = []
        if item.note:
            tail.append(Paragraph(f"<b>{self.m(c.t('handout.clinician_note'))}:</b> "
                                  f"{self.m(item.note)}", s.note))
        tail.append(Spacer(1, 16 * s.body.fontSize / 11))
        font = (s.family.normal, s.body.fontSize)
        body: list[Flowable]
        if not side_by_side:
            body = [*pictures, purpose, *steps, *tips, *cautions]
        elif pictures:
            # the text flows around the pictures, then tips beside cautions
            body = [ImageAndFlowables(PictureColumn(pictures), [purpose, *steps],
                                      imageLeftPadding=14, imageBottomPadding=4),
                    Spacer(1, 4), *([SideBySide(tips, cautions, font)] if tips else cautions)]
        else:
            body = [purpose, SideBySide(steps, [*tips, *cautions], font)]
        # One exercise stays on one page unless it alone is taller than a page.
        return keep([*head, *body, *tail])

    def exercise_within(self, width: float, height: float, number: int, item: Item,
                        **options: Any) -> Flowable:
        """:meth:`exercise` with its pictures if the block fits ``width`` x ``height``
        (a card, a column), else without them, so the instructions stay whole."""
        block = self.exercise(number, item, **options)
        if stack_height(block._content, width) <= height:
            return block
        return self.exercise(number, item, **{**options, "picture_width": 0})

    def box(self, title: str, paragraphs: Sequence[str], bullets: Sequence[str],
            *, border: Color, background: Color, extra: Sequence[Flowable] = ()) -> Table:
        """A framed box; one row per paragraph so a long box can still split between rows."""
        s = self.styles
        rows: list[list[Flowable]] = [[self.para(title, s.box_title)]]
        rows += [[self.para(text, s.box_body)] for text in paragraphs]
        rows += [[self.para(text, s.box_bullet, bullet="•")] for text in bullets]
        rows += [[f] for f in extra]
        table = Table(rows, colWidths=["100%"], splitByRow=1, repeatRows=0)
        table.setStyle(TableStyle([
            table_font(s),
            ("BOX", (0, 0), (-1, -1), 1.2, border),
            ("BACKGROUND", (0, 0), (-1, -1), background),
            ("LEFTPADDING", (0, 0), (-1, -1), 10),
            ("RIGHTPADDING", (0, 0), (-1, -1), 10),
            ("TOPPADDING", (0, 0), (-1, -1), 2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ("TOPPADDING", (0, 0), (-1, 0), 8),
            ("BOTTOMPADDING", (0, -1), (-1, -1), 9),
        ]))
        return table

    def education(self, section: EducationSection, heading: Flowable | None = None,
                  *, compact: bool = False) -> list[Flowable]:
        if compact and section.bullets:
            extra = [Paragraph(" • ".join(self.m(b) for b in section.bullets),
                               self.styles.box_body)]
            box = self.box(section.title, section.paragraphs, [],
                           border=self.styles.accent, background=self.styles.accent_tint,
                           extra=extra)
        else:
            box = self.box(section.title, section.paragraphs, section.bullets,
                           border=self.styles.accent, background=self.styles.accent_tint)
        return [KeepTogether([*([heading] if heading else []), box]), Spacer(1, 10)]

    def safety(self, *, compact: bool = False) -> list[Flowable]:
        c, s = self.catalog, self.styles
        if compact:
            box = self.box(c.t("safety.title"), [], [], border=CAUTION,
                           background=Color(1, 0.95, 0.94), extra=[
                               self.run_in(c.t("safety.intro").rstrip("."),
                                           c.items("safety.stop_now"), s.box_body),
                               self.run_in(c.t("safety.urgent").rstrip(":"),
                                           c.items("safety.urgent_items"), s.box_body)])
            return [KeepTogether([box])]
        urgent = [self.para(c.t("safety.urgent"), s.label)]
        urgent += [self.para(t, s.box_bullet, bullet="•") for t in c.items("safety.urgent_items")]
        box = self.box(c.t("safety.title"), [c.t("safety.intro")], c.items("safety.stop_now"),
                       border=CAUTION, background=Color(1, 0.95, 0.94), extra=urgent)
        return [KeepTogether([box])]

    def closing(self, *, compact: bool = False) -> list[Flowable]:
        """The education sections (under one heading), then the safety box; compact:
        the safety box first, where it usually still fits beside the last exercise."""
        story: list[Flowable] = [*self.safety(compact=True), Spacer(1, 8)] if compact else []
        heading: Flowable | None = self.para(self.catalog.t("handout.education"),
                                             self.styles.h1)
        for section in self.program.education:
            story.extend(self.education(section, heading, compact=compact))
            heading = None
        return story if compact else story + self.safety()
