"""The ``[picture]`` table of an exercise: a pose description, checked field by field
into a :class:`~rxprint.figures.spec.Picture`.

    [picture]
    targets = ["near.front-hip"]          # highlighted in the accent colour
    props = [{ kind = "bed", at = "near.hip" }]

    [[picture.frames]]                    # one or two: start and end
    posture = "lying-on-back"
    near = { hip = -20, knee = 70 }
    far = { hip = 60, knee = 100 }

See ``docs/pictures.md`` for every field.
"""

from __future__ import annotations

from rxprint.errors import describe
from rxprint.figures.body import AREAS, BODY_JOINTS, LANDMARKS, POSTURES, SIDE_JOINTS, SIDES
from rxprint.figures.props import PROP_KINDS, PropSpec
from rxprint.figures.spec import (
    CUE_DIRECTIONS,
    CUE_FIELDS,
    CUE_PLACES,
    FRAME_FIELDS,
    MARKS,
    MAX_CUES,
    MAX_FRAMES,
    PICTURE_FIELDS,
    VIEWS,
    CueSpec,
    FrameSpec,
    Picture,
)
from rxprint.files.fields import Fields, did_you_mean


def _landmark(f: Fields, key: str, value: object) -> str | None:
    if not isinstance(value, str) or value not in LANDMARKS:
        f.error(key, f"unknown landmark {describe(value)}{did_you_mean(str(value), LANDMARKS)}; "
                     f"use one of: {', '.join(LANDMARKS)}")
        return None
    return value


def _targets(f: Fields) -> tuple[str, ...]:
    targets = f.text_list("targets", required=False, max_items=4, max_len=40) or ()
    for i, target in enumerate(targets, start=1):
        if target not in AREAS:
            f.error(f"targets[{i}]", f"unknown target area {describe(target)}"
                                     f"{did_you_mean(target, AREAS)}; use one of: "
                                     f"{', '.join(AREAS)}")
    return tuple(targets)


def parse_props(f: Fields, key: str) -> tuple[PropSpec, ...] | None:
    value = f.table.get(key)
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        f.error(key, 'expected a list of props like [{ kind = "chair", at = "pelvis" }]')
        return None
    out: list[PropSpec] = []
    ok = True
    for i, item in enumerate(value, start=1):
        p = Fields(f.doc, item, f.problems, f"{f.path(key)}[{i}]")
        before = len(f.problems)
        p.only(("kind", "at", "to"))
        kind = p.choice("kind", PROP_KINDS)
        at = to = None
        if kind is not None:
            rule = PROP_KINDS[kind]
            if "at" in item:
                if rule.at == "no":
                    p.error("at", f"a {kind} is placed on its own: remove at")
                else:
                    at = _landmark(p, "at", item["at"])
            elif rule.at == "required":
                p.error("at", f"missing: where the {kind} goes ({rule.help})")
            if "to" in item:
                to = _landmark(p, "to", item["to"]) if rule.to else None
                if not rule.to:
                    p.error("to", "only a strap has a second end (to); remove it")
            elif rule.to:
                p.error("to", f"missing: the landmark holding the {kind}, like \"near.hand\"")
        if len(f.problems) > before:
            ok = False
        elif kind is not None:
            out.append(PropSpec(kind, at, to))
    return tuple(out) if ok else None


def parse_frame(f: Fields) -> FrameSpec | None:
    before = len(f.problems)
    f.only(FRAME_FIELDS)
    posture = f.choice("posture", POSTURES)
    mark = f.choice("mark", MARKS, required=False)
    targets = _targets(f) if "targets" in f.table else None
    joints: list[tuple[str, float]] = []
    for name, (low, high) in BODY_JOINTS.items():
        value = f.number(name, low, high, unit=" degrees")
        if value is not None:
            joints.append((name, value))
    for side in SIDES:
        table = f.table_of(side)
        if table is None:
            continue
        table.only(SIDE_JOINTS)
        for name, (low, high) in SIDE_JOINTS.items():
            value = table.number(name, low, high, unit=" degrees")
            if value is not None:
                joints.append((f"{side}.{name}", value))
    if len(f.problems) > before or posture is None:
        return None
    return FrameSpec(posture, tuple(joints), mark, targets)


def parse_cues(f: Fields, frames: int) -> tuple[CueSpec, ...]:
    tables = f.tables("cues")
    if not tables:
        return ()
    if len(tables) > MAX_CUES:
        f.error("cues", f"has {len(tables)} cues; give at most {MAX_CUES}")
    out: list[CueSpec] = []
    for table in tables:
        table.only(CUE_FIELDS)
        at = None
        if "at" in table.table:
            at = _landmark(table, "at", table.table["at"])
        else:
            table.error("at", 'missing: the landmark the arrow points at, like "near.knee"')
        direction = table.choice("direction", CUE_DIRECTIONS)
        place = table.choice("place", CUE_PLACES, required=False) or "before"
        frame = 0
        if "frame" in table.table:
            number = table.number("frame", 1, MAX_FRAMES)
            if number is not None and number != int(number):
                table.error("frame", f"expected a frame number, 1 or {MAX_FRAMES}")
            elif number is not None and frames and number > frames:
                table.error("frame", f"there is no frame {int(number)}: the picture has "
                                     f"{frames} frame{'s' if frames > 1 else ''}")
            elif number is not None:
                frame = int(number)
        both = bool(table.boolean("both"))
        about = None
        if "about" in table.table:
            about = _landmark(table, "about", table.table["about"])
        if place == "on" and direction not in (None, "around"):
            table.error("place", 'place = "on" is for a circling arrow (direction = "around")')
        if about is not None and direction == "around":
            table.error("about", "an arc around a joint needs a direction (up, down, ...), "
                                 "not around")
        if at is not None and direction is not None:
            out.append(CueSpec(at, direction, frame, place, both, about))
    return tuple(out)


def parse_picture(f: Fields) -> Picture | None:
    before = len(f.problems)
    f.only(PICTURE_FIELDS)
    view = f.choice("view", VIEWS, required=False) or "side"
    tilt = f.number("tilt", 0, 75, unit=" degrees") or 0.0
    flip = bool(f.boolean("flip"))
    overlay = bool(f.boolean("overlay"))
    targets = _targets(f)
    arrow = None
    if "arrow" in f.table:
        arrow = _landmark(f, "arrow", f.table["arrow"])
    still = "pelvis"
    if "still" in f.table:
        still = _landmark(f, "still", f.table["still"]) or still
    props = parse_props(f, "props") or ()
    frames: list[FrameSpec] = []
    tables = f.tables("frames", required=True)
    if tables is not None:
        if not 1 <= len(tables) <= MAX_FRAMES:
            f.error("frames", f"has {len(tables)} frames; give 1 or {MAX_FRAMES} "
                              "(start and end)")
        for table in tables:
            frame = parse_frame(table)
            if frame is not None:
                frames.append(frame)
    if overlay and len(frames) != 2:
        f.error("overlay", "overlay needs two frames (start and end)")
    if overlay and any(frame.mark for frame in frames):
        f.error("overlay", "a frame with a mark (right or wrong) needs its own panel: "
                           "remove overlay")
    cues = parse_cues(f, len(frames))
    if len(f.problems) > before:
        return None
    return Picture(frames=tuple(frames), props=props, targets=targets, arrow=arrow,
                   still=still, view=view, tilt=tilt, flip=flip, overlay=overlay,
                   cues=cues)
