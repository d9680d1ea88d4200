"""The layout API: everything a layout plugin uses, in one import.

    from rxprint.layout import ExerciseOptions, Layout, LayoutRequest, StoryBuilder

Everything here is a public contract, documented field by field in ``docs/layouts.md``;
the modules under ``rxprint.render`` are private and may change. Sizes are in points
(72 to the inch). A layout subclasses :class:`Layout` and implements ``story``; the
built-in ``classic`` layout (``rxprint.render.layouts.ClassicLayout``) is the worked
example.
"""

from __future__ import annotations

from rxprint.render.flowables import Block, stack_height
from rxprint.render.layout_base import PAPERS, Layout, LayoutRequest, PageCallback, PageGeometry
from rxprint.render.story import INCH, ExerciseOptions, StoryBuilder
from rxprint.render.styles import Styles, build_styles

__all__ = [
    "INCH",
    "PAPERS",
    "Block",
    "ExerciseOptions",
    "Layout",
    "LayoutRequest",
    "PageCallback",
    "PageGeometry",
    "StoryBuilder",
    "Styles",
    "build_styles",
    "stack_height",
]
