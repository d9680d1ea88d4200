"""A layout can ask a drawing's shape (rxprint.layout.drawing_shape) and size pictures by
the person in them: the shapes match the poses, and a box made from one prints the
person at the size asked for."""

from __future__ import annotations

import datetime as dt

import pytest

from rxprint.language.messages import catalog
from rxprint.layout import INCH, DrawingShape, StoryBuilder, build_styles, drawing_shape
from rxprint.library.branding import DEFAULT_BRANDING
from rxprint.library.loader import Library
from rxprint.library.model import Item, Program
from rxprint.render.drawings import PictureFlowable
from rxprint.render.fonts import default_family

LYING = ["pelvic-tilt", "quad-set", "prone-hip-flexor-stretch"]
STANDING = ["walking-program", "standing-quad-stretch", "counter-hip-flexor-stretch"]


def shape(library: Library, exercise_id: str, *, stacked: bool = False) -> DrawingShape:
    picture = library.exercises[exercise_id].picture
    assert picture is not None
    return drawing_shape(picture, stacked=stacked)


@pytest.mark.parametrize("exercise_id", LYING)
def test_a_lying_pose_is_wide_and_short(library: Library, exercise_id: str) -> None:
    found = shape(library, exercise_id)
    assert found.panels == 1
    assert found.aspect > 2
    assert found.person_width > 2 * found.person_height
    assert 0.8 < found.person_width < 1.3 and found.person_height < 0.5


@pytest.mark.parametrize("exercise_id", STANDING)
def test_a_standing_pose_is_tall(library: Library, exercise_id: str) -> None:
    found = shape(library, exercise_id)
    assert found.panels == 1
    assert found.aspect < 1
    assert found.person_height > found.person_width
    assert 0.9 < found.person_height < 1.1  # a standing person is the figure's unit


def test_the_person_lies_within_the_drawing(library: Library) -> None:
    for exercise in library.exercises.values():
        if exercise.picture is None:
            continue
        for stacked in (False, True):
            found = drawing_shape(exercise.picture, stacked=stacked)
            assert 0 < found.person_width <= found.width + 1e-9, exercise.id
            assert 0 < found.person_height <= found.height + 1e-9, exercise.id
            assert found.aspect == pytest.approx(found.width / found.height)


def test_two_panels_side_by_side_or_stacked(library: Library) -> None:
    row = shape(library, "sit-to-stand")
    column = shape(library, "sit-to-stand", stacked=True)
    assert row.panels == column.panels == 2
    assert not row.stacked and column.stacked
    assert row.aspect > 1 > column.aspect  # two poses in a row are wide, stacked tall
    assert column.height > 1.5 * row.height
    # the person is the same either way: one pose, not the pair
    assert (row.person_width, row.person_height) == (column.person_width,
                                                     column.person_height)
    # one panel: the same shape, stacked or not
    assert shape(library, "pelvic-tilt", stacked=True) == shape(library, "pelvic-tilt")


@pytest.mark.parametrize("panel", [False, True], ids=["bare", "panel"])
def test_a_box_made_from_the_shape_prints_the_person_at_the_size_asked(
        library: Library, panel: bool) -> None:
    """Every person printed 1.5 inches along their longer side, lying or standing: the
    sizing the shape is for. The same box for both would not do that."""
    styles = build_styles(DEFAULT_BRANDING, default_family())
    builder = StoryBuilder(Program(date=dt.date(2026, 11, 21), items=()), catalog("en"),
                           styles)
    printed = {}
    for exercise_id in ("pelvic-tilt", "walking-program"):
        exercise = library.exercises[exercise_id]
        found = shape(library, exercise_id)
        scale = 1.5 * INCH / max(found.person_width, found.person_height)
        width, height = found.size(scale, panel=panel)
        pictures = builder.pictures(Item(exercise, exercise.dosage), width, height,
                                    panel=panel)
        assert len(pictures) == 1 and isinstance(pictures[0], PictureFlowable)
        drawn_w, drawn_h = pictures[0].wrap(1000, 1000)
        assert pictures[0].scale == pytest.approx(scale)
        assert (drawn_w, drawn_h) == pytest.approx((width, height), abs=0.06)  # to 0.1 pt
        printed[exercise_id] = scale * max(found.person_width, found.person_height)
    assert printed["pelvic-tilt"] == pytest.approx(printed["walking-program"])
    assert printed["pelvic-tilt"] == pytest.approx(1.5 * INCH)
    # the same box for both: the lying person prints far smaller than the standing one
    lying, standing = shape(library, "pelvic-tilt"), shape(library, "walking-program")
    box = (2.4 * INCH, 2.3 * INCH)

    def longer_side(found: DrawingShape) -> float:
        scale = min(box[0] / found.width, box[1] / found.height)
        return scale * max(found.person_width, found.person_height)

    assert longer_side(lying) < 0.9 * longer_side(standing)
