"""A scene as a ReportLab vector drawing (a platypus flowable)."""

from __future__ import annotations

from reportlab.graphics.shapes import Circle, Drawing, Polygon, PolyLine
from reportlab.lib.colors import Color
from reportlab.platypus import Flowable

from .scene import Colour, Scene, fitted
from .spec import Picture

PAD = 1.5  # points around the scene, so outlines are not clipped


def _colour(c: Colour | None) -> Color | None:
    return None if c is None else Color(*c)


def _r(v: float) -> float:
    return round(v, 1)


def scene_drawing(scene: Scene, max_width: float, max_height: float) -> Drawing:
    """The scene scaled to fit ``max_width`` x ``max_height`` points."""
    s = min((max_width - 2 * PAD) / scene.width, (max_height - 2 * PAD) / scene.height)
    x0, y0 = scene.bbox[0], scene.bbox[1]
    d = Drawing(_r(scene.width * s + 2 * PAD), _r(scene.height * s + 2 * PAD))
    for shape in scene.shapes:
        pts = [(_r((x - x0) * s + PAD), _r((y - y0) * s + PAD)) for x, y in shape.points]
        style = {"strokeColor": _colour(shape.stroke), "strokeWidth": shape.width,
                 "strokeLineJoin": 1, "strokeLineCap": 1}
        if shape.dash:
            style["strokeDashArray"] = [2.5, 1.8]
        if shape.kind == "circle":
            (cx, cy), = pts
            d.add(Circle(cx, cy, _r(shape.radius * s), fillColor=_colour(shape.fill), **style))
        elif shape.kind == "polygon":
            d.add(Polygon([v for p in pts for v in p], fillColor=_colour(shape.fill),
                          **style))
        else:
            d.add(PolyLine([v for p in pts for v in p], **style))
    return d


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
        self._drawing: Drawing | None = None
        self._fitted: dict[float, Drawing] = {}
        self.hAlign = "LEFT"

    def _fit(self, width: float) -> Drawing:
        drawing = self._fitted.get(width)
        if drawing is None:
            scene = fitted(self.picture, self.accent, width - 2 * PAD, self.max_height - 2 * PAD)
            drawing = self._fitted[width] = scene_drawing(scene, width, self.max_height)
        return drawing

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self._drawing = self._fit(min(self.max_width, availWidth))
        self.width, self.height = self._drawing.width, self._drawing.height
        return self.width, self.height

    def draw(self) -> None:
        assert self._drawing is not None
        self._drawing.drawOn(self.canv, 0, 0)
