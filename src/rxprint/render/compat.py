"""The one place that touches ReportLab's private attributes.

rxprint needs three things platypus has no public API for:

- the frame a flowable is being laid out in, while it is asked to split (to tell "does
  not fit the space left" from "does not fit even an empty frame");
- whether that frame is still empty;
- holding each finished page until the document ends, so every page can say
  "Page N of M" (the classic "numbered canvas" recipe);
- remembering a paragraph's parsing and line breaking per width, across the handouts
  of a process: layouts try several arrangements of the same paragraphs, a batch prints
  the same library text again and again, and breaking lines is most of a handout's time;
- replaying what a drawing put on the canvas, for the next handout with that drawing;
- setting the PDF's file identifier (``/ID``) to the handout's fingerprint
  (:mod:`rxprint.render.fingerprint`) instead of ReportLab's digest of the document's info.

Each is a small function here, with its own tests (``tests/test_compat.py``) that fail
loudly if a ReportLab release changes them; the ReportLab requirement in
``pyproject.toml`` has an upper bound those tests justify. Nothing else in rxprint reads
an underscore attribute of a ReportLab object.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Frame, Paragraph

from rxprint.render import rlsetup  # noqa: F401  (ReportLab's safe settings, set on import)


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


def set_file_id(canv: Canvas, file_id: bytes) -> None:
    """Make ``file_id`` the PDF's file identifier (both parts of the trailer's ``/ID``), in
    place of the digest ReportLab computes when it writes the file."""
    hex_id = file_id.hex().encode("ascii")
    canv._doc._ID = b"\n[<" + hex_id + b"><" + hex_id + b">]\n"


def embed_file(canv: Canvas, name: str, data: bytes, description: str) -> None:
    """Attach ``data`` to the PDF as the embedded file ``name`` (the document's one
    attachment: the catalog's ``/Names /EmbeddedFiles`` tree holds only it), compressed as
    the page streams are. ReportLab has no API for this; it goes through its object
    model."""
    from reportlab.pdfbase.pdfdoc import (
        PDFArray,
        PDFDictionary,
        PDFName,
        PDFStream,
        PDFString,
        PDFZCompress,
    )

    doc = canv._doc
    stream = PDFStream(PDFDictionary({"Type": PDFName("EmbeddedFile"),
                                      "Params": PDFDictionary({"Size": len(data)})}),
                       data, filters=[PDFZCompress])  # compressed: no plain text in the file
    spec = PDFDictionary({"Type": PDFName("Filespec"), "F": PDFString(name),
                          "UF": PDFString(name), "Desc": PDFString(description),
                          "EF": PDFDictionary({"F": doc.Reference(stream)})})
    tree = PDFDictionary({"Names": PDFArray([PDFString(name), doc.Reference(spec)])})
    doc.Catalog.Names = doc.Reference(PDFDictionary({"EmbeddedFiles": tree}))


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


_PARSED = ("text", "frags", "style", "bulletText")


class _Lru(OrderedDict[Hashable, Any]):
    """A dict that forgets its least recently used entries beyond ``size``."""

    def __init__(self, size: int) -> None:
        super().__init__()
        self.size = size

    def get_recent(self, key: Hashable) -> Any:
        value = self.get(key)
        if value is not None:
            self.move_to_end(key)
        return value

    def put(self, key: Hashable, value: Any) -> None:
        self[key] = value
        if len(self) > self.size:
            self.popitem(last=False)


# Paragraphs by (markup, style, bullet): the style object itself is kept in the entry, so
# its id in the key is never reused while the entry lives. Bounded: a batch prints the
# same library paragraphs (a few hundred a program) again and again.
_PARAGRAPHS = _Lru(4096)


class MemoParagraph(Paragraph):
    """A Paragraph that parses its markup and breaks its lines once per width, and
    remembers both for the next paragraph of the same markup, style and bullet in this
    process: wrapping at a width seen before restores that result. Text that holds patient
    data is made with ``shared=False``: it is remembered within its own handout only.
    The output is byte for byte the same as a plain Paragraph's (tested)."""

    def __init__(self, text: str | None, style: ParagraphStyle | None = None,
                 bulletText: Any = None, frags: Any = None, caseSensitive: int = 1,
                 encoding: str = "utf8", *, shared: bool = True) -> None:
        entry = None
        key = (text, id(style), bulletText)
        if shared and frags is None and text is not None:
            entry = _PARAGRAPHS.get_recent(key)
            if entry is not None and entry[0] is not style:
                entry = None
        if entry is None:
            super().__init__(text, style, bulletText, frags, caseSensitive, encoding)
            if shared and frags is None and text is not None:
                entry = (style, {k: self.__dict__[k] for k in _PARSED}, {})
                _PARAGRAPHS.put(key, entry)
        else:
            self.caseSensitive = caseSensitive
            self.encoding = encoding
            self.__dict__.update(entry[1])
            self.debug = 0
        if entry is not None:
            self.__dict__["_rx_memo"] = entry[2]

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        memo: dict[float, dict[str, Any]] = self.__dict__.setdefault("_rx_memo", {})
        state = memo.get(availWidth)
        if state is not None:
            self.__dict__.update(state)
            return self.width, self.height
        width, height = super().wrap(availWidth, availHeight)
        memo[availWidth] = {k: self.__dict__[k] for k in _WRAP_STATE if k in self.__dict__}
        return float(width), float(height)


# What a drawing put on the canvas, by the drawing's key: the same drawing at the same
# size in the next handout is replayed, not computed and formatted again.
_DRAWINGS = _Lru(512)


def draw_recorded(canv: Canvas, key: Hashable, draw: Callable[[], None]) -> None:
    """Call ``draw`` (which must leave the canvas's graphics state as it found it, within
    saveState/restoreState, and use no page resources such as fonts or images) or, for a
    key seen before in this process, append the page operators it produced then."""
    code = _DRAWINGS.get_recent(key)
    if code is not None:
        canv._code.extend(code)
        return
    start = len(canv._code)
    draw()
    _DRAWINGS.put(key, tuple(canv._code[start:]))
