"""``rxprint batch`` under stress: dead and hung workers, resuming into a folder that holds
other patients' handouts, errors that must not leak patient data, outputs that must not
replace inputs, signals, two runs at once, a full disk. Each test runs the installed
command as a real process (real signals, real worker processes) with a plugin from a
``--plugins-dir`` where one is needed."""

from __future__ import annotations

import json
import os
import resource
import shutil
import signal
import stat
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from rxprint.batch import safe_name
from rxprint.cli import cli
from rxprint.library.loader import builtin_library
from rxprint.render.fingerprint import read_fingerprint

from .conftest import Pdf, default_signals

RXPRINT = Path(sys.executable).with_name("rxprint")
SECRET = "Zelda Quixote"  # a patient's name: never in a message, the summary or the report
NOTE = "takes warfarin"
PROGRAMS = ("hip-flexor-back-pain", "thigh-back-pain", "desk-worker-movement")


def environment(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RXPRINT_", "PYTEST_"))}
    env.update(RXPRINT_PLUGINS="", XDG_CONFIG_HOME=str(tmp_path / "no-config"),
               PYTHONDONTWRITEBYTECODE="1")
    env.update(extra)
    return env


def plugin(tmp_path: Path, name: str, code: str) -> dict[str, str]:
    """A plugin file in tmp_path/plugins; the environment that loads it (and only it).
    Its code may call ``in_hook()`` (:data:`IN_HOOK`) where a test waits for it."""
    folder = tmp_path / "plugins"
    folder.mkdir(exist_ok=True)
    (folder / f"{name}.py").write_text(textwrap.dedent(code) + IN_HOOK, encoding="utf-8")
    return {"RXPRINT_PLUGINS_DIR": str(folder), "RXPRINT_PLUGINS": name,
            "IN_HOOK": str(tmp_path / "in-hook")}


# A plugin's hook says where it is: a file per process in $IN_HOOK, which a test waits for
# (in_hook_waits) before it sends a signal, instead of sleeping a fixed time.
IN_HOOK = """

def in_hook():
    import os as _os
    _os.makedirs(_os.environ["IN_HOOK"], exist_ok=True)
    open(_os.path.join(_os.environ["IN_HOOK"], str(_os.getpid())), "w").close()
"""


def in_hook_waits(tmp_path: Path, count: int, proc: subprocess.Popen[str]) -> None:
    """Wait until ``count`` processes have called ``in_hook()`` (generously: a loaded
    machine may take seconds to start them), and clear the marks for the next wait."""
    marks = tmp_path / "in-hook"
    deadline = time.monotonic() + 120
    while not (marks.is_dir() and len(list(marks.iterdir())) >= count):
        if proc.poll() is not None or time.monotonic() > deadline:
            pytest.fail(f"not in the hook: {proc.poll()}")
        time.sleep(0.01)
    shutil.rmtree(marks)


def rxprint(tmp_path: Path, *args: str, env: dict[str, str] | None = None,
            timeout: float = 240,
            preexec: Callable[[], None] | None = None) -> subprocess.CompletedProcess[str]:
    if not RXPRINT.exists():
        pytest.skip("the rxprint command is not installed in this environment")
    return subprocess.run([str(RXPRINT), *args], cwd=tmp_path, capture_output=True,
                          text=True, timeout=timeout, env=environment(tmp_path, **(env or {})),
                          preexec_fn=default_signals(preexec))


def start(tmp_path: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    if not RXPRINT.exists():
        pytest.skip("the rxprint command is not installed in this environment")
    return subprocess.Popen([str(RXPRINT), *args], cwd=tmp_path, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True,
                            env=environment(tmp_path, **(env or {})),
                            preexec_fn=default_signals())


def in_process(tmp_path: Path, *args: str,
               env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """``rxprint ARGS`` in tmp_path, run in this process (Click's CliRunner), with the
    environment :func:`rxprint` gives, and its result in the same shape. For what the
    process does not change (a batch's checks, messages, report and files): it saves a
    process's start-up. Signals, exit statuses of the real command, resource limits, and
    plugins that change a process's state run in a real process, with :func:`rxprint`."""
    extra = {"RXPRINT_PLUGINS": "", "XDG_CONFIG_HOME": str(tmp_path / "no-config"),
             **(env or {})}
    old = Path.cwd()
    os.chdir(tmp_path)
    try:
        result = CliRunner().invoke(cli, list(args), env=extra, catch_exceptions=False)
    finally:
        os.chdir(old)
    return subprocess.CompletedProcess(list(args), result.exit_code, result.stdout,
                                       result.stderr)


def roster(tmp_path: Path, rows: list[tuple[str, str]], name: str = "r.csv",
           header: str = "patient,template") -> Path:
    path = tmp_path / name
    path.write_text(header + "\n" + "".join(f"{p},{t}\n" for p, t in rows), encoding="utf-8")
    return path


def pdf_names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.suffix == ".pdf")


def failures(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("Failed: ")]


def assert_clean(stderr: str) -> None:
    assert "Traceback" not in stderr and "BrokenPipe" not in stderr, stderr
    assert SECRET not in stderr and NOTE not in stderr, stderr


def wait_for(folder: Path, count: int, proc: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if folder.is_dir() and len(pdf_names(folder)) >= count:
            return
        time.sleep(0.02)
    pytest.fail(f"the batch did not get going: {proc.poll()}")


def session_processes(session: int) -> list[int]:
    """Processes still alive in a session (a batch's workers)."""
    alive = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if fields[0] != "Z" and int(fields[3]) == session:
                alive.append(int(entry.name))
    return alive


def no_workers_left(session: int) -> None:
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and session_processes(session):
        time.sleep(0.1)
    assert session_processes(session) == []


# --- 1, 2: dead and hung workers ----------------------------------------------------------

DYING = """
import os, signal
from rxprint.api import hookimpl

@hookimpl
def adjust_program(program, context):
    if program.patient_name == "Exit Now":
        os._exit(3)
    if program.patient_name == "Kill Now":
        os.kill(os.getpid(), signal.SIGKILL)
    return program
"""


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_worker_that_dies_fails_its_row_and_the_batch_finishes(tmp_path: Path,
                                                                  jobs: str) -> None:
    env = plugin(tmp_path, "dying", DYING)
    roster(tmp_path, [("A", PROGRAMS[0]), ("Exit Now", PROGRAMS[1]), ("B", PROGRAMS[2]),
                      ("Kill Now", PROGRAMS[0]), ("C", PROGRAMS[1])])
    result = rxprint(tmp_path, "batch", "r.csv", "-o", "out", "-j", jobs, "--report",
                     "rep.json", env=env, timeout=180)
    assert result.returncode == 1, result.stderr
    assert_clean(result.stderr)
    assert failures(result.stderr) == [
        "Failed: row 3: the worker process stopped unexpectedly (exit status 3) while making "
        "this handout, also when tried again in a new worker; the others went on. A plugin "
        "may have ended the process, or the system ran out of memory",
        "Failed: row 5: the worker process stopped unexpectedly (killed by SIGKILL) while "
        "making this handout, also when tried again in a new worker; the others went on. A "
        "plugin may have ended the process, or the system ran out of memory"]
    assert "Batch: 3 done, 0 skipped (already there), 2 failed" in result.stderr
    assert pdf_names(tmp_path / "out") == ["0002-hip-flexor-back-pain.pdf",
                                           "0004-desk-worker-movement.pdf",
                                           "0006-thigh-back-pain.pdf"]
    report = json.loads((tmp_path / "rep.json").read_text())
    assert [i["status"] for i in report["items"]] == ["done", "failed", "done", "failed", "done"]


HANGING = """
import signal, time
from rxprint.api import hookimpl

@hookimpl
def adjust_program(program, context):
    if program.patient_name == "Sleeps":
        time.sleep(3600)
    if program.patient_name == "Spins":  # deaf to SIGTERM: only SIGKILL ends it
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM})
        while True:  # hung for good (asleep: a busy loop would take a core from the tests
            time.sleep(1)  # running beside it, for its timeout and grace period)
    return program
"""


def test_a_hung_row_times_out_and_the_batch_goes_on(tmp_path: Path) -> None:
    env = plugin(tmp_path, "hanging", HANGING)
    roster(tmp_path, [("A", PROGRAMS[0]), ("Sleeps", PROGRAMS[1]), ("Spins", PROGRAMS[2]),
                      ("B", PROGRAMS[1])])
    started = time.monotonic()
    result = rxprint(tmp_path, "batch", "r.csv", "-o", "out", "-j", "2", "--timeout", "3",
                     env=env, timeout=120)
    assert time.monotonic() - started < 100  # not the hour the plugin asked for
    assert result.returncode == 1, result.stderr
    assert_clean(result.stderr)
    message = ("did not finish within 3 s (--timeout); its worker process was stopped and "
               "replaced, and the others went on")
    assert failures(result.stderr) == [f"Failed: row 3: {message}", f"Failed: row 4: {message}"]
    assert pdf_names(tmp_path / "out") == ["0002-hip-flexor-back-pain.pdf",
                                           "0005-thigh-back-pain.pdf"]
    assert [p.name for p in (tmp_path / "out").iterdir() if p.suffix != ".pdf"] == []


def test_timeout_must_be_a_sensible_number(tmp_path: Path) -> None:
    roster(tmp_path, [("A", PROGRAMS[0])])
    result = in_process(tmp_path, "batch", "r.csv", "-o", "out", "--timeout", "0")
    assert result.returncode == 2 and "--timeout" in result.stderr


# --- 3: resuming never keeps another patient's handout ------------------------------------

def test_resume_keeps_a_handout_only_when_it_was_made_from_the_same_input(
        tmp_path: Path) -> None:
    roster(tmp_path, [("Monday Person", PROGRAMS[0]), ("Second Person", PROGRAMS[1])],
           name="monday.csv")
    roster(tmp_path, [(SECRET, PROGRAMS[0]), ("Second Person", PROGRAMS[1])],
           name="tuesday.csv")
    args = ("-o", "out", "-j", "1", "--date", "2026-11-21")
    assert in_process(tmp_path, "batch", "monday.csv", *args).returncode == 0
    first = tmp_path / "out" / "0002-hip-flexor-back-pain.pdf"
    monday = first.read_bytes()

    # the same roster again: both kept, nothing rendered
    result = in_process(tmp_path, "batch", "monday.csv", *args, "--report", "rep.json")
    assert result.returncode == 0, result.stderr
    assert "Batch: 0 done, 2 skipped (already there), 0 failed" in result.stderr
    items = json.loads((tmp_path / "rep.json").read_text())["items"]
    assert [i["error"] for i in items] == ["already there, made from the same input"] * 2

    # Tuesday's roster into Monday's folder: row 2 is another patient's now
    result = in_process(tmp_path, "batch", "tuesday.csv", *args)
    assert result.returncode == 1
    assert_clean(result.stderr)
    assert failures(result.stderr) == [
        "Failed: row 2: 0002-hip-flexor-back-pain.pdf: already exists and was made from "
        "other input (another patient, program, option or rxprint version); it is kept: "
        "use --force to replace it, or another output folder"]
    assert "Batch: 0 done, 1 skipped (already there), 1 failed" in result.stderr
    assert first.read_bytes() == monday  # Monday's handout, untouched

    # an option changes the handout too
    result = in_process(tmp_path, "batch", "monday.csv", *args, "--paper", "a4")
    assert "0 done, 0 skipped (already there), 2 failed" in result.stderr

    # with --force, Tuesday's handout replaces it
    result = in_process(tmp_path, "batch", "tuesday.csv", *args, "--force")
    assert result.returncode == 0, result.stderr
    assert SECRET in Pdf(first.read_bytes()).flat()

    # a file cut short (or not rxprint's) is never kept
    first.write_bytes(first.read_bytes()[:-500])
    result = in_process(tmp_path, "batch", "tuesday.csv", *args)
    assert "already exists and is not a whole handout made by rxprint" in result.stderr


def test_the_fingerprint_is_the_same_from_build_and_batch_and_holds_no_text(
        tmp_path: Path) -> None:
    (tmp_path / "v.toml").write_text(f'template = "{PROGRAMS[0]}"\ndate = 2026-11-21\n'
                                     f'notes = "{NOTE}"\n[patient]\nname = "{SECRET}"\n')
    (tmp_path / "visits").mkdir()
    shutil.copy(tmp_path / "v.toml", tmp_path / "visits" / "v.toml")
    assert in_process(tmp_path, "build", "v.toml", "-o", "built.pdf").returncode == 0
    assert in_process(tmp_path, "batch", "visits", "-o", "out").returncode == 0
    built = (tmp_path / "built.pdf").read_bytes()
    assert (tmp_path / "out" / "v.pdf").read_bytes() == built
    file_id = read_fingerprint(tmp_path / "built.pdf")
    assert file_id is not None and len(file_id) == 16
    assert SECRET.encode() not in file_id and file_id.hex() in built.decode("latin-1")
    # another patient, another fingerprint
    (tmp_path / "v.toml").write_text(f'template = "{PROGRAMS[0]}"\ndate = 2026-11-21\n'
                                     '[patient]\nname = "Someone Else"\n')
    assert in_process(tmp_path, "build", "v.toml", "-o", "other.pdf").returncode == 0
    assert read_fingerprint(tmp_path / "other.pdf") != file_id


# --- 4, 5, 9: nothing of the patient's in messages; warnings without the name ------------

def test_write_errors_name_the_row_never_a_path_made_from_patient_data(
        tmp_path: Path) -> None:
    roster(tmp_path, [(SECRET, PROGRAMS[0]), ("Other Person", PROGRAMS[1])])
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / f"{SECRET}.pdf").mkdir()  # a folder where the handout would go

    def small_files() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (20_000, 20_000))

    result = rxprint(tmp_path, "batch", "r.csv", "-o", "out", "--name", "{patient}",
                     "--report", "rep.json", "-j", "1", preexec=small_files)
    assert result.returncode == 1
    assert_clean(result.stderr)
    assert failures(result.stderr) == [
        "Failed: row 2: its file (name withheld): is a folder",
        "Failed: row 3: could not write the handout to its file (name withheld): file too "
        "large (over the file size limit)"]
    report = (tmp_path / "rep.json").read_text()
    assert SECRET not in report and "Other Person" not in report


def test_cells_are_quoted_only_when_they_look_like_what_was_expected(tmp_path: Path) -> None:
    # a roster with no header row: its first row is a patient's
    (tmp_path / "nohead.csv").write_text(f"{SECRET},hip-flexor-back-pain,2026-11-21\n")
    result = in_process(tmp_path, "batch", "nohead.csv", "-o", "out")
    assert result.returncode == 1 and "2026-11-21" not in result.stderr
    assert_clean(result.stderr)
    assert ("nohead.csv:1: the first row is not a header: none of its cells names a column. "
            "Add a first row that names the columns, from: patient, template, clinician, "
            "date, layout, paper, language, large_print, notes, output, exercises") in result.stderr
    # unknown columns: a near miss is quoted, anything else is named by its place
    (tmp_path / "cols.csv").write_text(f"patient,templte,{SECRET}\nA,b,c\n")
    result = in_process(tmp_path, "batch", "cols.csv", "-o", "out")
    assert_clean(result.stderr)
    assert 'unknown columns: column 2 "templte" (did you mean "template"?), column 3;' \
        in result.stderr
    # columns mapped wrong: the patient's name in every other column
    (tmp_path / "r.csv").write_text(
        "patient,template,layout,paper,exercises,date\n"
        f"A,{SECRET},,,,\nB,hip-flexor-back-pain,{SECRET},,,\n"
        f"C,hip-flexor-back-pain,,{SECRET},,\nD,,,,quad-set {SECRET},\n"
        f"E,hip-flexor-back-pain,,,,{SECRET}\n"
        "F,no-such-program,,legal,,\nG,hip-flexor-back-pain,cmpact,,,\n")
    result = in_process(tmp_path, "batch", "r.csv", "-o", "out", "--report", "rep.json")
    assert_clean(result.stderr)
    assert failures(result.stderr) == [
        "Failed: row 2: template: not an id (lowercase letters, digits and hyphens, like "
        "hip-flexor-back-pain)",
        "Failed: row 3: layout: not an id (lowercase letters, digits and hyphens, like "
        "compact)",
        "Failed: row 4: paper: not a paper size: use a4 or letter",
        "Failed: row 5: exercises: item 2 is not an exercise id (lowercase letters, digits "
        "and hyphens, like quad-set; separate ids with spaces, commas or semicolons)",
        "Failed: row 6: date: not a date like 2026-11-21",
        'Failed: row 7: paper: "legal" is not a paper size rxprint prints: use a4 or letter',
        'Failed: row 8: unknown layout "cmpact" (did you mean "compact"?); available: '
        "classic, compact"]
    report = json.loads((tmp_path / "rep.json").read_text())
    assert SECRET not in json.dumps(report)
    assert all(i["output"] is None for i in report["items"])  # no file was made
    # a program folder: a bad date is not quoted either
    (tmp_path / "visits").mkdir()
    (tmp_path / "visits" / "a.toml").write_text(f'template = "{PROGRAMS[0]}"\n'
                                                f'date = "{SECRET}"\n')
    result = in_process(tmp_path, "batch", "visits", "-o", "out2")
    assert result.returncode == 1
    assert_clean(result.stderr)


def test_a_name_that_prints_as_question_marks_is_warned_about_without_the_name(
        tmp_path: Path) -> None:
    roster(tmp_path, [(f"{SECRET} \U0001F642", PROGRAMS[0]), ("Plain", PROGRAMS[1])])
    result = in_process(tmp_path, "batch", "r.csv", "-o", "out", "--report", "rep.json")
    assert result.returncode == 0, result.stderr
    assert_clean(result.stderr)
    assert ("Warning: row 2: 1 character in the handout text has no glyph in the handout "
            'fonts (emoji or CJK, for example) and printed as "?"') in result.stderr
    assert "row 3" not in result.stderr
    items = json.loads((tmp_path / "rep.json").read_text())["items"]
    assert len(items[0]["warnings"]) == 1 and items[1]["warnings"] == []


# --- 6: what a plugin raises stays the plugin's -------------------------------------------

RAISING = """
from rxprint.api import hookimpl
from rxprint.runtime.interrupt import Interrupted

@hookimpl
def adjust_program(program, context):
    if program.patient_name and program.patient_name.startswith("Zelda"):
        RAISE_IT
    return program
"""


@pytest.mark.parametrize("raise_it", [
    "raise GeneratorExit(program.patient_name)",
    "raise Interrupted()",
    "raise KeyboardInterrupt(program.patient_name)",
    "raise SystemExit(program.patient_name)",
])
def test_what_a_plugin_raises_is_its_own_error(tmp_path: Path, raise_it: str) -> None:
    exception = raise_it.split()[1].split("(")[0]
    env = plugin(tmp_path, "raising", RAISING.replace("RAISE_IT", raise_it))
    result = rxprint(tmp_path, "build", "--template", PROGRAMS[0], "--patient", SECRET,
                     "-o", "x.pdf", env=env)
    assert result.returncode == 1
    assert_clean(result.stderr)
    assert result.stderr.startswith(f"Error: plugin raising failed in adjust_program: "
                                    f"{exception}")
    roster(tmp_path, [("A", PROGRAMS[0]), (SECRET, PROGRAMS[1]), ("B", PROGRAMS[2])])
    for jobs in ("1", "2"):
        result = rxprint(tmp_path, "batch", "r.csv", "-o", f"out{jobs}", "-j", jobs,
                         env=env, timeout=120)
        assert result.returncode == 1
        assert_clean(result.stderr)
        assert failures(result.stderr) == [f"Failed: row 3: plugin raising failed in "
                                           f"adjust_program: {exception} (an error in the "
                                           "plugin; its message is not shown as it may hold "
                                           "patient details, --debug shows it); disable the "
                                           "plugin with RXPRINT_DISABLE_PLUGINS=raising"]
        assert "Batch: 2 done, 0 skipped (already there), 1 failed" in result.stderr


# --- 7, 8: messages and checks that grow with the rows, not their square ----------------

def test_a_clash_group_is_named_once(tmp_path: Path) -> None:
    rows = 3000
    roster(tmp_path, [(f"P{i}", PROGRAMS[0]) for i in range(rows)])
    result = in_process(tmp_path, "batch", "r.csv", "-o", "out", "--name", "{template}",
                     "--report", "rep.json")
    assert result.returncode == 1
    lines = failures(result.stderr)
    assert len(lines) == rows
    assert lines[0] == ("Failed: row 2: its output file would be the same as that of row 3, "
                        "row 4, row 5 and 2,996 more rows: a batch never overwrites its own "
                        "handouts; give the rows different names (an output column, or "
                        "--name with {row})")
    assert lines[1] == ("Failed: row 3: its output file would be the same as that of row 2 "
                        "(see there)")
    assert len(result.stderr) < rows * 120
    assert (tmp_path / "rep.json").stat().st_size < rows * 300


def test_a_header_repeating_a_column_is_checked_in_one_pass(tmp_path: Path) -> None:
    (tmp_path / "r.csv").write_text(",".join(["patient"] * 80_000) + "\nA\n")
    result = rxprint(tmp_path, "batch", "r.csv", "-o", "out", timeout=30)  # was 61 s
    assert result.returncode == 1
    assert "the column 'patient' appears more than once (columns 1 and 2); keep one" \
        in result.stderr


# --- 10: outputs never replace inputs ------------------------------------------------------

def test_no_output_replaces_an_input_or_a_handout(tmp_path: Path) -> None:
    csv = roster(tmp_path, [("A", PROGRAMS[0]), ("B", PROGRAMS[1])])
    before = csv.read_bytes()
    for report in ("r.csv", "out/0002-hip-flexor-back-pain.pdf",
                   "out/0002-HIP-flexor-back-pain.pdf"):
        result = in_process(tmp_path, "batch", "r.csv", "-o", "out", "--report", report,
                         "--force")
        assert result.returncode == 1, report
        assert result.stderr.startswith("Error: --report "), result.stderr
        assert csv.read_bytes() == before and not (tmp_path / "out").exists()
    os.symlink("r.csv", tmp_path / "link.json")
    os.link(csv, tmp_path / "hard.json")
    for report in ("link.json", "hard.json"):
        result = in_process(tmp_path, "batch", "r.csv", "-o", "out", "--report", report,
                         "--force")
        assert "is the roster; rxprint never writes over its own inputs" in result.stderr
    assert csv.read_bytes() == before
    # into the output folder before it exists; and to standard output
    result = in_process(tmp_path, "batch", "r.csv", "-o", "out", "--report", "out/rep.json")
    assert result.returncode == 0, result.stderr
    assert json.loads((tmp_path / "out" / "rep.json").read_text())["summary"]["done"] == 2
    result = in_process(tmp_path, "batch", "r.csv", "-o", "out2", "--report", "-")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["summary"]["done"] == 2
    assert not (tmp_path / "-").exists()
    # build: the program file is never its own output
    (tmp_path / "v.toml").write_text(f'template = "{PROGRAMS[0]}"\n')
    program = (tmp_path / "v.toml").read_bytes()
    result = in_process(tmp_path, "build", "v.toml", "-o", "v.toml", "--force")
    assert result.returncode == 1
    assert "v.toml: is the program file; rxprint never writes over its own inputs" \
        in result.stderr
    assert (tmp_path / "v.toml").read_bytes() == program
    # nor the configuration, a plugin, or the library, whatever the command
    (tmp_path / "clinic.toml").write_text('[defaults]\nclinician = "Sam Lee, PT"\n')
    env = plugin(tmp_path, "noop", "from rxprint.api import hookimpl\n")
    config = (tmp_path / "clinic.toml").read_bytes()
    library_file = builtin_library().exercises["quad-set"].path  # wherever it is installed
    assert library_file is not None
    library_text = library_file.read_bytes()
    for args, what in [
        (("--config", "clinic.toml", "build", "v.toml", "-o", "clinic.toml"),
         "the configuration file"),
        (("--config", "clinic.toml", "catalog", "-o", "clinic.toml"), "the configuration file"),
        (("build", "v.toml", "-o", "plugins/noop.py"), "the file of plugin noop"),
        (("show", "quad-set", "--png", str(library_file)), "the library file of quad-set"),
    ]:
        result = in_process(tmp_path, *args, "--force", env=env)
        assert result.returncode == 1 and f"is {what}; rxprint never writes over" in \
            result.stderr, (args, result.stderr)
    assert (tmp_path / "clinic.toml").read_bytes() == config
    assert library_file.read_bytes() == library_text


# --- 12, 13, 14: signals, the report and the folder, two runs at once --------------------

def big_roster(tmp_path: Path, rows: int) -> None:
    roster(tmp_path, [(f"P{i}", PROGRAMS[i % 3]) for i in range(rows)])


def report_matches_folder(tmp_path: Path) -> dict[str, object]:
    report = json.loads((tmp_path / "rep.json").read_text())
    made = {i["output"] for i in report["items"] if i["status"] in ("done", "skipped")}
    assert made == set(pdf_names(tmp_path / "out"))
    for name in made:
        Pdf((tmp_path / "out" / name).read_bytes())  # each one whole
    assert [p.name for p in (tmp_path / "out").iterdir() if p.suffix != ".pdf"] == []
    return report


def test_after_ctrl_c_the_report_matches_the_folder_every_time(tmp_path: Path) -> None:
    big_roster(tmp_path, 30)
    for attempt in range(4):
        shutil.rmtree(tmp_path / "out", ignore_errors=True)
        proc = start(tmp_path, "batch", "r.csv", "-o", "out", "-j", "2", "--report",
                     "rep.json", "--force")
        wait_for(tmp_path / "out", 2 + attempt, proc)
        os.killpg(proc.pid, signal.SIGINT)  # Ctrl-C: the whole process group
        _, err = proc.communicate(timeout=60)
        assert proc.returncode == 130, err
        assert_clean(err)
        assert err.splitlines()[-1] == "Interrupted."
        report = report_matches_folder(tmp_path)
        assert report["interrupted"] is True and report["stopped"] == "interrupted"


@pytest.mark.parametrize(("sig", "group", "status"), [
    (signal.SIGTERM, False, 143), (signal.SIGHUP, True, 129), (signal.SIGTERM, True, 143)])
def test_sigterm_and_sighup_end_like_ctrl_c(tmp_path: Path, sig: int, group: bool,
                                            status: int) -> None:
    big_roster(tmp_path, 30)
    proc = start(tmp_path, "batch", "r.csv", "-o", "out", "-j", "2", "--report", "rep.json")
    wait_for(tmp_path / "out", 3, proc)
    if group:
        os.killpg(proc.pid, sig)  # the terminal closed: every process of the session
    else:
        os.kill(proc.pid, sig)  # kill PID, a service manager: the main process only
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == status, err
    assert_clean(err)
    name = signal.Signals(sig).name
    assert f"not started (stopped by {name})" in err
    assert err.splitlines()[-1] == f"Stopped ({name})."
    report = report_matches_folder(tmp_path)
    assert report["interrupted"] is True
    no_workers_left(proc.pid)


def test_a_second_run_into_the_same_folder_is_refused(tmp_path: Path) -> None:
    big_roster(tmp_path, 24)
    first = start(tmp_path, "batch", "r.csv", "-o", "out", "-j", "1")
    wait_for(tmp_path / "out", 1, first)
    second = rxprint(tmp_path, "batch", "r.csv", "-o", "out", "-j", "1", timeout=60)
    assert second.returncode == 1
    assert "another rxprint batch is writing into this folder" in second.stderr
    _, err = first.communicate(timeout=300)
    assert first.returncode == 0, err
    assert "Batch: 24 done, 0 skipped (already there), 0 failed" in err
    assert len(pdf_names(tmp_path / "out")) == 24
    # once it has finished, the folder is free again
    assert rxprint(tmp_path, "batch", "r.csv", "-o", "out").returncode == 0


# --- 15: names, terminals, a full disk, file modes, plugin logs ---------------------------

@pytest.mark.parametrize("filler", ["\u3164", "\u115f", "\u1160", "\uffa0", "\u2800",
                                    "\u200b", "\ufe0f", "\U000e0041"])
def test_invisible_fillers_never_reach_a_file_name(filler: str) -> None:
    assert safe_name(f"Ann{filler}Lee") == "AnnLee"
    assert safe_name(filler * 3) == ""


def test_escape_sequences_in_file_names_are_shown_escaped(tmp_path: Path) -> None:
    (tmp_path / "visits").mkdir()
    (tmp_path / "visits" / "bad\x1b[31mred\x07.toml").write_text("exercises = 3\n")
    result = in_process(tmp_path, "batch", "visits", "-o", "out")
    assert result.returncode == 1
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr
    assert "Failed: bad\\x1b[31mred\\x07.toml: " in result.stderr


FULL_DISK = """
import errno, os
from pathlib import Path
from rxprint.api import hookimpl

_write = os.write

def write(fd, data):  # the output folder's disk holds two handouts, then is full
    path = os.readlink(f"/proc/self/fd/{fd}")
    if ".rxprint-" in path:
        done = [p for p in os.listdir(os.path.dirname(path)) if p.endswith(".pdf")]
        if len(done) >= 2:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    return _write(fd, data)

os.write = write

@hookimpl
def adjust_program(program, context):
    return program
"""


def full_disk_outcome(tmp_path: Path, out: Path, env: dict[str, str] | None = None) -> None:
    big_roster(tmp_path, 20)
    result = rxprint(tmp_path, "batch", "r.csv", "-o", str(out), "-j", "2", "--report",
                     "rep.json", env=env)
    assert result.returncode == 1, result.stderr
    assert_clean(result.stderr)
    report = json.loads((tmp_path / "rep.json").read_text())
    summary = report["summary"]
    assert report["stopped"] == "the disk is full"
    assert summary["not_started"] >= 10 and summary["done"] == len(pdf_names(out)) >= 1
    assert f", {summary['not_started']} not started (the disk is full)" in result.stderr
    assert "no space left on device; free some space and try again" in result.stderr
    assert [p.name for p in out.iterdir() if p.suffix != ".pdf"] == []
    for name in pdf_names(out):
        Pdf((out / name).read_bytes())


def test_a_full_disk_stops_the_batch(tmp_path: Path) -> None:
    full_disk_outcome(tmp_path, tmp_path / "out", plugin(tmp_path, "fulldisk", FULL_DISK))


def test_a_full_disk_stops_the_batch_on_a_real_small_file_system(tmp_path: Path) -> None:
    out = tmp_path / "small"
    out.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=200k", "tmpfs", str(out)],
                             capture_output=True, check=False) if shutil.which("mount") else None
    if mounted is None or mounted.returncode != 0:
        pytest.skip("mounting a small tmpfs needs root and a machine that allows it; "
                    "test_a_full_disk_stops_the_batch covers the same with a plugin")
    try:
        full_disk_outcome(tmp_path, out)
    finally:
        subprocess.run(["umount", str(out)], check=False)


def test_handouts_and_reports_are_readable_by_their_owner_only(tmp_path: Path) -> None:
    roster(tmp_path, [("A", PROGRAMS[0])])
    old = os.umask(0o022)
    try:
        assert rxprint(tmp_path, "batch", "r.csv", "-o", "out", "--report",
                       "rep.json").returncode == 0
        assert rxprint(tmp_path, "build", "--template", PROGRAMS[0], "-o",
                       "one.pdf").returncode == 0
    finally:
        os.umask(old)
    for path in (tmp_path / "out" / "0002-hip-flexor-back-pain.pdf", tmp_path / "rep.json",
                 tmp_path / "one.pdf"):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path


LOGGING = """
import logging
from rxprint.api import hookimpl

@hookimpl
def adjust_program(program, context):
    logging.getLogger("clinic").warning("preparing %s", program.patient_name)
    return program
"""


def test_a_plugins_log_records_never_reach_stderr_without_debug(tmp_path: Path) -> None:
    env = plugin(tmp_path, "chatty", LOGGING)
    roster(tmp_path, [(SECRET, PROGRAMS[0]), ("B", PROGRAMS[1])])
    for jobs in ("1", "2"):
        result = rxprint(tmp_path, "batch", "r.csv", "-o", f"out{jobs}", "-j", jobs, env=env)
        assert result.returncode == 0, result.stderr
        assert_clean(result.stderr)
        assert ("Warning: 2 log messages from a plugin or a library not shown (they may hold "
                "patient details); --debug shows them (in worker processes)") in result.stderr
    result = rxprint(tmp_path, "--debug", "batch", "r.csv", "-o", "out3", env=env)
    assert f"WARNING clinic: preparing {SECRET}" in result.stderr  # asked for: shown


SLOW = """
import time
from rxprint.api import hookimpl

@hookimpl
def adjust_program(program, context):
    in_hook()
    time.sleep(60)
    return program
"""


@pytest.mark.parametrize(("sig", "status", "last"), [
    (signal.SIGTERM, 143, "Stopped (SIGTERM)."), (signal.SIGHUP, 129, "Stopped (SIGHUP)."),
    (signal.SIGINT, 130, "Interrupted.")])
def test_build_ends_cleanly_on_every_stop_signal(tmp_path: Path, sig: int, status: int,
                                                 last: str) -> None:
    env = plugin(tmp_path, "slow", SLOW)
    proc = start(tmp_path, "build", "--template", PROGRAMS[0], "--patient", SECRET, "-o",
                 "x.pdf", env=env)
    in_hook_waits(tmp_path, 1, proc)  # loaded, then asleep in the plugin's hook
    os.kill(proc.pid, sig)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == status, err
    assert_clean(err)
    assert err.splitlines()[-1] == last
    assert [p.name for p in tmp_path.iterdir() if p.name != "plugins"] == []  # no file


SWALLOWS = """
import time
from rxprint.api import hookimpl

@hookimpl
def adjust_program(program, context):
    try:  # as ReportLab's bare excepts do, now and then, with a Ctrl-C
        in_hook()
        time.sleep(30)
    except:  # noqa: E722
        pass
    return program
"""


def test_a_ctrl_c_that_library_code_swallows_still_stops_the_build(tmp_path: Path) -> None:
    env = plugin(tmp_path, "swallows", SWALLOWS)
    proc = start(tmp_path, "build", "--template", PROGRAMS[0], "-o", "x.pdf", env=env)
    in_hook_waits(tmp_path, 1, proc)  # asleep in the hook
    os.kill(proc.pid, signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert err.splitlines()[-1] == "Interrupted."
    assert not (tmp_path / "x.pdf").exists()
