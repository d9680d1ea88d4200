"""The story builder's base: its state, and untrusted text as safe paragraphs.

:class:`TextPieces` holds what one handout's pieces are made from (program, catalog,
styles, branding) and turns text into paragraphs: every text passes through
:func:`rxprint.render.fonts.markup` (escaped, with glyph fallback) before it becomes a
Paragraph. :class:`BalancedLine` is the dosage bar's paragraph. The pieces themselves are
in :mod:`~rxprint.render.story_exercises` (an exercise and how it is arranged) and
:mod:`~rxprint.render.story_boxes` (the safety box and education sections);
:class:`~rxprint.render.story.StoryBuilder` puts them together.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable

from rxprint.files.images import PreparedImage
from rxprint.language.messages import Catalog
from rxprint.library.branding import DEFAULT_BRANDING, Branding
from rxprint.library.model import Program
from rxprint.render.compat import MemoParagraph as Paragraph
from rxprint.render.fonts import GlyphReport, markup
from rxprint.render.styles import Styles


class TextPieces:
    """What one handout's pieces are made from, and its text helpers; collects glyph
    problems as it goes."""

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

