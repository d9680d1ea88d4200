"""The built-in layouts: ``classic`` and ``compact``."""

from __future__ import annotations

from reportlab.platypus import Flowable, PageTemplate

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
    """Two columns per page, one exercise after another, at 9.5 pt: about three
    exercises a page, for a short refresher of a familiar program."""

    GAP = 18.0

    def styles(self, request: LayoutRequest) -> Styles:
        return build_styles(request.branding, request.family, body_size=9.5, leading=11.6)

    def story(self, request: LayoutRequest, builder: StoryBuilder) -> list[Flowable]:
        story = builder.first_page()
        column = (request.page.body[2] - self.GAP) / 2
        for number, item in enumerate(request.program.items, start=1):
            story.append(builder.exercise(number, item, side_by_side=False,
                                          picture_width=column * 0.8))
        return story + builder.closing()

    def page_templates(self, request: LayoutRequest,
                       decorate: PageCallback) -> list[PageTemplate]:
        x, _, width, _ = request.page.body
        column = (width - self.GAP) / 2
        frames = [request.page.frame("left", x=x, width=column),
                  request.page.frame("right", x=x + column + self.GAP, width=column)]
        return [PageTemplate(id="columns", frames=frames, onPage=decorate)]


CLASSIC = ClassicLayout()
COMPACT = CompactLayout()
