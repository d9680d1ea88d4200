"""Small 3D and 2D geometry for the figure model: rotations, projection, outlines.

Pure Python (a figure has a few dozen points; no array library is needed).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

Vec3 = tuple[float, float, float]
Vec2 = tuple[float, float]
Mat3 = tuple[Vec3, Vec3, Vec3]

IDENTITY: Mat3 = ((1.0, 0.0, 0.0), (0.0, 1.0, 0.0), (0.0, 0.0, 1.0))


def add(a: Vec3, b: Vec3) -> Vec3:
    return (a[0] + b[0], a[1] + b[1], a[2] + b[2])


def scale(a: Vec3, k: float) -> Vec3:
    return (a[0] * k, a[1] * k, a[2] * k)


def lerp(a: Vec3, b: Vec3, t: float) -> Vec3:
    return (a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t)


def mat_vec(m: Mat3, v: Vec3) -> Vec3:
    return (m[0][0] * v[0] + m[0][1] * v[1] + m[0][2] * v[2],
            m[1][0] * v[0] + m[1][1] * v[1] + m[1][2] * v[2],
            m[2][0] * v[0] + m[2][1] * v[1] + m[2][2] * v[2])


def mat_mul(a: Mat3, b: Mat3) -> Mat3:
    cols = [mat_vec(a, (b[0][j], b[1][j], b[2][j])) for j in range(3)]
    return ((cols[0][0], cols[1][0], cols[2][0]),
            (cols[0][1], cols[1][1], cols[2][1]),
            (cols[0][2], cols[1][2], cols[2][2]))


def chain(*ms: Mat3) -> Mat3:
    out = IDENTITY
    for m in ms:
        out = mat_mul(out, m)
    return out


def rot_x(deg: float) -> Mat3:
    c, s = math.cos(math.radians(deg)), math.sin(math.radians(deg))
    return ((1.0, 0.0, 0.0), (0.0, c, -s), (0.0, s, c))


def rot_y(deg: float) -> Mat3:
    c, s = math.cos(math.radians(deg)), math.sin(math.radians(deg))
    return ((c, 0.0, s), (0.0, 1.0, 0.0), (-s, 0.0, c))


def rot_z(deg: float) -> Mat3:
    c, s = math.cos(math.radians(deg)), math.sin(math.radians(deg))
    return ((c, -s, 0.0), (s, c, 0.0), (0.0, 0.0, 1.0))


def camera(azimuth: float, elevation: float) -> Mat3:
    """World to camera: turn the world by ``azimuth`` about the vertical, then tip it by
    ``elevation`` (a camera above, looking down). Camera x is right, y up, z toward the
    viewer, so a larger z is nearer."""
    return mat_mul(rot_x(elevation), rot_y(-azimuth))


_UNIT: dict[int, tuple[tuple[float, float], ...]] = {}


def _unit_circle(n: int) -> tuple[tuple[float, float], ...]:
    """cos and sin of ``2 * pi * i / n`` for i < n, computed once per ``n`` (the same
    floats each time: a circle's points are these scaled and moved)."""
    table = _UNIT.get(n)
    if table is None:
        table = _UNIT[n] = tuple((math.cos(2 * math.pi * i / n), math.sin(2 * math.pi * i / n))
                                 for i in range(n))
    return table


def circle_points(c: Vec2, r: float, n: int = 16) -> list[Vec2]:
    cx, cy = c
    return [(cx + r * co, cy + r * si) for co, si in _unit_circle(n)]


def _half_hull(seq: Iterable[Vec2]) -> list[Vec2]:
    """One half of the monotone chain: each point turns left from the two before it."""
    out: list[Vec2] = []
    pop = out.pop
    push = out.append
    n = 0
    ox = oy = ax = ay = 0.0  # the last two points kept (valid when n >= 2)
    for p in seq:
        px, py = p
        while n >= 2:
            if (ax - ox) * (py - oy) - (ay - oy) * (px - ox) > 0:
                break
            pop()
            n -= 1
            ax, ay = ox, oy
            if n >= 2:
                ox, oy = out[n - 2]
        push(p)
        n += 1
        ox, oy, ax, ay = ax, ay, px, py
    return out


def convex_hull(points: Iterable[Vec2]) -> list[Vec2]:
    """Counter-clockwise hull (Andrew's monotone chain). The cross products are written
    out, and the last two points kept at hand: every body part's outline is a hull, and
    this runs for each drawing."""
    pts = sorted(set(points))
    if len(pts) <= 2:
        return pts
    lower = _half_hull(pts)
    upper = _half_hull(reversed(pts))
    return lower[:-1] + upper[:-1]


def hull_of_circles(circles: Sequence[tuple[Vec2, float]], n: int = 20) -> list[Vec2]:
    """The outline around a few circles: a limb (two circles), a trunk (several)."""
    unit = _unit_circle(n)
    points: list[Vec2] = []
    for (cx, cy), r in circles:
        points += [(cx + r * co, cy + r * si) for co, si in unit]
    return convex_hull(points)


def quad_bezier(a: Vec2, control: Vec2, b: Vec2, n: int = 16) -> list[Vec2]:
    out = []
    for i in range(n + 1):
        t = i / n
        u = 1 - t
        out.append((u * u * a[0] + 2 * u * t * control[0] + t * t * b[0],
                    u * u * a[1] + 2 * u * t * control[1] + t * t * b[1]))
    return out


def clip_polygon(subject: Sequence[Vec2], clip: Sequence[Vec2]) -> list[Vec2]:
    """The part of ``subject`` inside the convex counter-clockwise outline ``clip``
    (Sutherland-Hodgman)."""
    out = list(subject)
    n = len(clip)
    for i in range(n):
        (ax, ay), (bx, by) = clip[i], clip[(i + 1) % n]
        ex, ey = bx - ax, by - ay
        src, out = out, []
        if not src:
            break
        # the side of each point: >= 0 is inside
        sides = [ex * (p[1] - ay) - ey * (p[0] - ax) for p in src]
        count = len(src)
        for j in range(count):
            p, d1 = src[j], sides[j]
            k = j + 1 if j + 1 < count else 0
            q, d2 = src[k], sides[k]
            if d1 >= 0:
                out.append(p)
                if d2 < 0:
                    t = d1 / (d1 - d2)
                    out.append((p[0] + (q[0] - p[0]) * t, p[1] + (q[1] - p[1]) * t))
            elif d2 >= 0:
                t = d1 / (d1 - d2)
                out.append((p[0] + (q[0] - p[0]) * t, p[1] + (q[1] - p[1]) * t))
    return out


def inside_convex(p: Vec2, hull: Sequence[Vec2]) -> bool:
    """Whether ``p`` is inside a counter-clockwise convex outline."""
    n = len(hull)
    for i in range(n):
        (x1, y1), (x2, y2) = hull[i], hull[(i + 1) % n]
        if (x2 - x1) * (p[1] - y1) - (y2 - y1) * (p[0] - x1) < 0:
            return False
    return n > 2


def _crossing(a: Vec2, b: Vec2, c: Vec2, d: Vec2) -> Vec2 | None:
    """Where the segments ``ab`` and ``cd`` cross, if they do."""
    rx, ry = b[0] - a[0], b[1] - a[1]
    sx, sy = d[0] - c[0], d[1] - c[1]
    den = rx * sy - ry * sx
    if abs(den) < 1e-15:
        return None
    qx, qy = c[0] - a[0], c[1] - a[1]
    t = (qx * sy - qy * sx) / den
    u = (qx * ry - qy * rx) / den
    if 0.0 <= t <= 1.0 and 0.0 <= u <= 1.0:
        return (a[0] + rx * t, a[1] + ry * t)
    return None


def union_around(pieces: Sequence[Sequence[Vec2]], centre: Vec2) -> list[Vec2]:
    """The outline of the union of convex counter-clockwise outlines that all contain
    ``centre`` (a bent back: its two halves share the sphere at the bend). Such a union
    is star-shaped around ``centre``, so its outline is the corners of each piece
    outside the others and the points where two pieces' edges cross, in the order of
    their angle around ``centre``: it may be concave (a sagging back)."""
    points: list[Vec2] = []
    for i, piece in enumerate(pieces):
        others = [o for j, o in enumerate(pieces) if j != i]
        points += [p for p in piece if not any(inside_convex(p, o) for o in others)]
        for j in range(i + 1, len(pieces)):
            other = pieces[j]
            for k, a in enumerate(piece):
                b = piece[(k + 1) % len(piece)]
                for m, c in enumerate(other):
                    hit = _crossing(a, b, c, other[(m + 1) % len(other)])
                    if hit is not None:
                        points.append(hit)
    cx, cy = centre
    return sorted(points, key=lambda p: math.atan2(p[1] - cy, p[0] - cx))
