"""Layouts: how a resolved program becomes pages. The base class plugins subclass.

A layout gets a :class:`LayoutRequest` (the resolved program, branding, paper, message
catalog and font family) and returns the story (a list of flowables) and the page
templates. :class:`~rxprint.render.story.StoryBuilder` makes the standard pieces (first
page, exercise blocks, education boxes, the safety box) so a layout only arranges them.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rxprint.language.messages import Catalog
from rxprint.library.branding import Branding
from rxprint.library.model import Program
from rxprint.library.paper import INCH as inch
from rxprint.library.paper import PAPERS

if TYPE_CHECKING:  # ReportLab is imported when a handout is rendered, not to load plugins
    from reportlab.platypus import Flowable, Frame, PageTemplate

    from rxprint.render.fonts import RegisteredFamily
    from rxprint.render.story import StoryBuilder
    from rxprint.render.styles import Styles

__all__ = ["PAPERS", "Layout", "LayoutRequest", "PageCallback", "PageGeometry"]
PageCallback = Callable[[Any, Any], None]


@dataclass(frozen=True)
class PageGeometry:
    """The page and the body area between the header and footer bands."""

    paper: str
    margin: float = 0.5 * inch
    header_h: float = 0.66 * inch
    footer_h: float = 0.4 * inch
    first_header: bool = True  # page 1 has the running header (a clinic to show)

    @property
    def size(self) -> tuple[float, float]:
        return PAPERS[self.paper]

    @property
    def body(self) -> tuple[float, float, float, float]:
        """x, y, width, height of the body area."""
        width, height = self.size
        bottom = self.margin + self.footer_h
        return (self.margin, bottom, width - 2 * self.margin,
                height - bottom - self.margin - self.header_h)

    @property
    def first_body(self) -> tuple[float, float, float, float]:
        """The body area of page 1: taller when page 1 has no running header (no clinic
        to show: the title block opens the page)."""
        x, y, width, height = self.body
        return (x, y, width, height if self.first_header else height + self.header_h - 6)

    def frame(self, frame_id: str = "body", x: float | None = None, y: float | None = None,
              width: float | None = None, height: float | None = None) -> Frame:
        """A frame without padding; by default the whole body area."""
        from reportlab.platypus import Frame

        bx, by, bw, bh = self.body
        return Frame(bx if x is None else x, by if y is None else y,
                     bw if width is None else width, bh if height is None else height,
                     id=frame_id, leftPadding=0, rightPadding=0, topPadding=0,
                     bottomPadding=0)


@dataclass(frozen=True)
class LayoutRequest:
    program: Program
    branding: Branding
    paper: str
    catalog: Catalog
    family: RegisteredFamily
    page: PageGeometry
    # large print (``program.large_print``): the styles must be large print
    # (build_styles(..., large_print=True)); StoryBuilder sizes pictures and pages for it
    large_print: bool = False


class Layout(ABC):
    """A handout layout. Subclass it, implement :meth:`story`, and register an instance
    with the ``register_layouts`` hook."""

    #: True when the story opens with a title block that names the patient and date
    #: (:meth:`StoryBuilder.first_page` or :meth:`StoryBuilder.masthead`): page 1's
    #: running header then shows only the clinic (nothing at all without one).
    title_block: bool = False

    def styles(self, request: LayoutRequest) -> Styles:
        """The stylesheet; override to change sizes (keep body text at 11 pt or more
        where patients read instructions, and pass ``large_print=request.large_print``:
        a large-print handout whose styles are not is refused)."""
        from rxprint.render.styles import build_styles

        return build_styles(request.branding, request.family,
                            large_print=request.large_print)

    @abstractmethod
    def story(self, request: LayoutRequest, builder: StoryBuilder) -> list[Flowable]:
        """The flowables of the handout, in order."""

    def page_templates(self, request: LayoutRequest,
                       decorate: PageCallback) -> list[PageTemplate]:
        """The page templates; ``decorate`` draws the standard header and footer and
        should be called from every template's ``onPage``. By default: page 1 ("first",
        its body :attr:`PageGeometry.first_body`), then "page" for the rest."""
        from reportlab.platypus import PageTemplate

        x, y, width, height = request.page.first_body
        first = request.page.frame("first", x=x, y=y, width=width, height=height)
        return [PageTemplate(id="first", frames=[first], onPage=decorate,
                             autoNextPageTemplate="page"),
                PageTemplate(id="page", frames=[request.page.frame()], onPage=decorate)]
