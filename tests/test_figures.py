"""Exercise pictures: the figure model, pose checking, and drawings read back from PDFs."""

from __future__ import annotations

import io
import itertools
import math
import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from PIL import Image
from pypdf import PdfReader
from pypdf.generic import ContentStream

from rxprint.errors import ValidationError
from rxprint.figures import compose
from rxprint.figures.body import POSTURES, Skeleton, pose_skeleton
from rxprint.figures.props import BED_TOP, MAT_TOP, SEAT_TOP, PropSpec, Support
from rxprint.figures.scene import (
    ARROW_LINE,
    BALL_FILL,
    CUE_LINE,
    INK,
    MIN_ARROW,
    PROP_FILL,
    RIGHT_INK,
    WRONG_INK,
    Frame,
    Scene,
    View,
    gap,
    solve_frames,
)
from rxprint.figures.spec import CueSpec, FrameSpec, Picture
from rxprint.language.messages import catalog
from rxprint.library.branding import DEFAULT_BRANDING, parse_colour
from rxprint.library.loader import Library, builtin_dir
from rxprint.library.model import Exercise
from rxprint.render.builtin_layouts import CLASSIC, COMPACT
from rxprint.render.handout import render_handout

from .conftest import TODAY
from .pdfcheck import checked_reader, checked_texts
from .test_library import GOOD_EXERCISE

ACCENT = (0.051, 0.431, 0.478)  # any colour: drawings take it as an argument


def lowest(frame_skeleton: object) -> float:
    return min(c[1] - r for p in frame_skeleton.parts for c, r in p.spheres)  # type: ignore[attr-defined]


def picture(*frames: FrameSpec, props: tuple[PropSpec, ...] = (), **kw: object) -> Picture:
    return Picture(frames=frames, props=props, **kw)  # type: ignore[arg-type]


# -- the figure model ---------------------------------------------------------------------


def test_a_standing_figure_is_one_unit_tall_with_its_feet_on_the_floor() -> None:
    frame, = solve_frames(picture(FrameSpec("standing")))
    skel = frame.skeleton
    head = next(p for p in skel.parts if p.name == "head")
    (_, head_y, _), r = head.spheres[0]
    assert lowest(skel) == pytest.approx(0.0, abs=1e-9)
    assert 0.97 < head_y + r < 1.03
    for side in ("near", "far"):
        assert skel.points[f"{side}.heel"][1] < 0.05 and skel.points[f"{side}.toe"][1] < 0.05


@pytest.mark.parametrize("posture", sorted(POSTURES))
def test_every_posture_rests_on_the_floor(posture: str) -> None:
    frame, = solve_frames(picture(FrameSpec(posture)))
    assert lowest(frame.skeleton) == pytest.approx(0.0, abs=1e-9)


def test_joint_angles_mean_what_a_clinician_means() -> None:
    standing = POSTURES["standing"]
    hip90 = pose_skeleton(standing, {"near.hip": 90, "near.knee": 0}).points
    assert hip90["near.knee"][0] > hip90["near.hip"][0] + 0.2  # thigh straight forward
    assert hip90["near.knee"][1] == pytest.approx(hip90["near.hip"][1], abs=1e-9)
    knee90 = pose_skeleton(standing, {"near.knee": 90}).points
    assert knee90["near.ankle"][0] < knee90["near.knee"][0] - 0.2  # heel goes back
    back = pose_skeleton(standing, {"near.hip": -20}).points
    assert back["near.knee"][0] < back["near.hip"][0]  # extension: the leg behind
    lying = pose_skeleton(POSTURES["lying-on-back"], {}).points
    assert lying["head"][0] < lying["pelvis"][0] < lying["near.ankle"][0]
    assert lying["chest"][1] > lying["back"][1]  # face up


def test_a_leg_off_the_bed_edge_hangs_below_the_bed() -> None:
    pic = picture(FrameSpec("lying-on-back", (("near.hip", -20.0), ("near.knee", 30.0))),
                  props=(PropSpec("bed", "near.hip"),))
    frame, = solve_frames(pic)
    on_bed = [p for p in frame.skeleton.parts
              if p.name not in ("near.thigh", "near.shin", "near.foot")]
    assert min(c[1] - r for p in on_bed for c, r in p.spheres) == pytest.approx(BED_TOP,
                                                                                 abs=1e-6)
    assert frame.skeleton.points["near.ankle"][1] < BED_TOP - 0.15
    assert frame.skeleton.points["far.ankle"][1] > BED_TOP


def test_a_chair_seat_goes_under_the_sitter_and_stays_for_the_next_frame() -> None:
    pic = picture(FrameSpec("sitting"), FrameSpec("standing"),
                  props=(PropSpec("chair", "pelvis"),), still="near.ankle")
    sitting, standing = solve_frames(pic)
    trunk = next(p for p in sitting.skeleton.parts if p.name == "trunk")
    assert SEAT_TOP - 1e-6 <= min(c[1] - r for c, r in trunk.spheres) <= SEAT_TOP + 0.03
    assert sitting.behind == standing.behind  # the chair did not move
    assert standing.skeleton.points["near.ankle"][0] == pytest.approx(
        sitting.skeleton.points["near.ankle"][0])
    assert lowest(standing.skeleton) == pytest.approx(0.0, abs=1e-9)  # on the floor


def test_front_view_puts_the_near_side_on_the_left() -> None:
    from rxprint.figures.geometry import camera

    frame, = solve_frames(picture(FrameSpec("standing")))
    view = View(camera(90.0, 0.0), flip=False)
    assert view.xy(frame.skeleton.points["near.hip"])[0] < view.xy(
        frame.skeleton.points["far.hip"])[0]


def fills(scene: Scene) -> Counter[tuple[float, float, float] | None]:
    return Counter(s.fill for s in scene.shapes)


def test_targets_are_highlighted_in_the_accent_colour_and_far_limbs_are_shaded() -> None:
    plain = compose(picture(FrameSpec("standing")), ACCENT)
    marked = compose(picture(FrameSpec("standing"), targets=("near.front-thigh",)), ACCENT)
    assert fills(plain)[ACCENT] == 0
    assert fills(marked)[ACCENT] == 1
    assert fills(plain)[(0.84, 0.84, 0.84)] == 6  # far thigh, shin, foot, arm, forearm, hand


def test_two_frames_stand_side_by_side_with_an_arrow_or_overlap() -> None:
    frames = (FrameSpec("lying-on-back"), FrameSpec("lying-on-back", (("near.hip", 40.0),)))
    row = compose(picture(*frames), ACCENT)
    column = compose(picture(*frames), ACCENT, vertical=True)
    overlay = compose(picture(*frames, overlay=True, arrow="near.ankle"), ACCENT)
    assert row.width > 2 * column.width * 0.8 and column.height > row.height * 1.5
    dashed = [s for s in overlay.shapes if s.dash]
    assert len(dashed) == 15  # the start pose, faint
    assert any(s.kind == "polyline" and len(s.points) > 5 for s in overlay.shapes)  # curved


def test_a_roller_shows_its_end_nearest_the_camera() -> None:
    from rxprint.figures.geometry import camera
    from rxprint.figures.props import Roll
    from rxprint.figures.scene import _solid_shapes

    roll = Roll(0.0, 0.05, 0.05, -0.2, 0.2)
    for azimuth, nearest in ((0.0, 0.2), (180.0, -0.2)):  # from the near side, the far
        view = View(camera(azimuth, 40.0), flip=False)
        end = next(s for s in _solid_shapes(roll, view) if s.kind == "circle")
        assert end.points[0] == pytest.approx(view.xy((0.0, 0.05, nearest)))


# -- pose descriptions in exercise files ----------------------------------------------------

GOOD_PICTURE = '''
[picture]
targets = ["near.front-thigh"]
props = [{ kind = "chair", at = "pelvis" }]
[[picture.frames]]
posture = "sitting"
[[picture.frames]]
posture = "sitting"
near = { knee = 5 }
'''


def test_a_pose_description_loads(write: Callable[[str, str], Path], tmp_path: Path) -> None:
    write("lib/heel-slide.toml", GOOD_EXERCISE + GOOD_PICTURE)
    ex = Library.from_dirs([tmp_path / "lib"]).exercises["heel-slide"]
    assert ex.picture is not None and len(ex.picture.frames) == 2
    assert ex.picture.frames[1].joints == (("near.knee", 5.0),)


@pytest.mark.parametrize(("change", "expected"), [
    (('posture = "sitting"\n[[', 'posture = "siting"\n[['),
     r'picture.frames\[1\].posture: "siting" is not one of: .*did you mean "sitting"'),
    (("knee = 5", "knee = 200"),
     r"picture.frames\[2\].near.knee: 200 degrees is out of range: use -10 to 165"),
    (("knee = 5", "elbows = 5"),
     r'picture.frames\[2\].near.elbows: unknown field \(did you mean "elbow"\?\)'),
    (("knee = 5", 'knee = "bent"'), r"picture.frames\[2\].near.knee: expected a number"),
    (('kind = "chair", at = "pelvis"', 'kind = "trampoline"'),
     r"picture.props\[1\].kind: \"trampoline\" is not one of"),
    (('kind = "chair", at = "pelvis"', 'kind = "chair"'),
     r"picture.props\[1\].at: missing: where the chair goes"),
    (('at = "pelvis"', 'at = "pelvic"'),
     r'picture.props\[1\].at: unknown landmark "pelvic" \(did you mean "pelvis"\?\)'),
    (('"near.front-thigh"', '"near.front-tigh"'),
     r'picture.targets\[1\]: unknown target area "near.front-tigh" \(did you mean'),
    (("[[picture.frames]]", "[[picture.frames]]\nposture = \"standing\"\n[[picture.frames]]", 1),
     r"picture.frames: has 3 frames; give 1 or 2"),
    (("targets =", "overlay = true\nzoom = 2\ntargets ="),
     r"picture.zoom: unknown field"),
    (('posture = "sitting"\n[[', 'posture = "sitting"\nmark = "maybe"\n[['),
     r'picture.frames\[1\].mark: "maybe" is not one of: right, wrong'),
    (("near = { knee = 5 }", 'near = { knee = 5 }\n[[picture.cues]]\nat = "near.knee"\n'
                            'direction = "sideways"'),
     r'picture.cues\[1\].direction: "sideways" is not one of: up, down'),
    (("near = { knee = 5 }", 'near = { knee = 5 }\n[[picture.cues]]\nat = "near.kne"\n'
                            'direction = "down"'),
     r'picture.cues\[1\].at: unknown landmark "near.kne" \(did you mean "near.knee"'),
    (("near = { knee = 5 }", 'near = { knee = 5 }\n[[picture.cues]]\ndirection = "down"'),
     r"picture.cues\[1\].at: missing: the landmark the arrow points at"),
    (("near = { knee = 5 }", 'near = { knee = 5 }\n[[picture.cues]]\nat = "near.knee"\n'
                            'direction = "down"\nframe = 3'),
     r"picture.cues\[1\].frame: 3 is out of range: use 1 to 2"),
    (("near = { knee = 5 }", 'near = { knee = 5 }\ntargets = ["near.front-tigh"]'),
     r'picture.frames\[2\].targets\[1\]: unknown target area "near.front-tigh"'),
    (("near = { knee = 5 }", 'near = { knee = 5 }\n[[picture.cues]]\nat = "near.knee"\n'
                            'direction = "down"\nplace = "on"'),
     r'picture.cues\[1\].place: place = "on" is for a circling arrow'),
    (("near = { knee = 5 }", 'near = { knee = 5 }\n[[picture.cues]]\nat = "near.toe"\n'
                            'direction = "up"\nabout = "near.kne"'),
     r'picture.cues\[1\].about: unknown landmark "near.kne"'),
    (("near = { knee = 5 }", 'near = { knee = 5 }\n[[picture.cues]]\nat = "near.toe"\n'
                            'direction = "up"\nboth = "yes"'),
     r"picture.cues\[1\].both: expected true or false"),
])
def test_a_bad_pose_is_a_clear_error_naming_file_line_and_field(
        write: Callable[[str, str], Path], tmp_path: Path,
        change: tuple[str, ...], expected: str) -> None:
    old, new, *count = change
    text = (GOOD_EXERCISE + GOOD_PICTURE).replace(old, new, *(int(c) for c in count))
    assert text != GOOD_EXERCISE + GOOD_PICTURE
    path = write("lib/heel-slide.toml", text)
    with pytest.raises(ValidationError) as err:
        Library.from_dirs([tmp_path / "lib"])
    assert re.search(re.escape(str(path)) + r":\d+: " + expected, str(err.value)), err.value


def test_a_marked_frame_cannot_be_overlaid(write: Callable[[str, str], Path],
                                           tmp_path: Path) -> None:
    text = (GOOD_EXERCISE + GOOD_PICTURE).replace("targets =", "overlay = true\ntargets =")
    text = text.replace("near = { knee = 5 }", 'near = { knee = 5 }\nmark = "right"')
    path = write("lib/heel-slide.toml", text)
    with pytest.raises(ValidationError) as err:
        Library.from_dirs([tmp_path / "lib"])
    assert re.search(re.escape(str(path)) + r":\d+: picture.overlay: a frame with a mark",
                     str(err.value)), err.value


def test_validate_reports_a_bad_pose_without_a_traceback(
        run: Callable[..., Result], write: Callable[[str, str], Path], tmp_path: Path) -> None:
    write("lib/heel-slide.toml", (GOOD_EXERCISE + GOOD_PICTURE).replace("knee = 5",
                                                                         "knee = -40"))
    result = run("validate", str(tmp_path / "lib"))
    assert result.exit_code == 1
    assert "picture.frames[2].near.knee: -40 degrees is out of range" in result.output
    assert "Traceback" not in result.output


# -- the built-in library -----------------------------------------------------------------


def test_every_builtin_exercise_has_a_drawing(library: Library) -> None:
    missing = [e.id for e in library.exercises.values() if e.picture is None]
    assert not missing


def test_every_builtin_drawing_is_sane(library: Library) -> None:
    for ex in library.exercises.values():
        assert ex.picture is not None
        scene = compose(ex.picture, ACCENT)
        assert 0.2 < scene.height < 1.6 and scene.width < 4.5, ex.id
        for frame in solve_frames(ex.picture):
            assert lowest(frame.skeleton) > -1e-6, ex.id  # nothing below the floor
        if ex.picture.targets:
            assert fills(scene)[ACCENT] >= len(ex.picture.targets), ex.id


# -- invariants of the figure model, for every built-in drawing ----------------------------

TOUCH = 0.006  # figure heights: about a hundredth of an inch at print size


def checked_supports(picture: Picture, number: int, frame: Frame) -> list[Support]:
    """The supports a frame must rest on: the props (a later frame only if it keeps the
    first frame's posture: someone who stood up no longer sits), and the floor when
    nothing else is under the figure."""
    same = picture.frames[number].posture == picture.frames[0].posture
    props = [s for s in frame.supports if s.kind != "floor"]
    # a cushion on a chair seat carries the sitter: the seat under it is not touched
    props = [s for s in props if not (s.kind == "chair" and any(
        o.kind == "pillow" and (o.x0, o.x1) == (s.x0, s.x1) for o in props))]
    out = props if number == 0 or same else []
    if not any(s.kind in ("mat", "bed", "table") for s in props):
        floor = frame.supports[0]
        steps = [s for s in props if s.kind == "step"]
        if steps:  # a foot on a step rests on it: only a foot off it must touch the floor
            off = {p.name for p in frame.skeleton.parts if p.name.endswith(".foot")
                   and not any(s.x0 <= c[0] <= s.x1 for s in steps for c, _ in p.spheres)}
            floor = Support(floor.x0, floor.x1, floor.top, kind="floor", excluded=frozenset(
                p.name for p in frame.skeleton.parts if p.name not in off))
        out.append(floor)
    return out


def test_every_builtin_figure_rests_on_its_supports_without_a_gap(library: Library) -> None:
    """The lowest body point over each support touches it (or presses into a soft one by
    at most its give): no figure floats above its bed, seat, mat, ball or floor."""
    problems = []
    for ex in library.exercises.values():
        assert ex.picture is not None
        for number, frame in enumerate(solve_frames(ex.picture)):
            for support in checked_supports(ex.picture, number, frame):
                g = gap(frame.skeleton, support)
                if g is None:
                    continue
                if not -support.give - 1e-6 <= g <= TOUCH:
                    problems.append(f"{ex.id} frame {number + 1}: {support.kind} gap {g:.3f}")
    assert not problems


def test_a_lying_trunk_lies_on_its_surface(library: Library) -> None:
    """Lying flat (the trunk not propped up), the trunk touches what the body lies on:
    arms folded under the head or a bent leg do not tilt the body up."""
    for ex in library.exercises.values():
        assert ex.picture is not None
        for spec, frame in zip(ex.picture.frames, solve_frames(ex.picture), strict=True):
            trunk_joint = dict(spec.joints).get("trunk", 0.0)
            if not spec.posture.startswith("lying") or abs(trunk_joint) > 5:
                continue
            trunk = Skeleton(frame.skeleton.points,
                             tuple(p for p in frame.skeleton.parts if p.name == "trunk"))
            gaps = [g for s in frame.supports if (g := gap(trunk, s)) is not None]
            assert min(gaps) <= 0.012, ex.id


def test_a_hand_on_a_counter_or_chair_stays_on_it_in_every_frame(library: Library) -> None:
    from rxprint.figures.props import Box

    held = 0
    for ex in library.exercises.values():
        assert ex.picture is not None
        for prop in ex.picture.props:
            if prop.kind not in ("counter", "chair") or not (prop.at or "").endswith("hand"):
                continue
            for frame in solve_frames(ex.picture):
                x, y, _ = frame.skeleton.points[prop.at or ""]
                tops = [b for b in frame.behind if isinstance(b, Box)]
                assert min(math.hypot(max(b.x0 - x, 0.0, x - b.x1), y - b.y1)
                           for b in tops) < 0.025, ex.id
                held += 1
    assert held >= 5


def test_a_prop_under_one_leg_does_not_carry_the_other() -> None:
    pic = picture(FrameSpec("lying-on-back"),
                  props=(PropSpec("mat"), PropSpec("towel", "near.knee")))
    frame, = solve_frames(pic)
    towel = next(s for s in frame.supports if s.kind == "towel")
    assert towel.z0 < frame.skeleton.points["near.knee"][2] < towel.z1
    assert not towel.z0 < frame.skeleton.points["far.knee"][2] < towel.z1
    far_only = Frame(frame.skeleton.__class__(
        frame.skeleton.points, tuple(p for p in frame.skeleton.parts
                                     if not p.name.startswith("near."))), (), ())
    assert gap(far_only.skeleton, towel) is None  # nothing of the far leg is over it
    assert gap(frame.skeleton, towel) is not None


def test_a_mat_is_a_thin_surface_not_a_box() -> None:
    for tilt, most in ((0.0, 0.03), (40.0, 0.3)):
        pic = picture(FrameSpec("lying-on-back"), props=(PropSpec("mat"),), tilt=tilt)
        scene = compose(pic, ACCENT)
        mats = [s for s in scene.shapes if s.fill == PROP_FILL]
        assert mats
        ys = [y for s in mats for _, y in s.points]
        assert max(ys) - min(ys) <= most, tilt
    assert MAT_TOP <= 0.015


def arrows(scene: Scene) -> list[float]:
    """The length of every arrow's shaft (motion, link and cue arrows)."""
    out = []
    for s in scene.shapes:
        if s.kind == "polyline" and s.stroke == INK and s.width in (ARROW_LINE, CUE_LINE):
            out.append(sum(((x2 - x1) ** 2 + (y2 - y1) ** 2) ** 0.5
                           for (x1, y1), (x2, y2) in itertools.pairwise(s.points)))
    return out


def test_every_builtin_arrow_is_long_enough_to_see_in_print(library: Library) -> None:
    for ex in library.exercises.values():
        assert ex.picture is not None
        for vertical in (False, True):
            for length in arrows(compose(ex.picture, ACCENT, vertical=vertical)):
                assert length >= 0.11, ex.id


def test_a_short_movement_gets_a_lengthened_arrow_not_a_hook() -> None:
    frames = (FrameSpec("lying-on-back"), FrameSpec("lying-on-back", (("near.hip", 4.0),)))
    scene = compose(picture(*frames, overlay=True, arrow="near.ankle"), ACCENT)
    shaft, = arrows(scene)
    assert shaft >= MIN_ARROW * 0.8


def test_frames_one_above_the_other_are_numbered_not_linked_by_an_arrow_down() -> None:
    frames = (FrameSpec("lying-on-back"), FrameSpec("lying-on-back", (("near.hip", 40.0),)))
    column = compose(picture(*frames), ACCENT, vertical=True)
    row = compose(picture(*frames), ACCENT)
    heads = [s for s in column.shapes if s.kind == "polygon" and s.fill == INK]
    assert not heads  # no arrow at all between the frames
    assert sum(1 for s in column.shapes if s.kind == "circle" and s.stroke == INK) == 2
    assert [s for s in row.shapes if s.kind == "polygon" and s.fill == INK]  # a row: arrow


def test_right_and_wrong_frames_carry_a_tick_and_a_cross() -> None:
    frames = (FrameSpec("standing", (), "wrong"), FrameSpec("standing", (), "right"))
    scene = compose(picture(*frames), ACCENT)
    wrong = [s for s in scene.shapes if s.stroke == WRONG_INK]
    right = [s for s in scene.shapes if s.stroke == RIGHT_INK]
    assert len([s for s in wrong if s.kind == "polyline"]) == 2  # a cross: two strokes
    assert len([s for s in right if s.kind == "polyline"]) == 1  # a tick: one
    assert max(x for s in wrong for x, _ in s.points) < min(x for s in right for x, _ in s.points)


@pytest.mark.parametrize("direction", ["down", "right", "up-left"])
def test_a_cue_arrow_points_at_its_landmark_from_outside_the_body(direction: str) -> None:
    pic = picture(FrameSpec("lying-on-back"), props=(PropSpec("mat"),),
                  cues=(CueSpec("near.knee", direction),))
    scene = compose(pic, ACCENT)
    shaft, = [s for s in scene.shapes if s.kind == "polyline" and s.width == CUE_LINE]
    (x0, y0), (x1, y1) = shaft.points[0], shaft.points[-1]
    frame, = solve_frames(pic)
    kx, ky = frame.skeleton.points["near.knee"][:2]
    assert ((x1 - kx) ** 2 + (y1 - ky) ** 2) < ((x0 - kx) ** 2 + (y0 - ky) ** 2)  # toward it
    if direction == "down":
        assert y1 < y0 and abs(x1 - kx) < 1e-6 and y1 > ky  # above the knee, pointing down


def test_the_listed_drawings_show_what_their_text_says(library: Library) -> None:
    def solved(ex_id: str) -> list[Frame]:
        pic = library.exercises[ex_id].picture
        assert pic is not None
        return solve_frames(pic)

    # prone hip flexor stretch: hips flat, the bent leg's thigh on the bed
    frame, = solved("prone-hip-flexor-stretch")
    bed = next(s for s in frame.supports if s.kind == "bed")
    thigh = next(p for p in frame.skeleton.parts if p.name == "near.thigh")
    assert min(c[1] - r for c, r in thigh.spheres) - bed.top < 0.012
    # ball release: both feet flat on the floor, the ball under the near thigh only
    frame, = solved("ball-release-back-thigh")
    for side in ("near", "far"):
        heel, toe = frame.skeleton.points[f"{side}.heel"], frame.skeleton.points[f"{side}.toe"]
        assert heel[1] < 0.03 and toe[1] < 0.03, side
    # standing hip extension: the moving foot leaves the floor
    _, end = solved("standing-hip-extension")
    assert min(end.skeleton.points["near.toe"][1], end.skeleton.points["near.heel"][1]) > 0.03
    # thigh kneading: both hands on the near thigh
    frame, = solved("thigh-kneading")
    thigh = next(p for p in frame.skeleton.parts if p.name == "near.thigh")
    for side in ("near", "far"):
        hand = frame.skeleton.points[f"{side}.hand"]
        (ax, ay, _), (bx, by, _) = thigh.axis[0], thigh.axis[1]
        t = max(0.0, min(1.0, ((hand[0] - ax) * (bx - ax) + (hand[1] - ay) * (by - ay))
                         / ((bx - ax) ** 2 + (by - ay) ** 2)))
        dist = ((hand[0] - ax - t * (bx - ax)) ** 2 + (hand[1] - ay - t * (by - ay)) ** 2) ** 0.5
        assert dist < 0.075, side
    for ex_id in ("parallel-feet-check", "soft-knees-weight-forward"):
        pic = library.exercises[ex_id].picture
        assert pic is not None and [f.mark for f in pic.frames] == ["wrong", "right"]
    for ex_id in ("quad-set", "half-kneeling-hip-flexor-stretch", "seated-hamstring-stretch",
                  "supine-hip-flexor-stretch", "thigh-kneading"):
        pic = library.exercises[ex_id].picture
        assert pic is not None and pic.cues, ex_id


# -- drawings in the PDF ------------------------------------------------------------------


def painted_polygons(page: object, reader: PdfReader) -> int:
    """Filled and outlined paths on a page: the figures' parts and props."""
    ops = ContentStream(page.get_contents(), reader).operations  # type: ignore[attr-defined]
    return sum(1 for _, op in ops if op in (b"B", b"B*", b"b", b"b*"))


def expected_polygons(ex: Exercise) -> int:
    assert ex.picture is not None
    scene = compose(ex.picture, ACCENT)
    return sum(1 for s in scene.shapes if s.kind != "polyline" and s.fill and s.stroke)


def exercise_pages(pdf: bytes, titles: list[str]) -> list[list[int]]:
    """For each page, the (1-based) numbers of the exercises whose heading is on it."""
    found: list[list[int]] = []
    for page_text in checked_texts(pdf):
        text = re.sub(r"\s+", " ", page_text)
        found.append([n for n, title in enumerate(titles, start=1)
                      if re.search(rf"{n}\. {re.escape(title)} (How much|Why it helps):",
                                   text)])
    return found


@pytest.mark.parametrize("layout", [CLASSIC, COMPACT], ids=["classic", "compact"])
@pytest.mark.parametrize("template", ["thigh-back-pain", "hip-flexor-back-pain",
                                      "runner-hip-extension", "standing-posture-legs",
                                      "desk-worker-movement"])
def test_each_handout_page_carries_its_exercises_drawings(
        library: Library, template: str, layout: object) -> None:
    from rxprint.library.model import ProgramRequest
    from rxprint.library.programs import resolve, with_flags

    program = resolve(with_flags(ProgramRequest(), template=template), library, TODAY)
    pdf = render_handout(program, layout=layout).pdf  # type: ignore[arg-type]
    reader = checked_reader(pdf)
    titles = [item.exercise.title for item in program.items]
    placed = exercise_pages(pdf, titles)
    assert sorted(n for page in placed for n in page) == list(range(1, len(titles) + 1))
    for page, numbers in zip(reader.pages, placed, strict=True):
        want = sum(expected_polygons(program.items[n - 1].exercise) for n in numbers)
        assert painted_polygons(page, reader) == want
        xobjects = (page.get("/Resources") or {}).get("/XObject") or {}
        assert not xobjects  # drawings are vector paths, not images


def test_no_pictures_leaves_the_drawings_out(library: Library) -> None:
    from rxprint.library.model import ProgramRequest
    from rxprint.library.programs import resolve, with_flags

    program = resolve(with_flags(ProgramRequest(), template="hip-flexor-back-pain"),
                      library, TODAY)
    with_pictures = render_handout(program)
    without = render_handout(program, pictures=False)
    reader = checked_reader(without.pdf)
    assert all(painted_polygons(p, reader) == 0 for p in reader.pages)
    assert without.pages <= with_pictures.pages
    assert len(without.pdf) < len(with_pictures.pdf)


def jpeg_with_gps(path: Path) -> None:
    image = Image.new("RGB", (1600, 1200), (200, 120, 40))
    exif = image.getexif()
    exif[0x010F] = "SnoopCam"  # make
    exif[0x8825] = {1: "N", 2: (51.0, 30.0, 12.0), 3: "W", 4: (0.0, 7.0, 40.0)}
    image.save(path, "JPEG", exif=exif.tobytes(), quality=90)


def test_a_photo_reaches_the_pdf_without_exif_or_gps_at_about_200_dpi(
        write: Callable[[str, str], Path], tmp_path: Path) -> None:
    lib_dir = tmp_path / "lib"
    write("lib/heel-slide.toml", GOOD_EXERCISE.replace(
        'category = "mobility"', 'category = "mobility"\nimages = ["heel.jpg"]'))
    jpeg_with_gps(lib_dir / "heel.jpg")
    raw = (lib_dir / "heel.jpg").read_bytes()
    assert b"Exif" in raw and b"SnoopCam" in raw
    lib = Library.from_dirs([lib_dir])
    from rxprint.library.model import ProgramRequest
    from rxprint.library.programs import resolve, with_flags

    program = resolve(with_flags(ProgramRequest(), exercises=("heel-slide",)), lib, TODAY)
    pdf = render_handout(program).pdf
    assert b"Exif" not in pdf and b"GPS" not in pdf and b"SnoopCam" not in pdf
    reader = checked_reader(pdf)
    images = [img for page in reader.pages for img in page.images]
    assert len(images) == 1
    width_px = images[0].image.width
    # the picture column is 2.5 inches wide: about 200 dpi, not the 1600 pixels sent
    assert 300 <= width_px <= 2.5 * 200 + 1
    assert (lib_dir / "heel.jpg").read_bytes() == raw  # the input is never modified


# -- show --png and the catalog --------------------------------------------------------------


def test_show_png_writes_the_drawing(run: Callable[..., Result], tmp_path: Path) -> None:
    result = run("show", "quad-set", "--png", "quad.png", "--width", "600")
    assert result.exit_code == 0, result.output
    data = (tmp_path / "quad.png").read_bytes()
    image = Image.open(io.BytesIO(data))
    assert image.format == "PNG" and image.width == 600 and 60 < image.height < 600
    colours = image.convert("RGB").getcolors(600 * 600) or []
    accent = [round(v * 255) for v in parse_colour(DEFAULT_BRANDING.accent)]
    assert any(max(abs(a - b) for a, b in zip(rgb, accent, strict=True)) < 4 and n > 50
               for n, rgb in colours)  # the target area, in the accent colour
    assert not image.info.get("exif")
    again = run("show", "quad-set", "--png", "quad.png", "--width", "600")
    assert again.exit_code == 1 and "already exists; use --force" in again.output
    assert run("show", "quad-set", "--png", "quad.png", "--width", "600",
               "--force").exit_code == 0
    assert (tmp_path / "quad.png").read_bytes() == data  # deterministic


def test_show_png_of_an_exercise_without_a_drawing_is_a_clear_error(
        run: Callable[..., Result], write: Callable[[str, str], Path], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RXPRINT_PLUGINS", "heel")
    write("plugins/lib/heel-slide.toml", GOOD_EXERCISE)
    write("plugins/heel.py", "from pathlib import Path\nfrom rxprint.api import hookimpl\n\n"
                             "@hookimpl\ndef register_exercises(register):\n"
                             "    register(Path(__file__).parent / 'lib')\n")
    result = run("--plugins-dir", "plugins", "show", "heel-slide", "--png", "x.png")
    assert result.exit_code == 1
    assert 'exercise "heel-slide" has no drawing (no [picture] table in' in result.output
    assert not (tmp_path / "x.png").exists()
    result = run("show", "quad-sett", "--png", "x.png")
    assert result.exit_code == 1 and 'did you mean "quad-set"' in result.output


def test_catalog_lists_every_exercise_with_its_drawing(
        run: Callable[..., Result], tmp_path: Path, library: Library) -> None:
    result = run("catalog", "-o", "catalog.pdf")
    assert result.exit_code == 0, result.output
    pdf = (tmp_path / "catalog.pdf").read_bytes()
    reader = checked_reader(pdf)
    text = re.sub(r"\s+", " ", " ".join(checked_texts(pdf)))
    for ex in library.exercises.values():
        assert f"ID: {ex.id}" in text and ex.title in text
    quad = library.exercises["quad-set"]
    assert f"ID: quad-set Default: {catalog('en').dosage(quad.dosage)}" in text
    total = sum(painted_polygons(p, reader) for p in reader.pages)
    assert total == sum(expected_polygons(e) for e in library.exercises.values())
    assert f"{len(library.exercises)} exercises" in text


def test_catalog_by_category(run: Callable[..., Result], tmp_path: Path,
                             library: Library) -> None:
    result = run("catalog", "-o", "stretch.pdf", "--category", "stretch")
    assert result.exit_code == 0, result.output
    text = re.sub(r"\s+", " ", " ".join(checked_texts((tmp_path / "stretch.pdf").read_bytes())))
    for ex in library.exercises.values():
        assert (f"ID: {ex.id}" in text) == (ex.category == "stretch")
    assert run("catalog", "-o", "stretch.pdf").exit_code == 1  # exists: needs --force


# -- highlights, marks and cue arrows --------------------------------------------------


def accent_points(scene: Scene) -> list[tuple[float, float]]:
    return [p for s in scene.shapes if s.fill == ACCENT for p in s.points]


def test_a_buttock_highlight_stays_behind_the_hip_in_every_frame(library: Library) -> None:
    """Moving the leg back does not turn the buttock toward the front of the hip."""
    for hip in (-30.0, -15.0, 0.0, 30.0):
        pic = picture(FrameSpec("standing", (("near.hip", hip),)), targets=("near.buttock",))
        scene = compose(pic, ACCENT)
        frame, = solve_frames(pic)
        hip_x = frame.skeleton.points["near.hip"][0]
        points = accent_points(scene)
        assert points and max(x for x, _ in points) < hip_x + 0.01, hip
    for ex in library.exercises.values():  # every built-in drawing, every panel
        pic = ex.picture
        assert pic is not None
        if not any(t.endswith("buttock") for t in pic.targets) or pic.view != "side":
            continue
        for spec, frame in zip(pic.frames, solve_frames(pic), strict=True):
            root = POSTURES[spec.posture].root
            front = (root[0][0], root[1][0], root[2][0])  # the pelvis's front
            a, b, _, _ = frame.skeleton.areas["near.buttock"].axis
            down = tuple(q - p for p, q in zip(a, b, strict=True))
            # the buttock's axis points down or forward from the hip, never behind it
            assert sum(d * f for d, f in zip(down, front, strict=True)) > -1e-9, ex.id


def test_a_highlight_is_never_drawn_below_the_surface_under_the_body(
        library: Library) -> None:
    checked = 0
    for ex in library.exercises.values():
        pic = ex.picture
        assert pic is not None
        if pic.tilt or pic.view != "side" or pic.overlay or not pic.targets:
            continue
        tops = [MAT_TOP if any(p.kind == "mat" for p in pic.props) else 0.0]
        for scene in compose(pic, ACCENT).shapes, :
            ys = [y for s in scene if s.fill == ACCENT for _, y in s.points]
            assert min(ys) >= tops[0] - 1e-6, ex.id
            checked += 1
    assert checked >= 10
    # a bridge's buttock lies on the mat: its highlight stops at the mat's top
    pic = picture(FrameSpec("lying-on-back", (("near.hip", 45.0), ("near.knee", 100.0))),
                  props=(PropSpec("mat"),), targets=("near.buttock", "near.back-thigh"))
    assert min(y for _, y in accent_points(compose(pic, ACCENT))) >= MAT_TOP - 1e-6
    # on a bed: above the bed's top
    pic = picture(FrameSpec("lying-face-down"), props=(PropSpec("bed"),),
                  targets=("near.front-hip", "near.front-thigh"))
    assert min(y for _, y in accent_points(compose(pic, ACCENT))) >= BED_TOP - 1e-6


def test_a_frame_can_highlight_its_own_targets() -> None:
    frames = (FrameSpec("standing", (), "wrong", ()), FrameSpec("standing", (), "right"))
    first, second = solve_frames(picture(*frames, targets=("near.front-thigh",)))
    assert first.targets == () and second.targets == ("near.front-thigh",)


def test_marked_frames_have_no_link_arrow_and_no_numbers() -> None:
    frames = (FrameSpec("standing", (), "wrong"), FrameSpec("standing", (), "right"))
    for vertical in (False, True):
        scene = compose(picture(*frames), ACCENT, vertical=vertical)
        assert not [s for s in scene.shapes if s.fill == INK]  # no arrow head
        assert not [s for s in scene.shapes if s.kind == "circle" and s.stroke == INK]


def test_tilted_right_and_wrong_panels_share_one_floor_line() -> None:
    frames = (FrameSpec("standing", (("near.toes-out", 55.0),), "wrong"),
              FrameSpec("standing", (), "right"))
    scene = compose(picture(*frames, view="front", tilt=40.0), ACCENT)
    floors = [s for s in scene.shapes if s.kind == "polyline" and s.width == 1.4
              and s.stroke != INK]
    assert len(floors) == 2 and floors[0].points[0][1] == floors[1].points[0][1]


def test_a_ball_is_drawn_solid_in_front_of_the_thigh_on_it(library: Library) -> None:
    pic = library.exercises["ball-release-back-thigh"].picture
    assert pic is not None
    shapes = compose(pic, ACCENT).shapes
    ball = [i for i, s in enumerate(shapes) if s.kind == "circle" and s.fill == BALL_FILL]
    assert ball and not [s for s in shapes if s.dash]  # no hidden, dashed outline
    assert ball[0] > max(i for i, s in enumerate(shapes) if s.fill == ACCENT)


def test_two_headed_arrows_and_arcs() -> None:
    base = picture(FrameSpec("lying-face-down"), props=(PropSpec("mat"),))
    for cue in (CueSpec("near.thigh", "right", place="beside", both=True),
                CueSpec("near.toe", "up", both=True, about="near.knee")):
        pic = Picture(frames=base.frames, props=base.props, cues=(cue,))
        scene = compose(pic, ACCENT)
        heads = [s for s in scene.shapes if s.kind == "polygon" and s.fill == INK]
        assert len(heads) == 2, cue
        shaft, = [s for s in scene.shapes if s.kind == "polyline" and s.width == CUE_LINE]
        frame, = solve_frames(pic)
        if cue.place == "beside":  # above the thigh, along it
            ys = [y for _, y in shaft.points]
            assert min(ys) > frame.skeleton.points["near.thigh"][1]
            assert max(ys) - min(ys) < 1e-6


# -- props for the exercises added with issue 11 ----------------------------------------


def test_a_cushion_on_a_chair_covers_the_seat_and_raises_the_sitter() -> None:
    from rxprint.figures.props import PILLOW_H

    plain = picture(FrameSpec("sitting"), props=(PropSpec("chair", "pelvis"),))
    raised = picture(FrameSpec("sitting"), props=(PropSpec("chair", "pelvis"),
                                                  PropSpec("pillow", "pelvis")))
    (low,), (high,) = solve_frames(plain), solve_frames(raised)
    chair = next(s for s in high.supports if s.kind == "chair")
    cushion = next(s for s in high.supports if s.kind == "pillow")
    assert (cushion.x0, cushion.x1) == (chair.x0, chair.x1)  # as deep as the seat
    assert cushion.top == pytest.approx(SEAT_TOP + PILLOW_H)
    assert cushion.excluded == chair.excluded  # the feet never rest on it
    rise = high.skeleton.points["pelvis"][1] - low.skeleton.points["pelvis"][1]
    assert PILLOW_H - cushion.give - 1e-6 <= rise <= PILLOW_H + 1e-6


def test_sitting_sideways_on_a_chair_leaves_the_other_leg_off_the_seat() -> None:
    from rxprint.figures.props import Box

    pose = FrameSpec("sitting", (("near.hip", -23.0), ("near.knee", 80.0)))
    frame, = solve_frames(picture(pose, props=(PropSpec("chair", "far.hip"),)))
    seat = next(s for s in frame.supports if s.kind == "chair")
    assert seat.z1 < frame.skeleton.points["near.hip"][2] - 0.04  # the near leg hangs free
    assert seat.z0 < frame.skeleton.points["far.hip"][2] < seat.z1
    assert gap(frame.skeleton, seat) == pytest.approx(0.0, abs=1e-6)  # sitting on it
    near_leg = Skeleton(frame.skeleton.points, tuple(
        p for p in frame.skeleton.parts if p.name.startswith("near.")))
    assert gap(near_leg, seat) is None
    # seen from its front: the back (posts and rail) spans the seat, behind the sitter
    boxes = [b for b in frame.behind if isinstance(b, Box)]
    rail = max(boxes, key=lambda b: (b.y1, b.x1 - b.x0))
    assert (rail.x0, rail.x1) == pytest.approx((seat.x0, seat.x1))
    assert rail.z1 <= seat.z0 + 0.031 and rail.y1 > 0.45


def test_an_armchair_has_armrests_a_hand_can_rest_on(library: Library) -> None:
    from rxprint.figures.props import ARM_REST, Box

    plain = solve_frames(picture(FrameSpec("sitting"), props=(PropSpec("chair", "pelvis"),)))
    arms = solve_frames(picture(FrameSpec("sitting"), props=(PropSpec("armchair", "pelvis"),)))
    tops = [b.y1 for b in arms[0].behind if isinstance(b, Box)]
    assert len(arms[0].behind) == len(plain[0].behind) + 2
    assert SEAT_TOP + ARM_REST in tops
    pic = library.exercises["sit-to-stand-with-hands"].picture
    assert pic is not None
    first = solve_frames(pic)[0]
    rest = next(b for b in first.behind if isinstance(b, Box) and b.y1 == SEAT_TOP + ARM_REST
                and b.x1 - b.x0 > 0.1)
    for side in ("near", "far"):  # both hands on the armrests
        x, y, _ = first.skeleton.points[f"{side}.hand"]
        assert rest.x0 <= x <= rest.x1 and 0.0 < y - rest.y1 < 0.025, side


def test_a_step_up_stands_on_the_stair_and_holds_the_rail(library: Library) -> None:
    from rxprint.figures.props import STEP_TOP, Bar

    pic = library.exercises["step-up"].picture
    assert pic is not None
    start, end = solve_frames(pic)
    step = next(s for s in start.supports if s.kind == "step")
    assert step.top == STEP_TOP
    sole = {side: min(c[1] - r for p in f.skeleton.parts if p.name == f"{side}.foot"
                      for c, r in p.spheres)
            for side, f in (("near", start), ("far", start))}
    assert sole["near"] == pytest.approx(STEP_TOP, abs=TOUCH)  # one foot on the step
    assert sole["far"] == pytest.approx(0.0, abs=TOUCH)  # the other on the floor
    assert lowest(end.skeleton) == pytest.approx(STEP_TOP, abs=TOUCH)  # up: both on it
    for frame in (start, end):  # the hand stays on the rail, which does not move
        rail = next(b for b in frame.behind if isinstance(b, Bar))
        (ax, ay, _), (bx, by, _) = rail.start, rail.end
        x, y, _ = frame.skeleton.points["far.hand"]
        assert by > ay  # it rises with the stairs
        t = ((x - ax) * (bx - ax) + (y - ay) * (by - ay)) / ((bx - ax) ** 2 + (by - ay) ** 2)
        px, py = ax + t * (bx - ax), ay + t * (by - ay)
        assert 0.0 < t < 1.0 and math.hypot(x - px, y - py) < rail.r + 0.025


def test_a_held_box_moves_with_the_hands_and_is_drawn_behind_the_arms(
        library: Library) -> None:
    from rxprint.figures.props import BOX_GRIP, Box

    pic = library.exercises["lifting-from-the-floor"].picture
    assert pic is not None
    down, up = solve_frames(pic)
    boxes = [next(b for b in f.front if isinstance(b, Box) and b.held) for f in (down, up)]
    assert boxes[0].y0 == pytest.approx(0.0, abs=TOUCH)  # on the floor to start
    for frame, box in zip((down, up), boxes, strict=True):
        x, y, _ = frame.skeleton.points["near.hand"]
        assert box.x0 < x < box.x1 and box.y0 == pytest.approx(y - BOX_GRIP)
    assert boxes[1].y0 > 0.35  # lifted
    assert boxes[1].x0 - up.skeleton.points["chest"][0] < 0.05  # close to the body
    shapes = compose(pic, ACCENT).shapes
    box_at = next(i for i, s in enumerate(shapes) if s.fill == PROP_FILL)
    body_at = next(i for i, s in enumerate(shapes) if s.fill == (1.0, 1.0, 1.0))
    assert box_at < body_at


def test_the_new_drawings_show_what_their_text_says(library: Library) -> None:
    def solved(ex_id: str) -> list[Frame]:
        pic = library.exercises[ex_id].picture
        assert pic is not None
        return solve_frames(pic)

    # marching bridge: the hips stay up while the far foot leaves the mat by "a few
    # inches" (about 3 to 15 cm), not a high march
    up, march = solved("marching-bridge")
    rise = march.skeleton.points["far.heel"][1] - up.skeleton.points["far.heel"][1]
    assert 0.02 < rise < 0.09
    assert _part_gap(march, "far.foot", "mat") > 0.02
    assert march.skeleton.points["pelvis"][1] == pytest.approx(up.skeleton.points["pelvis"][1])
    # single-leg bridge: the far leg straight, the hips lifted on the near foot
    down, lifted = solved("single-leg-bridge")
    pic = library.exercises["single-leg-bridge"].picture
    assert pic is not None and dict(pic.frames[1].joints)["far.knee"] == 0
    assert lifted.skeleton.points["pelvis"][1] > down.skeleton.points["pelvis"][1] + 0.05
    # hip flexor stretches: the stretched (near) thigh behind the body
    for ex_id in ("counter-hip-flexor-stretch", "chair-hip-flexor-stretch"):
        frame, = solved(ex_id)
        assert frame.skeleton.points["near.knee"][0] < frame.skeleton.points["near.hip"][0]
    frame, = solved("chair-hip-flexor-stretch")  # the back knee below the seat, toes down
    assert frame.skeleton.points["near.knee"][1] < SEAT_TOP
    assert frame.skeleton.points["near.toe"][1] < 0.03
    # split squat: the back heel up, and the feet stay where they are as the body lowers
    tall, low = solved("split-squat")
    assert tall.skeleton.points["far.heel"][1] > 0.035
    for point in ("near.heel", "far.toe"):
        assert low.skeleton.points[point][0] == pytest.approx(tall.skeleton.points[point][0],
                                                             abs=0.01)
    assert low.skeleton.points["pelvis"][1] < tall.skeleton.points["pelvis"][1] - 0.03
    # hip hinge: the hips move back, the heels stay down
    tall, hinged = solved("hip-hinge")
    assert hinged.skeleton.points["buttock"][0] < tall.skeleton.points["buttock"][0] - 0.1
    # knee to chest, belly breathing: the hands on the thigh, on the belly and chest
    frame, = solved("knee-to-chest")
    assert frame.skeleton.points["near.knee"][0] < frame.skeleton.points["near.hip"][0]
    for ex_id in ("pelvic-tilt", "belly-breathing", "cat-camel", "lower-trunk-rotation",
                  "walking-program"):
        pic = library.exercises[ex_id].picture
        assert pic is not None and (pic.cues or pic.arrow), ex_id  # a cue or a motion arrow


def test_show_png_of_an_exercise_file_draws_it_before_any_plugin_registers_it(
        run: Callable[..., Result], tmp_path: Path) -> None:
    # an author looks at a drawing while writing it: the file, not yet in the library
    source = next(builtin_dir().rglob("quad-set.toml")).read_text(encoding="utf-8")
    draft = tmp_path / "drafts" / "oak-quad.toml"
    draft.parent.mkdir()
    drafted = source.replace('id = "quad-set"', 'id = "oak-quad"')
    draft.write_text(drafted, encoding="utf-8")
    result = run("show", "drafts/oak-quad.toml", "--png", "draft.png", "--width", "600")
    assert result.exit_code == 0, result.output
    library = run("show", "quad-set", "--png", "library.png", "--width", "600")
    assert library.exit_code == 0, library.output
    # the same pose, drawn the same way as from the library
    assert (tmp_path / "draft.png").read_bytes() == (tmp_path / "library.png").read_bytes()
    assert "oak-quad" not in run("list").output  # read for the picture, not registered

    without = run("show", "drafts/oak-quad.toml")
    assert without.exit_code == 2 and "--png" in without.output
    over = run("show", "drafts/oak-quad.toml", "--png", "drafts/oak-quad.toml", "--force")
    assert over.exit_code == 1 and "is the exercise file" in over.output
    assert draft.read_text(encoding="utf-8") == drafted  # never written over
    draft.write_text('id = "oak-quad"\ntitle = "x"\n', encoding="utf-8")
    broken = run("show", "drafts/oak-quad.toml", "--png", "b.png")
    assert broken.exit_code == 1 and "the exercise file has errors" in broken.output
    assert "Traceback" not in broken.output


def _part_gap(frame: Frame, part: str, kind: str) -> float:
    """How far one body part is above the support of that kind (the floor, the mat)."""
    support = next(s for s in frame.supports if s.kind == kind)
    skel = Skeleton(frame.skeleton.points,
                    tuple(p for p in frame.skeleton.parts if p.name == part))
    found = gap(skel, support)
    assert found is not None, (part, kind)
    return found


def test_a_side_lean_tips_the_body_toward_its_near_side() -> None:
    # standing: the head moves toward the near side; lying on the side: the head end rises
    upright = pose_skeleton(POSTURES["standing"], {"side-lean": 20})
    assert upright.points["head"][2] > 0.1
    flat = pose_skeleton(POSTURES["side-lying"], {})
    lifted = pose_skeleton(POSTURES["side-lying"], {"side-lean": 20})
    assert lifted.points["head"][1] > flat.points["head"][1] + 0.1
    # the limbs keep their angles to the body: the leg in line with the trunk stays so
    assert lifted.points["near.knee"][1] < lifted.points["pelvis"][1]


def test_the_core_and_side_hip_drawings_show_what_their_text_says(library: Library) -> None:
    def solved(ex_id: str) -> list[Frame]:
        pic = library.exercises[ex_id].picture
        assert pic is not None
        return solve_frames(pic)

    # bird dog: hands and knees on the mat, hands under the shoulders; then one leg and
    # the other arm reach out level
    start, reach = solved("bird-dog")
    for part in ("near.hand", "near.thigh"):  # the thigh's knee end rests on the mat
        assert _part_gap(start, part, "mat") <= TOUCH, part
    p = start.skeleton.points
    assert abs(p["near.wrist"][0] - p["near.shoulder"][0]) < 0.04
    q = reach.skeleton.points
    assert abs(q["near.ankle"][1] - q["near.hip"][1]) < 0.03
    assert abs(q["far.wrist"][1] - q["far.shoulder"][1]) < 0.03
    assert _part_gap(reach, "far.thigh", "mat") <= TOUCH
    # dead bug: the back stays on the mat while one heel lowers to tap it
    up, tap = solved("dead-bug")
    for frame in (up, tap):
        assert _part_gap(frame, "trunk", "mat") <= TOUCH
    assert _part_gap(tap, "near.foot", "mat") <= TOUCH
    assert tap.skeleton.points["far.knee"][1] > tap.skeleton.points["far.hip"][1] + 0.2
    # clamshell: the top knee lifts, the heels stay together
    closed, opened = solved("clamshell")
    a, b = closed.skeleton.points, opened.skeleton.points
    assert b["near.knee"][1] > a["near.knee"][1] + 0.07
    assert math.dist(b["near.heel"], a["near.heel"]) < 0.03
    # side plank on the knees: on the lower forearm and knee, the head end up
    plank, = solved("side-plank-knees")
    for part in ("far.forearm", "far.thigh"):
        assert _part_gap(plank, part, "floor") <= TOUCH, part
    s = plank.skeleton.points
    assert s["head"][1] > s["pelvis"][1] + 0.1
    # prone press-up: the hands stay put, the chest rises, the hips stay on the mat
    down, pressed = solved("prone-press-up")
    a, b = down.skeleton.points, pressed.skeleton.points
    assert b["near.hand"][0] == pytest.approx(a["near.hand"][0], abs=0.01)
    assert b["chest"][1] > a["chest"][1] + 0.1
    for frame in (down, pressed):
        assert _part_gap(frame, "trunk", "mat") <= TOUCH  # the pelvis end of it
        assert _part_gap(frame, "near.hand", "mat") <= TOUCH


def test_hip_open_hip_turn_and_pelvis_pose_a_figure_4_and_a_one_leg_hinge() -> None:
    sitting, standing = POSTURES["sitting"], POSTURES["standing"]
    bent = {"near.hip": 90.0, "near.knee": 90.0}
    base = pose_skeleton(sitting, bent).points
    # hip-open: the bent thigh swings out to the side, the shin still hangs down
    opened = pose_skeleton(sitting, {**bent, "near.hip-open": 30.0}).points
    assert opened["near.knee"][2] > base["near.knee"][2] + 0.1
    assert opened["near.ankle"][1] == pytest.approx(base["near.ankle"][1], abs=1e-9)
    # hip-turn (turned out): the knee stays put, the foot swings in across the other leg
    turned = pose_skeleton(sitting, {**bent, "near.hip-turn": 60.0}).points
    assert math.dist(turned["near.knee"], base["near.knee"]) < 1e-9
    assert turned["near.ankle"][2] < base["near.ankle"][2] - 0.15
    far_turned = pose_skeleton(sitting, {"far.hip": 90.0, "far.knee": 90.0,
                                         "far.hip-turn": 60.0}).points
    assert far_turned["far.ankle"][2] > base["far.ankle"][2] + 0.15  # in: toward near
    # pelvis: tipped forward with the upper body; a hip bent as much stays upright
    hinge = pose_skeleton(standing, {"pelvis": 60.0, "near.hip": 60.0}).points
    assert hinge["near.knee"][0] == pytest.approx(hinge["near.hip"][0], abs=1e-9)
    assert hinge["chest"][0] > hinge["pelvis"][0] + 0.15
    assert hinge["far.knee"][0] < hinge["far.hip"][0] - 0.15  # the other leg behind
    # nothing changes where the new joints are not given
    assert pose_skeleton(sitting, {**bent, "near.hip-open": 0.0, "near.hip-turn": 0.0,
                                   "pelvis": 0.0}).points == base


def test_three_quarter_views_turn_the_camera_toward_either_end_of_the_picture() -> None:
    from rxprint.figures.scene import FAR_FILL, view_for

    frame = FrameSpec("standing")
    side, quarter, back = (compose(picture(frame, view=v), ACCENT)
                           for v in ("side", "three-quarter", "three-quarter-back"))
    # a standing figure is wider seen a little from the front or the back
    assert quarter.width > side.width + 0.02 and back.width > side.width + 0.02
    skel = pose_skeleton(POSTURES["standing"], {})
    near, far = skel.points["near.shoulder"], skel.points["far.shoulder"]
    front_ish = view_for(picture(frame, view="three-quarter"))
    assert front_ish.xy(near)[0] < front_ish.xy(far)[0]  # the near side on the left
    behind = view_for(picture(frame, view="three-quarter-back"))
    assert behind.xy(near)[0] > behind.xy(far)[0]
    # far limbs are shaded as in a side view
    assert FAR_FILL in {s.fill for s in quarter.shapes}


def test_the_balance_figure_4_calf_and_sitting_drawings_show_their_text(
        library: Library) -> None:
    from rxprint.figures.props import Box

    def solved(ex_id: str) -> list[Frame]:
        pic = library.exercises[ex_id].picture
        assert pic is not None
        return solve_frames(pic)

    # figure 4: the near ankle rests on the far (lifted) thigh, the near knee out
    frame, = solved("figure-4-stretch")
    p = frame.skeleton.points
    assert p["far.knee"][1] > p["far.hip"][1] + 0.2
    thigh = next(q for q in frame.skeleton.parts if q.name == "far.thigh")
    (ax, ay, az), (bx, by, bz) = thigh.axis[0], thigh.axis[1]
    ankle = p["near.ankle"]
    assert min(math.dist(ankle, (ax + (bx - ax) * t / 10, ay + (by - ay) * t / 10,
                                 az + (bz - az) * t / 10)) for t in range(11)) < 0.08
    assert p["near.knee"][2] > p["near.hip"][2] + 0.1
    # calf stretch: the back heel down, the back knee straight, both hands on the wall
    frame, = solved("calf-stretch")
    p = frame.skeleton.points
    assert p["near.heel"][1] < 0.03 and p["near.knee"][0] < p["near.hip"][0]
    wall = next(b for b in frame.behind if isinstance(b, Box))
    for side in ("near", "far"):
        assert abs(p[f"{side}.hand"][0] - wall.x0) < 0.03, side
    # standing on one leg: one foot off the floor; hinging on one leg: the other leg up
    # behind, the head down
    frame, = solved("single-leg-balance")
    assert frame.skeleton.points["far.toe"][1] > 0.04
    assert frame.skeleton.points["near.heel"][1] < 0.03
    frame, = solved("single-leg-deadlift")
    p = frame.skeleton.points
    assert p["near.heel"][1] < 0.03 and p["far.ankle"][1] > 0.2
    assert p["far.ankle"][0] < p["pelvis"][0] - 0.3 and p["head"][1] < 0.8
    # sitting check: knees apart (wrong), then knees over the feet (right)
    wrong, right = solved("seated-turnout-check")

    def spread(f: Frame) -> float:
        return f.skeleton.points["near.knee"][2] - f.skeleton.points["far.knee"][2]
    assert spread(wrong) > spread(right) + 0.1



# -- a bent back, a turned-in arm, a bed seen from above, and the drawings they fix --------


def test_a_rounded_back_rises_and_an_arched_back_sags_on_hands_and_knees() -> None:
    from rxprint.figures.geometry import convex_hull
    from rxprint.figures.scene import outlines_of

    posture = POSTURES["hands-and-knees"]
    flat, rounded, arched = (pose_skeleton(posture, {"spine": bend}) for bend in (0, 40, -36))
    assert flat == pose_skeleton(posture, {})  # no bend: the figure is unchanged
    back = {name: s.points["back"][1] for name, s in
            (("flat", flat), ("rounded", rounded), ("arched", arched))}
    assert back["rounded"] > back["flat"] + 0.02 and back["arched"] < back["flat"] - 0.01
    for skel in (rounded, arched):  # the pelvis and the shoulders stay about where they were
        assert math.dist(skel.points["near.shoulder"], flat.points["near.shoulder"]) < 0.06
        assert skel.points["pelvis"] == flat.points["pelvis"]
    # the outline follows the back: a sag is drawn concave, not as the hull of the trunk
    view = View(IDENTITY_VIEW, flip=False)

    def area(points: list[tuple[float, float]]) -> float:
        return abs(sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2)
                       in zip(points, points[1:] + points[:1], strict=True))) / 2

    sag = outlines_of(arched, view)["trunk"]
    assert area(convex_hull(sag)) > area(sag) * 1.01
    straight = outlines_of(flat, view)["trunk"]
    assert area(convex_hull(straight)) == pytest.approx(area(straight))


IDENTITY_VIEW = ((1.0, 0.0, 0.0), (0.0, 1.0, 0.0), (0.0, 0.0, 1.0))


def test_a_union_of_two_halves_keeps_the_notch_between_them() -> None:
    from rxprint.figures.geometry import union_around

    low = [(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 1.0)]  # counter-clockwise squares
    high = [(0.5, 0.5), (1.9, 0.9), (1.5, 2.3), (0.1, 1.9)]  # tilted, overlapping
    outline = union_around([low, high], (0.75, 0.75))
    assert (0.0, 0.0) in outline and (1.5, 2.3) in outline
    assert (0.5, 0.5) not in outline  # inside the other square
    notch = [p for p in outline if p not in low and p not in high]
    assert len(notch) == 2  # where the two outlines cross


def test_shoulder_turn_brings_a_bent_arm_in_across_the_body() -> None:
    bent = {"near.elbow": 90.0, "far.elbow": 90.0}
    base = pose_skeleton(POSTURES["standing"], bent).points
    turned = pose_skeleton(POSTURES["standing"], {**bent, "near.shoulder-turn": 60.0,
                                                  "far.shoulder-turn": 60.0}).points
    assert turned["near.elbow"] == base["near.elbow"]
    assert turned["near.hand"][2] < base["near.hand"][2] - 0.08  # in, toward the middle
    assert turned["far.hand"][2] > base["far.hand"][2] + 0.08


def test_a_bed_seen_from_above_shows_its_top() -> None:
    from rxprint.figures.scene import MAT_FILL

    lying = FrameSpec("lying-on-back")
    flat = compose(picture(lying, props=(PropSpec("bed"),)), ACCENT)
    above = compose(picture(lying, props=(PropSpec("bed"),), tilt=20.0), ACCENT)
    assert MAT_FILL not in fills(flat) and MAT_FILL in fills(above)


def _centre_of_mass_x(skel: Skeleton) -> float:
    """Where the body's weight is, front to back (segment masses, as fractions)."""
    mass = {"head": 0.081, "trunk": 0.497, "upper-arm": 0.028, "forearm": 0.016,
            "hand": 0.006, "thigh": 0.1, "shin": 0.0465, "foot": 0.0145}
    total = weighted = 0.0
    for part in skel.parts:
        m = mass.get(part.name.split(".")[-1], 0.0)
        centre = sum(c[0] for c, _ in part.spheres) / len(part.spheres)
        total, weighted = total + m, weighted + m * centre
    return weighted / total


def test_the_redrawn_pictures_show_what_their_text_says(library: Library) -> None:
    from rxprint.figures.props import Box

    def solved(ex_id: str) -> list[Frame]:
        pic = library.exercises[ex_id].picture
        assert pic is not None
        return solve_frames(pic)

    # cat and camel: knees, shins and hands on the mat; the back rounded with the head
    # down, then sagging with the head up
    cat, camel = solved("cat-camel")
    for frame in (cat, camel):
        for part in ("near.thigh", "near.shin", "near.hand", "near.foot"):
            assert _part_gap(frame, part, "mat") <= TOUCH, part
    a, b = cat.skeleton.points, camel.skeleton.points
    assert a["back"][1] > b["back"][1] + 0.05
    assert a["head"][1] < a["neck"][1] < b["neck"][1] < b["head"][1]
    # lifting: hips back at about knee height, the back about 45 degrees, the box on the
    # floor at the toes held by its sides, and the weight over the feet
    down, _ = solved("lifting-from-the-floor")
    p = down.skeleton.points
    assert abs(p["near.hip"][1] - p["near.knee"][1]) < 0.04
    assert p["near.hip"][0] < p["near.heel"][0] - 0.05
    lean = math.degrees(math.atan2(p["neck"][0] - p["pelvis"][0], p["neck"][1] - p["pelvis"][1]))
    assert 40 < lean < 60
    box = next(s for s in down.front if isinstance(s, Box) and s.held)
    assert p["near.toe"][0] - 0.05 < box.x0 < p["near.toe"][0] + 0.03
    assert p["near.heel"][0] + 0.03 < _centre_of_mass_x(down.skeleton) < p["near.toe"][0] - 0.03
    # knee rocks: seen from the feet, both knees tip the same way, the feet stay planted
    # and the shoulders flat
    pic = library.exercises["lower-trunk-rotation"].picture
    assert pic is not None and pic.view == "front" and pic.tilt <= 30 and pic.overlay
    start, tipped = solved("lower-trunk-rotation")
    a, b = start.skeleton.points, tipped.skeleton.points
    for side in ("near", "far"):
        assert b[f"{side}.knee"][2] > a[f"{side}.knee"][2] + 0.1
        assert math.dist(b[f"{side}.ankle"], a[f"{side}.ankle"]) < 0.02
        assert math.dist(b[f"{side}.shoulder"], a[f"{side}.shoulder"]) < 0.01
    # foam roller: the other leg bent out to the side lies on the mat, below the working
    # thigh on the roller; the forearms take the weight
    frame, = solved("foam-roll-front-thigh")
    for part in ("far.thigh", "far.shin", "near.hand"):
        assert _part_gap(frame, part, "mat") <= TOUCH, part
    assert _part_gap(frame, "near.forearm", "mat") <= 0.006
    q = frame.skeleton.points
    assert q["far.knee"][1] < q["near.knee"][1] - 0.05
    # sit to stand: the feet behind the knees; split squat: a shallow dip ("a few
    # inches"), the back knee well off the floor, the body lower than at the start
    sit, _ = solved("sit-to-stand")
    assert sit.skeleton.points["near.ankle"][0] < sit.skeleton.points["near.knee"][0] - 0.08
    high, low = solved("split-squat")
    assert low.skeleton.points["far.knee"][1] > 0.15
    assert low.skeleton.points["pelvis"][1] < high.skeleton.points["pelvis"][1] - 0.03
    # standing hip extension: the whole foot clearly off the floor
    _, back = solved("standing-hip-extension")
    assert _part_gap(back, "near.foot", "floor") > 0.035
    # knee to chest: the near hand behind the thigh, just below the knee, not on the shin
    frame, = solved("knee-to-chest")
    q = frame.skeleton.points
    by_name = {p.name: p for p in frame.skeleton.parts}

    def along(point: tuple[float, float, float], part: str) -> tuple[float, float, float]:
        """Where a point is beside a part: along its axis (0 to 1), how far from the
        axis, and how far toward the part's front."""
        a, b = by_name[part].axis[0], by_name[part].axis[1]
        ab = [y - x for x, y in zip(a, b, strict=True)]
        t = sum(u * (p - x) for u, p, x in zip(ab, point, a, strict=True)) / sum(
            u * u for u in ab)
        near = [x + u * min(1.0, max(0.0, t)) for x, u in zip(a, ab, strict=True)]
        off = [p - n for p, n in zip(point, near, strict=True)]
        front = sum(o * f for o, f in zip(off, by_name[part].front, strict=True))
        return t, math.dist(point, near), front

    t, dist, front = along(q["near.hand"], "near.thigh")
    assert 0.6 < t < 0.95 and dist < 0.09 and front < -0.03  # behind, near the knee
    assert along(q["near.hand"], "near.shin")[1] > 0.06
    # thigh kneading: the far hand on top of the near thigh, where it is seen
    frame, = solved("thigh-kneading")
    top = {p.name: max(c[1] + r for c, r in p.spheres) for p in frame.skeleton.parts}
    assert top["far.hand"] > top["near.thigh"]
