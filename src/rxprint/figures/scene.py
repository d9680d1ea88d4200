"""From a :class:`~rxprint.figures.spec.Picture` to a flat list of 2D shapes.

Each frame: the pose's skeleton, the props it rests on, the figure lowered onto them, the
fitted props; then everything is projected (side or front view, optional tilt), parts
are drawn back to front, and the target areas are highlighted. Two frames stand side by
side with an arrow between them, or overlap (``overlay``) with the start one faint and a
curved arrow along the moving landmark's path.

The shapes are in figure heights with y up; line widths are in points, so lines keep the
same weight at any printed size. The backends (:mod:`.pdf`, :mod:`.png`) only draw.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

from rxprint.figures.body import POSTURES, Part, Skeleton, area, pose_skeleton
from rxprint.figures.geometry import (
    IDENTITY,
    Mat3,
    Vec2,
    Vec3,
    camera,
    circle_points,
    clip_polygon,
    convex_hull,
    hull_of_circles,
    inside_convex,
    lerp,
    mat_vec,
    quad_bezier,
    union_around,
)
from rxprint.figures.props import (
    Bar,
    Box,
    Roll,
    Solid,
    Strap,
    Support,
    place_fitted,
    place_supports,
)
from rxprint.figures.spec import CUE_DIRECTIONS, CueSpec, Picture

Colour = tuple[float, float, float]

INK: Colour = (0.1, 0.1, 0.1)
FAR_FILL: Colour = (0.84, 0.84, 0.84)
BODY_FILL: Colour = (1.0, 1.0, 1.0)
PROP_FILL: Colour = (0.91, 0.91, 0.91)
PROP_INK: Colour = (0.42, 0.42, 0.42)
GHOST_INK: Colour = (0.6, 0.6, 0.6)
STRAP_INK: Colour = (0.25, 0.25, 0.25)
MAT_FILL: Colour = (0.955, 0.955, 0.955)
MAT_INK: Colour = (0.72, 0.72, 0.72)
BALL_FILL: Colour = (0.7, 0.7, 0.7)  # a massage ball: solid, told apart from a highlight
RIGHT_INK: Colour = (0.1, 0.48, 0.2)  # a tick: the right way
WRONG_INK: Colour = (0.78, 0.1, 0.08)  # a cross: the wrong way
BODY_LINE, PROP_LINE, GHOST_LINE, ARROW_LINE = 1.0, 0.75, 0.8, 1.3
CUE_LINE, MARK_LINE = 1.8, 2.4
PANEL_GAP = 0.26
# Arrows must read at print size (a picture about 2.5 inches wide, a figure unit about
# 1.5-2 inches): a motion arrow is at least this long, a cue arrow this long.
MIN_ARROW, CUE_LENGTH, CUE_HEAD, CUE_GAP = 0.2, 0.18, 0.06, 0.025
MARK_R = 0.075


@dataclass(frozen=True)
class Shape:
    """A polygon (closed), a polyline (open) or a circle (one point and a radius)."""

    kind: str
    points: tuple[Vec2, ...]
    fill: Colour | None = None
    stroke: Colour | None = INK
    width: float = BODY_LINE
    radius: float = 0.0
    dash: bool = False


@dataclass(frozen=True)
class Scene:
    """Shapes to draw, in figure heights with y up, and their bounding box."""

    shapes: tuple[Shape, ...]
    bbox: tuple[float, float, float, float]  # x0, y0, x1, y1

    @property
    def width(self) -> float:
        return self.bbox[2] - self.bbox[0]

    @property
    def height(self) -> float:
        return self.bbox[3] - self.bbox[1]

    def moved(self, dx: float, dy: float) -> Scene:
        return Scene(tuple(Shape(s.kind, tuple((x + dx, y + dy) for x, y in s.points),
                                 s.fill, s.stroke, s.width, s.radius, s.dash)
                           for s in self.shapes),
                     (self.bbox[0] + dx, self.bbox[1] + dy, self.bbox[2] + dx,
                      self.bbox[3] + dy))


# -- one frame -----------------------------------------------------------------------


def _samples(part: Part) -> list[tuple[Vec3, float]]:
    """Spheres along a part, for contact with what is under it."""
    a, b, ra, rb = part.axis
    samples = list(part.spheres)
    if part.name not in ("trunk", "head"):
        samples += [(lerp(a, b, t / 6), ra + (rb - ra) * t / 6) for t in range(7)]
    return samples


def gap(skel: Skeleton, support: Support) -> float | None:
    """How far the lowest body part over ``support`` is above it (negative: pressed into
    it), or None when no part is over it."""
    out: float | None = None
    for part in skel.parts:
        if part.name in support.excluded:
            continue
        for (x, y, z), r in _samples(part):
            if z + r < support.z0 or z - r > support.z1:
                continue
            h = support.height(x)
            if h is not None:
                out = (y - r) - h if out is None else min(out, (y - r) - h)
    return out


def lowered(skel: Skeleton, supports: list[Support]) -> Skeleton:
    """The skeleton moved up or down until it rests on the highest support under it (a
    soft support may be pressed in by its ``give``)."""
    need = -math.inf
    for support in supports:
        g = gap(skel, support)
        if g is not None:
            need = max(need, -g - support.give)
    return skel.moved((0.0, need, 0.0))


@dataclass(frozen=True)
class View:
    """The camera: world to picture (side or front, tilted), mirrored or not."""

    matrix: Mat3
    flip: bool

    def point(self, p: Vec3) -> tuple[float, float, float]:
        x, y, z = mat_vec(self.matrix, p)
        return (-x if self.flip else x, y, z)

    def xy(self, p: Vec3) -> Vec2:
        x, y, _ = self.point(p)
        return (x, y)

    def direction(self, v: Vec3) -> Vec2:
        x, y, _ = mat_vec(self.matrix, v)
        return (-x if self.flip else x, y)


# The camera turned about the vertical from the side view, 30 degrees toward the picture's
# right end ("three-quarter": the front of a standing or sitting figure, where knees and
# feet turned out show) or its left end ("three-quarter-back": the head of a figure lying
# face up, where a shin crossing the other thigh in a figure-4 stretch shows).
AZIMUTH = {"side": 0.0, "front": 90.0, "three-quarter": 30.0, "three-quarter-back": -30.0}


def view_for(picture: Picture) -> View:
    return View(camera(AZIMUTH[picture.view], picture.tilt), picture.flip)


def _solid_shapes(solid: Solid, view: View) -> list[Shape]:
    if isinstance(solid, Box):
        corners = [(x, y, z) for x in (solid.x0, solid.x1) for y in (solid.y0, solid.y1)
                   for z in (solid.z0, solid.z1)]
        pts = [view.xy(c) for c in corners]
        if solid.rounded:
            r = min(solid.y1 - solid.y0, solid.x1 - solid.x0) / 2
            circles = [(view.xy((x, y, z)), r)
                       for x in (solid.x0 + r, solid.x1 - r) for y in (solid.y0 + r, solid.y1 - r)
                       for z in (solid.z0, solid.z1)]
            outline = hull_of_circles(circles, 12)
        else:
            outline = convex_hull(pts)
        ink = MAT_INK if solid.surface and view.matrix[1][2] != 0.0 else PROP_INK
        shapes = [Shape("polygon", tuple(outline), PROP_FILL, ink, PROP_LINE)]
        top = [view.xy((x, solid.y1, z)) for x, z in
               ((solid.x0, solid.z0), (solid.x1, solid.z0), (solid.x1, solid.z1),
                (solid.x0, solid.z1))]
        if abs(top[0][1] - top[3][1]) > 0.01 and solid.rounded:  # a bed seen from above
            r = min(solid.y1 - solid.y0, solid.x1 - solid.x0) / 2
            round_top = [(view.xy((x, solid.y1, z)), r * 0.6) for x in (solid.x0 + r, solid.x1 - r)
                         for z in (solid.z0 + r, solid.z1 - r)]
            shapes.append(Shape("polygon", tuple(hull_of_circles(round_top, 12)), MAT_FILL,
                                PROP_INK, PROP_LINE))
        elif abs(top[0][1] - top[3][1]) > 0.01:  # a tilted view
            if solid.surface:  # a mat seen from above: a light floor, lightly edged
                shapes.append(Shape("polygon", tuple(top), MAT_FILL, MAT_INK, PROP_LINE))
            else:
                shapes.append(Shape("polygon", tuple(top), PROP_FILL, PROP_INK, PROP_LINE))
        return shapes
    if isinstance(solid, Roll):
        ends = [(view.xy((solid.x, solid.y, z)), solid.r) for z in (solid.z0, solid.z1)]
        shapes = [Shape("polygon", tuple(hull_of_circles(ends, 24)), PROP_FILL, PROP_INK,
                        PROP_LINE)]
        near_z = max((solid.z0, solid.z1), key=lambda z: view.point((solid.x, solid.y, z))[2])
        shapes.append(Shape("circle", (view.xy((solid.x, solid.y, near_z)),),
                            BALL_FILL if solid.ball else PROP_FILL, PROP_INK, PROP_LINE,
                            radius=solid.r))
        return shapes
    if isinstance(solid, Bar):
        ends = [(view.xy(solid.start), solid.r), (view.xy(solid.end), solid.r)]
        return [Shape("polygon", tuple(hull_of_circles(ends, 12)), PROP_FILL, PROP_INK,
                      PROP_LINE)]
    assert isinstance(solid, Strap)
    a, b = view.xy(solid.start), view.xy(solid.end)
    return [Shape("circle", (a,), None, STRAP_INK, 1.6, radius=0.03),
            Shape("polyline", (a, b), None, STRAP_INK, 2.0)]


def _hidden_outline(roll: Roll, view: View) -> Shape:
    ends = [(view.xy((roll.x, roll.y, z)), roll.r) for z in (roll.z0, roll.z1)]
    return Shape("polygon", tuple(hull_of_circles(ends, 24)), None, PROP_INK, PROP_LINE,
                 dash=True)


def _lens(part: Part, t0: float, t1: float, face: int, view: View, colour: Colour) -> Shape:
    a, b, ra, rb = part.axis
    n2 = view.direction(part.front)
    norm = math.hypot(*n2)
    a2, b2 = view.xy(a), view.xy(b)
    axis = (b2[0] - a2[0], b2[1] - a2[1])
    alen = math.hypot(*axis) or 1.0
    perp = (-axis[1] / alen, axis[0] / alen)
    centred = face == 0 or norm < 0.35
    normal = perp if centred else (n2[0] / norm * face, n2[1] / norm * face)
    steps = 14
    out: list[Vec2] = []
    inner: list[Vec2] = []
    for i in range(steps + 1):
        u = i / steps
        t = t0 + (t1 - t0) * u
        c = view.xy(lerp(a, b, t))
        r = ra + (rb - ra) * min(1.0, max(0.0, t))
        bulge = math.sin(math.pi * u) ** 0.7
        band = math.sin(math.pi * u) ** 0.25
        # centred: an ellipse on the axis; else a thin band along the front or back edge
        # (cut to the outline when drawn), never a dome that could be taken for a prop
        k_out, k_in = (0.5 * bulge, -0.5 * bulge) if centred else (1.0, 1.0 - 0.5 * band)
        out.append((c[0] + normal[0] * r * k_out, c[1] + normal[1] * r * k_out))
        inner.append((c[0] + normal[0] * r * k_in, c[1] + normal[1] * r * k_in))
    return Shape("polygon", tuple(out + inner[::-1]), colour, None, 0)


def _part_outline(part: Part, view: View) -> list[Vec2]:
    if len(part.spheres) == 1:
        c, r = part.spheres[0]
        return circle_points(view.xy(c), r, 28)
    if part.pieces:  # a bent back: its halves' union, concave where the back sags
        shared = set(part.pieces[0]).intersection(*part.pieces[1:])
        return union_around(convex_pieces(part, view),
                            view.xy(part.spheres[min(shared)][0]))
    return hull_of_circles([(view.xy(c), r) for c, r in part.spheres], 20)


def convex_pieces(part: Part, view: View, outline: list[Vec2] | None = None
                  ) -> list[list[Vec2]]:
    """A part's outline as convex pieces (to clip a highlight to, or keep an arrow off):
    the outline itself, or a bent back's two halves."""
    if not part.pieces:
        return [outline if outline is not None else _part_outline(part, view)]
    return [hull_of_circles([(view.xy(part.spheres[i][0]), part.spheres[i][1])
                             for i in piece], 20) for piece in part.pieces]


ORDER = ("far.thigh", "far.shin", "far.foot", "near.thigh", "near.shin", "near.foot",
         "trunk", "neck", "head", "far.upper-arm", "far.forearm", "far.hand",
         "near.upper-arm", "near.forearm", "near.hand")


def _surface(support: Support, part: Part, view: View) -> tuple[float, float, float] | None:
    """A flat support under the part, in an upright side view: its x span in the
    picture and its top (a highlight is never drawn below the surface the body lies or
    sits on)."""
    if (support.round is not None or part.name in support.excluded
            or view.matrix != IDENTITY):
        return None
    zs = [c[2] for c, _ in part.spheres]
    if max(zs) < support.z0 or min(zs) > support.z1:
        return None
    x0 = view.xy((max(support.x0, -50.0), 0.0, 0.0))[0]
    x1 = view.xy((min(support.x1, 50.0), 0.0, 0.0))[0]
    return min(x0, x1), max(x0, x1), support.top


def _highlight(lens: Shape, outlines: list[list[Vec2]],
               surfaces: list[tuple[float, float, float]]) -> list[Shape]:
    """A highlight cut to the body's outline (the part and, for an area reaching past
    the hip, the trunk) and kept above the surfaces under it."""
    out = []
    for outline in outlines:
        pts = clip_polygon(lens.points, outline)
        for x0, x1, top in surfaces:
            if pts and x0 <= sum(x for x, _ in pts) / len(pts) <= x1:
                pts = clip_polygon(pts, [(-50.0, top), (50.0, top), (50.0, 50.0),
                                         (-50.0, 50.0)])
        if len(pts) > 2:
            out.append(Shape("polygon", tuple(pts), lens.fill, None, 0))
    return out


def body_bbox(skel: Skeleton, view: View) -> tuple[float, float, float, float]:
    """The box around the body in this view: its parts' outlines are hulls of circles, so
    the box of the circles is theirs (without making the outlines)."""
    circles = [(view.xy(c), r) for p in skel.parts for c, r in p.spheres]
    return (min(x - r for (x, _), r in circles), min(y - r for (_, y), r in circles),
            max(x + r for (x, _), r in circles), max(y + r for (_, y), r in circles))


def outlines_of(skel: Skeleton, view: View) -> dict[str, list[Vec2]]:
    """Every part's outline in this view, by part name (drawn, and kept clear by cues)."""
    return {p.name: _part_outline(p, view) for p in skel.parts}


def body_shapes(skel: Skeleton, view: View, targets: tuple[str, ...], accent: Colour,
                *, ghost: bool, shade_far: bool,
                supports: tuple[Support, ...] = (),
                outlines: dict[str, list[Vec2]] | None = None) -> list[Shape]:
    """The body's parts back to front, with the target areas highlighted; ``outlines``:
    the parts' outlines when the caller has them (:func:`outlines_of`)."""
    if outlines is None:
        outlines = outlines_of(skel, view)
    by_name = {p.name: p for p in skel.parts}
    highlights: dict[str, list[tuple[str, float, float, int]]] = {}
    for target in targets:
        name, t0, t1, face = area(target)
        highlights.setdefault(name, []).append((target, t0, t1, face))

    def depth(part: Part) -> float:
        return sum(view.point(c)[2] for c, _ in part.spheres) / len(part.spheres)

    parts = sorted((by_name[n] for n in ORDER),
                   key=lambda p: (round(depth(p) / 0.04), ORDER.index(p.name)))
    trunk = convex_pieces(by_name["trunk"], view, outlines["trunk"])
    shapes: list[Shape] = []
    for part in parts:
        fill = FAR_FILL if shade_far and part.side == "far" else BODY_FILL
        ink, width = (GHOST_INK, GHOST_LINE) if ghost else (INK, BODY_LINE)
        if part.name == "head":
            shapes += _nose(part, view, fill, ink, width)
        outline = outlines[part.name]
        shapes.append(Shape("polygon", tuple(outline), fill, ink, width, dash=ghost))
        if ghost:
            continue
        above = [r for s in supports if (r := _surface(s, part, view)) is not None]
        for target, t0, t1, face in highlights.get(part.name, ()):
            lens = _lens(skel.areas.get(target, part), t0, t1, face, view, accent)
            pieces = convex_pieces(part, view, outline)
            shapes += _highlight(lens, [*pieces, *trunk] if t0 < 0 else pieces, above)
    return shapes


def _nose(head: Part, view: View, fill: Colour, ink: Colour, width: float) -> list[Shape]:
    c, r = head.spheres[0]
    centre = view.xy(c)
    f = view.direction(head.front)
    n = math.hypot(*f)
    if n < 0.5:
        return []
    f = (f[0] / n, f[1] / n)
    up = (-f[1], f[0])
    tip = (centre[0] + f[0] * r * 1.2 - up[0] * r * 0.05,
           centre[1] + f[1] * r * 1.2 - up[1] * r * 0.05)
    base1 = (centre[0] + f[0] * r * 0.75 + up[0] * r * 0.3,
             centre[1] + f[1] * r * 0.75 + up[1] * r * 0.3)
    base2 = (centre[0] + f[0] * r * 0.75 - up[0] * r * 0.28,
             centre[1] + f[1] * r * 0.75 - up[1] * r * 0.28)
    return [Shape("polygon", (base1, tip, base2), fill, ink, width)]


@dataclass(frozen=True)
class Frame:
    """One posed frame of a picture, with its props and target areas."""

    skeleton: Skeleton
    behind: tuple[Solid, ...]
    front: tuple[Solid, ...]
    supports: tuple[Support, ...] = ()  # what the body rests on (the floor first)
    targets: tuple[str, ...] = ()  # the areas highlighted in this frame


def solve_frames(picture: Picture) -> list[Frame]:
    """Pose each frame. The props are placed for the first frame and stay where they are
    (only a strap follows the body); later frames keep the ``still`` landmark in place
    and rest on the same supports. Solved once per picture in a process."""
    return list(_solved(picture))


@lru_cache(maxsize=256)
def _solved(picture: Picture) -> tuple[Frame, ...]:
    return tuple(_solve(picture))


def _solve(picture: Picture) -> list[Frame]:
    frames: list[Frame] = []
    supports: list[Support] = []
    fixed: tuple[Solid, ...] = ()
    anchor_x = 0.0
    for spec in picture.frames:
        skel = pose_skeleton(POSTURES[spec.posture], dict(spec.joints))
        if not frames:
            solids, supports = place_supports(picture.props, skel)
            skel = lowered(skel, supports)
            behind, front = place_fitted(picture.props, skel)
            fixed = (*solids, *behind)
            anchor_x = skel.points[picture.still][0]
        else:
            skel = skel.moved((anchor_x - skel.points[picture.still][0], 0.0, 0.0))
            skel = lowered(skel, supports)
            front = place_fitted(picture.props, skel)[1]
        targets = picture.targets if spec.targets is None else spec.targets
        frames.append(Frame(skel, fixed, tuple(front), tuple(supports), targets))
    return frames


def frame_shapes(frame: Frame, picture: Picture, view: View, accent: Colour,
                 ghost: Frame | None = None, cues: tuple[CueSpec, ...] = ()) -> list[Shape]:
    """Props behind, the (faint) start pose, the pose, props in front, the arrows."""
    shapes: list[Shape] = []
    for solid in frame.behind:
        if not (isinstance(solid, Roll) and solid.ball):  # a ball: drawn in front
            shapes += _solid_shapes(solid, view)
    if ghost is not None:
        shapes += body_shapes(ghost.skeleton, view, (), accent, ghost=True, shade_far=False)
    for solid in frame.front:  # a box in the hands: the arms in front of it
        if isinstance(solid, Box) and solid.held:
            shapes += _solid_shapes(solid, view)
    outlines = outlines_of(frame.skeleton, view)
    shapes += body_shapes(frame.skeleton, view, frame.targets, accent, ghost=False,
                          shade_far=picture.view != "front", supports=frame.supports,
                          outlines=outlines)
    for solid in frame.behind:  # a roll under a limb: its hidden outline, dashed
        if isinstance(solid, Roll) and not solid.ball:
            shapes.append(_hidden_outline(solid, view))
        elif isinstance(solid, Roll):  # a small ball: drawn in front, where it is seen
            shapes += _solid_shapes(solid, view)
    for solid in frame.front:
        if not (isinstance(solid, Box) and solid.held):
            shapes += _solid_shapes(solid, view)
    if ghost is not None and picture.arrow:
        a = view.xy(ghost.skeleton.points[picture.arrow])
        b = view.xy(frame.skeleton.points[picture.arrow])
        shapes += motion_arrow(a, b, view.xy(frame.skeleton.points["pelvis"]))
    if cues:
        obstacles = [piece for p in frame.skeleton.parts
                     for piece in convex_pieces(p, view, outlines[p.name])]
        for cue in cues:
            about = view.xy(frame.skeleton.points[cue.about]) if cue.about else None
            shapes += cue_arrow(view.xy(frame.skeleton.points[cue.at]), cue.direction,
                                obstacles, after=cue.place == "after",
                                on=cue.place == "on", both=cue.both, about=about,
                                beside=cue.place == "beside")
    return shapes


def _clear_distance(start: Vec2, away: Vec2, length: float,
                    obstacles: list[list[Vec2]]) -> float:
    """The smallest distance ``t`` from ``start`` along ``away`` such that the stretch
    from ``t`` to ``t + length`` crosses no obstacle."""
    step = 0.005
    t = 0.0
    while t < 1.5:
        blocked = None
        s = t
        while s <= t + length:
            p = (start[0] + away[0] * s, start[1] + away[1] * s)
            if any(inside_convex(p, o) for o in obstacles):
                blocked = s
            s += step
        if blocked is None:
            return t
        t = blocked + step
    return t


def cue_arrow(target: Vec2, direction: str, obstacles: list[list[Vec2]], *,
              after: bool = False, on: bool = False, both: bool = False,
              about: Vec2 | None = None, beside: bool = False) -> list[Shape]:
    """A straight arrow moving in ``direction`` that stops just short of the body at
    ``target`` (press down, push forward), or with ``after`` starts just clear of it and
    leads away (lift, move back); ``around``: a circling arrow above it (``on``: on it);
    ``about``: an arc around that joint just beyond ``target`` (bend and straighten);
    ``beside``: along the body at ``target``, moved off it (roll along the thigh);
    ``both``: a head at each end (back and forth)."""
    if direction == "around":  # in the nearest clear space, above or beside
        r = 0.055
        if on:  # on the limb: as small as reads, inside its outline
            r, c = 0.04, target
        else:
            ways = [CUE_DIRECTIONS[d] for d in ("up", "up-right", "up-left", "right", "left")]
            t, (ux, uy) = min(((_clear_distance(target, w, 2 * r + CUE_GAP, obstacles), w)
                               for w in ways), key=lambda tw: tw[0])
            c = (target[0] + ux * (t + CUE_GAP + r), target[1] + uy * (t + CUE_GAP + r))
        ring = [(c[0] + r * math.cos(math.radians(a)), c[1] + r * math.sin(math.radians(a)))
                for a in range(-60, 226, 12)]
        return arrow(ring, CUE_HEAD * 0.85, CUE_LINE)
    dx, dy = CUE_DIRECTIONS[direction]
    length = CUE_LENGTH + (CUE_HEAD if both else 0.0)  # two heads: as long a shaft
    if about is not None:
        vx, vy = target[0] - about[0], target[1] - about[1]
        radius = math.hypot(vx, vy) + CUE_GAP
        start = math.atan2(vy, vx)
        sense = 1.0 if (-math.sin(start) * dx + math.cos(start) * dy) >= 0 else -1.0
        start += sense * math.radians(14)  # clear of the floor or the surface there
        sweep = max(math.radians(35), CUE_LENGTH * 1.3 / radius)
        path = [(about[0] + radius * math.cos(start + sense * sweep * i / 12),
                 about[1] + radius * math.sin(start + sense * sweep * i / 12))
                for i in range(13)]
    elif beside:  # along the body at the landmark, moved off it (above, or aside)
        half = (dx * length / 2, dy * length / 2)
        best: tuple[float, list[Vec2]] | None = None
        for nx, ny in ((-dy, dx), (dy, -dx)):
            shift = 0.0
            while shift < 1.0:
                c = (target[0] + nx * shift, target[1] + ny * shift)
                line = [(c[0] + half[0] * k / 5, c[1] + half[1] * k / 5) for k in range(-5, 6)]
                if not any(inside_convex(p, o) for p in line for o in obstacles):
                    break
                shift += 0.005
            shift += CUE_GAP
            penalty = shift + (0.0 if ny > 0 or (ny == 0 and nx < 0) else 0.05)
            c = (target[0] + nx * shift, target[1] + ny * shift)
            if best is None or penalty < best[0]:
                best = (penalty, [(c[0] - half[0], c[1] - half[1]),
                                  (c[0] + half[0], c[1] + half[1])])
        assert best is not None
        path = best[1]
    elif after:
        t = _clear_distance(target, (dx, dy), length + CUE_GAP, obstacles)
        tail = (target[0] + dx * (t + CUE_GAP), target[1] + dy * (t + CUE_GAP))
        path = [tail, (tail[0] + dx * length, tail[1] + dy * length)]
    else:
        t = _clear_distance(target, (-dx, -dy), length + CUE_GAP, obstacles)
        tip = (target[0] - dx * (t + CUE_GAP), target[1] - dy * (t + CUE_GAP))
        path = [(tip[0] - dx * length, tip[1] - dy * length), tip]
    if not both:
        return arrow(path, CUE_HEAD, CUE_LINE)
    back = arrow(path[::-1], CUE_HEAD, CUE_LINE)
    forth = arrow([*back[0].points[::-1][:-1], path[-1]], CUE_HEAD, CUE_LINE)
    return [forth[0], forth[1], back[1]]


def mark_shapes(mark: str, box: tuple[float, float, float, float]) -> list[Shape]:
    """A tick (right) or a cross (wrong) in a circle, beside the panel's top right corner:
    told apart by shape in black and white, by colour (green, red) in colour."""
    r = MARK_R
    c = (box[2] + r * 0.6, box[3] - r)
    ink = RIGHT_INK if mark == "right" else WRONG_INK
    out = [Shape("circle", (c,), None, ink, MARK_LINE * 0.6, radius=r)]
    k = r * 0.5
    if mark == "right":
        out.append(Shape("polyline", ((c[0] - k, c[1]), (c[0] - k * 0.25, c[1] - k * 0.8),
                                      (c[0] + k * 1.05, c[1] + k * 0.85)), None, ink,
                         MARK_LINE))
    else:
        out += [Shape("polyline", ((c[0] - k, c[1] - k), (c[0] + k, c[1] + k)), None, ink,
                      MARK_LINE),
                Shape("polyline", ((c[0] - k, c[1] + k), (c[0] + k, c[1] - k)), None, ink,
                      MARK_LINE)]
    return out


_DIGITS: dict[int, tuple[Vec2, ...]] = {  # strokes in a unit box centred on 0
    1: ((-0.28, 0.25), (0.08, 0.55), (0.08, -0.55)),
    2: ((-0.38, 0.28), (-0.3, 0.45), (-0.1, 0.55), (0.12, 0.55), (0.32, 0.45), (0.4, 0.25),
        (0.34, 0.05), (-0.4, -0.55), (0.42, -0.55)),
}


def step_badge(number: int, box: tuple[float, float, float, float]) -> list[Shape]:
    """A step number in a circle at the panel's top left corner (frames one above the
    other are read by number: an arrow down would read as a movement)."""
    r = MARK_R * 0.9
    c = (box[0] - r * 0.6, box[3] - r)
    k = r * 0.95
    return [Shape("circle", (c,), None, INK, 1.0, radius=r),
            Shape("polyline", tuple((c[0] + x * k, c[1] + y * k) for x, y in _DIGITS[number]),
                  None, INK, 1.4)]


def bbox(shapes: list[Shape]) -> tuple[float, float, float, float]:
    xs: list[float] = []
    ys: list[float] = []
    for s in shapes:
        r = s.radius
        if r == 0.0 and math.copysign(1.0, r) > 0.0 and s.points:
            # x - 0.0 and x + 0.0 are x (but -0.0 + 0.0, which is 0.0, after -0.0):
            # min and max, which keep the first of equal values, give the same result
            px, py = zip(*s.points, strict=True)
            xs += px
            ys += py
            continue
        for x, y in s.points:
            xs += [x - r, x + r]
            ys += [y - r, y + r]
    return min(xs), min(ys), max(xs), max(ys)


def arrow(path: list[Vec2], head: float = 0.045, width: float = ARROW_LINE) -> list[Shape]:
    (x1, y1), (x2, y2) = path[-2], path[-1]
    d = math.hypot(x2 - x1, y2 - y1) or 1.0
    ux, uy = (x2 - x1) / d, (y2 - y1) / d
    base = (x2 - ux * head, y2 - uy * head)
    left = (base[0] - uy * head * 0.55, base[1] + ux * head * 0.55)
    right = (base[0] + uy * head * 0.55, base[1] - ux * head * 0.55)
    line = [*path[:-1], base]
    return [Shape("polyline", tuple(line), None, INK, width),
            Shape("polygon", (left, (x2, y2), right), INK, None, 0)]


def motion_arrow(start: Vec2, end: Vec2, centre: Vec2) -> list[Shape]:
    """A curved arrow from ``start`` to ``end``, bowed away from ``centre``, kept clear
    of the limb it follows."""
    mid = ((start[0] + end[0]) / 2, (start[1] + end[1]) / 2)
    dist = math.hypot(end[0] - start[0], end[1] - start[1])
    if dist < 1e-6:
        return []
    if dist < MIN_ARROW:  # too short to read in print: lengthened about its middle
        k = MIN_ARROW / dist
        start = (mid[0] + (start[0] - mid[0]) * k, mid[1] + (start[1] - mid[1]) * k)
        end = (mid[0] + (end[0] - mid[0]) * k, mid[1] + (end[1] - mid[1]) * k)
        dist = MIN_ARROW
    perp = (-(end[1] - start[1]) / dist, (end[0] - start[0]) / dist)
    away = (mid[0] - centre[0]) * perp[0] + (mid[1] - centre[1]) * perp[1]
    if away < 0:
        perp = (-perp[0], -perp[1])
    clear = 0.07
    a = (start[0] + perp[0] * clear, start[1] + perp[1] * clear)
    b = (end[0] + perp[0] * clear, end[1] + perp[1] * clear)
    control = (mid[0] + perp[0] * (clear + dist * 0.3), mid[1] + perp[1] * (clear + dist * 0.3))
    path = quad_bezier(a, control, b, 14)
    trim = max(1, len(path) // 8)
    return arrow(path[trim:-trim] if len(path) > 2 * trim + 2 else path)


def floor_line(box: tuple[float, float, float, float], y: float) -> Shape:
    return Shape("polyline", ((box[0] - 0.04, y), (box[2] + 0.04, y)), None, PROP_INK, 1.4)


@lru_cache(maxsize=256)
def panels(picture: Picture, accent: Colour) -> tuple[Scene, ...]:
    """One scene per panel: one (a single frame or an overlay) or two."""
    view = view_for(picture)
    frames = solve_frames(picture)
    last = len(frames)

    def cues_of(number: int) -> tuple[CueSpec, ...]:
        return tuple(c for c in picture.cues if (c.frame or last) == number
                     or picture.overlay)

    if picture.overlay:
        scenes = [frame_shapes(frames[1], picture, view, accent, ghost=frames[0],
                               cues=cues_of(last))]
    else:
        scenes = [frame_shapes(f, picture, view, accent, cues=cues_of(n))
                  for n, f in enumerate(frames, start=1)]
    marks = [None] if picture.overlay else [f.mark for f in picture.frames]
    out = []
    grounded = not any(p.kind in ("mat", "bed", "table") for p in picture.props)
    # the floor seen from above: under the lowest feet, the same line in every panel
    floor_y = min(bbox(shapes)[1] for shapes in scenes) - 0.01
    for shapes, mark in zip(scenes, marks, strict=True):
        box = bbox(shapes)
        if picture.tilt < 5 and box[1] > -0.02:
            shapes = [floor_line(box, 0.0), *shapes]
        elif picture.tilt >= 5 and grounded:
            shapes = [floor_line(box, floor_y), *shapes]
        if mark:
            shapes = [*shapes, *mark_shapes(mark, bbox(shapes))]
        out.append(Scene(tuple(shapes), bbox(shapes)))
    return tuple(out)


@lru_cache(maxsize=512)
def compose(picture: Picture, accent: Colour, *, vertical: bool = False) -> Scene:
    """The whole picture as one scene: the panels in a row (or a column), an arrow
    between them."""
    parts = panels(picture, accent)
    if len(parts) == 1:
        return parts[0]
    first, second = parts
    marked = any(f.mark for f in picture.frames)  # right and wrong: not a movement
    if vertical:  # numbered, not an arrow down (which reads as "move down")
        dy = first.bbox[1] - PANEL_GAP * 0.5 - second.bbox[3]
        second = second.moved(first.bbox[0] - second.bbox[0], dy)
        link = [*step_badge(1, first.bbox), *step_badge(2, second.bbox)]
    else:
        dx = first.bbox[2] + PANEL_GAP - second.bbox[0]
        second = second.moved(dx, 0.0)
        y = min(first.bbox[3], second.bbox[3]) * 0.55 + max(first.bbox[1], second.bbox[1]) * 0.45
        x0 = first.bbox[2] + PANEL_GAP * 0.15
        link = arrow([(x0, y), (x0 + PANEL_GAP * 0.7, y)], 0.05)
    if marked:  # a tick and a cross, not a start and an end: no arrow, no numbers
        link = []
    shapes = [*first.shapes, *second.shapes, *link]
    return Scene(tuple(shapes), bbox(shapes))


@lru_cache(maxsize=1024)
def fitted(picture: Picture, accent: Colour, width: float, height: float) -> Scene:
    """The arrangement (frames in a row or a column) that shows the figure largest in a
    ``width`` x ``height`` box."""
    row = compose(picture, accent)
    if len(picture.frames) == 1 or picture.overlay:
        return row
    column = compose(picture, accent, vertical=True)
    scale_row = min(width / row.width, height / row.height)
    scale_column = min(width / column.width, height / column.height)
    return column if scale_column > scale_row * 1.05 else row
