"""Props drawn to scale with the figure: where each goes, what it looks like, and which
ones the body rests on.

Placement is relative to a body landmark (``at``): a chair seat goes under the pelvis, a
counter or wall meets a hand, a foam roller lies under a thigh. Props the body rests on
(mat, bed, table, chair seat, step, roller, ball, towel, pillow) are placed first and the
figure is lowered onto them; the rest (wall, counter, rail, stool, strap, a chair held by
the hand, a box held in the hands) are fitted to the figure afterwards.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from rxprint.figures.body import SIDES, Skeleton
from rxprint.figures.geometry import Vec3


@dataclass(frozen=True)
class PropKind:
    """A kind of prop a picture may name, and how it is placed."""

    name: str
    at: str  # "required", "optional" or "no"
    help: str
    to: bool = False


PROP_KINDS: dict[str, PropKind] = {k.name: k for k in (
    PropKind("mat", "no", "a floor mat under the whole figure"),
    PropKind("bed", "optional", "a bed under the figure; at = a hip or knee: that leg "
                                "hangs over the near edge"),
    PropKind("table", "optional", "a treatment table, like bed"),
    PropKind("chair", "required", "at = pelvis: sitting on it; at = a thigh: sitting near its "
                                  "front edge; at = a hip: sitting sideways, that hip on the "
                                  "seat and the other leg off its front edge; at = a hand: "
                                  "holding its back"),
    PropKind("armchair", "required", "a chair with armrests, placed like chair"),
    PropKind("stool", "required", "a low stool under a foot (at = near.heel, for example)"),
    PropKind("wall", "required", "a wall touching the landmark (back, head or a hand)"),
    PropKind("counter", "required", "a kitchen counter under a hand"),
    PropKind("step", "required", "a sturdy step (the bottom stair) under a foot"),
    PropKind("rail", "required", "a handrail under a hand"),
    PropKind("box", "required", "a box held in the hands (at = a hand): it moves with them"),
    PropKind("strap", "required", "a strap looped at a foot (at) and held in a hand (to)",
             to=True),
    PropKind("foam-roller", "required", "a foam roller under the landmark"),
    PropKind("ball", "required", "a massage ball under the landmark"),
    PropKind("towel", "required", "a rolled towel under the landmark"),
    PropKind("pillow", "required", "a pillow under the landmark"),
)}


@dataclass(frozen=True)
class PropSpec:
    """A prop in a picture: its kind, the landmark it goes at (and, for a strap, to)."""

    kind: str
    at: str | None = None
    to: str | None = None


# Solids (figure heights). Boxes and cylinders (axis across the body, along z) project to
# outlines in any view.
@dataclass(frozen=True)
class Box:
    """A box-shaped solid (a bed, a chair seat, a step, a wall...)."""

    x0: float
    x1: float
    y0: float
    y1: float
    z0: float = -0.3
    z1: float = 0.3
    rounded: bool = False
    surface: bool = False  # a mat: its top drawn lighter, as a surface to lie on
    held: bool = False  # a box in the hands: drawn behind the body, in front of the props


@dataclass(frozen=True)
class Roll:
    """A cylinder across the body (a foam roller, a towel) or a small ball."""

    x: float
    y: float
    r: float
    z0: float = -0.22
    z1: float = 0.22
    ball: bool = False  # a small ball: drawn in front of the limb on it


@dataclass(frozen=True)
class Strap:
    """A strap from a foot (``start``) to a hand (``end``)."""

    start: Vec3
    end: Vec3


@dataclass(frozen=True)
class Bar:
    """A round bar from ``start`` to ``end`` (a handrail), ``r`` thick."""

    start: Vec3
    end: Vec3
    r: float


Solid = Box | Roll | Strap | Bar


@dataclass(frozen=True)
class Support:
    """A surface the body rests on: flat (``round`` None) or the top of a roll.

    It has depth: only body parts over its ``z0``..``z1`` span rest on it (a towel under
    the near knee does not carry the far leg). ``give`` is how far the body may sink into
    it (a soft ball or towel is pressed by the limb on it)."""

    x0: float
    x1: float
    top: float
    round: Roll | None = None
    excluded: frozenset[str] = frozenset()  # parts that do not rest on it
    z0: float = -math.inf
    z1: float = math.inf
    give: float = 0.0
    kind: str = "floor"

    def height(self, x: float) -> float | None:
        if not self.x0 <= x <= self.x1:
            return None
        if self.round is None:
            return self.top
        dx = x - self.round.x
        return self.round.y + math.sqrt(max(0.0, self.round.r ** 2 - dx * dx))


BED_TOP, TABLE_TOP, MAT_TOP, SEAT_TOP = 0.30, 0.42, 0.012, 0.23
STEP_TOP = 0.1  # a stair step, about 17 cm
ARM_REST = 0.12  # an armrest's height above the seat
RAIL_R, RAIL_SLOPE = 0.011, math.radians(30)
BOX_W, BOX_H, BOX_GRIP = 0.17, 0.12, 0.055  # a box held by its sides, the hands this high
CHAIRS = ("chair", "armchair")
MAT_HALF = 0.2  # a mat is about 60 cm wide: 0.2 figure heights either side of the middle
ROLL_R = {"foam-roller": 0.046, "ball": 0.023, "towel": 0.03}
# How far the body sinks into a soft prop (figure heights).
GIVE = {"ball": 0.024, "towel": 0.02, "pillow": 0.015, "foam-roller": 0.004}
# Half the length (across the body) of a small prop under one side's landmark.
SIDE_HALF = {"foam-roller": 0.1, "towel": 0.08, "ball": 0.023, "pillow": 0.1}
PILLOW_H, PILLOW_W = 0.05, 0.2
BELOW = {"hip": ("thigh", "shin", "foot"), "knee": ("shin", "foot"),
         "ankle": ("foot",)}


def extent(skel: Skeleton) -> tuple[float, float]:
    xs = [c[0] - r for p in skel.parts for c, r in p.spheres]
    xs += [c[0] + r for p in skel.parts for c, r in p.spheres]
    return min(xs), max(xs)


def facing(skel: Skeleton) -> float:
    """+1 when the body's front points to +x (standing, sitting), else -1."""
    trunk = next(p for p in skel.parts if p.name == "trunk")
    return 1.0 if trunk.front[0] >= -0.2 else -1.0


def _hanging(at: str | None) -> frozenset[str]:
    if at is None or "." not in at:
        return frozenset()
    side, _, joint = at.partition(".")
    return frozenset(f"{side}.{part}" for part in BELOW.get(joint, ()))


def place_supports(props: tuple[PropSpec, ...], skel: Skeleton
                   ) -> tuple[list[Solid], list[Support]]:
    """The props the body rests on, placed under the (not yet lowered) figure."""
    x0, x1 = extent(skel)
    solids: list[Solid] = []
    supports: list[Support] = [Support(-math.inf, math.inf, 0.0)]
    small: list[PropSpec] = []
    for prop in props:
        if prop.kind == "mat":  # as wide as the body lying on it, or a mat's width
            zs = [c[2] + k * r for p in skel.parts for c, r in p.spheres for k in (-1, 1)]
            mz0, mz1 = min(-MAT_HALF, min(zs) - 0.05), max(MAT_HALF, max(zs) + 0.05)
            solids.append(Box(x0 - 0.08, x1 + 0.08, 0.0, MAT_TOP, mz0, mz1, surface=True))
            supports.append(Support(x0 - 0.08, x1 + 0.08, MAT_TOP, kind="mat"))
        elif prop.kind in ("bed", "table"):
            top = BED_TOP if prop.kind == "bed" else TABLE_TOP
            b0, b1 = x0 - 0.1, x1 + 0.1
            slab = 0.09 if prop.kind == "bed" else 0.05
            z1 = skel.points[prop.at][2] + 0.02 if prop.at else 0.35
            solids += [Box(b0 + 0.03, b0 + 0.06, 0.0, top - slab, -0.35, z1 - 0.03),
                       Box(b1 - 0.06, b1 - 0.03, 0.0, top - slab, -0.35, z1 - 0.03),
                       Box(b0, b1, top - slab, top, -0.35, z1, rounded=prop.kind == "bed")]
            supports.append(Support(b0, b1, top, excluded=_hanging(prop.at),
                                    z1=z1, kind=prop.kind))
        elif prop.kind in CHAIRS and prop.at and not prop.at.endswith(("hand", "wrist")):
            d = facing(skel)
            feet = frozenset(f"{side}.{part}" for side in SIDES for part in ("shin", "foot"))
            if prop.at.endswith(".hip"):  # sideways: the chair seen from its front
                seat_x = skel.points["buttock"][0]
                c0, c1 = sorted((seat_x - 0.08 * d, seat_x + 0.18 * d))
                # the named hip on the seat; the other leg off the front edge, free
                toward = 1.0 if prop.at.startswith(SIDES[0]) else -1.0
                z_edge = -0.01 * toward
                z0, z1 = sorted((z_edge, z_edge + 0.26 * toward))
                solids += _chair_front(c0, c1, z_edge, toward, SEAT_TOP, 0.52)
                supports.append(Support(c0, c1, SEAT_TOP, excluded=feet, z0=z0, z1=z1,
                                        kind="chair"))
                continue
            if prop.at.endswith("thigh"):  # sitting near the front edge, at mid-thigh
                front = skel.points[prop.at][0] + 0.01 * d
                back = front - 0.32 * d
            else:
                seat_x = skel.points["buttock"][0]
                back, front = seat_x - 0.09 * d, seat_x + 0.2 * d
            solids += _chair(back, front, SEAT_TOP, 0.58, arms=prop.kind == "armchair")
            supports.append(Support(min(back, front), max(back, front), SEAT_TOP,
                                    excluded=feet, z0=-0.2, z1=0.2, kind="chair"))
        elif prop.kind == "step" and prop.at:  # the bottom stair, the next one behind it
            x = skel.points[prop.at][0]
            d = facing(skel)
            s0, s1 = sorted((x - 0.1 * d, x + 0.12 * d))
            n0, n1 = sorted((x + 0.12 * d, x + 0.3 * d))
            solids += [Box(n0, n1, 0.0, 2 * STEP_TOP, -0.3, 0.3),
                       Box(s0, s1, 0.0, STEP_TOP, -0.3, 0.3)]
            supports.append(Support(s0, s1, STEP_TOP, z0=-0.3, z1=0.3, kind="step"))
        elif prop.kind in ROLL_R or prop.kind == "pillow":
            small.append(prop)
    for prop in small:  # on top of whatever is under them
        assert prop.at is not None
        x, _, z = skel.points[prop.at]
        under = max((s for s in supports if s.height(x) is not None),
                    key=lambda s: s.height(x) or 0.0)
        base = under.height(x) or 0.0
        # under one side's landmark: only under that side; else across the body
        half = SIDE_HALF[prop.kind] if "." in prop.at else 0.18
        if "." not in prop.at:
            z = 0.0
        z0, z1 = z - half, z + half
        give = GIVE.get(prop.kind, 0.0)
        if prop.kind == "pillow":
            # on a chair seat: a seat cushion, as deep and wide as the seat (a higher seat)
            p0, p1 = ((under.x0, under.x1) if under.kind == "chair"
                      else (x - PILLOW_W / 2, x + PILLOW_W / 2))
            if under.kind == "chair":
                z0, z1 = under.z0, under.z1
            solids.append(Box(p0, p1, base, base + PILLOW_H, z0, z1, rounded=True))
            supports.append(Support(p0, p1, base + PILLOW_H, z0=z0, z1=z1, give=give,
                                    kind=prop.kind, excluded=(
                                        under.excluded if under.kind == "chair"
                                        else frozenset())))
        else:
            r = ROLL_R[prop.kind]
            ball = prop.kind == "ball"
            roll = Roll(x, base + r, r, z0 + r if ball else z0, z1 - r if ball else z1, ball)
            solids.append(roll)
            supports.append(Support(x - r, x + r, base + 2 * r, round=roll, z0=z0, z1=z1,
                                    give=give, kind=prop.kind))
    return solids, supports


def _span(ends: tuple[float, float]) -> tuple[float, float]:
    return (min(ends), max(ends))


def _chair(back: float, front: float, seat: float, height: float, *,
           arms: bool = False) -> list[Solid]:
    lo, hi = min(back, front), max(back, front)
    d = 1.0 if front > back else -1.0
    post0, post1 = sorted((back, back - 0.03 * d))
    leg0, leg1 = sorted((front, front - 0.03 * d))
    out: list[Solid] = [Box(post0, post1, 0.0, height, -0.2, 0.2),
                        Box(min(back, back + 0.03 * d), max(back, back + 0.03 * d),
                            seat - 0.02, height - 0.02, -0.2, 0.2),
                        Box(leg0, leg1, 0.0, seat, -0.2, 0.2),
                        Box(lo, hi, seat - 0.035, seat, -0.2, 0.2)]
    if arms:  # armrests a hand's breadth above the seat, on a post at the front
        arm0, arm1 = sorted((back, front - 0.01 * d))
        out += [Box(leg0, leg1, seat, seat + ARM_REST, -0.22, 0.22),
                Box(arm0, arm1, seat + ARM_REST - 0.025, seat + ARM_REST, -0.22, 0.22)]
    return out


def _chair_front(x0: float, x1: float, z_edge: float, toward: float, seat: float,
                 height: float) -> list[Solid]:
    """A chair seen from its front (someone sitting sideways on it): two legs, the seat,
    and the back (two posts and a top rail) behind the seat."""
    z0, z1 = sorted((z_edge, z_edge + 0.26 * toward))
    b0, b1 = sorted((z_edge + 0.23 * toward, z_edge + 0.26 * toward))
    return [Box(x0, x0 + 0.03, seat - 0.02, height, b0, b1),
            Box(x1 - 0.03, x1, seat - 0.02, height, b0, b1),
            Box(x0, x1, height - 0.06, height, b0, b1),
            Box(x0, x0 + 0.03, 0.0, seat, z0, z1),
            Box(x1 - 0.03, x1, 0.0, seat, z0, z1),
            Box(x0, x1, seat - 0.035, seat, z0, z1)]


def place_fitted(props: tuple[PropSpec, ...], skel: Skeleton) -> tuple[list[Solid], list[Solid]]:
    """The props fitted to the placed figure: (behind the figure, in front of it)."""
    behind: list[Solid] = []
    front: list[Solid] = []
    trunk = next(p for p in skel.parts if p.name == "trunk")
    centre_x = sum(c[0] for c, _ in trunk.spheres) / len(trunk.spheres)
    for prop in props:
        at = skel.points[prop.at] if prop.at else None
        if at is None:
            continue
        d = 1.0 if at[0] >= centre_x else -1.0
        if prop.kind == "wall":
            x = at[0] + 0.02 * d
            behind.append(Box(*_span((x, x + 0.05 * d)), 0.0, 1.12, -0.4, 0.4))
        elif prop.kind == "counter":
            top = min(0.62, max(0.4, at[1] - 0.012))
            edge = at[0] - 0.03 * d
            behind += [Box(*_span((edge + 0.03 * d, edge + 0.36 * d)), 0.0, top - 0.03,
                           -0.4, 0.4),
                       Box(*_span((edge, edge + 0.36 * d)), top - 0.03, top, -0.4, 0.4)]
        elif prop.kind == "stool":
            top = max(0.06, at[1] - 0.025)
            behind += [Box(at[0] - 0.07, at[0] - 0.05, 0.0, top, -0.12, 0.12),
                       Box(at[0] + 0.05, at[0] + 0.07, 0.0, top, -0.12, 0.12),
                       Box(at[0] - 0.09, at[0] + 0.09, top - 0.025, top, -0.12, 0.12)]
        elif prop.kind == "rail":  # a stair handrail under the hand, rising as stairs do
            d = facing(skel)
            top = at[1] - 0.012 - RAIL_R
            dx, dy = math.cos(RAIL_SLOPE) * d, math.sin(RAIL_SLOPE)
            low = (at[0] - 0.2 * dx, top - 0.2 * dy, at[2])
            high = (at[0] + 0.25 * dx, top + 0.25 * dy, at[2])
            behind += [Bar(low, high, RAIL_R),  # on a post at its foot
                       Box(low[0] - 0.009, low[0] + 0.009, 0.0, low[1], -0.03, 0.03)]
        elif prop.kind == "box":  # held at its sides, a little below their middle
            front.append(Box(at[0] - BOX_W / 2, at[0] + BOX_W / 2, at[1] - BOX_GRIP,
                             at[1] - BOX_GRIP + BOX_H, -0.14, 0.14, held=True))
        elif prop.kind in CHAIRS and prop.at and prop.at.endswith(("hand", "wrist")):
            height = min(0.72, max(0.45, at[1] - 0.01))
            side = -0.25 if prop.at.startswith(SIDES[1]) else 0.25
            solids = _chair(at[0], at[0] + 0.26 * d, SEAT_TOP, height)
            behind += [Box(b.x0, b.x1, b.y0, b.y1, b.z0 + side, b.z1 + side)
                       for b in solids if isinstance(b, Box)]
        elif prop.kind == "strap" and prop.to:
            front.append(Strap(at, skel.points[prop.to]))
    return behind, front
