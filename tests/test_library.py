"""The built-in library, and how library files are checked."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from rxprint.errors import Problem, ValidationError
from rxprint.library.loader import LIBRARY_ERRORS, Library, builtin_dir, library_files
from rxprint.library.model import CATEGORIES, ProgramRequest
from rxprint.library.programs import resolve, with_flags

TODAY = dt.date(2026, 11, 21)
# the smallest PNG: one white pixel
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de"
                    "0000000c4944415408d763f8ffff3f0005fe02fea7d6a4f70000000049454e44ae426082")

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


# -- reading the library when it is used -------------------------------------------------
#
# A command's library (what plugins register) is an index of file names first; a file is
# read and checked when its entry is used, and going through the whole library checks
# everything, with the same problems as reading it all up front.


def exercise(ident: str, **fields: str) -> str:
    """GOOD_EXERCISE under another id, with fields added (TOML lines before [dosage])."""
    extra = "".join(f"{key} = {value}\n" for key, value in fields.items())
    return GOOD_EXERCISE.replace('id = "heel-slide"', f'id = "{ident}"').replace(
        "[dosage]", f"{extra}[dosage]")


PROGRAM = '''\
id = "knee"
title = "Knee program"
description = "For knees."
education = []
sources = ["clinic"]
''' + "".join(f'[[exercises]]\nid = "{i}"\n' for i in ("ex-a", "ex-b", "ex-c", "ex-d"))


def registered(*roots: Path) -> Library:
    """A library registered as plugins register folders (rxprint.plugins.registry): the
    files listed, the checks asked for, nothing read yet."""
    lib = Library()
    problems: list[Problem] = []
    for root in roots:
        lib.add_files(library_files(root), problems)
    lib.check_references(problems)
    lib.check_links(problems)
    assert problems == []
    return lib


def test_an_entry_is_read_when_used_and_a_broken_file_only_then(
        write: Callable[[str, str], Path], tmp_path: Path) -> None:
    for ident in ("ex-a", "ex-b", "ex-c", "ex-d"):
        write(f"lib/{ident}.toml", exercise(ident))
    broken = write("lib/more/broken.toml", 'id = "broken"\ntitle = \n')
    write("lib/programs/knee.toml", PROGRAM)
    lib = registered(tmp_path / "lib")
    assert "broken" in lib.exercises and len(lib.exercises) == 5  # the index: unread
    program = resolve(with_flags(ProgramRequest(), template="knee"), lib, TODAY)
    assert [item.exercise.id for item in program.items] == ["ex-a", "ex-b", "ex-c", "ex-d"]
    with pytest.raises(ValidationError) as err:  # used: read, and reported as ever
        lib.exercises["broken"]
    assert f"{broken}:2:9: TOML syntax error: Invalid value" in str(err.value)
    assert str(err.value).startswith("the exercise library has errors (1 problem)")
    with pytest.raises(ValidationError) as whole:  # the whole library: everything checked
        list(lib.exercises.values())
    with pytest.raises(ValidationError) as up_front:
        Library.from_dirs([tmp_path / "lib"])
    assert str(whole.value) == str(up_front.value)


def test_the_whole_check_lists_what_reading_everything_up_front_lists(
        write: Callable[[str, str], Path], tmp_path: Path) -> None:
    write("lib/ex-a.toml", exercise("ex-a", harder='"ex-b"'))
    write("lib/ex-b.toml", exercise("ex-b", easier='"ex-c"'))  # disagrees with ex-a
    write("lib/ex-c.toml", exercise("ex-c", harder='"ex-b"', easier='"nope"'))
    write("lib/ex-d.toml", exercise("ex-d").replace('category = "mobility"', 'category = 1'))
    write("lib/misnamed.toml", exercise("other-name"))
    write("lib/programs/knee.toml", PROGRAM.replace('id = "ex-d"', 'id = "ex-e"'))
    with pytest.raises(ValidationError) as up_front:
        Library.from_dirs([tmp_path / "lib"])
    assert len(up_front.value.problems) == 5
    readings: tuple[Callable[[Library], object], ...] = (
        lambda lib: lib.programs.items(), lambda lib: lib.copy(),
        lambda lib: lib.progression("ex-d"))
    for reading in readings:
        with pytest.raises(ValidationError) as whole:
            reading(registered(tmp_path / "lib"))
        assert str(whole.value) == str(up_front.value)


def test_a_used_entry_is_checked_on_its_own(write: Callable[[str, str], Path],
                                            tmp_path: Path) -> None:
    write("lib/ex-a.toml", exercise("ex-a", harder='"ex-b"'))
    write("lib/ex-b.toml", exercise("ex-b", easier='"ex-c"'))
    write("lib/ex-c.toml", exercise("ex-c", harder='"nope"'))
    write("lib/ex-d.toml", exercise("ex-d"))
    misnamed = write("lib/misnamed.toml", exercise("other-name"))
    write("lib/programs/knee.toml", PROGRAM.replace('id = "ex-d"', 'id = "ex-e"'))
    lib = registered(tmp_path / "lib")
    assert lib.exercises["ex-d"].id == "ex-d"
    for ident, message in (
            ("ex-a", '"ex-b" names "ex-c" as its easier exercise, not "ex-a"'),
            ("ex-c", 'harder: unknown exercise "nope"'),
            ("misnamed", 'id "other-name" does not match the file name "misnamed.toml"')):
        with pytest.raises(ValidationError, match="the exercise library has errors") as err:
            lib.exercises[ident]
        assert message in str(err.value)
    assert "other-name" not in lib.exercises  # an id is its file's name
    with pytest.raises(ValidationError) as err:
        lib.program("knee")
    assert 'exercises[4].id: unknown exercise "ex-e" (did you mean "ex-d"' in str(err.value)
    assert str(misnamed) not in str(err.value)  # only what the program names


def test_a_file_is_read_as_it_is_when_used(write: Callable[[str, str], Path],
                                           tmp_path: Path) -> None:
    """Nothing of a file is kept from before it is used: an edit made meanwhile counts."""
    path = write("lib/heel-slide.toml", GOOD_EXERCISE)
    lib = registered(tmp_path / "lib")
    path.write_text(GOOD_EXERCISE.replace("Heel slide", "Heel slide, edited"),
                    encoding="utf-8")
    assert lib.exercises["heel-slide"].title == "Heel slide, edited"


def test_a_duplicate_id_is_found_when_registered(write: Callable[[str, str], Path],
                                                 tmp_path: Path) -> None:
    write("a/heel-slide.toml", GOOD_EXERCISE)
    write("a/bad.toml", 'id = "bad"\n')
    write("b/heel-slide.toml", GOOD_EXERCISE)
    lib = Library()
    problems: list[Problem] = []
    lib.add_files(library_files(tmp_path / "a"), problems)
    assert problems == []  # nothing read yet
    lib.add_files(library_files(tmp_path / "b"), problems)
    with pytest.raises(ValidationError) as up_front:
        Library.from_dirs([tmp_path / "a", tmp_path / "b"])
    assert 'exercise id "heel-slide" is already defined in' in str(up_front.value)
    assert str(ValidationError(problems, LIBRARY_ERRORS)) == str(up_front.value)


def test_the_input_files_come_from_the_index(write: Callable[[str, str], Path],
                                            tmp_path: Path) -> None:
    """A command never writes over a library file or picture: all are listed without
    reading the files, but for those whose text names images."""
    write("lib/photo.png", "")
    (tmp_path / "lib" / "photo.png").write_bytes(PNG)
    pictured = write("lib/pictured.toml", exercise("pictured", images='["photo.png"]'))
    broken = write("lib/broken.toml", 'id = "broken"\ntitle = \n')
    write("lib/programs/knee.toml", PROGRAM)
    inputs = dict(registered(tmp_path / "lib").input_files())
    assert inputs == {
        broken: "the library file of broken", pictured: "the library file of pictured",
        tmp_path / "lib" / "programs" / "knee.toml": "the library file of knee",
        (tmp_path / "lib" / "photo.png").resolve(): "a picture of pictured"}


def test_a_plugin_folder_is_read_as_it_is_used(run: Callable[..., Result],
                                               plugins: Callable[[str, str], Path],
                                               tmp_path: Path) -> None:
    folder = tmp_path / "clinic"
    folder.mkdir()
    (folder / "clinic-heel-slide.toml").write_text(exercise("clinic-heel-slide"),
                                                   encoding="utf-8")
    (folder / "clinic-broken.toml").write_text('id = "clinic-broken"\ntitle = \n',
                                               encoding="utf-8")
    plugins("clinic", f"""
        from pathlib import Path
        from rxprint.api import hookimpl

        @hookimpl
        def register_exercises(register):
            register(Path({str(folder)!r}))
        """)
    result = run("build", "-e", "clinic-heel-slide", "-e", "quad-set", "-o", "h.pdf")
    assert result.exit_code == 0, result.output
    for args in (["build", "-e", "clinic-broken", "-o", "b.pdf"], ["list"]):
        result = run(*args)
        assert result.exit_code == 1
        assert (f"{folder / 'clinic-broken.toml'}:2:9: TOML syntax error" in result.output)
