"""The figure model: body proportions, joints with their limits, base postures, and the
forward kinematics that turn a pose into 3D body parts.

Units are figure heights (a standing figure is 1.0 tall). Body axes: x points forward
(anterior), y up, z to the figure's *near* side (toward the viewer of a side view).
Joint angles are in degrees:

=============  =====================================================================
``hip``        flexion: the thigh forward (90 = sitting); negative moves it behind
``hip-out``    abduction: the thigh out to the side
``hip-open``   the bent hip swung open: the thigh out to the side about the body's long
               axis (a knee falling out in a figure-4 stretch)
``hip-turn``   external rotation: the thigh turned out on its own axis (with the knee
               bent, the foot swings in across the other leg); negative turns it in
``knee``       flexion: the heel toward the buttock (0 = straight)
``ankle``      dorsiflexion: the toes up; negative points them
``toes-out``   the foot turned out
``shoulder``   flexion: the arm forward and up (180 = overhead)
``shoulder-out`` abduction: the arm out to the side
``shoulder-turn`` internal rotation: with the elbow bent, the forearm turns in across the
               body (a hand on the belly); negative turns it out
``elbow``      flexion (0 = straight)
``wrist``      extension: the back of the hand up
``trunk``      the upper body leaning forward from the posture (legs stay put)
``pelvis``     the pelvis tipped forward, the upper body with it; the hip angles stay
               relative to the pelvis (a hinge on one leg: the standing hip bends)
``neck``       the chin toward the chest
``spine``      the back rounded (the middle of the back moves back: up, on hands and
               knees); negative arches it (the low back sags)
``side-lean``  the whole body tipped toward its near side (lying on the side: the head end
               up, a side plank)
=============  =====================================================================
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from rxprint.figures.geometry import (
    IDENTITY,
    Mat3,
    Vec3,
    add,
    chain,
    lerp,
    mat_vec,
    rot_x,
    rot_y,
    rot_z,
    scale,
)

SIDES = ("near", "far")

# Joint limits: wide enough for every exercise, narrow enough to catch typing mistakes
# (a knee bent 250 degrees) and impossible values.
SIDE_JOINTS: dict[str, tuple[float, float]] = {
    "hip": (-35.0, 150.0),
    "hip-out": (-35.0, 70.0),
    "hip-open": (-20.0, 70.0),
    "hip-turn": (-45.0, 90.0),
    "knee": (-10.0, 165.0),  # below 0: a knee locked and pushed back
    "ankle": (-60.0, 40.0),
    "toes-out": (-30.0, 60.0),
    "shoulder": (-70.0, 185.0),
    "shoulder-out": (-45.0, 185.0),
    "shoulder-turn": (-90.0, 90.0),
    "elbow": (0.0, 155.0),
    "wrist": (-80.0, 80.0),
}
BODY_JOINTS: dict[str, tuple[float, float]] = {
    "trunk": (-35.0, 120.0),
    "pelvis": (-30.0, 90.0),
    "side-lean": (-30.0, 45.0),
    "neck": (-60.0, 70.0),
    "spine": (-40.0, 45.0),
}

# Lengths and radii (figure heights).
HIP_HALF = 0.07
SHOULDER_HALF = 0.11
THIGH, SHIN, UPPER_ARM, FOREARM, HAND = 0.245, 0.23, 0.17, 0.15, 0.07
ANKLE_DROP = 0.045
NECK_BASE, HEAD_R = 0.31, 0.066
# Where a back bends: rounded, in its middle; arched, in the low back.
SPINE_ROUND_AT, SPINE_ARCH_AT = NECK_BASE / 2, 0.1


@dataclass(frozen=True)
class Posture:
    """A base posture: how the body is turned in the world, and the joint angles a pose
    starts from."""

    name: str
    root: Mat3
    joints: dict[str, float] = field(default_factory=dict)  # "near.knee" / "trunk"
    description: str = ""


def _both(**angles: float) -> dict[str, float]:
    out: dict[str, float] = {}
    for key, value in angles.items():
        for side in SIDES:
            out[f"{side}.{key.replace('_', '-')}"] = value
    return out


# Lying on the side: the body's up (y) along the world x (head to the right), its front
# toward the viewer, its near side up.
_SIDE_LYING: Mat3 = ((0.0, 1.0, 0.0), (0.0, 0.0, 1.0), (1.0, 0.0, 0.0))

POSTURES: dict[str, Posture] = {p.name: p for p in (
    Posture("standing", IDENTITY, {**_both(knee=3, elbow=8, ankle=0)},
            "upright on both feet"),
    Posture("sitting", IDENTITY, {**_both(hip=90, knee=90, shoulder=15, elbow=55)},
            "on a chair, feet on the floor"),
    # Lying: the hips a little extended (face up) or the body turned 5 degrees (face
    # down, the chest being deeper than the pelvis) so that the trunk, the thighs and the
    # heels or feet all rest on the surface.
    Posture("lying-on-back", rot_z(90), {**_both(hip=-3, elbow=5, ankle=-15)},
            "face up, head to the left"),
    Posture("lying-face-down", rot_z(-85),
            {**_both(hip=1, knee=10, ankle=-55, shoulder=150, elbow=130)},
            "face down, head to the right"),
    Posture("side-lying", _SIDE_LYING,
            {"far.hip": 35, "far.knee": 60, "near.hip": 5, "near.knee": 10,
             "far.shoulder": 165, "far.elbow": 120, "near.shoulder": 20, "near.elbow": 20,
             "near.ankle": -30, "far.ankle": -30},
            "on the far side, head to the right, front toward the viewer"),
    Posture("half-kneeling", IDENTITY,
            {"near.hip": -5, "near.knee": 95, "near.ankle": -45, "far.hip": 85,
             "far.knee": 85, **_both(elbow=10)},
            "near knee down, far foot forward"),
    Posture("hands-and-knees", rot_z(-90),
            {**_both(hip=90, knee=90, shoulder=90, elbow=0, ankle=-50, wrist=80)},
            "on hands and knees, head to the right"),
)}


@dataclass(frozen=True)
class Part:
    """A drawable body part: the spheres whose outline it is, its axis (for highlights)
    and its front direction."""

    name: str  # "near.thigh", "trunk", "head"
    spheres: tuple[tuple[Vec3, float], ...]
    axis: tuple[Vec3, Vec3, float, float]  # start, end, radius at start, at end
    front: Vec3  # unit vector: the part's anterior side
    side: str  # "near", "far" or "mid"
    # A bent part (a rounded or arched back): its outline is the union of the hulls of
    # these groups of spheres (by index), which share one sphere; empty: one hull.
    pieces: tuple[tuple[int, ...], ...] = ()


def _moved_part(p: Part, offset: Vec3) -> Part:
    return Part(p.name, tuple((add(c, offset), r) for c, r in p.spheres),
                (add(p.axis[0], offset), add(p.axis[1], offset), p.axis[2], p.axis[3]),
                p.front, p.side, p.pieces)


@dataclass(frozen=True)
class Skeleton:
    """A posed body: its landmarks and its parts, in figure heights."""

    points: dict[str, Vec3]
    parts: tuple[Part, ...]
    # Target areas that do not follow their part's axis (not drawn, not touching
    # anything): the buttock stays on the back of the pelvis when the thigh moves back.
    areas: dict[str, Part] = field(default_factory=dict)

    def moved(self, offset: Vec3) -> Skeleton:
        return Skeleton({k: add(v, offset) for k, v in self.points.items()},
                        tuple(_moved_part(p, offset) for p in self.parts),
                        {k: _moved_part(p, offset) for k, p in self.areas.items()})


def _limb(name: str, side: str, a: Vec3, b: Vec3, ra: float, rb: float, front: Vec3) -> Part:
    return Part(f"{side}.{name}", ((a, ra), (b, rb)), (a, b, ra, rb), front, side)


def pose_skeleton(posture: Posture, joints: dict[str, float]) -> Skeleton:
    """Forward kinematics: the pelvis centre at the origin, everything else from it."""
    j = {**posture.joints, **joints}

    def a(key: str) -> float:
        return j.get(key, 0.0)

    root = chain(posture.root, rot_x(a("side-lean")), rot_z(-a("pelvis")))
    trunk = chain(root, rot_z(-a("trunk")))
    # A rounded (spine > 0) or arched back: the trunk bends at its middle, its low half
    # turning one way and its upper half (with the arms and the head) the other, so the
    # pelvis and the shoulders stay about where they were and the middle of the back
    # moves (up on hands and knees when rounded, down when the back sags).
    bend = a("spine")
    bend_at = SPINE_ROUND_AT if bend >= 0 else SPINE_ARCH_AT
    lower = chain(trunk, rot_z(bend / 2)) if bend else trunk
    upper = chain(trunk, rot_z(-bend / 2)) if bend else trunk
    mid_back = mat_vec(lower, (0.0, bend_at, 0.0))

    def on_trunk(v: Vec3) -> Vec3:
        if not bend or v[1] <= bend_at:
            return mat_vec(lower, v)
        return add(mid_back, mat_vec(upper, (v[0], v[1] - bend_at, v[2])))

    head_m = chain(upper, rot_z(-a("neck")))
    down: Vec3 = (0.0, -1.0, 0.0)
    fwd: Vec3 = (1.0, 0.0, 0.0)

    def at(m: Mat3, v: Vec3) -> Vec3:
        return mat_vec(m, v)

    origin: Vec3 = (0.0, 0.0, 0.0)
    neck_base = on_trunk((0.0, NECK_BASE, 0.0))
    head = add(neck_base, at(head_m, (0.012, 0.05 + HEAD_R, 0.0)))
    points: dict[str, Vec3] = {
        "pelvis": origin,
        "buttock": on_trunk((-0.06, -0.02, 0.0)),
        "back": on_trunk((-0.07, 0.15, 0.0)),
        "chest": on_trunk((0.08, 0.22, 0.0)),
        "neck": neck_base,
        "head": head,
    }
    parts: list[Part] = []
    areas: dict[str, Part] = {}
    for side in SIDES:
        sign = 1.0 if side == "near" else -1.0

        def s(key: str, side: str = side) -> float:
            return a(f"{side}.{key}")

        hip = at(root, (0.0, 0.0, sign * HIP_HALF))
        thigh_m = chain(root, rot_y(-sign * s("hip-open")), rot_x(-sign * s("hip-out")),
                        rot_z(s("hip")), rot_y(-sign * s("hip-turn")))
        knee = add(hip, scale(at(thigh_m, down), THIGH))
        # The buttock follows the thigh forward (sitting on it) but not back: moving the
        # leg behind the body does not turn the buttock toward the front of the hip.
        seat_m = chain(root, rot_x(-sign * s("hip-out")), rot_z(max(0.0, s("hip"))))
        areas[f"{side}.buttock"] = _limb("thigh", side, hip,
                                         add(hip, scale(at(seat_m, down), THIGH)),
                                         0.052, 0.036, at(seat_m, fwd))
        shin_m = chain(thigh_m, rot_z(-s("knee")))
        ankle = add(knee, scale(at(shin_m, down), SHIN))
        foot_m = chain(shin_m, rot_y(-sign * s("toes-out")), rot_z(s("ankle")))
        heel = add(ankle, at(foot_m, (-0.035, -ANKLE_DROP + 0.018, 0.0)))
        toe = add(ankle, at(foot_m, (0.125, -ANKLE_DROP + 0.02, 0.0)))

        shoulder = add(neck_base, at(upper, (-0.005, -0.03, sign * SHOULDER_HALF)))
        arm_m = chain(upper, rot_x(-sign * s("shoulder-out")), rot_z(s("shoulder")),
                      rot_y(sign * s("shoulder-turn")))
        elbow = add(shoulder, scale(at(arm_m, down), UPPER_ARM))
        fore_m = chain(arm_m, rot_z(s("elbow")))
        wrist = add(elbow, scale(at(fore_m, down), FOREARM))
        hand_m = chain(fore_m, rot_z(s("wrist")))
        hand = add(wrist, scale(at(hand_m, down), HAND))

        points.update({f"{side}.hip": hip, f"{side}.knee": knee, f"{side}.ankle": ankle,
                       f"{side}.heel": heel, f"{side}.toe": toe,
                       f"{side}.foot": lerp(heel, toe, 0.45),  # the middle of the sole
                       f"{side}.thigh": lerp(hip, knee, 0.5),
                       f"{side}.shin": lerp(knee, ankle, 0.5),
                       f"{side}.shoulder": shoulder, f"{side}.elbow": elbow,
                       f"{side}.wrist": wrist, f"{side}.hand": lerp(wrist, hand, 0.6)})
        parts += [
            _limb("thigh", side, hip, knee, 0.052, 0.036, at(thigh_m, fwd)),
            _limb("shin", side, knee, ankle, 0.034, 0.022, at(shin_m, fwd)),
            # the forefoot is as broad as a foot: seen from the front it is not a point
            Part(f"{side}.foot", ((ankle, 0.024), (heel, 0.02),
                                  (add(toe, at(foot_m, (-0.014, 0.0, 0.022))), 0.017),
                                  (add(toe, at(foot_m, (-0.014, 0.0, -0.022))), 0.017),
                                  (toe, 0.016)),
                 (heel, toe, 0.02, 0.016), at(foot_m, (0.0, 1.0, 0.0)), side),
            _limb("upper-arm", side, shoulder, elbow, 0.03, 0.024, at(arm_m, fwd)),
            _limb("forearm", side, elbow, wrist, 0.024, 0.018, at(fore_m, fwd)),
            _limb("hand", side, wrist, hand, 0.02, 0.014, at(hand_m, fwd)),
        ]
    t_front = at(trunk, fwd)
    trunk_spheres: tuple[tuple[Vec3, float], ...] = (
        (on_trunk((-0.01, -0.005, 0.035)), 0.072),
        (on_trunk((-0.01, -0.005, -0.035)), 0.072),
        (on_trunk((-0.005, 0.12, 0.0)), 0.066),
        (on_trunk((0.015, 0.21, 0.03)), 0.07),
        (on_trunk((0.015, 0.21, -0.03)), 0.07),
        (on_trunk((-0.005, NECK_BASE - 0.04, 0.075)), 0.048),
        (on_trunk((-0.005, NECK_BASE - 0.04, -0.075)), 0.048),
    )
    pieces: tuple[tuple[int, ...], ...] = ()
    if bend:  # drawn as its two halves, which share a sphere at the bend
        trunk_spheres += ((on_trunk((-0.005, bend_at, 0.0)), 0.066),)
        pieces = ((0, 1, 2, 7), (7, 3, 4, 5, 6)) if bend > 0 else ((0, 1, 7), (7, 2, 3, 4, 5, 6))
        # the back and the belly follow the half of the trunk they are on: the line
        # from the pelvis to the middle of the back, and from there to the neck
        middle = on_trunk((0.0, NECK_BASE / 2, 0.0))
        up_start = add(scale(middle, 2.0), scale(neck_base, -1.0))
        sx, sy, sz = at(trunk, (0.0, 0.0, 1.0))  # the body's side axis
        for name, (start, end) in {"low-back": (origin, scale(middle, 2.0)),
                                   "belly": (origin, scale(middle, 2.0)),
                                   "upper-back": (up_start, neck_base)}.items():
            dx, dy, dz = add(end, scale(start, -1.0))
            front = (dy * sz - dz * sy, dz * sx - dx * sz, dx * sy - dy * sx)
            n = math.hypot(*front)
            areas[name] = Part("trunk", (), (start, end, 0.07, 0.068),
                               scale(front, 1.0 / n), "mid")
    parts.append(Part("trunk", trunk_spheres, (origin, neck_base, 0.07, 0.068), t_front, "mid",
                      pieces))
    parts.append(Part("neck", ((neck_base, 0.032), (lerp(neck_base, head, 0.6), 0.03)),
                      (neck_base, head, 0.032, 0.03), at(head_m, fwd), "mid"))
    parts.append(Part("head", ((head, HEAD_R),), (head, head, HEAD_R, HEAD_R),
                      at(head_m, fwd), "mid"))
    return Skeleton(points, tuple(parts), areas)


LANDMARKS: tuple[str, ...] = tuple(sorted(pose_skeleton(POSTURES["standing"], {}).points))

# Target areas (highlighted in the accent colour): a stretch of a part's axis (0 = its
# start, 1 = its end; beyond is allowed), on its front (+1), back (-1) or middle (0).
SIDE_AREAS: dict[str, tuple[str, float, float, int]] = {
    "front-thigh": ("thigh", 0.15, 0.9, 1),
    "back-thigh": ("thigh", 0.12, 0.9, -1),
    "front-hip": ("thigh", -0.15, 0.4, 1),
    "buttock": ("thigh", -0.32, 0.28, -1),
    "inner-thigh": ("thigh", 0.15, 0.85, 0),
    "calf": ("shin", 0.08, 0.6, -1),
    "shin": ("shin", 0.1, 0.85, 1),
}
MID_AREAS: dict[str, tuple[str, float, float, int]] = {
    "low-back": ("trunk", 0.08, 0.5, -1),
    "upper-back": ("trunk", 0.5, 0.92, -1),
    "belly": ("trunk", 0.1, 0.5, 1),
}
AREAS: tuple[str, ...] = (*MID_AREAS, *(f"{s}.{a}" for s in SIDES for a in SIDE_AREAS))


def area(name: str) -> tuple[str, float, float, int]:
    """The part name, stretch and side of a target area such as ``near.front-thigh``."""
    if name in MID_AREAS:
        return MID_AREAS[name]
    side, _, key = name.partition(".")
    part, t0, t1, face = SIDE_AREAS[key]
    return f"{side}.{part}", t0, t1, face
