"""A drawing described by poses, as data: frames, props, targets, cues, and the words
each may use. Checking the ``[picture]`` table of an exercise file into these is the
library's job (:mod:`rxprint.library.pictures`); this package only draws them.
"""

from __future__ import annotations

from dataclasses import dataclass

from rxprint.figures.body import BODY_JOINTS, SIDES
from rxprint.figures.props import PropSpec

VIEWS = ("side", "front", "three-quarter", "three-quarter-back")
PICTURE_FIELDS = ("view", "tilt", "flip", "overlay", "targets", "props", "arrow", "still",
                  "frames", "cues")
FRAME_FIELDS = ("posture", "mark", "targets", *BODY_JOINTS, *SIDES)
MARKS = ("right", "wrong")
MAX_FRAMES = 2
MAX_CUES = 3
# Cue directions as seen in the printed picture (after ``flip``): unit vectors, y up.
_D = 0.7071067811865476
CUE_DIRECTIONS: dict[str, tuple[float, float]] = {
    "up": (0.0, 1.0), "down": (0.0, -1.0), "left": (-1.0, 0.0), "right": (1.0, 0.0),
    "up-left": (-_D, _D), "up-right": (_D, _D), "down-left": (-_D, -_D),
    "down-right": (_D, -_D), "around": (0.0, 0.0),
}
CUE_FIELDS = ("at", "direction", "place", "frame", "both", "about")
# the arrow ends at the landmark, starts from it, runs along the body beside it, or (a
# circling arrow) lies on it
CUE_PLACES = ("before", "after", "beside", "on")


@dataclass(frozen=True)
class FrameSpec:
    """One frame of a picture: a base posture, joint angles, a mark and targets."""

    posture: str
    joints: tuple[tuple[str, float], ...] = ()  # ("near.knee", 90.0), ("trunk", 10.0)
    mark: str | None = None  # "right" (a tick) or "wrong" (a cross)
    targets: tuple[str, ...] | None = None  # this frame's areas (None: the picture's)


@dataclass(frozen=True)
class CueSpec:
    """A straight arrow beside the body pointing at a landmark in ``direction`` (press
    down, shift forward), or a circling arrow above it (``around``: knead, rub)."""

    at: str
    direction: str
    frame: int = 0  # 1-based; 0: the last frame
    place: str = "before"  # "before": pointing at the landmark; "after": leading away
    both: bool = False  # a head at both ends: back and forth (roll, bend and straighten)
    about: str | None = None  # an arc around this joint, beside ``at`` (a swinging limb)


@dataclass(frozen=True)
class Picture:
    """A drawing described by poses: one or two frames, props, targets."""

    frames: tuple[FrameSpec, ...]
    props: tuple[PropSpec, ...] = ()
    targets: tuple[str, ...] = ()
    arrow: str | None = None  # the landmark whose path the motion arrow follows
    still: str = "pelvis"  # the landmark that stays in place from frame to frame
    view: str = "side"
    tilt: float = 0.0  # camera elevation, degrees
    flip: bool = False
    overlay: bool = False  # both frames in one panel, the start one faint
    cues: tuple[CueSpec, ...] = ()  # cue arrows: press, shift, lean, knead
