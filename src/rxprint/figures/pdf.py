"""A scene as ReportLab vector paths, drawn straight onto the canvas by a platypus
flowable (no ``reportlab.graphics`` Drawing: it would bring its own default font)."""

from __future__ import annotations

from typing import Any

from reportlab.lib.colors import Color
from reportlab.platypus import Flowable

from .scene import Colour, Scene, fitted
from .spec import Picture

PAD = 1.5  # points around the scene, so outlines are not clipped


def _r(v: float) -> float:
    return round(v, 1)


def draw_scene(canv: Any, scene: Scene, scale: float) -> None:
    """Draw ``scene`` at ``scale`` points per figure height, its box's corner at (PAD, PAD)."""
    x0, y0 = scene.bbox[0], scene.bbox[1]
    canv.saveState()
    canv.setLineJoin(1)
    canv.setLineCap(1)
    for shape in scene.shapes:
        pts = [(_r((x - x0) * scale + PAD), _r((y - y0) * scale + PAD))
               for x, y in shape.points]
        stroke = shape.stroke is not None and shape.width > 0
        fill = shape.fill is not None
        if stroke:
            assert shape.stroke is not None
            canv.setStrokeColor(Color(*shape.stroke))
            canv.setLineWidth(shape.width)
            canv.setDash([2.5, 1.8] if shape.dash else [])
        if fill:
            assert shape.fill is not None
            canv.setFillColor(Color(*shape.fill))
        if shape.kind == "circle":
            (cx, cy), = pts
            canv.circle(cx, cy, _r(shape.radius * scale), stroke=int(stroke), fill=int(fill))
            continue
        path = canv.beginPath()
        path.moveTo(*pts[0])
        for p in pts[1:]:
            path.lineTo(*p)
        if shape.kind == "polygon":
            path.close()
        canv.drawPath(path, stroke=int(stroke), fill=int(fill and shape.kind == "polygon"))
    canv.restoreState()


class PictureFlowable(Flowable):
    """An exercise's drawing as a platypus flowable: as large as fits ``max_width`` (or
    the space offered, if less) by ``max_height``, the two frames side by side or one
    above the other, whichever is larger."""

    def __init__(self, picture: Picture, accent: Colour, max_width: float,
                 max_height: float) -> None:
        super().__init__()
        self.picture = picture
        self.accent = accent
        self.max_width = max_width
        self.max_height = max_height
        self.hAlign = "LEFT"
        self._fit: tuple[Scene, float] | None = None

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        width = min(self.max_width, availWidth) - 2 * PAD
        height = self.max_height - 2 * PAD
        scene = fitted(self.picture, self.accent, width, height)
        scale = min(width / scene.width, height / scene.height)
        self._fit = (scene, scale)
        self.width = _r(scene.width * scale + 2 * PAD)
        self.height = _r(scene.height * scale + 2 * PAD)
        return self.width, self.height

    def draw(self) -> None:
        assert self._fit is not None
        draw_scene(self.canv, *self._fit)
