"""The flowables rxprint's layouts are made of: blocks kept on one page, two columns
side by side, and the gap filler that puts boxes where a page would stay half empty."""

from __future__ import annotations

import functools
import io
from collections.abc import Callable, Sequence

from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Frame, Spacer, Table
from reportlab.platypus.tables import TableStyle

from rxprint.render.compat import current_frame, frame_height, frame_is_empty

# Table cells with no padding (a table that only places its cells side by side).
NO_PADDING = [(f"{side}PADDING", (0, 0), (-1, -1), 0)
              for side in ("LEFT", "RIGHT", "TOP", "BOTTOM")]


def stack_height(flowables: Sequence[Flowable], width: float) -> float:
    """The height of ``flowables`` set one below the other at ``width``, the space
    between them included (measured on a scratch canvas, nothing is drawn)."""
    return _Stacked(list(flowables)).measure(width)


class PageMark(Flowable):
    """Takes no space; records the page it lands on in the canvas's ``page_marks`` (when
    the canvas has them), so the footer can point to it ("When to call: page 3")."""

    def __init__(self, key: str) -> None:
        super().__init__()
        self.key = key

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return 0.0, 0.0

    def draw(self) -> None:
        marks = getattr(self.canv, "page_marks", None)
        if isinstance(marks, dict):
            marks.setdefault(self.key, self.canv.getPageNumber())


def canvas_of(flowable: Flowable) -> Canvas:
    """The canvas a flowable is being laid out on, or a scratch one (a table splitting a
    cell asks its flowables to split before giving them a canvas)."""
    canv = getattr(flowable, "canv", None)
    return canv if canv is not None else Canvas(io.BytesIO())


def fitting_first(items: Sequence[Flowable], width: float, height: float,
                  canv: Canvas | None = None) -> list[Flowable]:
    """``items`` with the first one split, as often as needed, until it fits ``height``
    (platypus wants the first piece of a split to fit where the split happens); an empty
    list when it cannot be made to fit (the whole then moves to the next frame)."""
    out = list(items)
    for _ in range(8):
        if not out:
            return []
        first = out[0]
        if canv is not None:
            first.canv = canv
        if first.wrap(width, height)[1] <= height:
            return out
        parts = first.split(width, height)
        if not parts or parts == [first]:
            return []
        out = [*parts, *out[1:]]
    return []


def fill(items: Sequence[Flowable], width: float, height: float,
         canv: Canvas) -> tuple[list[Flowable], list[Flowable]]:
    """``items`` cut where ``height`` is full: those that fit one below the other (set as
    :class:`_Stacked` sets them), the one across the cut split there when it can (a
    paragraph between two lines), and the rest."""
    head: list[Flowable] = []
    rest = list(items)
    used = after = 0.0  # the height filled, the space after the last item in it
    for _ in range(4 * len(rest) + 16):  # each round places an item or splits one
        if not rest:
            break
        item = rest[0]
        space = item.getSpaceBefore() + after if head else 0.0
        left = height - used - space
        if left <= 0:
            break
        h = item.wrapOn(canv, width, left)[1]
        if h <= left:
            head.append(rest.pop(0))
            used += space + h
            after = item.getSpaceAfter()
            continue
        item.canv = canv  # as Frame.split gives it
        try:
            parts = item.split(width, left)
        finally:
            if hasattr(item, "canv"):
                del item.canv
        if len(parts) < 2:
            break
        rest[0:1] = parts
    while len(head) > 1 and head[-1].getKeepWithNext():  # a heading never ends the part
        rest.insert(0, head.pop())
    return head, rest


class _Stacked:
    """Flowables one below the other, as a frame would set them: the first one's space
    before is dropped, the space between two is the later's before plus the earlier's
    after."""

    def __init__(self, items: list[Flowable]) -> None:
        self.items = items
        self.placed: list[tuple[Flowable, float, float]] = []  # flowable, y, height

    def measure(self, width: float, canvas: Canvas | None = None) -> float:
        canv = canvas if canvas is not None else Canvas(io.BytesIO())
        y = 0.0
        self.placed = []
        for i, item in enumerate(self.items):
            if i:
                y += item.getSpaceBefore()
            _, h = item.wrapOn(canv, width, 100_000)
            self.placed.append((item, y, h))
            y += h
            if i < len(self.items) - 1:
                y += item.getSpaceAfter()
        return y


# (width, height, continues on the same page) -> the parts, or [] to move whole
Splitter = Callable[[float, float, bool], list[Flowable]]


class Block(Flowable):
    """Flowables kept together on one page (or in one column), as one flowable.

    A block that does not fit the space left moves to the next frame whole. Only a block
    taller than an empty frame is split: as much as fits there, then the rest as a block
    of its own that starts the next frame with ``continued`` (an exercise's "3. Title
    (continued)"; not in the next column of the same page), so nothing is lost.
    ``space_before`` separates it from what precedes it (dropped at a frame's top).
    """

    def __init__(self, items: Sequence[Flowable], *, space_before: float = 0.0,
                 splitter: Splitter | None = None,
                 continued: Flowable | None = None) -> None:
        super().__init__()
        self.items = list(items)
        self.space_before = space_before
        # a long text box: how it continues in the next frame (None: it moves whole)
        self.splitter = splitter
        self.continued = continued
        self.glue = 1  # how many first items stay together even when the block splits
        # starts a page (a frame) of its own: set where nothing else is yet, else moved on
        # to the next (large print: one exercise a page)
        self.new_page = False
        # the splitter is used only when the block alone is taller than a frame (the
        # safety box: never broken at a page's foot to save space)
        self.keep_whole = False
        self._stack = _Stacked(self.items)
        self._wrapped: float | None = None

    def _held_back(self, frame: Frame | None) -> bool:
        """Whether the block must wait for the next frame: it starts one of its own, and
        ``frame`` has something in it already."""
        return self.new_page and frame is not None and not frame_is_empty(frame)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        if self._wrapped != availWidth:
            self.height = self._stack.measure(availWidth, canvas_of(self))
            self._wrapped = availWidth
        self.width = availWidth
        if self._held_back(current_frame(self)):  # too tall for here: split() moves it on
            return self.width, max(self.height, availHeight + 1)
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        self.wrap(availWidth, availHeight)
        if self._held_back(current_frame(self)):
            return []
        if self.height <= availHeight:
            return [self]
        frame = current_frame(self)
        at_top = frame is not None and frame_is_empty(frame)
        if self.splitter is not None and (at_top or not self.keep_whole):
            # a box breaks between its rows, the rest under "Title (continued)"
            parts = self.splitter(availWidth, availHeight, has_partner(frame))
            if parts:
                # the first part keeps the space that separates the block from the last
                return [Block(parts[:1], space_before=self.space_before), *parts[1:]]
        if at_top:
            return self.split_at_top(availWidth, availHeight, canvas_of(self),
                                     same_page=has_partner(frame))
        return []  # start afresh in the next frame

    def split_at_top(self, width: float, height: float, canv: Canvas, *,
                     same_page: bool) -> list[Flowable]:
        """The block, taller than the empty frame it starts (``height``), cut where the
        frame is full: what must stay together (the first ``glue`` items) still does; the
        rest is a block of its own that begins with ``continued`` (unless it goes on in
        the next column of the same page, ``same_page``), and is cut again at the next
        frame's foot if it must be."""
        glue = min(self.glue, len(self.items))
        items = list(self.items)
        if glue > 1:
            head = Block(self.items[:glue])
            if head.wrap(width, height)[1] <= height:
                items = [head, *self.items[glue:]]
        first, rest = fill(items, width, height, canv)
        if not rest or all(item is self.continued for item in first):
            # all of it fits (never: the block is taller), or nothing but the heading
            # (what follows cannot be split): flowables of its own, as they come
            return fitting_first(items, width, height, canv)
        top = [self.continued] if self.continued is not None and not same_page else []
        return [Block(first, space_before=self.space_before),
                Block([*top, *rest], continued=self.continued)]

    MIN_PART = 0.8 * 72  # a box that splits leaves at least this much before the break

    def flow_head(self, width: float) -> float | None:
        """The least room in which the block may start at the foot of a left column and
        go on in the right one (a box that splits between its paragraphs: MIN_PART), or
        None when it moves whole."""
        return self.MIN_PART if self.splitter is not None and not self.keep_whole else None

    def can_start(self, width: float, height: float, frame: Frame | None) -> bool:
        """Whether the block, set at ``width``, may start in ``height`` points left in
        ``frame`` (it fits there whole, and need not start a frame of its own)."""
        return not self._held_back(frame) and self.wrap(width, height)[1] <= height

    def draw(self) -> None:
        for item, y, h in self._stack.placed:
            item.drawOn(self.canv, 0, self.height - y - h)

    def getSpaceBefore(self) -> float:
        return self.space_before

    def getSpaceAfter(self) -> float:
        return 0.0

    def __repr__(self) -> str:
        return f"Block({len(self.items)} items)"


class Flexible(Block):
    """A block with tighter variants (a narrower picture column, say): set as its first
    variant, unless that does not fit the space left on the page and a later one does,
    so an exercise moves to the next page only when no variant fits."""

    def __init__(self, variants: Sequence[Block]) -> None:
        super().__init__(variants[0].items, continued=variants[0].continued)
        self.variants = list(variants)

    @property
    def space_before(self) -> float:
        return self.variants[0].space_before

    @space_before.setter
    def space_before(self, value: float) -> None:
        for variant in getattr(self, "variants", ()):
            variant.space_before = value

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width, self.height = self.variants[0].wrap(availWidth, availHeight)
        if self._held_back(current_frame(self)):  # too tall for here: split() moves it on
            return self.width, max(self.height, availHeight + 1)
        return self.width, self.height

    def _fitting(self, width: float, height: float) -> Block | None:
        return next((v for v in self.variants if v.wrap(width, height)[1] <= height), None)

    def can_start(self, width: float, height: float, frame: Frame | None) -> bool:
        return not self._held_back(frame) and self._fitting(width, height) is not None

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        if self._held_back(current_frame(self)):
            return []
        variant = self._fitting(availWidth, availHeight)
        if variant is not None:
            return [variant]
        first = self.variants[0]
        first.wrap(availWidth, availHeight)
        frame = current_frame(self)
        if frame is not None and frame_is_empty(frame):
            return first.split_at_top(availWidth, availHeight, canvas_of(self),
                                      same_page=has_partner(frame))
        return []

    def draw(self) -> None:
        self.variants[0].drawOn(self.canv, 0, 0)


def has_partner(frame: Frame | None) -> bool:
    """A left column (frame id ending in "left"), with a right-hand partner as tall on
    the same page."""
    return frame is not None and str(frame.id).endswith("left")


class ColumnBlock(Block):
    """A block for two-column pages: one that does not fit the foot of a left column may
    begin there and continue at the top of the right column of the same page, under its
    title and "(continued)", never on the next page. Its first ``glue`` items (title,
    dosage, picture, first lines) always stay together, and it breaks only between
    items."""

    def __init__(self, items: Sequence[Flowable], *, glue: int, space_before: float = 0.0,
                 continued: Flowable | None = None) -> None:
        super().__init__(items, space_before=space_before, continued=continued)
        self.glue = glue

    def _cut(self, width: float, height: float) -> int:
        """How many items fit whole in ``height`` (at least the glued ones, else 0)."""
        self.wrap(width, height)
        n = 0
        for i, (_, y, h) in enumerate(self._stack.placed):
            if y + h > height:
                break
            n = i + 1
        return n if n >= self.glue and n < len(self.items) else 0

    def flow_head(self, width: float) -> float | None:
        """The height of the glued first items: the room the block needs to start at the
        foot of a left column."""
        self.wrap(width, 100_000)
        glue = min(self.glue, len(self._stack.placed))
        _, y, h = self._stack.placed[glue - 1]
        return y + h

    def _continued_height(self, width: float) -> float:
        """The height of the "Title (continued)" line the right column starts with."""
        if self.continued is None:
            return 0.0
        return float(self.continued.wrap(width, 100_000)[1]
                     + self.continued.getSpaceAfter())

    def can_start(self, width: float, height: float, frame: Frame | None) -> bool:
        if super().can_start(width, height, frame):
            return True
        if self._held_back(frame):
            return False
        room = (height + frame_height(frame) - 2 * self.items[0].getSpaceBefore()
                - self._continued_height(width)) if frame is not None else 0.0
        return (has_partner(frame) and frame is not None and self.height <= room
                and self._cut(width, height) > 0)

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        self.wrap(availWidth, availHeight)
        frame = current_frame(self)
        if self._held_back(frame):
            return []
        if self.height > availHeight and self.can_start(availWidth, availHeight, frame):
            # the glued start here, the rest goes on in the right column under the title
            # and "(continued)" (a paragraph may break between the columns, never onto
            # the next page)
            n = self._cut(availWidth, availHeight)
            top = [self.continued] if self.continued is not None else []
            return [Block(self.items[:n], space_before=self.space_before), *top,
                    *self.items[n:]]
        return super().split(availWidth, availHeight)


Candidate = tuple[list[Flowable], list[Flowable], float]  # left, right, left width


class SideBySide(Flowable):
    """Two columns of flowables, top-aligned. Among several candidate arrangements
    (which content goes left, which right, how wide the left column is) the one that
    gives the shortest block is used; the choice depends on the width only, so it is
    made once per width.

    If the pair is taller than the space left even at the top of a page, it splits into
    its columns' flowables one after the other (full width), so long content (a very long
    note) still flows across pages and nothing is lost.
    """

    RATIOS = (0.42, 0.5, 0.58, 0.66)

    def __init__(self, candidates: Callable[[float], Sequence[Candidate]],
                 font: tuple[str, float], gap: float = 16) -> None:
        super().__init__()
        self.candidates = candidates
        self.font = font  # the tables' cell font (see styles.table_font)
        self.gap = gap
        self._best: dict[float, tuple[float, Table, Candidate]] = {}

    @classmethod
    def ratios(cls, left: list[Flowable], right: list[Flowable], font: tuple[str, float],
               gap: float = 16) -> SideBySide:
        """Two text columns; the left one takes 42 to 66 % of the width."""
        return cls(lambda width: [(left, right, (width - gap) * r) for r in cls.RATIOS],
                   font, gap)

    def _make_table(self, width: float, candidate: Candidate) -> Table:
        left, right, left_w = candidate
        table = Table([[left, right]], colWidths=[left_w, width - left_w - self.gap])
        table.setStyle(TableStyle([
            ("FONT", (0, 0), (-1, -1), *self.font),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            *NO_PADDING,
            ("LEFTPADDING", (1, 0), (1, 0), self.gap),
        ]))
        return table

    def _choose(self, width: float) -> tuple[float, Table, Candidate]:
        best = self._best.get(width)
        if best is None:
            for candidate in self.candidates(width):
                table = self._make_table(width, candidate)
                _, height = table.wrapOn(canvas_of(self), width, 100_000)
                if best is None or height < best[0] - 0.5:
                    best = (height, table, candidate)
            assert best is not None
            self._best[width] = best
        return best

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.height, self._table, _ = self._choose(availWidth)
        self.width = availWidth
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        self.wrap(availWidth, availHeight)
        if self.height <= availHeight:
            return [self]
        canv = canvas_of(self)
        # the first arrangement whose left column fits (the plainest: the candidates come
        # in the reading order's favour) keeps it beside the start of the right column; the
        # rest of that goes on below, full width
        for left, right, left_w in self.candidates(availWidth):
            if _Stacked(left).measure(left_w, canv) > availHeight:
                continue
            head, rest = fill(right, availWidth - left_w - self.gap, availHeight, canv)
            if all(item.getKeepWithNext() for item in head):  # a heading alone: not here
                rest[0:0], head = head, []
            while head and rest:  # a table cell counts its first space before, too
                pair: Candidate = (left, head, left_w)
                part = SideBySide(functools.partial(_always, pair), self.font, self.gap)
                if part.wrapOn(canv, availWidth, availHeight)[1] <= availHeight:
                    return [part, *rest]
                rest.insert(0, head.pop())
        left, right, _ = self._choose(availWidth)[2]
        return fitting_first([*left, *right], availWidth, availHeight, canv)

    def draw(self) -> None:
        # the cells' flowables were last measured for another candidate: measure again
        self._table.wrapOn(self.canv, self.width, 100_000)
        self._table.drawOn(self.canv, 0, 0)

    def getSpaceBefore(self) -> float:
        return 0.0

    def getSpaceAfter(self) -> float:
        return 0.0

    def __repr__(self) -> str:
        return "SideBySide()"


def _always(candidate: Candidate, width: float) -> list[Candidate]:
    """One arrangement, whatever the width."""
    return [candidate]


class Shortest(Flowable):
    """Several ways to set the same content (each a list of flowables, one below the
    other); the one that gives the shortest block is used, chosen once per width."""

    def __init__(self, alternatives: Sequence[Sequence[Flowable]]) -> None:
        super().__init__()
        self.alternatives = [list(a) for a in alternatives]
        self._best: dict[float, tuple[float, _Stacked]] = {}
        self._stack: _Stacked | None = None

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        best = self._best.get(availWidth)
        if best is None:
            for alternative in self.alternatives:
                stack = _Stacked(alternative)
                height = stack.measure(availWidth, canvas_of(self))
                if best is None or height < best[0] - 0.5:
                    best = (height, stack)
            assert best is not None
            self._best[availWidth] = best
        self.height, self._stack = best
        self.width = availWidth
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        self.wrap(availWidth, availHeight)
        if self.height <= availHeight:
            return [self]
        assert self._stack is not None
        return fitting_first(self._stack.items, availWidth, availHeight, canvas_of(self))

    def draw(self) -> None:
        assert self._stack is not None
        # the shared flowables were last measured for another alternative: measure again
        self._stack.measure(self.width, self.canv)
        for item, y, h in self._stack.placed:
            item.drawOn(self.canv, 0, self.height - y - h)

    def getSpaceBefore(self) -> float:
        return 0.0

    def getSpaceAfter(self) -> float:
        return 0.0


class FillerPool:
    """Boxes that may stand wherever a page would otherwise stay half empty (the safety
    box, education sections), in their order. :class:`Gap` takes from it; whatever is
    left is set after the last exercise (:meth:`rest`)."""

    def __init__(self, fillers: Sequence[Block], gap: float) -> None:
        self.fillers = list(fillers)
        self.gap = gap
        for filler in self.fillers:
            filler.space_before = gap

    def choose(self, width: float, space: float) -> list[Block]:
        """The fillers, in order, that fit one after another into ``space`` (first fit:
        a box too tall for what is left is skipped, a later smaller one may still fit)."""
        chosen: list[Block] = []
        left = space
        for filler in self.fillers:
            h = filler.wrap(width, space)[1] + self.gap
            if h <= left:
                chosen.append(filler)
                left -= h
        return chosen

    def take(self, fillers: Sequence[Block]) -> None:
        for filler in fillers:
            self.fillers.remove(filler)

    def rest(self) -> list[Flowable]:
        return [RestOfPool(self)]


class Gap(Flowable):
    """Stands between two blocks. When the next block does not fit the space left in the
    frame, the gap fills that space with boxes from the pool instead of leaving it
    empty; otherwise it is nothing."""

    def __init__(self, pool: FillerPool, following: Block) -> None:
        super().__init__()
        self.pool = pool
        self.following = following
        self._chosen: list[Block] = []
        self._stack = _Stacked([])

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width, self.height, self._chosen = availWidth, 0.0, []
        self._stack = _Stacked([])
        if not self.pool.fillers:
            return self.width, self.height
        space = availHeight - self.following.getSpaceBefore()
        if self.following.can_start(availWidth, space, current_frame(self)):
            return self.width, self.height
        self._chosen = self.pool.choose(availWidth, availHeight)
        self._stack = _Stacked(list(self._chosen))
        self.height = self._stack.measure(availWidth, self.canv) + (
            self.pool.gap if self._chosen else 0.0)
        return self.width, self.height

    def draw(self) -> None:
        self.pool.take(self._chosen)
        top = self.height - self.pool.gap
        for item, y, h in self._stack.placed:
            item.drawOn(self.canv, 0, top - y - h)

    def getSpaceBefore(self) -> float:
        return 0.0

    def getSpaceAfter(self) -> float:
        return 0.0


class RestOfPool(Flowable):
    """After the last block: the boxes no gap took, in their order (a box that may split,
    a long text, continues in the next frame)."""

    def __init__(self, pool: FillerPool) -> None:
        super().__init__()
        self.pool = pool

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width = availWidth
        # never drawn as itself: always replaced by the boxes (see split)
        self.height = availHeight + 1 if self.pool.fillers else 0.0
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        # platypus wants the first piece to fit where the split happens: an empty one
        rest: list[Flowable] = [Spacer(0, 0), *self.pool.fillers]
        self.pool.fillers = []
        return rest

    def draw(self) -> None:
        pass
