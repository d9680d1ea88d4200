"""The one place that touches ReportLab's private attributes.

rxprint needs three things platypus has no public API for:

- the frame a flowable is being laid out in, while it is asked to split (to tell "does
  not fit the space left" from "does not fit even an empty frame");
- whether that frame is still empty;
- holding each finished page until the document ends, so every page can say
  "Page N of M" (the classic "numbered canvas" recipe);
- remembering a paragraph's line breaking per width: layouts try several arrangements
  of the same paragraphs, and breaking lines is most of a handout's time.

Each is a small function here, with its own tests (``tests/test_compat.py``) that fail
loudly if a ReportLab release changes them; the ReportLab requirement in
``pyproject.toml`` has an upper bound those tests justify. Nothing else in rxprint reads
an underscore attribute of a ReportLab object.
"""

from __future__ import annotations

from typing import Any

from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Frame, Paragraph


def current_frame(flowable: Flowable) -> Frame | None:
    """The frame ``flowable`` is being added to or split in (set by ``Frame.add`` and
    ``Frame.split`` for the duration of the call), or None outside those calls."""
    frame = getattr(flowable, "_frame", None)
    return frame if isinstance(frame, Frame) else None


def frame_height(frame: Frame) -> float:
    """The usable height of ``frame`` (inside its padding)."""
    return float(frame._aH)


def frame_is_empty(frame: Frame) -> bool:
    """True while nothing has been drawn in ``frame``."""
    return bool(frame._atTop)


class DeferredPageCanvas(Canvas):
    """A canvas that holds every page until :meth:`save`, then calls
    :meth:`finish_page` on each (with its number and the total) before writing it."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._held_pages: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self._held_pages.append(dict(self.__dict__))
        self._startPage()

    def finish_page(self, number: int, total: int) -> None:
        """Draw what needs the page count (override)."""

    def save(self) -> None:
        total = len(self._held_pages)
        for number, state in enumerate(self._held_pages, start=1):
            self.__dict__.update(state)
            self.finish_page(number, total)
            super().showPage()
        super().save()

    @property
    def page_count(self) -> int:
        return len(self._held_pages)


# What Paragraph.wrap sets: the result of breaking the lines at one width.
_WRAP_STATE = ("frags", "width", "height", "blPara", "_wrapWidths", "_width_max",
               "_splitLongWordCount", "_hyphenations")


class MemoParagraph(Paragraph):
    """A Paragraph that breaks its lines once per width: wrapping it again at a width it
    has seen restores that result instead of breaking the lines again."""

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        memo: dict[float, dict[str, Any]] = self.__dict__.setdefault("_rx_memo", {})
        state = memo.get(availWidth)
        if state is not None:
            self.__dict__.update(state)
            return self.width, self.height
        width, height = super().wrap(availWidth, availHeight)
        memo[availWidth] = {k: self.__dict__[k] for k in _WRAP_STATE if k in self.__dict__}
        return float(width), float(height)
