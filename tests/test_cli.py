"""The command-line contract: commands, exit codes, messages, files."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from rxprint import __version__
from rxprint.cli import cli
from rxprint.errors import ValidationError

from .conftest import EXAMPLE_PROGRAM, Pdf

Run = Callable[..., Result]
Writer = Callable[[str, "str | bytes"], Path]


def test_build_writes_a_neutral_default_name(run: Run, tmp_path: Path) -> None:
    result = run("build", "--template", "hip-flexor-back-pain", "--patient", "Jane Doe",
                 "--date", "2026-11-21")
    assert result.exit_code == 0, result.output
    out = tmp_path / "home-exercise-program-2026-11-21.pdf"
    assert out.is_file()
    assert "Jane" not in out.name
    assert f"Wrote {out.name} (" in result.output
    assert Pdf(out.read_bytes()).pages >= 2


def test_existing_output_is_kept_without_force(run: Run, tmp_path: Path) -> None:
    out = tmp_path / "h.pdf"
    out.write_bytes(b"keep me")
    result = run("build", "-e", "quad-set", "-o", "h.pdf")
    assert result.exit_code == 1
    assert "already exists; use --force" in result.output
    assert out.read_bytes() == b"keep me"
    assert run("build", "-e", "quad-set", "-o", "h.pdf", "--force").exit_code == 0
    assert out.read_bytes().startswith(b"%PDF-")


def test_output_problems_are_clear(run: Run, tmp_path: Path) -> None:
    result = run("build", "-e", "quad-set", "-o", "missing/dir/h.pdf")
    assert result.exit_code == 1 and "does not exist" in result.output
    (tmp_path / "folder").mkdir()
    result = run("build", "-e", "quad-set", "-o", "folder")
    assert result.exit_code == 1 and "is a folder" in result.output


@pytest.mark.parametrize(("args", "message"), [
    (["build"], "nothing to build"),
    (["build", "-e", "quad-set", "--date", "21/11/2026"], "Invalid value for '--date'"),
    (["build", "-e", "quad-set", "--paper", "legal"], "Invalid value for '--paper'"),
    (["build", "--nope"], "No such option"),
    (["list", "--category", "cardio"], "Invalid value for '--category'"),
    (["frobnicate"], "No such command"),
])
def test_usage_errors_exit_2(run: Run, args: list[str], message: str) -> None:
    result = run(*args)
    assert result.exit_code == 2
    assert message in result.output


@pytest.mark.parametrize(("args", "message"), [
    (["build", "--template", "hip-flexer"], 'unknown standard program "hip-flexer"'),
    (["build", "-e", "quad-sett"], 'unknown exercise "quad-sett" (did you mean "quad-set"'),
    (["build", "nope.toml"], "nope.toml: program file not found"),
    (["show", "glute-brige"], 'unknown exercise "glute-brige" (did you mean "glute-bridge"'),
])
def test_bad_input_exits_1_with_a_clear_error(run: Run, args: list[str], message: str) -> None:
    result = run(*args)
    assert result.exit_code == 1
    assert result.output.startswith("Error: ")
    assert message in result.output
    assert "Traceback" not in result.output
    assert not list(Path.cwd().glob("*.pdf"))


def test_debug_shows_the_exception(runner: CliRunner, tmp_path: Path,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(cli, ["--debug", "build", "--template", "nope"])
    assert isinstance(result.exception, ValidationError)
    result = runner.invoke(cli, ["build", "--template", "nope"], env={"RXPRINT_DEBUG": "1"})
    assert isinstance(result.exception, ValidationError)


def test_unexpected_errors_are_reported_without_patient_text(
        run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("Jane Doe's secret")

    monkeypatch.setattr("rxprint.render.handout.render_handout", broken)
    result = run("build", "-e", "quad-set", "--patient", "Jane Doe", "-o", "h.pdf")
    assert result.exit_code == 1
    assert "unexpected internal error (RuntimeError)" in result.output
    assert "Jane" not in result.output
    assert not (tmp_path / "h.pdf").exists()


def test_summary_is_a_chart_note(run: Run, write: Writer) -> None:
    write("visit.toml", EXAMPLE_PROGRAM)
    result = run("build", "visit.toml", "-o", "h.pdf", "--summary")
    assert result.exit_code == 0
    out = result.stdout
    assert "Home exercise program issued 2026-11-21" in out
    assert "Patient: Jane Doe" in out and "Clinician: Sam Lee, PT, DPT" in out
    assert "Standard program: Tight hip flexors (hip-flexor-back-pain)" in out
    # the template runs in two phases: the exercises, then each phase with its dosages
    assert ("1. Hip flexor stretch lying at the edge of the bed (front of hip) "
            "[supine-hip-flexor-stretch]") in out
    assert "Note: Rest your foot on a stool if the stretch is strong." in out
    assert "Phase: Weeks 1-2: start gently (2 weeks):" in out
    assert "1. [supine-hip-flexor-stretch]: hold 3 minutes, twice a day, each side" in out
    assert "[quad-set]: 3 sets of 10, hold 5 seconds" in out
    assert "Handout: h.pdf," in out


def test_pdf_to_standard_output(run: Run, tmp_path: Path) -> None:
    result = run("build", "-e", "quad-set", "-o", "-")
    assert result.exit_code == 0
    assert result.stdout_bytes.startswith(b"%PDF-")
    assert not list(tmp_path.glob("*.pdf"))


def test_list_show_programs(run: Run) -> None:
    listing = run("list").output
    assert "supine-hip-flexor-stretch" in listing and "DEFAULT DOSAGE" in listing
    stretches = json.loads(run("list", "--category", "stretch", "--json").output)
    assert stretches and {e["category"] for e in stretches} == {"stretch"}
    shown = run("show", "supine-hip-flexor-stretch").output
    assert "Default dosage: hold 3 minutes, twice a day, each side" in shown
    assert "Steps:" in shown and "Sources: 004" in shown
    data = json.loads(run("show", "quad-set", "--json").output)
    assert data["dosage"]["sets"] == 3 and data["dosage"]["reps"] == {"low": 10, "high": 10}
    assert data["dosage"]["hold_seconds"] == 5 and data["dosage"]["side"] == "each"
    assert "How to stretch gently" in run("show", "how-to-stretch-gently").output
    programs = json.loads(run("programs", "--json").output)
    assert {p["id"] for p in programs} >= {"hip-flexor-back-pain", "thigh-back-pain"}
    assert "hip-flexor-back-pain" in run("programs").output


def test_validate(run: Run, write: Writer) -> None:
    write("good.toml", EXAMPLE_PROGRAM)
    result = run("validate", "good.toml")
    assert result.exit_code == 0 and "OK: 1 file checked" in result.output
    write("bad.toml", 'template = "nope"\n[[exercises]]\nid = "quad-set"\nsets = 0\n')
    write("ex/bad-ex.toml", 'id = "bad-ex"\ntitle = "X"\n')
    result = run("validate", "good.toml", "bad.toml", "ex")
    assert result.exit_code == 1
    assert "bad.toml:4: exercises[1].sets" in result.output
    assert "bad-ex.toml:2: title: too short" in result.output
    assert "bad-ex.toml: category: missing required field" in result.output
    assert "Traceback" not in result.output


SCHEMA_AND_ID_ERRORS = '''\
clinician = 7
[[exercises]]
id = "quad-sett"
[[exercises]]
id = "glute-bridge"
reps = "many"
'''


@pytest.mark.parametrize("command", ["validate", "build"])
def test_schema_errors_and_unknown_ids_in_one_run(run: Run, write: Writer,
                                                  command: str) -> None:
    write("visit.toml", SCHEMA_AND_ID_ERRORS)
    result = run(command, "visit.toml")
    assert result.exit_code == 1
    assert "(3 problems):" in result.output
    assert "visit.toml:1: clinician: expected text in quotes, got a number" in result.output
    assert ('visit.toml:3: exercises[1].id: unknown exercise "quad-sett" (did you mean '
            '"quad-set"') in result.output
    assert "visit.toml:6: exercises[2].reps:" in result.output
    assert "Traceback" not in result.output
    assert not list(Path.cwd().glob("*.pdf"))


def test_the_builtin_library_validates(run: Run) -> None:
    from rxprint.library.loader import builtin_dir

    result = run("validate", str(builtin_dir()))
    assert result.exit_code == 0, result.output


def test_version_and_help(run: Run) -> None:
    assert run("--version").output.strip() == f"rxprint, version {__version__}"
    for command in ([], ["build"], ["list"], ["show"], ["programs"], ["validate"]):
        for flag in ("-h", "--help"):
            result = run(*command, flag)
            assert result.exit_code == 0 and "Usage:" in result.output


def test_shell_completion_of_ids(runner: CliRunner) -> None:
    def complete(words: str) -> str:
        env = {"_RXPRINT_COMPLETE": "bash_complete", "COMP_WORDS": words,
               "COMP_CWORD": str(len(words.split()) - 1)}
        return runner.invoke(cli, [], env=env, prog_name="rxprint").output

    assert "hip-flexor-back-pain" in complete("rxprint build --template hip")
    out = complete("rxprint build -e supine")
    assert "supine-hip-flexor-stretch" in out and "quad-set" not in out
    assert "glute-bridge" in complete("rxprint show glute")


def test_input_files_are_never_modified(run: Run, write: Writer) -> None:
    path = write("visit.toml", EXAMPLE_PROGRAM)
    before = (path.read_bytes(), os.stat(path).st_mtime_ns)
    run("build", "visit.toml", "-o", "h.pdf")
    run("validate", "visit.toml")
    assert (path.read_bytes(), os.stat(path).st_mtime_ns) == before
