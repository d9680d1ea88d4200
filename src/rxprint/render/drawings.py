"""A scene as ReportLab vector paths, drawn straight onto the canvas by a platypus
flowable (no ``reportlab.graphics`` Drawing: it would bring its own default font)."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from reportlab.lib.colors import Color
from reportlab.platypus import Flowable

from rxprint.figures.scene import (
    Colour,
    Scene,
    body_bbox,
    compose,
    fitted,
    solve_frames,
    view_for,
)
from rxprint.figures.spec import Picture
from rxprint.render.compat import draw_recorded

PAD = 1.5  # points around the scene, so outlines are not clipped
_INK: Colour = (0.0, 0.0, 0.0)  # any colour: a scene's shape does not depend on it


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
    above the other, whichever is larger.

    ``panel``: the drawing is centred in a framed box as wide as ``max_width`` and at
    least ``min_height`` tall (the picture column of a layout), so every picture of a
    handout has the same width and a thin, strip-like scene is not printed as a strip.
    After ``wrap``, :attr:`scale` is the printed size of the figure's unit (a standing
    person's height) in points.
    """

    INSET = 5.0  # points between a panel's frame and its drawing

    def __init__(self, picture: Picture, accent: Colour, max_width: float,
                 max_height: float, *, panel: bool = False, min_height: float = 0.0,
                 min_scale: float = 0.0) -> None:
        super().__init__()
        self.picture = picture
        self.accent = accent
        self.max_width = max_width
        self.max_height = max_height
        self.panel = panel
        self.min_height = min_height
        self.min_scale = min_scale  # grow taller (never wider) to print the figure this big
        self.hAlign = "LEFT"
        self.scale = 0.0
        self._fit: tuple[Scene, float] | None = None
        self._key: tuple[object, ...] = ()
        self._offset = (0.0, 0.0)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        outer = min(self.max_width, availWidth)
        inset = PAD + (self.INSET if self.panel else 0.0)
        width = outer - 2 * inset
        height = self.max_height - 2 * inset
        scene = fitted(self.picture, self.accent, width, height)
        scale = min(width / scene.width, height / scene.height)
        while scale < self.min_scale and height < 3 * self.max_height:
            height += 6.0
            scene = fitted(self.picture, self.accent, width, height)
            scale = min(width / scene.width, height / scene.height)
        self._fit = (scene, scale)
        self._key = (self.picture, self.accent, width, height, scale)
        self.scale = scale
        drawn_w = scene.width * scale
        drawn_h = scene.height * scale
        if self.panel:
            self.width = _r(outer)
            self.height = _r(max(self.min_height, drawn_h + 2 * inset))
            self._offset = ((self.width - drawn_w) / 2 - PAD,
                            (self.height - drawn_h) / 2 - PAD)
        else:
            self.width = _r(drawn_w + 2 * PAD)
            self.height = _r(drawn_h + 2 * PAD)
        return self.width, self.height

    def draw(self) -> None:
        assert self._fit is not None
        canv = self.canv
        if self.panel:
            canv.saveState()
            canv.setStrokeColor(Color(0.78, 0.79, 0.81))
            canv.setLineWidth(0.6)
            canv.roundRect(0.3, 0.3, self.width - 0.6, self.height - 0.6, 4, stroke=1, fill=0)
            canv.restoreState()
        canv.saveState()
        canv.translate(_r(self._offset[0]), _r(self._offset[1]))
        fit = self._fit
        draw_recorded(canv, self._key, lambda: draw_scene(canv, *fit))
        canv.restoreState()


@dataclass(frozen=True)
class DrawingShape:
    """The shape of an exercise's line drawing as rxprint prints it, so a layout can size
    its pictures by the person in them rather than by their frame.

    Lengths are in figure units: a standing person's height is 1.0 (a drawing printed
    at ``scale`` points per unit shows a standing person ``scale`` points tall).

    :param width: the drawing's width, in figure units.
    :param height: its height.
    :param person_width: the person's width in one panel (an overlay: both poses), the
        widest panel's: about 1 for someone lying down, 0.3 standing.
    :param person_height: the person's height likewise: about 1 standing, 0.3 lying.
    :param panels: 1, or 2 (the start and end poses, with an arrow between).
    :param stacked: the two panels one above the other (rxprint's arrangement for a
        narrow box), not side by side.
    """

    width: float
    height: float
    person_width: float
    person_height: float
    panels: int
    stacked: bool = False

    @property
    def aspect(self) -> float:
        """Width divided by height: above 1 a wide drawing, below 1 a tall one."""
        return self.width / self.height

    def size(self, scale: float, *, panel: bool = False) -> tuple[float, float]:
        """The width and height in points of the box that prints the drawing at ``scale``
        points per figure unit: pass them to ``StoryBuilder.pictures`` (with the same
        ``panel``; a panel adds its frame's inset). To print the person ``p`` points
        tall, ``scale = p / person_height``; ``p`` points long, ``p / person_width``."""
        inset = PAD + (PictureFlowable.INSET if panel else 0.0)
        return self.width * scale + 2 * inset, self.height * scale + 2 * inset


def drawing_shape(picture: Picture, *, stacked: bool = False) -> DrawingShape:
    """The shape of ``picture`` (an exercise's ``picture``) as rxprint draws it: its two
    panels side by side, or (``stacked``) one above the other; a drawing of one panel
    is the same either way."""
    return shape_in(picture, _INK, stacked=stacked)


@functools.lru_cache(maxsize=256)
def shape_in(picture: Picture, accent: Colour, *, stacked: bool = False) -> DrawingShape:
    """:func:`drawing_shape`, measured on the scene drawn in ``accent`` (the shape is the
    same in any colour): a layout that prints the drawing in that accent composes its
    scene once for both."""
    panels = 1 if len(picture.frames) == 1 or picture.overlay else 2
    scene = compose(picture, accent, vertical=stacked and panels == 2)
    view = view_for(picture)
    poses = [body_bbox(frame.skeleton, view) for frame in solve_frames(picture)]
    if picture.overlay:  # both poses in one panel
        poses = [(min(p[0] for p in poses), min(p[1] for p in poses),
                  max(p[2] for p in poses), max(p[3] for p in poses))]
    return DrawingShape(width=scene.width, height=scene.height,
                        person_width=max(p[2] - p[0] for p in poses),
                        person_height=max(p[3] - p[1] for p in poses),
                        panels=panels, stacked=stacked and panels == 2)


QUIET = 4  # modules of white around a QR code: what scanners need to find it


class QrCode(Flowable):
    """A QR code of ``text``, ``size`` points square with its quiet margin, drawn as
    black rectangles (no font, no image: the same bytes for the same text). Error
    correction "M" (15 %): a fold or a pen mark on the paper still scans."""

    def __init__(self, text: str, size: float) -> None:
        super().__init__()
        from reportlab.graphics.barcode import qrencoder

        qr = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
        qr.addData(text)
        qr.make()
        self.modules = [[bool(dark) for dark in row] for row in qr.modules]
        self.size = size

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return self.size, self.size

    def draw(self) -> None:
        count = len(self.modules)
        box = self.size / (count + 2 * QUIET)
        canv = self.canv
        canv.saveState()
        canv.setFillColor(Color(0, 0, 0))
        for r, row in enumerate(self.modules):
            y = self.size - (r + QUIET + 1) * box
            c = 0
            while c < count:  # each run of dark modules in a row as one rectangle
                if not row[c]:
                    c += 1
                    continue
                start = c
                while c < count and row[c]:
                    c += 1
                canv.rect((start + QUIET) * box, y, (c - start) * box, box, stroke=0, fill=1)
        canv.restoreState()
