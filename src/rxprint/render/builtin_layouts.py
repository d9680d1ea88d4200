"""The built-in layouts: ``classic`` and ``compact``."""

from __future__ import annotations

from reportlab.platypus import Flowable, FrameBreak, NextPageTemplate, PageTemplate

from rxprint.render.flowables import stack_height
from rxprint.render.layout_base import Layout, LayoutRequest, PageCallback
from rxprint.render.planner import Frames
from rxprint.render.story import StoryBuilder
from rxprint.render.story_exercises import INCH, ExerciseOptions
from rxprint.render.styles import Styles, build_styles


class ClassicLayout(Layout):
    """A row per exercise, one grid for all: the pictures (each person at least 1.5 in
    long) and the dosage in a column of their own, the instructions beside them, the tips
    and when to stop under them; body text 12 pt. Page 1 opens with a compact header
    block and the safety box; the education sections go where the handout prints on the
    fewest, fullest pages."""

    OPTIONS = ExerciseOptions()
    title_block = True

    def story(self, request: LayoutRequest, builder: StoryBuilder) -> list[Flowable]:
        first = builder.first_page()
        _, _, width, height = request.page.first_body
        frames = Frames(width, first=((height, stack_height(first, width)),),
                        rest=(request.page.body[3],))
        return [*first, *builder.exercises(self.OPTIONS, frames=frames), *builder.log_pages()]


class CompactLayout(Layout):
    """Two columns at 11 pt with every field, tips and cautions run in, the picture
    above each exercise (each person at least 1.1 in long, never larger than
    classic's); an exercise may go on from the left column into the right one, never
    onto the next page. In large print: one column (16 pt in two columns would leave
    a few words a line), the pictures beside the text as in classic, one exercise a
    page, under compact's short heading instead of classic's title block."""

    GAP = 18.0
    BAND_GAP = 8.0
    title_block = True

    def styles(self, request: LayoutRequest) -> Styles:
        return build_styles(request.branding, request.family, body_size=11.0, leading=13.2,
                            large_print=request.large_print)

    def _column(self, request: LayoutRequest) -> float:
        if request.large_print:
            return request.page.body[2]
        return (request.page.body[2] - self.GAP) / 2

    def options(self, request: LayoutRequest) -> ExerciseOptions:
        classic = ClassicLayout.OPTIONS
        if request.large_print:
            # one column: the pictures beside the text, as in classic (above it, a drawing
            # whose person must be 2 in long stands its panels one above the other)
            return classic
        return ExerciseOptions(arrangement="column", run_in=True,
                               picture_width=min(classic.picture_width, self._column(request)),
                               picture_height=min(classic.picture_height, 1.45 * INCH),
                               min_person=1.1 * INCH)

    def story(self, request: LayoutRequest, builder: StoryBuilder) -> list[Flowable]:
        if request.large_print:  # the boxes' lists as lists: easier to follow
            return [*builder.masthead(), *builder.exercises(self.options(request)),
                    *builder.log_pages()]
        below = self._below(request)
        body = request.page.body[3]
        frames = Frames(self._column(request), first=((below, 0.0), (below, 0.0)),
                        rest=(body, body))
        return [NextPageTemplate("columns"), *builder.masthead(), FrameBreak(),
                *builder.exercises(self.options(request), compact_boxes=True,
                                   frames=frames),
                *builder.log_pages("log")]  # the log across the page, not in a column

    def _below(self, request: LayoutRequest) -> float:
        """The height of page 1's columns, under the band."""
        height = request.page.first_body[3]
        return height - min(self._band_height(request), height * 0.6)

    def _band_height(self, request: LayoutRequest) -> float:
        """The height of page 1's full-width band, measured on its own flowables."""
        builder = StoryBuilder(request.program, request.catalog, self.styles(request))
        return stack_height(builder.masthead(), request.page.body[2]) + self.BAND_GAP

    def page_templates(self, request: LayoutRequest,
                       decorate: PageCallback) -> list[PageTemplate]:
        if request.large_print:
            return super().page_templates(request, decorate)
        x, y, _, height = request.page.first_body
        column = self._column(request)
        below = self._below(request)
        band = height - below

        def columns(h: float, prefix: str) -> list[Flowable]:
            return [request.page.frame(f"{prefix}left", x=x, y=y, width=column, height=h),
                    request.page.frame(f"{prefix}right", x=x + column + self.GAP, y=y,
                                       width=column, height=h)]

        first = [request.page.frame("band", y=y + below, height=band), *columns(below, "p1")]
        return [PageTemplate(id="first", frames=first, onPage=decorate),
                PageTemplate(id="columns", frames=columns(request.page.body[3], ""),
                             onPage=decorate),
                PageTemplate(id="log", frames=[request.page.frame()], onPage=decorate)]


CLASSIC = ClassicLayout()
COMPACT = CompactLayout()
