"""The layout API: everything a layout plugin uses, in one import.

    from rxprint.layout import ExerciseOptions, Layout, LayoutRequest, StoryBuilder

Everything here is a public contract, documented field by field in ``docs/layouts.md``;
the modules under ``rxprint.render`` are private and may change. Sizes are in points
(72 to the inch). A layout subclasses :class:`Layout` and implements ``story``; the
built-in ``classic`` layout (``rxprint.render.builtin_layouts.ClassicLayout``) is the worked
example.
"""

from __future__ import annotations

from rxprint.render.drawings import DrawingShape, drawing_shape
from rxprint.render.flowables import Block, stack_height
from rxprint.render.layout_base import PAPERS, Layout, LayoutRequest, PageCallback, PageGeometry
from rxprint.render.planner import Frames
from rxprint.render.story import StoryBuilder
from rxprint.render.story_exercises import INCH, ExerciseOptions
from rxprint.render.styles import Styles, build_styles

__all__ = [
    "INCH",
    "PAPERS",
    "Block",
    "DrawingShape",
    "ExerciseOptions",
    "Frames",
    "Layout",
    "LayoutRequest",
    "PageCallback",
    "PageGeometry",
    "StoryBuilder",
    "Styles",
    "build_styles",
    "drawing_shape",
    "stack_height",
]
