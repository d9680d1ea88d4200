"""Where the education sections go: a plan made before the pages are set.

The exercises keep the program's order and each stays whole; the education sections
(the boxes a layout may move) can stand after any of them, or within a range (just
before or just after the first stretch). :func:`plan` tries every placement on the
measured heights of the blocks and picks the one that prints on the fewest pages; then
the one whose last page is least short of a third (no sheet for three lines); then the
one with the fewest other pages short of two thirds, and by the least; then the one
with the sections latest (the exercises first, where that costs nothing). Plain
arithmetic: no ReportLab here.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

SLACK = 2.0  # points kept free in a frame: measured and set heights may differ a little
LAST_PAGE = 1 / 3  # the last page is at least this full, when a placement allows it
OTHER_PAGES = 0.72  # and every other page this full (2/3, with a margin: a box's text
# ends above its frame, and the measured heights round)
FLOW_LOSS = 28.0  # a block that flows on into the next column loses about two lines there
Measured = tuple[float, float, float | None]  # height, space before, flow head


@dataclass(frozen=True)
class Frames:
    """The frames a story flows through, in points.

    :param width: the frames' width (every frame of the flow is this wide).
    :param first: page 1's frames: (height, already used at the top) each, the title
        block counting as used.
    :param rest: the frame heights of every later page.
    """

    width: float
    first: tuple[tuple[float, float], ...]
    rest: tuple[float, ...]

    @property
    def columns(self) -> bool:
        """Pages of two or more columns (a block may go on from one to the next)."""
        return len(self.rest) > 1

    def sequence(self) -> Iterator[tuple[int, float, float, bool]]:
        """(page, height, used, has a partner) of each frame, in the order the story
        fills them; a frame has a partner when another frame of its page follows it (a
        left column)."""
        for i, (height, used) in enumerate(self.first):
            yield 0, height, used, i + 1 < len(self.first)
        for page in itertools.count(1):
            for i, height in enumerate(self.rest):
                yield page, height, 0.0, i + 1 < len(self.rest)


@dataclass(frozen=True)
class Layout:
    """Where each block landed in one simulated setting: pages and their fill."""

    pages: int
    fills: tuple[float, ...]  # per page: the mean fill of its frames, 0 to 1
    placed: tuple[int, ...] = ()  # the page each block starts on

    def cost(self) -> tuple[int, float, int, float]:
        """Fewest pages; then the last page short of LAST_PAGE by the least; then the
        fewest other pages short of OTHER_PAGES, and by the least."""
        short = [OTHER_PAGES - f for f in self.fills[:-1] if f < OTHER_PAGES]
        return self.pages, max(0.0, LAST_PAGE - self.fills[-1]), len(short), sum(short)


def simulate(blocks: Sequence[Measured], frames: Frames) -> Layout | None:
    """Set ``blocks`` ((height, space before, head) each, in order) into ``frames`` the
    way platypus does: the space before is dropped at a frame's top; a block that does
    not fit goes whole to the next frame, unless it may flow (``head`` is not None: an
    exercise or a box in a two-column layout) and the frame has a partner column on the
    same page: then it starts where it is, given ``head`` points there, and goes on at
    the top of the next column. None when a block is taller than a frame (it would
    split: the plan cannot predict that)."""
    seq = frames.sequence()
    page, height, used, partner = next(seq)
    at_top = used == 0
    fill: dict[tuple[int, int], tuple[float, float]] = {}
    index = 0
    fill[(page, index)] = (used, height)
    placed: list[int] = []
    for h, space, head in blocks:
        while True:
            need = h if at_top else used + space + h
            if need <= height - SLACK:
                used, at_top = need, False
                fill[(page, index)] = (used, height)
                placed.append(page)
                break
            if at_top:
                return None  # taller than a whole frame
            room = height - SLACK - used - space
            nxt = next(seq)
            index += 1
            if (head is not None and partner and room >= head
                    and h - room + FLOW_LOSS <= nxt[1]):
                fill[(page, index - 1)] = (height - SLACK, height)
                placed.append(page)
                page, height, _, partner = nxt
                used, at_top = h - room + FLOW_LOSS, False
                fill[(page, index)] = (used, height)
                break
            page, height, used, partner = nxt
            at_top = used == 0
            fill[(page, index)] = (used, height)
    pages = page + 1
    per_page: list[list[float]] = [[] for _ in range(pages)]
    for (p, _), (u, hgt) in fill.items():
        per_page[p].append(u / hgt)
    # a page's frames not reached count as empty (a right column left blank)
    counts = [len(frames.first)] + [len(frames.rest)] * (pages - 1)
    fills = tuple(sum(f) / n for f, n in zip(per_page, counts, strict=True))
    return Layout(pages=pages, fills=fills, placed=tuple(placed))


def plan(anchors: Sequence[Measured], movable: Sequence[Measured],
         frames: Frames,
         ranges: Sequence[tuple[int, int] | None] | None = None) -> tuple[int, ...] | None:
    """For each movable block, the index of the anchor it follows (0: the first anchor).
    ``anchors`` and ``movable`` are (height, space before, flow head) triples (see
    :func:`simulate`). ``ranges``: for each
    movable block, the first and last anchor it may follow, or None for anywhere; the
    blocks free to go anywhere keep their order, and blocks after the same anchor keep
    the order of ``movable``. None when no placement can be predicted (a block taller
    than a frame)."""
    if not movable:
        return ()
    last = len(anchors) - 1
    spans = [r if r is not None else (0, last) for r in (ranges or [None] * len(movable))]
    free = [i for i, r in enumerate(ranges or [None] * len(movable)) if r is None]
    # ties go to the latest placement: the exercises first, the reading after them
    best: tuple[tuple[int, float, int, float, tuple[int, ...]], tuple[int, ...]] | None = None
    for slots in itertools.product(*(range(lo, hi + 1) for lo, hi in spans)):
        if any(slots[a] > slots[b] for a, b in itertools.pairwise(free)):
            continue  # the free blocks keep their order
        blocks: list[Measured] = []
        where: dict[int, int] = {}  # anchor index -> its position among the blocks
        at: dict[int, int] = {}  # movable index -> its position
        for i, anchor in enumerate(anchors):
            where[i] = len(blocks)
            blocks.append(anchor)
            for j, slot in enumerate(slots):
                if slot == i:
                    at[j] = len(blocks)
                    blocks.append(movable[j])
        layout = simulate(blocks, frames)
        if layout is None:
            return None
        if any(slots[j] > spans[j][0] and ranges and ranges[j] is not None
               and layout.placed[at[j]] != layout.placed[where[slots[j]]]
               for j in range(len(movable))):
            continue  # placed after its anchor, but not beside it
        key = (*layout.cost(), tuple(-slot for slot in slots))
        if best is None or key < best[0]:
            best = (key, slots)
    assert best is not None
    return best[1]
