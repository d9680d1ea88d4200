"""The built-in layouts: ``classic`` and ``compact``."""

from __future__ import annotations

from reportlab.platypus import Flowable, FrameBreak, NextPageTemplate, PageTemplate

from .flowables import KeepOnPage, stack_height
from .layout import Layout, LayoutRequest, PageCallback
from .story import StoryBuilder
from .styles import Styles, build_styles


class ClassicLayout(Layout):
    """One exercise per row: title, dosage and purpose across the page, then the steps
    beside the pictures, tips and cautions. Body text 11 pt."""

    def story(self, request: LayoutRequest, builder: StoryBuilder) -> list[Flowable]:
        story = builder.first_page()
        for number, item in enumerate(request.program.items, start=1):
            story.append(builder.exercise(number, item))
        return story + builder.closing()


class CompactLayout(Layout):
    """Two columns at 9.5 pt with every field, tips and cautions run in: a six-exercise
    program's exercises and safety box fit on two Letter pages."""

    GAP = 18.0
    BAND_GAP = 8.0

    def styles(self, request: LayoutRequest) -> Styles:
        return build_styles(request.branding, request.family, body_size=9.5, leading=11.4)

    def _column(self, request: LayoutRequest) -> float:
        return (request.page.body[2] - self.GAP) / 2

    def story(self, request: LayoutRequest, builder: StoryBuilder) -> list[Flowable]:
        story: list[Flowable] = [NextPageTemplate("columns"), *builder.masthead(),
                                 FrameBreak()]
        for number, item in enumerate(request.program.items, start=1):
            story.append(builder.exercise(number, item, side_by_side=False, compact=True,
                                          picture_width=self._column(request),
                                          keep=KeepOnPage))
        return story + builder.closing(compact=True)

    def _band_height(self, request: LayoutRequest) -> float:
        """The height of page 1's full-width band, measured on its own flowables."""
        builder = StoryBuilder(request.program, request.catalog, self.styles(request))
        return stack_height(builder.masthead(), request.page.body[2]) + self.BAND_GAP

    def page_templates(self, request: LayoutRequest,
                       decorate: PageCallback) -> list[PageTemplate]:
        x, y, _, height = request.page.body
        column = self._column(request)
        band = min(self._band_height(request), height * 0.6)
        below = height - band

        def columns(h: float, prefix: str) -> list[Flowable]:
            return [request.page.frame(f"{prefix}left", x=x, y=y, width=column, height=h),
                    request.page.frame(f"{prefix}right", x=x + column + self.GAP, y=y,
                                       width=column, height=h)]

        first = [request.page.frame("band", y=y + below, height=band), *columns(below, "p1")]
        return [PageTemplate(id="first", frames=first, onPage=decorate),
                PageTemplate(id="columns", frames=columns(height, ""), onPage=decorate)]


CLASSIC = ClassicLayout()
COMPACT = CompactLayout()
