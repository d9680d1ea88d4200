"""The built-in library, and how library files are checked."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

from rxprint.errors import ValidationError
from rxprint.library.loader import Library, builtin_dir
from rxprint.library.model import CATEGORIES

BRIEF_EXERCISES = {
    # stretches
    "supine-hip-flexor-stretch", "prone-hip-flexor-stretch", "half-kneeling-hip-flexor-stretch",
    "side-lying-quad-stretch", "standing-quad-stretch", "supine-hamstring-stretch-strap",
    "seated-hamstring-stretch",
    # hip extension mobility
    "glute-bridge", "prone-hip-extension", "standing-hip-extension",
    # strengthening
    "quad-set", "straight-leg-raise", "long-arc-quad", "sit-to-stand", "wall-sit", "mini-squat",
    # self-massage
    "foam-roll-front-thigh", "ball-release-back-thigh", "thigh-kneading",
    # posture
    "parallel-feet-check", "soft-knees-weight-forward", "movement-breaks",
}
BRIEF_PROGRAMS = {"thigh-back-pain", "hip-flexor-back-pain", "runner-hip-extension",
                  "standing-posture-legs", "desk-worker-movement"}


def test_builtin_library_has_everything_the_brief_asks_for(library: Library) -> None:
    assert set(library.exercises) >= BRIEF_EXERCISES
    assert len(library.exercises) >= 20
    assert set(Counter(e.category for e in library.exercises.values())) == set(CATEGORIES)
    assert set(library.programs) == BRIEF_PROGRAMS
    assert {"why-thighs-and-hips-matter", "how-to-stretch-gently",
            "after-exercise-care"} <= set(library.education)


def test_every_exercise_is_complete(library: Library) -> None:
    for e in library.exercises.values():
        assert e.path is not None and e.path.stem == e.id
        assert 2 <= len(e.steps) <= 10 and e.cautions and e.sources and e.purpose
        assert not e.dosage.is_empty(), e.id


def test_programs_have_four_to_eight_entries_that_exist(library: Library) -> None:
    for p in library.programs.values():
        assert 4 <= len(p.entries) <= 8, p.id
        assert all(entry.id in library.exercises for entry in p.entries)
        assert all(ed in library.education for ed in p.education)


def test_supine_hip_flexor_stretch_holds_three_minutes(library: Library) -> None:
    """Source 004's gentle, long hold."""
    stretch = library.exercises["supine-hip-flexor-stretch"]
    assert stretch.dosage.hold is not None and 180 <= stretch.dosage.hold <= 300
    entry = next(e for e in library.programs["hip-flexor-back-pain"].entries
                 if e.id == "supine-hip-flexor-stretch")
    assert entry.dosage.over(stretch.dosage).hold == 180


def test_library_lives_in_the_package_data_folder() -> None:
    root = builtin_dir()
    assert (root / "programs" / "hip-flexor-back-pain.toml").is_file()


GOOD_EXERCISE = '''\
id = "heel-slide"
title = "Heel slide"
category = "mobility"
regions = ["knee"]
targets = ["hamstrings"]
equipment = []
position = "Lying on your back"
purpose = "Keeps the knee moving."
steps = ["Slide your heel toward you.", "Slide it back."]
cautions = ["Stop if it hurts."]
sources = ["clinic"]
[dosage]
reps = 10
'''


def test_a_clean_library_folder_loads(write: Callable[[str, str], Path], tmp_path: Path) -> None:
    write("lib/heel-slide.toml", GOOD_EXERCISE)
    lib = Library.from_dirs([tmp_path / "lib"])
    assert lib.exercises["heel-slide"].dosage.reps is not None


def test_every_problem_is_reported_with_file_line_and_field(
        write: Callable[[str, str], Path], tmp_path: Path) -> None:
    bad = GOOD_EXERCISE.replace('category = "mobility"', 'category = "cardio"')
    bad = bad.replace('steps = ["Slide your heel toward you.", "Slide it back."]', 'steps = []')
    bad = bad.replace("reps = 10", 'reps = "many"\ncolour = "red"')
    path = write("lib/heel-slide.toml", bad)
    write("lib/other.toml", GOOD_EXERCISE.replace('id = "heel-slide"', 'id = "Bad Id"'))
    write("lib/broken.toml", 'id = "x"\ntitle = \n')
    with pytest.raises(ValidationError) as err:
        Library.from_dirs([tmp_path / "lib"])
    text = str(err.value)
    assert f"{path}:3: category: \"cardio\" is not one of" in text
    assert f"{path}:9: steps: needs at least 2 entries" in text
    assert f"{path}:13: dosage.reps: expected a whole number" in text
    assert f"{path}:14: dosage.colour: unknown field" in text
    assert "other.toml:1: id: not a valid id (it has capital letters and spaces" in text
    assert "broken.toml:2:9: TOML syntax error: Invalid value" in text
    assert len(err.value.problems) >= 6


def test_duplicate_ids_and_dangling_references_are_errors(
        write: Callable[[str, str], Path], tmp_path: Path) -> None:
    write("a/heel-slide.toml", GOOD_EXERCISE)
    write("b/heel-slide.toml", GOOD_EXERCISE)
    write("a/programs/knee.toml", '''\
id = "knee"
title = "Knee program"
description = "For knees."
education = ["nope"]
sources = ["clinic"]
[[exercises]]
id = "heel-slide"
[[exercises]]
id = "heel-slid"
[[exercises]]
id = "x-one"
[[exercises]]
id = "x-two"
''')
    with pytest.raises(ValidationError) as err:
        Library.from_dirs([tmp_path / "a", tmp_path / "b"])
    text = str(err.value)
    assert 'exercise id "heel-slide" is already defined' in text
    assert ('knee.toml:9: exercises[2].id: unknown exercise "heel-slid" '
            '(did you mean "heel-slide"?)') in text
    assert 'unknown education section "nope"' in text
