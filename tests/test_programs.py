"""Program files: parsing, resolution against templates and the library, and errors."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from rxprint.errors import InputError, ValidationError
from rxprint.library.dosage import Frequency, Period, Reps, Side
from rxprint.library.loader import Library
from rxprint.library.model import ProgramRequest
from rxprint.library.programs import read_program_file, resolve, with_flags

from .conftest import EXAMPLE_PROGRAM, TODAY

Writer = Callable[[str, "str | bytes"], Path]


def test_the_issue_example_resolves(write: Writer, library: Library) -> None:
    program = resolve(read_program_file(write("visit.toml", EXAMPLE_PROGRAM)), library, TODAY)
    assert program.patient_name == "Jane Doe"
    assert program.clinician == "Sam Lee, PT, DPT"
    assert program.date == dt.date(2026, 11, 21)
    template_ids = [e.id for e in library.programs["hip-flexor-back-pain"].entries]
    ids = [item.exercise.id for item in program.items]
    # overrides keep the template's order; new ids (quad-set, not in it) append
    assert ids == [*template_ids, "quad-set"]
    supine = program.items[0]
    assert supine.dosage.hold == 180 and supine.dosage.side is Side.EACH
    assert supine.dosage.frequency == Frequency(2, Period.DAY)
    assert supine.note == "Rest your foot on a stool if the stretch is strong."
    quad = next(i for i in program.items if i.exercise.id == "quad-set")
    assert (quad.dosage.sets, quad.dosage.reps, quad.dosage.hold) == (3, Reps(10, 10), 5)
    # fields the file leaves out come from the template entry, then the exercise default
    assert quad.dosage.side is Side.EACH  # quad-set's own default


def test_entries_append_and_omit_drops(write: Writer, library: Library) -> None:
    path = write("p.toml", '''\
template = "hip-flexor-back-pain"
omit = ["counter-hip-flexor-stretch"]
education = ["after-exercise-care"]
[[exercises]]
id = "wall-sit"
reps = "3-5"
''')
    program = resolve(read_program_file(path), library, TODAY)
    ids = [item.exercise.id for item in program.items]
    assert "counter-hip-flexor-stretch" not in ids
    assert ids[-1] == "wall-sit"
    assert program.items[-1].dosage.reps == Reps(3, 5)
    assert program.items[-1].dosage.hold == library.exercises["wall-sit"].dosage.hold
    assert [s.id for s in program.education][-1] == "after-exercise-care"
    assert program.date == TODAY  # no date in the file: today, as passed in


def test_flags_override_the_file(write: Writer, library: Library) -> None:
    request = with_flags(read_program_file(write("p.toml", EXAMPLE_PROGRAM)),
                         patient_name="John Roe", clinician="Alex Kim, PT",
                         date=dt.date(2026, 12, 1), template="thigh-back-pain",
                         exercises=("mini-squat",))
    program = resolve(request, library, TODAY)
    assert (program.patient_name, program.clinician) == ("John Roe", "Alex Kim, PT")
    assert program.date == dt.date(2026, 12, 1)
    assert program.template is not None and program.template.id == "thigh-back-pain"
    assert program.items[-1].exercise.id == "mini-squat"


def test_unknown_ids_are_named_with_suggestions(write: Writer, library: Library) -> None:
    path = write("p.toml", '''\
template = "hip-flexer-back-pain"
omit = ["quad-set"]
education = ["how-to-stretch"]
[[exercises]]
id = "quad-sett"
''')
    with pytest.raises(ValidationError) as err:
        resolve(read_program_file(path), library, TODAY)
    text = str(err.value)
    assert f'{path}:1: template: unknown standard program "hip-flexer-back-pain" ' \
           '(did you mean "hip-flexor-back-pain"' in text
    assert f'{path}:5: exercises[1].id: unknown exercise "quad-sett" (did you mean "quad-set"' \
           in text
    assert 'unknown education section "how-to-stretch"' in text
    # with the template unknown, omitted ids cannot be checked: no misleading follow-on
    assert "omit[1]" not in text


def test_schema_errors_and_unknown_ids_are_reported_together(write: Writer,
                                                             library: Library) -> None:
    path = write("p.toml", '''\
template = "Hip Flexor"
omit = ["quad-set"]
education = ["after-exercise-cars"]
[[exercises]]
id = "glute-brige"
sets = "three"
[[exercises]]
id = "quad-set"
side = "up"
''')
    request = read_program_file(path)  # checks the file, raises nothing: it is all kept
    assert {p.field for p in request.problems} == {"template", "exercises[1].sets",
                                                  "exercises[2].side"}
    with pytest.raises(ValidationError) as err:
        resolve(request, library, TODAY)
    lines = [line.strip() for line in str(err.value).splitlines()[1:]]
    assert lines[0].startswith(f"{path}:1: template: not a valid id (it has capital letters "
                               "and spaces; not shown)")  # not an id's shape: not quoted
    assert lines[1].startswith(f'{path}:3: education[1]: unknown education section '
                               '"after-exercise-cars" (did you mean "after-exercise-care"')
    assert lines[2].startswith(f'{path}:5: exercises[1].id: unknown exercise "glute-brige" '
                               '(did you mean "glute-bridge"')
    assert lines[3].startswith(f"{path}:6: exercises[1].sets: expected a whole number")
    assert lines[4].startswith(f"{path}:9: exercises[2].side:")
    assert len(lines) == 5  # the unusable template hides no omit[1] follow-on


def test_unknown_exercise_flag(library: Library) -> None:
    with pytest.raises(ValidationError, match=r'--exercise: unknown exercise "glute-brige" '
                                              r'\(did you mean "glute-bridge"'):
        resolve(with_flags(ProgramRequest(), exercises=("glute-brige",)), library, TODAY)


def test_wrong_types_name_field_path_and_form(write: Writer, library: Library) -> None:
    path = write("p.toml", '''\
date = "tomorrow"
clinician = 7
colour = "blue"
[patient]
name = "A"
age = 40
[[exercises]]
id = "quad-set"
sets = "three"
frequency = "now and then"
[[exercises]]
id = "quad-set"
''')
    with pytest.raises(ValidationError) as err:
        resolve(read_program_file(path), library, TODAY)
    lines = str(err.value).splitlines()[1:]
    expected = [
        f"{path}:1: date: expected a date like 2026-11-21, got text",  # a date: not quoted
        f"{path}:2: clinician: expected text in quotes, got a number",
        f"{path}:3: colour: unknown field",
        f"{path}:6: patient.age: unknown field",
        f"{path}:9: exercises[1].sets: expected a whole number of sets from 1 to 20, got text",
        f"{path}:10: exercises[1].frequency: expected a frequency such as",
        f'{path}:12: exercises[2].id: "quad-set" is listed twice',
    ]
    for want, got in zip(expected, lines, strict=True):
        assert got.strip().startswith(want), (want, got)


@pytest.mark.parametrize(("content", "message"), [
    ('template = "x"\nnotes = """unclosed\n', r"p\.toml:2: TOML syntax error: Unterminated string"),
    ("[patient\nname = 1\n", r"p\.toml:1:\d+: TOML syntax error"),
    (b'notes = "caf\xe9"\n', r"p\.toml:1: not UTF-8 text \(byte 0xe9\)"),
])
def test_unreadable_files(write: Writer, content: str | bytes, message: str) -> None:
    with pytest.raises(InputError, match=message):
        read_program_file(write("p.toml", content))


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="program file not found"):
        read_program_file(tmp_path / "nope.toml")
    with pytest.raises(InputError, match="is a directory"):
        read_program_file(tmp_path)


def test_byte_order_mark_is_accepted(write: Writer, library: Library) -> None:
    path = write("p.toml", "\ufeff" + EXAMPLE_PROGRAM)
    assert resolve(read_program_file(path), library, TODAY).patient_name == "Jane Doe"


def test_empty_program_is_an_error(write: Writer, library: Library) -> None:
    with pytest.raises(InputError, match="the program has no exercises"):
        resolve(read_program_file(write("p.toml", 'clinician = "A"\n')), library, TODAY)
