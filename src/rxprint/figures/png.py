"""A scene as a PNG image, drawn with Pillow (antialiased by drawing large and shrinking).

Line widths follow the printed look: the scene is treated as printed at
``POINTS_PER_UNIT`` points per figure height, so a PNG looks like the handout's drawing.
"""

from __future__ import annotations

import io
import itertools
import math
from typing import TYPE_CHECKING

from rxprint.figures.geometry import Vec2
from rxprint.figures.scene import Colour, Scene, fitted
from rxprint.figures.spec import Picture

if TYPE_CHECKING:  # Pillow is imported when a PNG is drawn (show --png), not for show
    pass

POINTS_PER_UNIT = 110.0
SUPERSAMPLE = 3


def _rgb(c: Colour | None) -> tuple[int, int, int] | None:
    return None if c is None else (round(c[0] * 255), round(c[1] * 255), round(c[2] * 255))


def _dashes(points: list[Vec2], on: float, off: float) -> list[list[Vec2]]:
    """A closed outline cut into dashes."""
    out: list[list[Vec2]] = []
    ring = [*points, points[0]]
    drawing, left, current = True, on, [ring[0]]
    for (x1, y1), (x2, y2) in itertools.pairwise(ring):
        seg = math.hypot(x2 - x1, y2 - y1)
        pos = 0.0
        while seg - pos > left:
            pos += left
            p = (x1 + (x2 - x1) * pos / seg, y1 + (y2 - y1) * pos / seg)
            if drawing:
                out.append([*current, p])
            current = [p]
            drawing = not drawing
            left = on if drawing else off
        left -= seg - pos
        if drawing:
            current.append((x2, y2))
    if drawing and len(current) > 1:
        out.append(current)
    return out


def scene_png(scene: Scene, width_px: int) -> bytes:
    """The scene as PNG bytes, ``width_px`` wide (the height follows the scene)."""
    from PIL import Image, ImageDraw

    ss = SUPERSAMPLE
    pad = 0.03 * scene.height
    unit = (width_px * ss) / (scene.width + 2 * pad)
    px_per_pt = unit / POINTS_PER_UNIT
    size = (width_px * ss, round((scene.height + 2 * pad) * unit))
    image = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(image)
    x0, y1 = scene.bbox[0] - pad, scene.bbox[3] + pad

    def xy(p: Vec2) -> Vec2:
        return ((p[0] - x0) * unit, (y1 - p[1]) * unit)

    def line(points: list[Vec2], colour: tuple[int, int, int], width: int) -> None:
        """A polyline with round joins and round ends."""
        draw.line(points, fill=colour, width=width, joint="curve")
        r = width / 2
        for x, y in (points[0], points[-1]):
            draw.ellipse((x - r, y - r, x + r, y + r), fill=colour)

    for shape in scene.shapes:
        fill, ink = _rgb(shape.fill), _rgb(shape.stroke)
        width = max(1, round(shape.width * px_per_pt))
        pts = [xy(p) for p in shape.points]
        if shape.kind == "circle":
            (cx, cy), r = pts[0], shape.radius * unit
            draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=fill, outline=ink,
                         width=width if ink else 0)
        elif shape.kind == "polygon":
            if fill is not None:
                draw.polygon(pts, fill=fill)
            if ink is not None and shape.width > 0:
                if shape.dash:
                    for dash in _dashes(pts, 2.5 * px_per_pt, 1.8 * px_per_pt):
                        line(dash, ink, width)
                else:
                    line([*pts, pts[0]], ink, width)
        elif ink is not None:
            line(pts, ink, width)
    small = image.resize((width_px, max(1, round(size[1] / ss))), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    small.save(out, "PNG")
    return out.getvalue()


def picture_png(picture: Picture, accent: Colour, width_px: int) -> bytes:
    """An exercise's drawing as PNG bytes, ``width_px`` wide, laid out for a 4:3 box."""
    return scene_png(fitted(picture, accent, 4.0, 3.0), width_px)
