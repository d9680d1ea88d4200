"""What rxprint's messages may show.

1. A wrong value is quoted only when it has the shape of what the field expects (an id, a
   number, a short dosage-like text...): columns and fields get mixed up, so any value
   may be a patient's name or birth date. Dates are never quoted.
2. Nothing a terminal would act on (escape sequences, CR, BEL, C1 controls, bidi
   overrides) reaches it raw: a file name or a plugin's text shows such characters
   escaped.
3. A plugin's own command raising GeneratorExit, KeyboardInterrupt or Interrupted is
   contained like any other error of the plugin; SystemExit stays its exit status.

Each runs the real command (CliRunner through the ``run`` fixture, or the installed
``rxprint`` in a subprocess) and reads what it printed.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from rxprint.errors import quotable, shown
from rxprint.files.textsafety import clean_text
from rxprint.library.loader import Entry, Library
from rxprint.library.validation import validate_paths
from rxprint.runtime.failures import printable

from .conftest import TODAY
from .test_adversarial import clean_env, rxprint_command

Run = Callable[..., Result]
Writer = Callable[[str, "str | bytes"], Path]
Plugins = Callable[[str, str], Path]

NAME = "Wilhelmina Crabapple"  # stands for a patient's name
BORN = "1961-03-04"  # and a birth date
TERMINAL = ("\x1b", "\x07", "\r", "\x9b", "\u202e", "\u2066")  # what must never print raw
EVIL = "visit\x1b[31m\x1b]0;owned\x07\r\x9b2J\u202eevil"  # in a file name, a title...
EVIL_SHOWN = "visit\\x1b[31m\\x1b]0;owned\\x07\\r\\x9b2J\\u202eevil"


def assert_not_quoted(result: Result, *secrets: str) -> None:
    """A clean failure (exit 1, or 2 for a usage error) that prints no secret."""
    assert result.exit_code in (1, 2), result.output
    assert "Traceback" not in result.output and "internal error" not in result.output
    for secret in (NAME, "Crabapple", BORN, *secrets):
        assert secret not in result.output, result.output


def assert_no_raw_controls(text: str) -> None:
    found = [c for c in TERMINAL if c in text]
    assert not found, (found, text)


# -- 1. a value is quoted only in the shape expected ---------------------------------------


@pytest.mark.parametrize(("value", "shape", "quoted"), [
    ("quad-set", "id", True), ("hip-flexer", "id", True),
    (NAME, "id", False), ("Quad-Set", "id", False), ("quad_set", "id", False),
    (BORN, "id", False), ("555-0199", "id", False), ("jane doe", "id", False),
    ("10 rpes", "dosage", True), ("2-3x/dya", "dosage", True), ("1 min 30 sec", "dosage", True),
    ("three", "dosage", False), (NAME, "dosage", False), ("555 123 4567", "dosage", False),
    ("04/03/1961", "dosage", False), ("555-0199", "dosage", False), ("x" * 31, "dosage", False),
    ("12", "number", True), ("twelve", "number", False), ("legal", "paper", True),
    ("A5", "paper", True), ("Jane", "paper", False), ("yes", "boolean", True),
    ("tomorrow", "date", False), (BORN, "date", False), (19610304, "date", False),
    (12, "dosage", True), (True, "id", True), ([NAME], "id", False), (["quad-set"], "id", False),
    ({"name": NAME}, "text", False), ("", "id", True),
])
def test_a_value_is_quotable_only_in_the_shape_expected(value: object, shape: str,
                                                       quoted: bool) -> None:
    assert quotable(value, shape) is quoted  # type: ignore[arg-type]
    text = shown(value, shape)  # type: ignore[arg-type]
    assert (NAME in text or BORN in text) is False


HEAD = 'template = "hip-flexor-back-pain"\n'
EXERCISE = '[[exercises]]\nid = "quad-set"\n'


@pytest.mark.parametrize(("toml", "expected"), [
    (f'{HEAD}date = "{NAME}"\n', "date: expected a date like 2026-11-21, got text"),
    (f'{HEAD}date = "1961-13-04"\n', "date: expected a date like 2026-11-21, got text"),
    (f"{HEAD}date = 1961-03-04T10:00:00\n",
     "date: give a date without a time, like 2026-11-21"),
    (f'template = "{NAME}"\n',
     "template: not a valid id (it has capital letters and spaces; not shown): use lowercase "
     'letters, digits and single hyphens, like "quad-set"'),
    (f'template = ["{NAME}"]\n', "template: expected text in quotes, got a list"),
    (f'template = {{ name = "{NAME}" }}\n', "template: expected text in quotes, got a table"),
    (f'template = "{BORN}"\n', "template: unknown standard program (not shown: it has no "
                               "letters and a date in it)"),
    (f'[[exercises]]\nid = "{NAME}"\n', "exercises[1].id: not a valid id (it has capital"),
    (f'{EXERCISE}sets = "{NAME}"\n',
     "exercises[1].sets: expected a whole number of sets from 1 to 20, got text"),
    (f'{EXERCISE}reps = "{NAME}"\n', "exercises[1].reps: expected a whole number of "),
    (f'{EXERCISE}hold = "{BORN}"\n', "exercises[1].hold: expected a time such as"),
    (f'{EXERCISE}side = "{NAME}"\n', "exercises[1].side: expected a side:"),
    (f'{EXERCISE}frequency = ["{NAME}"]\n', "exercises[1].frequency: expected a frequency"),
    (f'{HEAD}"{NAME}" = "x"\n', "visit.toml:2: unknown field (its name is not shown"),
    (f'{HEAD}[patient]\nname = "x"\n"{NAME}" = 1\n',
     "visit.toml:4: patient: unknown field (its name is not shown"),
    (f'{HEAD}omit = ["{NAME}"]\n', "omit: not a valid id (it has capital letters and spaces"),
    (f'{HEAD}omit = ["{BORN}"]\n', "omit[1]: this id (not shown) is not in the template"),
    (f'{HEAD}education = ["{BORN}"]\n', "education[1]: unknown education section (not shown"),
])
@pytest.mark.parametrize("command", ["build", "validate"])
def test_a_wrong_value_not_shaped_like_the_field_is_not_quoted(
        run: Run, write: Writer, toml: str, expected: str, command: str) -> None:
    write("visit.toml", toml)
    result = run(command, "visit.toml")
    assert_not_quoted(result, "1961-13-04", "10:00")
    assert expected in result.stderr, result.stderr


@pytest.mark.parametrize(("toml", "expected"), [
    ('template = "hip-flexor-bak-pain"\n',
     'template: unknown standard program "hip-flexor-bak-pain" (did you mean '
     '"hip-flexor-back-pain"'),
    ('[[exercises]]\nid = "quad-sett"\n',
     'exercises[1].id: unknown exercise "quad-sett" (did you mean "quad-set"'),
    ('template = "-hip"\n', 'template: "-hip" is not a valid id'),
    (f'{EXERCISE}reps = "10 rpes"\n', 'got "10 rpes" (did you mean "reps"?)'),
    (f'{EXERCISE}sets = 50\n', "got 50"),
    (f'{EXERCISE}frequency = "3x/dya"\n', 'got "3x/dya"'),
    (f'{EXERCISE}side = "lft"\n', 'got text (did you mean "left"?)'),
    (f'{EXERCISE}colour = "x"\n', 'exercises[1].colour: unknown field'),
])
def test_a_value_shaped_like_the_field_is_still_quoted_with_a_suggestion(
        run: Run, write: Writer, toml: str, expected: str) -> None:
    write("visit.toml", toml)
    result = run("validate", "visit.toml")
    assert result.exit_code == 1
    assert expected in result.stderr, result.stderr


@pytest.mark.parametrize(("args", "expected"), [
    (["build", "--template", NAME], "--template: unknown standard program: not an id (it has "
                                    "capital letters and spaces; not shown)"),
    (["build", "-e", NAME], "--exercise: unknown exercise: not an id"),
    (["build", "-e", BORN], "--exercise: unknown exercise (not shown: it has no letters"),
    (["build", "-e", "quad-set", "--date", NAME],
     "Invalid value for '--date': expected a date like 2026-11-21 (YYYY-MM-DD)"),
    (["build", "-e", "quad-set", "--date", "1961-13-04"],
     "Invalid value for '--date': expected a date like 2026-11-21"),
    (["build", "-e", "quad-set", "--paper", NAME],
     "Invalid value for '--paper': expected one of: a4, letter"),
    (["show", NAME], "unknown exercise: not an id (it has capital letters and spaces"),
    (["show", BORN, "--png", "x.png"], "unknown exercise (not shown"),
    (["show", "quad-set", "--width", NAME], "Invalid value for '--width': expected a whole "
                                            "number from 200 to 4000"),
    (["list", "--category", NAME], "Invalid value for '--category': expected one of: "),
    (["catalog", "-o", "c.pdf", "--category", NAME], "expected one of: "),
])
def test_command_line_values_are_quoted_only_in_the_shape_expected(
        run: Run, args: list[str], expected: str) -> None:
    result = run(*args)
    assert_not_quoted(result, "1961-13-04")
    assert expected in result.stderr, result.stderr
    assert not Path("x.png").exists() and not Path("c.pdf").exists()


def test_command_line_ids_shaped_like_ids_are_still_quoted(run: Run) -> None:
    result = run("build", "--template", "hip-flexer-back-pain")
    assert result.exit_code == 1
    assert ('--template: unknown standard program "hip-flexer-back-pain" (did you mean '
            '"hip-flexor-back-pain"') in result.stderr


def test_library_files_follow_the_same_rule(tmp_path: Path, library: Library) -> None:
    """Unknown ids in a standard program of a library folder: quoted when id-shaped."""
    folder = tmp_path / "lib" / "programs"
    folder.mkdir(parents=True)
    source = next(iter(library.programs.values())).path
    assert source is not None
    text = source.read_text(encoding="utf-8")
    first = library.programs[source.stem].entries[0].id
    (folder / source.name).write_text(text.replace(f'"{first}"', f'"{first}x"', 1),
                                      encoding="utf-8")
    report = validate_paths([tmp_path / "lib"], library, TODAY)
    assert any(f'unknown exercise "{first}x"' in str(p) for p in report.problems)


# -- 2. nothing a terminal acts on reaches it raw ------------------------------------------


def test_printable_escapes_what_a_terminal_acts_on_and_keeps_line_breaks() -> None:
    assert printable(EVIL) == EVIL_SHOWN
    assert printable("two\nlines") == "two\nlines"
    assert printable("one\nline", keep="") == "one\\nline"
    assert printable("tab\tzero\u200bwidth\u2028sep\udcff") == \
        "tab\\tzero\\u200bwidth\\u2028sep\\udcff"
    assert printable("Crème brûlée, 東京, emoji 🙂, a\u00a0b") == \
        "Crème brûlée, 東京, emoji 🙂, a\u00a0b"
    assert printable("tag\U000e0041") == "tag\\U000e0041"


def test_build_names_a_broken_file_with_escape_codes_escaped(run: Run, write: Writer) -> None:
    write(f"{EVIL}.toml", "x = [\n")
    result = run("build", f"{EVIL}.toml")
    assert result.exit_code == 1
    assert_no_raw_controls(result.output)
    assert result.stderr.startswith(f"Error: {EVIL_SHOWN}.toml:1: TOML syntax error"), \
        result.stderr
    assert len(result.stderr.splitlines()) == 1


def test_a_line_break_in_a_file_name_cannot_forge_a_line(run: Run, write: Writer) -> None:
    write("visit\nError: all is well.toml", "x = [\n")
    result = run("validate", ".")
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 2 and lines[1].startswith("  visit\\nError: all is well.toml:1:"), \
        lines


def test_validate_a_folder_shows_escape_codes_escaped(run: Run, write: Writer) -> None:
    write("checks/good.toml", '[[exercises]]\nid = "quad-set"\n')
    write(f"checks/{EVIL}.toml", '[[exercises]]\nid = "quad-sett"\n')
    result = run("validate", "checks")
    assert result.exit_code == 1
    assert_no_raw_controls(result.output)
    assert f'{EVIL_SHOWN}.toml:2: exercises[1].id: unknown exercise "quad-sett"' in result.stderr


def test_the_installed_command_escapes_a_file_name(tmp_path: Path) -> None:
    work = tmp_path / "work"
    work.mkdir()
    (work / f"{EVIL}.toml").write_text("x = [\n", encoding="utf-8")
    proc = subprocess.run([*rxprint_command(), "build", f"{EVIL}.toml"], cwd=work,
                          capture_output=True, env=clean_env(tmp_path, {}), timeout=120)
    assert proc.returncode == 1
    assert not any(c.encode() in proc.stderr for c in TERMINAL), proc.stderr
    assert proc.stderr.decode().startswith(f"Error: {EVIL_SHOWN}.toml:1: TOML syntax error")


def test_usage_errors_escape_what_was_typed(run: Run) -> None:
    result = run("build", "-e", "quad-set", "-o", f"{EVIL}/")
    assert result.exit_code == 2
    assert_no_raw_controls(result.output)
    assert "Invalid value for '-o' / '--output'" in result.stderr


PLUGIN_TEXT = f"""
    from dataclasses import replace
    from rxprint.api import hookimpl
    from rxprint.plugins.builtins.library import builtin_dir
    from rxprint.library.schema import parse_exercise
    from rxprint.files.tomlfile import load_toml

    @hookimpl
    def register_exercises(register):
        quad = parse_exercise(load_toml(builtin_dir() / "strengthening" / "quad-set.toml"), [])
        register(replace(quad, title={EVIL!r}, steps=("Tighten\\x1b[2J the thigh.",
                                                      *quad.steps[1:])), override=True)
"""


def test_list_and_show_escape_a_plugins_text(run: Run, plugins: Plugins) -> None:
    plugins("loud", PLUGIN_TEXT)
    listing = run("list")
    assert listing.exit_code == 0
    assert_no_raw_controls(listing.output)
    assert EVIL_SHOWN in listing.output
    shown_text = run("show", "quad-set")
    assert shown_text.exit_code == 0
    assert_no_raw_controls(shown_text.output)
    assert shown_text.output.startswith(f"{EVIL_SHOWN}  [quad-set, strengthening]")
    assert "1. Tighten\\x1b[2J the thigh." in shown_text.output


def test_show_json_escapes_a_plugins_text_and_reads_back_the_same(
        run: Run, plugins: Plugins) -> None:
    plugins("loud", PLUGIN_TEXT)
    for args in (["show", "quad-set", "--json"], ["list", "--json"]):
        result = run(*args)
        assert result.exit_code == 0
        assert_no_raw_controls(result.output)
        data = json.loads(result.output)
        entry = data if isinstance(data, dict) else next(e for e in data
                                                         if e["id"] == "quad-set")
        assert entry["title"] == EVIL  # the text itself, escaped only for the terminal


def test_the_built_in_library_holds_no_invisible_text(library: Library) -> None:
    """The library's own text needs no escaping: every text is as clean_text leaves it."""
    def texts(value: object) -> list[str]:
        if isinstance(value, str):
            return [value]
        if isinstance(value, tuple | list):
            return [t for v in value for t in texts(v)]
        return []

    entries: list[Entry] = [*library.exercises.values(), *library.education.values(),
                            *library.programs.values()]
    for entry in entries:
        for name, value in vars(entry).items():
            for text in texts(value):
                assert clean_text(text) == text, (entry.id, name, text)


# the plugin's warning is what is tested: shown as rxprint shows it, not raised (the
# suite's filterwarnings = error)
@pytest.mark.filterwarnings("default::UserWarning")
def test_a_plugins_warning_names_its_file_escaped(run: Run, plugins: Plugins) -> None:
    plugins("noisy", f"""
        import warnings
        from rxprint.api import hookimpl
        @hookimpl
        def register_exercises(register):
            warnings.warn_explicit("patient {NAME}", UserWarning, {EVIL + '.py'!r}, 7)
    """)
    result = run("list")
    assert result.exit_code == 0
    assert_no_raw_controls(result.output)
    assert NAME not in result.output
    assert (f"Warning: UserWarning from {EVIL_SHOWN}.py:7 (its message is not shown; --debug "
            "shows it)") in result.stderr


# -- 3. a plugin's command raising what looks like an interrupt ----------------------------


def command_plugin(plugins: Plugins, raised: str) -> None:
    plugins("cmds", f"""
        import click
        from rxprint.api import hookimpl
        from rxprint.errors import Interrupted

        @hookimpl
        def register_commands(cli):
            @cli.command()
            def boom():
                "Fails."
                raise {raised}
    """)


RAISED = {
    "GeneratorExit": f"GeneratorExit({NAME!r})",
    "KeyboardInterrupt": f"KeyboardInterrupt({NAME!r})",
    "Interrupted": "Interrupted(2)",
    "ValueError": f"ValueError({NAME!r})",
}


@pytest.mark.parametrize("name", list(RAISED))
def test_a_plugin_command_raising_an_interrupt_is_the_plugins_error(
        run: Run, plugins: Plugins, name: str) -> None:
    command_plugin(plugins, RAISED[name])
    result = run("boom")
    assert result.exit_code == 1, result.output
    assert result.stderr == (
        f'Error: plugin cmds failed in its command "boom": {name} (an error in the plugin; '
        "its message is not shown as it may hold patient details, --debug shows it); disable "
        "the plugin with RXPRINT_DISABLE_PLUGINS=cmds\n")


@pytest.mark.parametrize("name", ["GeneratorExit", "KeyboardInterrupt", "Interrupted"])
def test_the_installed_command_contains_a_plugin_commands_interrupt(
        tmp_path: Path, plugins: Plugins, name: str) -> None:
    command_plugin(plugins, RAISED[name])
    env = clean_env(tmp_path, {"RXPRINT_PLUGINS_DIR": str(tmp_path / "plugins"),
                               "RXPRINT_PLUGINS": "cmds"})
    proc = subprocess.run([*rxprint_command(), "boom"], cwd=tmp_path, capture_output=True,
                          env=env, timeout=120)
    err = proc.stderr.decode()
    assert proc.returncode == 1, err
    assert "Traceback" not in err and NAME not in err
    assert err.startswith(f'Error: plugin cmds failed in its command "boom": {name} ')
    assert len(err.splitlines()) == 1


def test_a_plugin_commands_system_exit_keeps_its_status(run: Run, plugins: Plugins) -> None:
    command_plugin(plugins, "SystemExit(3)")
    result = run("boom")
    assert result.exit_code == 3 and result.output == ""
