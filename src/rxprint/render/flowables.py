"""Small custom flowables."""

from __future__ import annotations

import io

from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, FrameBreak, KeepTogether, Table
from reportlab.platypus.tables import TableStyle


def stack_height(flowables: list[Flowable], width: float) -> float:
    """The height of ``flowables`` set one below the other at ``width``, their space
    before and after included (measured on a scratch canvas, nothing is drawn)."""
    canvas = Canvas(io.BytesIO())
    height = 0.0
    for flowable in flowables:
        height += flowable.wrapOn(canvas, width, 10_000)[1]
        height += flowable.getSpaceBefore() + flowable.getSpaceAfter()
    return height


class SideBySide(Flowable):
    """Two columns of flowables, kept on one page when they fit.

    If the pair is taller than the space left even at the top of a page, it splits into the
    two columns' flowables one after the other (full width), so long content (a very long
    note) still flows across pages and nothing is lost.
    """

    RATIOS = (0.42, 0.5, 0.58, 0.66)

    def __init__(self, left: list[Flowable], right: list[Flowable], font: tuple[str, float],
                 gap: float = 16) -> None:
        super().__init__()
        self.font = font  # the tables' cell font (see styles.table_font)
        self.left = left
        self.right = right
        self.gap = gap
        self._table: Table | None = None
        self._best: dict[float, tuple[float, Table]] = {}  # by width: wraps are costly

    def _make_table(self, width: float, ratio: float) -> Table:
        left_w = (width - self.gap) * ratio
        table = Table([[self.left, self.right]], colWidths=[left_w, width - left_w - self.gap])
        table.setStyle(TableStyle([
            ("FONT", (0, 0), (-1, -1), *self.font),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 0),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ("LEFTPADDING", (1, 0), (1, 0), self.gap),
        ]))
        return table

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        """Lay out at the column split that gives the shortest block (the choice depends
        on the width only, so it is made once per width)."""
        best = self._best.get(availWidth)
        if best is None:
            for ratio in self.RATIOS:
                table = self._make_table(availWidth, ratio)
                _, height = table.wrapOn(self.canv, availWidth, availHeight)
                if best is None or height < best[0] - 0.5:
                    best = (height, table)
            assert best is not None
            self._best[availWidth] = best
        self.height, self._table = best
        self.width = availWidth
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        self.wrap(availWidth, availHeight)
        if self.height <= availHeight:
            return [self]
        return [*self.left, *self.right]

    def draw(self) -> None:
        assert self._table is not None
        self._table.drawOn(self.canv, 0, 0)

    def getSpaceBefore(self) -> float:
        return 0.0

    def getSpaceAfter(self) -> float:
        return 0.0

    def __repr__(self) -> str:
        return f"SideBySide({len(self.left)} left, {len(self.right)} right)"


class KeepOnPage(KeepTogether):
    """Like KeepTogether, for two-column pages: content that starts in a left column may
    continue in the right column of the same page, but never on the next page.

    A frame whose id ends in "left" is taken to have a right-hand partner of the same
    height on the same page.
    """

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        if getattr(self, "_wrapInfo", None) != (availWidth, availHeight):
            self.wrap(availWidth, availHeight)
        frame = getattr(self, "_frame", None)
        if frame is not None and str(getattr(frame, "id", "")).endswith("left"):
            partner = float(frame._height)  # the right column is as tall as this one
            if availHeight < self._H <= availHeight + partner - 2:
                if stack_height(self._content[:2], availWidth) > availHeight:
                    # not even the title and dosage fit here: start afresh in the right
                    # column
                    return [FrameBreak(), self]
                return list(self._content)  # flows on into the right column
        result: list[Flowable] = super().split(availWidth, availHeight)
        return result



class PictureColumn(Flowable):
    """Pictures stacked one above the other, as the single "image" that
    :class:`~reportlab.platypus.flowables.ImageAndFlowables` floats text around."""

    def __init__(self, items: list[Flowable]) -> None:
        super().__init__()
        self.items = items
        self._sizes: list[tuple[float, float]] = []

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self._sizes = [item.wrap(availWidth, availHeight) for item in self.items]
        self.width = max((w for w, _ in self._sizes), default=0.0)
        self.height = sum(h for _, h in self._sizes)
        return self.width, self.height

    def _restrictSize(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return self.width, self.height  # each picture already fits its own box

    def _unRestrictSize(self) -> None:
        pass

    def draw(self) -> None:
        y = self.height
        for item, (_, h) in zip(self.items, self._sizes, strict=True):
            y -= h
            item.drawOn(self.canv, 0, y)
