"""``rxprint batch``: rosters, program folders and every standard program; bad rows among
good ones, names, clashes, the report, resuming, Ctrl-C and kill -9, the same bytes as
``rxprint build`` with every start method, and the one error boundary."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from rxprint.batch import MAX_NAME_BYTES, safe_name

from .conftest import Pdf, default_signals

Run = Callable[..., Result]
RXPRINT = Path(sys.executable).with_name("rxprint")
SECRET = "Zelda Quixote"  # a patient's name: never in a message, the summary or the report
NOTE_SECRET = "takes warfarin"


def roster(path: Path, text: str, *, bom: bool = False, crlf: bool = False) -> Path:
    data = text.replace("\n", "\r\n") if crlf else text
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data.encode())
    return path


def pdfs(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def text_of(path: Path) -> str:
    return "\n".join(Pdf(path.read_bytes()).texts())


def test_roster_with_bom_crlf_quoted_commas_and_line_breaks(run: Run, tmp_path: Path) -> None:
    roster(tmp_path / "r.csv",
           'Patient,Template,Date,Notes,Output name,Clinician\n'
           '"Doe, Jane",hip-flexor-back-pain,2026-11-20,"Walk first.\nThen stretch.",,Sam Lee\n'
           '\n'
           'Bob Ray,thigh-back-pain,,,bob ray,\n', bom=True, crlf=True)
    result = run("batch", "r.csv", "-o", "out", "-j", "1", "--date", "2026-11-21")
    assert result.exit_code == 0, result.output
    assert pdfs(tmp_path / "out") == ["0002-hip-flexor-back-pain.pdf", "bob ray.pdf"]
    jane = text_of(tmp_path / "out" / "0002-hip-flexor-back-pain.pdf")
    assert "Doe, Jane" in jane and "Walk first." in jane and "Then stretch." in jane
    assert "Sam Lee" in jane and "November 20, 2026" in jane
    bob = text_of(tmp_path / "out" / "bob ray.pdf")
    assert "Bob Ray" in bob and "November 21, 2026" in bob  # --date for rows with none
    assert "Batch: 2 done, 0 skipped (already there), 0 failed" in result.stderr


def test_unknown_and_repeated_columns_are_errors_naming_them(run: Run, tmp_path: Path) -> None:
    roster(tmp_path / "r.csv", "patient,templte,colour\nA,hip-flexor-back-pain,red\n")
    result = run("batch", "r.csv", "-o", "out")
    assert result.exit_code == 1
    # a near miss is quoted; a name that is no column's may be data: its place is given
    assert ('r.csv:1: unknown columns: column 2 "templte" (did you mean "template"?), '
            "column 3; the columns are patient, template") in result.output
    assert not (tmp_path / "out").exists()
    roster(tmp_path / "r.csv", "patient,Patient\nA,B\n")
    assert "the column 'patient' appears more than once (columns 1 and 2)" in run(
        "batch", "r.csv", "-o", "out").output


def test_a_bad_row_among_good_ones_fails_alone(run: Run, tmp_path: Path) -> None:
    roster(tmp_path / "r.csv",
           "patient,template,date,paper,layout,exercises,notes\n"
           f"Good One,hip-flexor-back-pain,,,,,\n"
           f"{SECRET},hip-flexor-back-pain,2026-02-30,,,,{NOTE_SECRET}\n"
           f"{SECRET},no-such-program,,,,,{NOTE_SECRET}\n"
           f"{SECRET},,,,,quad-set nope-exercise,\n"
           f"{SECRET},hip-flexor-back-pain,,legal,,,\n"
           f"{SECRET},hip-flexor-back-pain,,,cmpact,,\n"
           f"{SECRET},,,,,,{NOTE_SECRET}\n"
           f"{SECRET},hip-flexor-back-pain,,,,,,extra cell\n"
           f"Good Two,,,a4,compact,quad-set;glute-bridge,\n")
    result = run("batch", "r.csv", "-o", "out", "-j", "2")
    assert result.exit_code == 1
    err = result.stderr
    assert SECRET not in err and NOTE_SECRET not in err and "2026-02-30" not in err
    failures = [line for line in err.splitlines() if line.startswith("Failed: ")]
    assert failures == [
        "Failed: row 3: date: not a date like 2026-11-21",
        'Failed: row 4: template: unknown standard program "no-such-program"; '
        "`rxprint programs` lists them",
        'Failed: row 5: exercises: unknown exercise "nope-exercise"; `rxprint list` shows '
        "them all",
        'Failed: row 6: paper: "legal" is not a paper size rxprint prints: use a4 or letter',
        'Failed: row 7: unknown layout "cmpact" (did you mean "compact"?); available: '
        "classic, compact",
        "Failed: row 8: nothing to build: give a template or exercises",
        "Failed: row 9: has 8 cells but the header names 7 columns (a comma in a value "
        "needs quotes)",
    ]
    assert "Batch: 2 done, 0 skipped (already there), 7 failed" in err
    assert pdfs(tmp_path / "out") == ["0002-hip-flexor-back-pain.pdf", "0010-program.pdf"]
    two = Pdf((tmp_path / "out" / "0010-program.pdf").read_bytes())
    assert abs(two.reader.pages[0].mediabox.width - 595.28) < 0.1  # the row's a4


def test_the_report_has_one_record_per_row_and_no_patient_data(run: Run,
                                                               tmp_path: Path) -> None:
    roster(tmp_path / "r.csv", "patient,template,notes\n"
           f"{SECRET},hip-flexor-back-pain,{NOTE_SECRET}\n"
           f"{SECRET},nope,{NOTE_SECRET}\n")
    result = run("batch", "r.csv", "-o", "out", "--report", "rep.json", "--name",
                 "{patient}-{row}", "-j", "1")
    assert result.exit_code == 1
    raw = (tmp_path / "rep.json").read_text()
    assert SECRET not in raw and NOTE_SECRET not in raw and "Zelda" not in raw
    report = json.loads(raw)
    assert report["summary"] | {"seconds": 0} == {"done": 1, "skipped": 0, "failed": 1,
                                                  "not_started": 0, "seconds": 0,
                                                  "workers": 1, "timeout": 120.0}
    done, failed = report["items"]
    assert done["row"] == 2 and done["status"] == "done" and done["pages"] >= 3
    assert done["output"] is None  # the name is made from the patient's: withheld
    assert done["seconds"] > 0 and done["error"] is None
    assert failed["row"] == 3 and failed["status"] == "failed"
    assert failed["error"].startswith('template: unknown standard program "nope"')
    assert pdfs(tmp_path / "out") == [f"{SECRET}-0002.pdf"]
    # a neutral name is reported; the report itself is never overwritten without --force
    assert "rep.json: already exists" in run("batch", "r.csv", "-o", "out2", "--report",
                                             "rep.json").output


def test_an_interrupted_run_is_finished_by_running_it_again(run: Run, tmp_path: Path) -> None:
    roster(tmp_path / "r.csv", "patient,template\nA,hip-flexor-back-pain\n"
                               "B,thigh-back-pain\nC,desk-worker-movement\n")
    out = tmp_path / "out"
    assert run("batch", "r.csv", "-o", "out", "-j", "1").exit_code == 0
    first = (out / "0002-hip-flexor-back-pain.pdf").read_bytes()
    for name in ("0003-thigh-back-pain.pdf", "0004-desk-worker-movement.pdf"):
        (out / name).unlink()  # as if the first run had been stopped after one
    result = run("batch", "r.csv", "-o", "out", "--report", "rep.json", "-j", "1")
    assert result.exit_code == 0
    assert "Batch: 2 done, 1 skipped (already there), 0 failed" in result.stderr
    assert (out / "0002-hip-flexor-back-pain.pdf").read_bytes() == first
    statuses = [r["status"] for r in json.loads((tmp_path / "rep.json").read_text())["items"]]
    assert statuses == ["skipped", "done", "done"]
    result = run("batch", "r.csv", "-o", "out", "--force", "--report", "rep.json")
    assert "Batch: 3 done, 0 skipped" in result.stderr
    assert (out / "0002-hip-flexor-back-pain.pdf").read_bytes().startswith(b"%PDF")


HOSTILE = ["../../escape", "/etc/passwd", "..\\..\\win", "CON", "nul.txt", "", "...",
           "   ", ". .", "a/b\\c:d*e?f\"g<h>i|j", "x" * 190, "é" * 190, "Zoë 🙂", "-rf",
           "LPT1", "line\nbreak", "tab\there", "\u202eevil"]


def test_no_name_can_leave_the_output_folder(run: Run, tmp_path: Path) -> None:
    rows = "".join(f'"{name}",quad-set\n' for name in HOSTILE)
    roster(tmp_path / "r.csv", "patient,exercises\n" + rows)
    result = run("batch", "r.csv", "-o", "out", "--name", "{patient}", "-j", "1")
    assert result.exit_code == 0, result.output
    out = tmp_path / "out"
    names = pdfs(out)
    assert len(names) == len(HOSTILE)  # every row its own file: none lost, none outside
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "r.csv"]
    for name in names:
        stem = name[:-4]
        assert name.endswith(".pdf") and stem and stem == stem.strip(" .")
        assert not set(name) & set('/\\:*?"<>|\n\t\u202e')
        assert len(stem.encode()) <= MAX_NAME_BYTES
        assert stem.split(".")[0].casefold() not in ("con", "nul", "lpt1")
        assert (out / name).resolve().parent == out.resolve()
    assert "_CON.pdf" in names and "_nul.txt.pdf" in names and "escape.pdf" in names
    assert "row 7.pdf" in names  # an empty name falls back to the row


@pytest.mark.parametrize(("text", "expected"), [
    ("../x", "x"), ("a/b", "a-b"), ("CON", "_CON"), ("con.pdf", "_con.pdf"), ("", ""),
    (" . ", ""), ("Jane  Doe", "Jane Doe"), ("e\u0301", "é"), ("a\u200bb", "ab"),
])
def test_safe_name(text: str, expected: str) -> None:
    assert safe_name(text) == expected


def test_rows_that_would_write_one_file_fail_and_the_others_go_on(run: Run,
                                                                   tmp_path: Path) -> None:
    roster(tmp_path / "r.csv", "patient,template,output\n"
           "A,hip-flexor-back-pain,Smith\nB,thigh-back-pain,smith.pdf\n"
           "C,desk-worker-movement,smith.PDF\nD,desk-worker-movement,jones\n")
    result = run("batch", "r.csv", "-o", "out", "-j", "1")
    assert result.exit_code == 1
    assert pdfs(tmp_path / "out") == ["jones.pdf"]
    assert ("Failed: row 2: its output file would be the same as that of row 3, row 4: a "
            "batch never overwrites its own handouts") in result.stderr
    assert "Smith" not in result.stderr and "smith" not in result.stderr
    assert "Batch: 1 done, 0 skipped (already there), 3 failed" in result.stderr


def test_bad_name_template_is_a_usage_error(run: Run, tmp_path: Path) -> None:
    roster(tmp_path / "r.csv", "patient,template\nA,hip-flexor-back-pain\n")
    result = run("batch", "r.csv", "-o", "out", "--name", "{patient}-{mrn}")
    assert result.exit_code == 2 and "unknown field {mrn}" in result.output


def test_all_programs_are_generic_handouts(run: Run, tmp_path: Path, library: object) -> None:
    result = run("batch", "--all-programs", "-o", "binder", "--layout", "compact")
    assert result.exit_code == 0, result.output
    names = pdfs(tmp_path / "binder")
    assert names == sorted(f"{p}.pdf" for p in library.programs)  # type: ignore[attr-defined]
    text = text_of(tmp_path / "binder" / "hip-flexor-back-pain.pdf")
    assert "Prepared for" in text  # the line to write a name in, no name


def test_a_folder_of_program_files(run: Run, tmp_path: Path, write: Callable[..., Path]) -> None:
    write("visits/jane.toml", 'template = "hip-flexor-back-pain"\n[patient]\nname = "Jane"\n')
    write("visits/broken.toml", 'template = "hip-flexor-back-pain"\nexercises = 3\n')
    write("visits/notes.txt", "not a program")
    os.mkfifo(tmp_path / "visits" / "pipe.toml")  # fails at once, never blocks
    result = run("batch", "visits", "-o", "out", "-j", "1")
    assert result.exit_code == 1
    assert pdfs(tmp_path / "out") == ["jane.pdf"]
    assert "Failed: broken.toml: " in result.stderr and "exercises" in result.stderr
    assert "Failed: pipe.toml: " in result.stderr and "FIFO" in result.stderr


def test_special_and_oversized_rosters_fail_at_once(run: Run, tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "fifo.csv")
    result = run("batch", "fifo.csv", "-o", "out")
    assert result.exit_code == 1 and "FIFO" in result.output
    result = run("batch", "/dev/zero", "-o", "out")
    assert result.exit_code == 1 and "device" in result.output
    with (tmp_path / "big.csv").open("wb") as f:
        f.truncate(40 * 1024 * 1024)
    result = run("batch", "big.csv", "-o", "out")
    assert result.exit_code == 1 and "too large" in result.output
    (tmp_path / "bad.csv").write_bytes(b"patient,template\n\xff\xfe,x\n")
    assert "is not UTF-8 text" in run("batch", "bad.csv", "-o", "out").output
    assert not (tmp_path / "out").exists()


def test_a_plugin_crash_fails_its_item_only(run: Run, tmp_path: Path,
                                            plugins: Callable[..., Path]) -> None:
    plugins("fragile", """
        from rxprint.api import hookimpl
        @hookimpl
        def adjust_program(program, context):
            if program.template is not None and program.template.id == "thigh-back-pain":
                raise RuntimeError("cannot handle " + (program.patient_name or ""))
            return program
    """)
    roster(tmp_path / "r.csv", f"patient,template\n{SECRET},thigh-back-pain\n"
                               f"{SECRET},hip-flexor-back-pain\n")
    result = run("batch", "r.csv", "-o", "out", "-j", "2", "--report", "rep.json")
    assert result.exit_code == 1
    assert SECRET not in result.output and "cannot handle" not in result.output
    assert "Failed: row 2: plugin fragile" in result.stderr and "RuntimeError" in result.stderr
    assert pdfs(tmp_path / "out") == ["0003-hip-flexor-back-pain.pdf"]
    assert SECRET not in (tmp_path / "rep.json").read_text()


LOCAL_PLUGIN = """
from rxprint.api import hookimpl
from rxprint.library.branding import Branding
from rxprint.library.model import EducationSection

@hookimpl
def register_exercises(register):
    register(EducationSection(id="clinic-hours", title="Our hours",
                              paragraphs=("Open every weekday from 8 to 6.",),
                              bullets=(), sources=("clinic",)))

@hookimpl
def register_branding(register):
    register("local", Branding(clinic_name="Local Clinic", phone="555-0100"))
"""


@pytest.mark.parametrize("method", ["fork", "spawn", "forkserver"])
def test_batch_gives_the_bytes_build_gives(run: Run, tmp_path: Path, method: str,
                                           plugins: Callable[..., Path],
                                           write: Callable[..., Path]) -> None:
    # a --plugins-dir plugin lives in a module a spawned worker cannot import: each
    # worker loads the plugins itself
    plugins("local", LOCAL_PLUGIN)
    write("visits/a.toml", 'template = "hip-flexor-back-pain"\ndate = 2026-11-21\n'
                           'education = ["clinic-hours"]\n[patient]\nname = "Ann Lee"\n')
    write("visits/b.toml", 'date = 2026-11-21\nexercises = [{id = "quad-set"}]\n'
                           '[patient]\nname = "Bo Ng"\n')
    result = run("batch", "visits", "-o", "out", "-j", "2", "--start-method", method,
                 "--layout", "compact", "--paper", "a4", "--branding", "local")
    assert result.exit_code == 0, result.output
    for name in ("a", "b"):
        built = run("build", f"visits/{name}.toml", "-o", f"{name}.pdf", "--layout",
                    "compact", "--paper", "a4", "--branding", "local")
        assert built.exit_code == 0, built.output
        assert (tmp_path / "out" / f"{name}.pdf").read_bytes() == \
            (tmp_path / f"{name}.pdf").read_bytes()
    assert "Our hours" in text_of(tmp_path / "out" / "a.pdf")
    assert "Local Clinic" in text_of(tmp_path / "out" / "a.pdf")


def test_handouts_made_after_others_in_one_process_are_the_bytes_of_a_fresh_build(
        run: Run, tmp_path: Path) -> None:
    # a worker remembers paragraphs, markup and drawings from one handout to the next:
    # what it makes from that memory must be what a new process makes from nothing
    programs = ["hip-flexor-back-pain", "thigh-back-pain", "runner-hip-extension",
                "hip-flexor-back-pain", "standing-posture-legs", "desk-worker-movement"]
    roster(tmp_path / "r.csv", "patient,template,notes\n" + "".join(
        f"Person {i},{t},Note {i}\n" for i, t in enumerate(programs)))
    for layout in ("classic", "compact"):
        result = run("batch", "r.csv", "-o", layout, "-j", "1", "--layout", layout,
                     "--date", "2026-11-21")
        assert result.exit_code == 0, result.output
    if not RXPRINT.exists():
        pytest.skip("the rxprint command is not installed in this environment")
    for i, template in enumerate(programs):
        for layout in ("classic", "compact"):
            (tmp_path / f"{i}.toml").write_text(
                f'template = "{template}"\nnotes = "Note {i}"\ndate = 2026-11-21\n'
                f'[patient]\nname = "Person {i}"\n')
            fresh = subprocess.run([str(RXPRINT), "build", f"{i}.toml", "-o", "-", "--layout",
                                    layout], cwd=tmp_path, capture_output=True, check=True)
            made = tmp_path / layout / f"{i + 2:04d}-{template}.pdf"
            assert made.read_bytes() == fresh.stdout, (layout, template)


def test_either_a_source_or_all_programs(run: Run, tmp_path: Path) -> None:
    assert run("batch", "-o", "out").exit_code == 2
    roster(tmp_path / "r.csv", "patient,template\n")
    assert run("batch", "r.csv", "--all-programs", "-o", "out").exit_code == 2


# --- the real process: Ctrl-C and kill -9 -------------------------------------------------

def big_roster(tmp_path: Path, rows: int) -> Path:
    programs = ["hip-flexor-back-pain", "thigh-back-pain", "desk-worker-movement"]
    return roster(tmp_path / "r.csv", "patient,template\n" + "".join(
        f"P{i},{programs[i % 3]}\n" for i in range(rows)))


def start(tmp_path: Path, *args: str) -> subprocess.Popen[bytes]:
    if not RXPRINT.exists():
        pytest.skip("the rxprint command is not installed in this environment")
    return subprocess.Popen([str(RXPRINT), "batch", "r.csv", "-o", "out", *args],
                            cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            start_new_session=True, preexec_fn=default_signals())


def wait_for_outputs(out: Path, count: int, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if out.is_dir() and len([p for p in out.iterdir() if p.suffix == ".pdf"]) >= count:
            return
        time.sleep(0.02)
    pytest.fail("the batch did not get going")


def complete_pdfs(out: Path) -> list[str]:
    names = []
    for path in sorted(out.iterdir()):
        if path.suffix == ".pdf":
            Pdf(path.read_bytes())  # every file there is a whole, valid handout
            names.append(path.name)
    return names


def temp_files(out: Path) -> list[str]:
    return [p.name for p in out.iterdir() if p.suffix != ".pdf"]


def no_workers_left(session: int) -> None:
    """Wait (generously) until no process of the batch's session is left: its workers."""
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and _workers_of(session):
        time.sleep(0.02)
    assert _workers_of(session) == []  # no orphaned worker keeps running


ROWS = 16  # enough that a batch stopped after its third handout has rows left to make


def test_ctrl_c_stops_the_workers_cleanly_and_a_rerun_finishes(tmp_path: Path) -> None:
    big_roster(tmp_path, ROWS)
    proc = start(tmp_path, "-j", "2", "--report", "rep.json")
    out = tmp_path / "out"
    wait_for_outputs(out, 3, proc)
    os.killpg(proc.pid, signal.SIGINT)  # Ctrl-C goes to the whole process group
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert err.decode().splitlines()[-1] == "Interrupted."
    assert "not started (interrupted)" in err.decode() and "Traceback" not in err.decode()
    no_workers_left(proc.pid)
    assert temp_files(out) == []
    first = complete_pdfs(out)
    assert 3 <= len(first) < ROWS
    report = json.loads((tmp_path / "rep.json").read_text())
    assert report["interrupted"] is True and report["summary"]["done"] == len(first)
    proc = start(tmp_path, "-j", "2")
    _, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err
    assert f"{ROWS - len(first)} done, {len(first)} skipped" in err.decode()
    assert len(complete_pdfs(out)) == ROWS


def test_kill_9_leaves_only_whole_pdfs_and_the_next_run_cleans_up(tmp_path: Path) -> None:
    big_roster(tmp_path, ROWS)
    out = tmp_path / "out"
    proc = start(tmp_path, "-j", "2")
    wait_for_outputs(out, 3, proc)
    os.kill(proc.pid, signal.SIGKILL)  # the main process only: its workers must notice
    proc.communicate(timeout=30)
    no_workers_left(proc.pid)
    assert len(complete_pdfs(out)) < ROWS
    # what a worker killed by a power cut between creating and renaming its file leaves
    (out / ".rxprint-999999999-abc.part").write_bytes(b"left by a process long gone")
    proc = start(tmp_path, "-j", "2")
    _, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err
    assert "Removed" in err.decode() and temp_files(out) == []
    assert len(complete_pdfs(out)) == ROWS


def _workers_of(session: int) -> list[int]:
    """Processes still alive in the batch's session (its workers)."""
    alive = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            fields = stat.rsplit(")", 1)[1].split()
            if fields[0] != "Z" and int(fields[3]) == session:  # state, session id
                alive.append(int(entry.name))
    return alive


def test_an_app_pickles_as_what_it_is_made_from(plugins: Callable[..., Path]) -> None:
    import pickle

    from rxprint.app import App

    plugins("local", LOCAL_PLUGIN)
    app = App()
    assert "local" in app.registry.brandings  # loaded from a synthetic module
    copy = pickle.loads(pickle.dumps(app))
    assert copy.config == app.config and copy.options == app.options
    assert "local" in copy.registry.brandings  # it loads the plugins itself
