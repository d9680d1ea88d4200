"""The ReportLab internals rxprint relies on (render/compat.py), pinned by behaviour: if a
ReportLab release changes them, these fail, and the upper bound in pyproject.toml moves
only when they pass."""

from __future__ import annotations

import io

from pypdf import PdfReader
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Paragraph

from rxprint.render.compat import (
    DeferredPageCanvas,
    current_frame,
    frame_height,
    frame_is_empty,
)


class Probe(Flowable):
    """Records what compat sees while platypus adds and splits it."""

    def __init__(self, height: float, seen: list[tuple[object, ...]]) -> None:
        super().__init__()
        self.want = height
        self.seen = seen

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        frame = current_frame(self)
        self.seen.append(("wrap", frame is not None and frame.id,
                          frame is not None and frame_is_empty(frame)))
        return availWidth, self.want

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        frame = current_frame(self)
        assert frame is not None
        self.seen.append(("split", frame.id, frame_height(frame), availHeight))
        return []

    def draw(self) -> None:
        pass


def _build(story: list[Flowable], canvasmaker: type = DeferredPageCanvas) -> bytes:
    buffer = io.BytesIO()
    doc = BaseDocTemplate(buffer, pagesize=(300, 400), invariant=1)
    doc.addPageTemplates([PageTemplate(id="p", frames=[
        Frame(0, 0, 300, 400, id="body", leftPadding=0, rightPadding=0, topPadding=0,
              bottomPadding=0)])])
    doc.build(story, canvasmaker=canvasmaker)
    return buffer.getvalue()


def test_the_frame_is_known_while_adding_and_splitting() -> None:
    seen: list[tuple[object, ...]] = []
    _build([Probe(100, seen), Probe(350, seen)])
    assert seen[0] == ("wrap", "body", True)  # the first flowable: an empty frame
    assert seen[1] == ("wrap", "body", False)
    split = next(s for s in seen if s[0] == "split")
    assert split[1] == "body" and split[2] == 400 and split[3] == 300
    assert current_frame(Probe(1, [])) is None  # outside platypus: no frame


def test_deferred_pages_know_the_total() -> None:
    style = ParagraphStyle("p", fontName="Helvetica", fontSize=10, leading=12)
    labels: list[tuple[int, int]] = []

    class Numbered(DeferredPageCanvas):
        def finish_page(self, number: int, total: int) -> None:
            labels.append((number, total))
            self.setFont("Helvetica", 8)
            self.drawString(10, 10, f"Page {number} of {total}")

    text = " ".join(["word"] * 2000)
    pdf = _build([Paragraph(text, style)], Numbered)
    reader = PdfReader(io.BytesIO(pdf))
    total = len(reader.pages)
    assert total > 1 and labels == [(n, total) for n in range(1, total + 1)]
    for n, page in enumerate(reader.pages, start=1):
        assert f"Page {n} of {total}" in (page.extract_text() or "")


def test_a_memo_paragraph_breaks_lines_once_per_width_and_draws_the_same() -> None:
    from reportlab.platypus import Paragraph as Plain

    from rxprint.render.compat import MemoParagraph

    style = ParagraphStyle("p", fontName="Helvetica", fontSize=10, leading=12)
    text = "Lie on your back with one knee bent and the other leg straight. " * 4
    memo, plain = MemoParagraph(text, style), Plain(text, style)
    for width in (100, 250, 100, 250, 100):
        assert memo.wrap(width, 1000) == plain.wrap(width, 1000)
        assert repr(memo.blPara.lines) == repr(plain.blPara.lines)
    assert sorted(memo._rx_memo) == [100, 250]  # type: ignore[attr-defined]
    # drawn after a wrap at another width and back: the same page as a plain paragraph
    pdfs = []
    for para in (memo, plain):
        para.wrap(250, 1000)
        para.wrap(100, 1000)
        pdfs.append(_build([para]))
    assert pdfs[0] == pdfs[1]
