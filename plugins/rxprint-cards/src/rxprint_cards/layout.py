"""The cards layout: one exercise per half page and a cut line between."""

from __future__ import annotations

from typing import Any

from reportlab.lib.colors import Color
from reportlab.platypus import Flowable, FrameBreak, PageTemplate

from rxprint.layout import (
    INCH,
    ExerciseOptions,
    Layout,
    LayoutRequest,
    PageCallback,
    StoryBuilder,
    Styles,
    build_styles,
)

GAP = 36.0  # between the two cards, with the cut line in its middle
# a picture column of its own, as small as rxprint allows (1.2 inches on its short side)
CARD = ExerciseOptions(picture_width=1.6 * INCH, picture_height=1.2 * INCH,
                       short_picture_height=None)


class CardsLayout(Layout):
    """A title card, then one card per exercise (half a page each), then the education
    and safety cards. In large print each card is a whole page."""

    title_block = True  # the title card names the patient and date

    def styles(self, request: LayoutRequest) -> Styles:
        # large print: build_styles makes the body 16 pt whatever body_size says
        return build_styles(request.branding, request.family, body_size=10, leading=12.2,
                            large_print=request.large_print)

    def _card_height(self, request: LayoutRequest) -> float:
        height = request.page.body[3]
        return height if request.large_print else (height - GAP) / 2

    def story(self, request: LayoutRequest, builder: StoryBuilder) -> list[Flowable]:
        width = request.page.body[2]
        story: list[Flowable] = [*builder.masthead(), FrameBreak()]
        for number, item in enumerate(request.program.items, start=1):
            # a small picture, left out when the instructions alone nearly fill a card
            # (large print: the builder sizes pictures for it; a card is a page)
            card = builder.exercise_within(width, self._card_height(request), number, item,
                                           CARD)
            story += [card, FrameBreak()]
        story += builder.closing(compact=True)
        # the adherence log on a whole page (its own template: no cut line through it)
        return [*story, *builder.log_pages("log")]

    def page_templates(self, request: LayoutRequest,
                       decorate: PageCallback) -> list[PageTemplate]:
        log = PageTemplate(id="log", frames=[request.page.frame()], onPage=decorate)
        if request.large_print:  # a card a page: nothing to cut
            return [PageTemplate(id="cards", frames=[request.page.frame()], onPage=decorate),
                    log]
        x, y, width, height = request.page.body
        card = (height - GAP) / 2
        frames = [request.page.frame("top", y=y + card + GAP, height=card),
                  request.page.frame("bottom", y=y, height=card)]
        cut_y = y + card + GAP / 2

        def on_page(canv: Any, doc: Any) -> None:
            decorate(canv, doc)
            canv.saveState()
            canv.setStrokeColor(Color(0.45, 0.45, 0.45))
            canv.setLineWidth(0.8)
            canv.setDash(6, 4)
            canv.line(x - 18, cut_y, x + width + 18, cut_y)
            canv.setDash()
            canv.setFont(request.family.italic, 8)
            canv.setFillColor(Color(0.45, 0.45, 0.45))
            canv.drawRightString(x + width, cut_y + 3, "cut here")
            canv.restoreState()

        return [PageTemplate(id="cards", frames=frames, onPage=on_page), log]
