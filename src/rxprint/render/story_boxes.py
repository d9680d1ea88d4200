"""The boxes of a handout: the safety box ("When to contact your clinician"), the
education sections, and the framed box they are made of."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.lib.colors import Color
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, Spacer, Table
from reportlab.platypus.tables import TableStyle

from rxprint.library.model import EducationSection
from rxprint.render.compat import MemoParagraph as Paragraph
from rxprint.render.flowables import Block, PageMark, Shortest, SideBySide, Splitter
from rxprint.render.story_text import TextPieces
from rxprint.render.styles import CAUTION, INK, table_font

SAFETY_BACKGROUND = Color(1, 0.95, 0.94)


class BoxPieces(TextPieces):
    """Framed boxes: the safety box and the education sections."""

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
        s = self.styles
        return self.continued_box(section.title, self._education_rows(section, compact),
                                  border=s.accent, background=s.accent_tint)

    def continued_box(self, title: str, rows: Sequence[Flowable], *, border: Color,
                      background: Color, whole: Flowable | None = None,
                      lead: Sequence[Flowable] = ()) -> Block:
        """A box of ``rows`` under ``title`` as a Block that, when it does not fit, breaks
        between its rows: the first part ends at the foot of the frame, the rest starts
        the next one under "Title (continued)" (in the next column of the same page:
        without the title). ``whole``: how the box is set when it fits (default: the rows
        under the title); ``lead``: flowables before the first part (a page mark)."""
        c = self.catalog

        def part(start: int, stop: int, continued: bool = True) -> Table:
            heading = (title if start == 0 else
                       c.t("handout.continued", title=title) if continued else None)
            return self.box(heading, [], [], border=border, background=background,
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
                head: Flowable = Block([*lead, first]) if start == 0 and lead else first
                return [head, Block([rest], splitter=splitter(cut))]
            return split

        return Block([*lead, whole if whole is not None else part(0, len(rows))],
                     splitter=splitter(0))

    def contact_lines(self) -> list[Flowable]:
        """:meth:`contact` as the safety box prints it: in bold; in large print, each
        line to write on ends a line of its own, with room above it for a large hand
        (the clinic or clinician named before it, when known)."""
        s = self.styles
        if not self.program.large_print:
            return [Paragraph(f"<b>{self.m(self.contact())}</b>", s.box_body)]
        text = self.contact(blank="\x00")
        if "\x00" not in text:
            return [Paragraph(f"<b>{self.m(text)}</b>", s.box_body)]
        # "Call your clinician: ____   Phone: ____": a line for each blank
        parts: list[str] = []
        for part in (p.strip() for p in text.replace("\x00", "\x00\x01").split("\x01")):
            if parts and not any(ch.isalnum() for ch in part):
                parts[-1] += part  # "at ____" then "." : the stop ends the line before
            elif part:
                parts.append(part)
        roomy = ParagraphStyle("write_in", parent=s.box_body, leading=s.box_body.fontSize * 2.4)
        blank = "_" * 30
        return [Paragraph(f"<b>{self.m(part.replace(chr(0), blank))}</b>", roomy)
                for part in parts]

    def contact(self, blank: str | None = None) -> str:
        """Who to call, as plain text: the clinic (or clinician) and phone when known;
        otherwise lines for the clinician to write them in (``blank`` each)."""
        c, b, p = self.catalog, self.branding, self.program
        who = b.clinic_name or p.clinician
        if blank is None:
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
        (beside the title when it fits there, else on a line of its own); and "Before you
        start": what to tell the clinician first (surgery, pregnancy, thin bones) and the
        pain rule, under the stop-and-call list (compact: last)."""
        c, s = self.catalog, self.styles
        background = SAFETY_BACKGROUND
        rows: list[Flowable]
        if compact:
            rows = [self.run_in(c.t("safety.intro").rstrip(".:"), c.items("safety.stop_now"),
                                s.box_body),
                    self.run_in(c.t("safety.urgent").rstrip(".:"),
                                c.items("safety.urgent_items"), s.box_body)]
        else:
            font = (s.family.normal, s.body.fontSize)
            stop = [self.para(c.t("safety.intro"), s.box_body)]
            stop += [self.para(t, s.box_bullet, bullet="•") for t in c.items("safety.stop_now")]
            urgent = [self.para(c.t("safety.urgent"), s.caution_label)]
            urgent += [self.para(t, s.box_bullet, bullet="•")
                       for t in c.items("safety.urgent_items")]
            # "Before you start" under the shorter list, the stop-and-call one
            stop.append(Spacer(1, 4))
            stop.append(self.labelled(c.t("safety.before_label"), c.t("safety.before"),
                                      s.box_body))
            rows = [SideBySide.ratios(stop, urgent, font)]
        if compact:
            rows.append(self.labelled(c.t("safety.before_label"), c.t("safety.before"),
                                      s.box_body))
        contact = self.contact()
        own_line = self.box(c.t("safety.title"), [], [], border=CAUTION, background=background,
                            extra=[*self.contact_lines(), *rows])
        if "_" in contact:  # lines to write on: never broken between the title's lines
            return own_line
        beside = self.box(c.t("safety.title"), [], [], border=CAUTION, background=background,
                          title_note=contact, extra=rows)
        return Shortest([[own_line], [beside]])

    def safety_block(self, *, compact: bool = False) -> Block:
        """The safety box (:meth:`safety`) as a Block marked "safety" (for "When to call
        your clinician: page N"). Taller than a page (large print in a wordy language),
        it breaks between its lines, its lists one below the other, the rest under
        "... (continued)"."""
        c, s = self.catalog, self.styles
        stop = [self.para(c.t("safety.intro"), s.box_body)]
        stop += [self.para(t, s.box_bullet, bullet="•") for t in c.items("safety.stop_now")]
        urgent = [self.para(c.t("safety.urgent"), s.caution_label)]
        urgent += [self.para(t, s.box_bullet, bullet="•")
                   for t in c.items("safety.urgent_items")]
        before = self.labelled(c.t("safety.before_label"), c.t("safety.before"), s.box_body)
        # the urgent signs first: if the box must break, they are on its first page
        rows = [*self.contact_lines(), *urgent, Spacer(1, 6), *stop, Spacer(1, 4), before]
        block = self.continued_box(c.t("safety.title"), rows, border=CAUTION,
                                   background=SAFETY_BACKGROUND, lead=[PageMark("safety")],
                                   whole=self.safety(compact=compact))
        block.keep_whole = True
        return block

    def boxes(self, *, compact: bool = False) -> list[Block]:
        """The safety box, then the program's education sections, each one
        :class:`~rxprint.render.flowables.Block` (each may continue in the next frame,
        under its title and "(continued)", when it is taller than the space it has; the
        story keeps the safety box whole on page 1 where it fits)."""
        return [self.safety_block(compact=compact),
                *(self.education_block(section, compact=compact)
                  for section in self.program.education)]

    def closing(self, *, compact: bool = False) -> list[Flowable]:
        """The safety box and education sections one after the other (for layouts that
        do not use :meth:`exercises`)."""
        return [Block([b], space_before=self.gap) for b in
                (self.safety(compact=compact),
                 *(self.education(e, compact=compact) for e in self.program.education))]
