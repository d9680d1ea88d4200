"""``rxprint batch`` against what an adversarial review found after the first round of
fixes: links in the output folder, signals at awkward moments (twice, after the last
handout, while workers start, a plugin replacing rxprint's handlers, Ctrl-Z), workers that
die oddly (a real-time signal, a plugin's child holding their pipes, a death between two
jobs), a worker stuck while loading, odd file names, the report's own failures. Real
processes throughout, as in tests/test_batch_trust.py, whose helpers these share."""

from __future__ import annotations

import json
import os
import shutil
import signal
import stat
import subprocess
import time
from pathlib import Path

import pytest

from rxprint.library.loader import builtin_library

from .conftest import Pdf
from .test_batch_trust import (
    PROGRAMS,
    RXPRINT,
    SECRET,
    assert_clean,
    environment,
    failures,
    in_hook_waits,
    in_process,
    pdf_names,
    plugin,
    report_matches_folder,
    roster,
    rxprint,
    start,
    wait_for,
)


def test_a_link_in_the_output_folder_is_never_written_through(tmp_path: Path) -> None:
    roster(tmp_path, [("Alice Canary", PROGRAMS[0]), ("Bob Canary", PROGRAMS[0])])
    monday = tmp_path / "monday"
    monday.mkdir()
    (monday / "0002-hip-flexor-back-pain.pdf").write_bytes(b"Monday's patient")
    out = tmp_path / "out"
    out.mkdir()
    (out / "0002-hip-flexor-back-pain.pdf").write_bytes(b"an old handout")
    os.symlink("0002-hip-flexor-back-pain.pdf", out / "0003-hip-flexor-back-pain.pdf")
    os.symlink(monday / "0002-hip-flexor-back-pain.pdf", out / "0004-x.pdf")
    (tmp_path / "r.csv").write_text("patient,template,output\n"
                                    f"Alice Canary,{PROGRAMS[0]},\nBob Canary,{PROGRAMS[0]},\n"
                                    f"Cy Canary,{PROGRAMS[0]},0004-x\n")
    result = in_process(tmp_path, "batch", "r.csv", "-o", "out", "--force", "--report",
                        "rep.json")
    assert result.returncode == 1
    assert failures(result.stderr) == [
        "Failed: row 3: 0003-hip-flexor-back-pain.pdf: is a symbolic link; a batch writes "
        "only plain files into its folder, never through a link (it may lead to another "
        "patient's handout, or out of the folder): remove the link",
        "Failed: row 4: its file (name withheld): is a symbolic link; a batch writes only "
        "plain files into its folder, never through a link (it may lead to another "
        "patient's handout, or out of the folder): remove the link"]
    alice = Pdf((out / "0002-hip-flexor-back-pain.pdf").read_bytes()).flat()
    assert "Alice Canary" in alice and "Bob Canary" not in alice
    assert (monday / "0002-hip-flexor-back-pain.pdf").read_bytes() == b"Monday's patient"
    assert os.path.islink(out / "0003-hip-flexor-back-pain.pdf")


def test_two_quick_signals_still_leave_a_report_that_matches_the_folder(
        tmp_path: Path) -> None:
    roster(tmp_path, [(f"P{i}", PROGRAMS[i % 3]) for i in range(40)])
    for second, gap in ((signal.SIGINT, 0.01), (signal.SIGTERM, 0.01), (signal.SIGINT, 0.3)):
        shutil.rmtree(tmp_path / "out", ignore_errors=True)
        (tmp_path / "rep.json").unlink(missing_ok=True)
        proc = start(tmp_path, "batch", "r.csv", "-o", "out", "-j", "2", "--report",
                     "rep.json")
        wait_for(tmp_path / "out", 2, proc)
        os.killpg(proc.pid, signal.SIGINT)
        time.sleep(gap)
        os.killpg(proc.pid, second)
        _, err = proc.communicate(timeout=60)
        assert proc.returncode == 130, err  # the first signal decides
        assert_clean(err)
        report_matches_folder(tmp_path)


FAILS_FAST = "".join(f"F{i} Canary,Bad Id\n" for i in range(60_000))


def test_a_signal_after_the_last_handout_still_leaves_the_report(tmp_path: Path) -> None:
    # 3 handouts, then 60,000 rows that fail as they are: the signal arrives while the
    # outcomes are counted or the report is being made, after every handout is written
    (tmp_path / "r.csv").write_text("patient,template\n" + "".join(
        f"P{i},{PROGRAMS[i]}\n" for i in range(3)) + FAILS_FAST)
    proc = start(tmp_path, "batch", "r.csv", "-o", "out", "-j", "1", "--report", "rep.json")
    wait_for(tmp_path / "out", 3, proc)
    os.killpg(proc.pid, signal.SIGTERM)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode in (143, 1), err  # stopped, or finished just before
    assert_clean(err)
    report_matches_folder(tmp_path)


RESETS_SIGINT = """
import signal
from rxprint.api import hookimpl

signal.signal(signal.SIGINT, signal.default_int_handler)
signal.signal(signal.SIGTERM, signal.SIG_DFL)

@hookimpl
def adjust_program(program, context):
    signal.signal(signal.SIGINT, signal.default_int_handler)
    return program
"""


def test_a_plugin_cannot_take_ctrl_c_away(tmp_path: Path) -> None:
    env = plugin(tmp_path, "resets", RESETS_SIGINT)
    roster(tmp_path, [(f"P{i}", PROGRAMS[i % 3]) for i in range(40)])
    proc = start(tmp_path, "batch", "r.csv", "-o", "out", "-j", "2", "--report", "rep.json",
                 env=env)
    wait_for(tmp_path / "out", 3, proc)
    os.killpg(proc.pid, signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert_clean(err)
    assert err.splitlines()[-1] == "Interrupted."
    report_matches_folder(tmp_path)


ODD_DEATHS = """
import os, threading
from rxprint.api import hookimpl

@hookimpl
def adjust_program(program, context):
    name = program.patient_name or ""
    if name == "Realtime":
        os.kill(os.getpid(), 40)  # a real-time signal: no name
    if name == "Forks" and os.fork() == 0:
        import time
        time.sleep(30)  # a child that keeps the worker's pipes open
        os._exit(0)
    if name == "Forks":
        os._exit(5)
    if name == "Bomb":  # ends its process a little later: after this row's outcome is
        # sent (so never this row's death, however slow the machine), and most often while
        # the next row is being made
        import rxprint.batch.worker as worker
        _answer = worker._answer

        def answer_then_end(conn, message):
            sent = _answer(conn, message)
            threading.Timer(0.3, lambda: os._exit(9)).start()
            return sent

        worker._answer = answer_then_end
    return program
"""


def test_workers_that_die_oddly_cost_their_row_only(tmp_path: Path) -> None:
    env = plugin(tmp_path, "odd", ODD_DEATHS)
    roster(tmp_path, [("A", PROGRAMS[0]), ("Realtime", PROGRAMS[1]), ("Forks", PROGRAMS[2]),
                      ("Bomb", PROGRAMS[0]), ("After Bomb", PROGRAMS[1]), ("B", PROGRAMS[2])])
    started = time.monotonic()
    result = rxprint(tmp_path, "batch", "r.csv", "-o", "out", "-j", "1", "--report",
                     "rep.json", env=env, timeout=120)
    assert time.monotonic() - started < 25  # not waiting for the fork's child (30 s)
    assert result.returncode == 1, result.stderr
    assert_clean(result.stderr)
    lines = failures(result.stderr)
    assert len(lines) == 2, result.stderr
    assert lines[0].startswith("Failed: row 3: the worker process stopped unexpectedly "
                               "(killed by signal 40)")
    assert lines[1].startswith("Failed: row 4: the worker process stopped unexpectedly "
                               "(exit status 5)")
    # the row after the delayed death was tried again in a new worker, and made
    assert "Batch: 4 done, 0 skipped (already there), 2 failed" in result.stderr
    report_matches_folder(tmp_path)
    # no worker's child keeps the folder locked
    again = rxprint(tmp_path, "batch", "r.csv", "-o", "out", "-j", "1", timeout=60)
    assert "another rxprint batch" not in again.stderr


STUCK_WORKERS = """
import multiprocessing, os, time
from rxprint.api import hookimpl

if multiprocessing.parent_process() is not None:  # a batch worker
    time.sleep(float(os.environ["LOAD_SECONDS"]))  # loading takes this long

@hookimpl
def adjust_program(program, context):
    return program
"""


def test_a_worker_slow_to_load_costs_no_row(tmp_path: Path) -> None:
    env = plugin(tmp_path, "slow", STUCK_WORKERS) | {"LOAD_SECONDS": "3"}
    roster(tmp_path, [(f"P{i}", PROGRAMS[i % 3]) for i in range(4)])
    result = rxprint(tmp_path, "batch", "r.csv", "-o", "out", "-j", "2", "--timeout", "2",
                     env=env, timeout=120)
    assert result.returncode == 0, result.stderr  # loading is not a handout's time
    assert "Batch: 4 done" in result.stderr


def test_workers_stuck_while_loading_stop_the_batch_and_blame_no_row(tmp_path: Path) -> None:
    env = plugin(tmp_path, "stuck", STUCK_WORKERS) | {"LOAD_SECONDS": "3600"}
    roster(tmp_path, [(f"P{i}", PROGRAMS[i % 3]) for i in range(4)])
    started = time.monotonic()
    result = rxprint(tmp_path, "batch", "r.csv", "-o", "out", "-j", "3", "--timeout", "2",
                     "--report", "rep.json", env=env, timeout=120)
    assert time.monotonic() - started < 60  # three workers stuck 10 s each, side by side
    assert result.returncode == 1
    assert_clean(result.stderr)
    assert failures(result.stderr) == []
    assert ("0 done, 0 skipped (already there), 0 failed, 4 not started (no worker process "
            "could start: 3 in a row failed, the last took longer than 10 s to load; see "
            "`rxprint plugins`, or run with --debug)") in result.stderr
    assert json.loads((tmp_path / "rep.json").read_text())["summary"]["not_started"] == 4


BLOCKED_SEND = """
import multiprocessing, os, time
from rxprint.api import hookimpl

if multiprocessing.parent_process() is not None:  # a batch worker
    if os.fork() == 0:  # a helper process: it keeps the worker's pipe open
        time.sleep(60)
        os._exit(0)
    import rxprint.batch.worker as worker
    _answer = worker._answer

    def answer_then_end(conn, message):
        sent = _answer(conn, message)
        if message != worker.READY:
            os._exit(0)  # the worker ends between two rows, its pipe still open
        return sent

    worker._answer = answer_then_end

@hookimpl
def adjust_program(program, context):
    return program
"""


def test_a_large_row_for_a_worker_that_stopped_reading_never_blocks_the_batch(
        tmp_path: Path) -> None:
    env = plugin(tmp_path, "blocks", BLOCKED_SEND)
    note = "\U0001d49c" * 4999  # 20 KB in UTF-8 for every exercise: a row of about 0.8 MB
    exercises = "".join(f'[[exercises]]\nid = "{ident}"\nnote = "{note}"\n'
                        for ident in sorted(builtin_library().exercises))
    (tmp_path / "visits").mkdir()
    (tmp_path / "visits" / "a.toml").write_text(f'template = "{PROGRAMS[0]}"\n')
    for name in ("b", "c"):
        (tmp_path / "visits" / f"{name}.toml").write_text(exercises, encoding="utf-8")
    started = time.monotonic()
    # --timeout 30: a row takes about 3 s alone, more on a loaded machine; what is tested
    # is that nothing waits for the helper process (its minute)
    result = rxprint(tmp_path, "batch", "visits", "-o", "out", "-j", "1", "--timeout", "30",
                     "--report", "rep.json", env=env, timeout=120)
    assert time.monotonic() - started < 45  # not the helper's minute
    assert_clean(result.stderr)
    report_matches_folder(tmp_path)
    assert "Batch: 3 done" in result.stderr, result.stderr


def test_time_suspended_does_not_count_against_the_timeout(tmp_path: Path) -> None:
    roster(tmp_path, [(f"P{i}", PROGRAMS[i % 3]) for i in range(16)])
    # --timeout 4: a row takes well under a second, but a loaded CI machine running the
    # suite in parallel has taken over 2 s for one (a handout has its log page now)
    proc = start(tmp_path, "batch", "r.csv", "-o", "out", "-j", "1", "--timeout", "4")
    wait_for(tmp_path / "out", 2, proc)
    os.killpg(proc.pid, signal.SIGSTOP)  # Ctrl-Z
    time.sleep(5.5)  # suspended longer than the timeout, with a row being made
    os.killpg(proc.pid, signal.SIGCONT)  # fg
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    assert "Batch: 16 done" in err


def test_ctrl_c_while_spawned_workers_start_prints_no_traceback(tmp_path: Path) -> None:
    roster(tmp_path, [(f"P{i}", PROGRAMS[i % 3]) for i in range(6)])
    for delay in (0.5, 0.8, 1.1):
        proc = start(tmp_path, "batch", "r.csv", "-o", f"out{delay}", "-j", "2",
                     "--start-method", "spawn")
        time.sleep(delay)
        os.killpg(proc.pid, signal.SIGINT)
        _, err = proc.communicate(timeout=60)
        assert proc.returncode in (0, 130), err
        assert "Traceback" not in err and "KeyboardInterrupt" not in err, err


def test_odd_file_names_never_break_the_report_or_forge_lines(tmp_path: Path) -> None:
    visits = tmp_path / "visits"
    visits.mkdir()
    (visits / "ok.toml").write_text(f'template = "{PROGRAMS[0]}"\n')
    forged = "evil\nBatch: 99 done, 0 skipped (already there), 0 failed\u202e.toml"
    (visits / forged).write_text("template = 3\n")
    os.mkdir(os.fsencode(tmp_path) + b"/out\xff")
    result = rxprint(tmp_path, "batch", "visits", "-o", os.fsdecode(b"out\xff"), "--report",
                     "-")
    assert result.returncode == 1, result.stderr
    assert not any(line.startswith("Batch: 99") for line in result.stderr.splitlines())
    assert "\u202e" not in result.stderr
    assert "Failed: evil\\nBatch: 99 done" in result.stderr
    report = json.loads(result.stdout)
    assert report["summary"]["done"] == 1
    assert "\u202e" not in result.stdout and "\\u202e" in result.stdout
    assert "\\udc" not in result.stdout  # no lone surrogate: strict JSON readers take it
    assert report["output_dir"].endswith("out\\xff")


def test_the_output_folder_is_its_owners_only(tmp_path: Path) -> None:
    roster(tmp_path, [(SECRET, PROGRAMS[0])])
    old = os.umask(0o022)
    try:
        result = rxprint(tmp_path, "batch", "r.csv", "-o", "new/handouts", "--name",
                         "{patient}")
    finally:
        os.umask(old)
    assert result.returncode == 0, result.stderr
    for folder in ("new", "new/handouts"):
        assert stat.S_IMODE((tmp_path / folder).stat().st_mode) == 0o700


def test_the_report_is_checked_before_any_work_and_its_failure_hides_nothing(
        tmp_path: Path) -> None:
    roster(tmp_path, [("A", PROGRAMS[0]), ("B", "no-such-program")])
    result = in_process(tmp_path, "batch", "r.csv", "-o", "out", "--report", "out")
    assert result.returncode == 1 and "--report out: is the output folder" in result.stderr
    assert not (tmp_path / "out").exists()
    result = subprocess.run(["sh", "-c", '"$0" batch r.csv -o out2 --report - >&-',
                             str(RXPRINT)], cwd=tmp_path, capture_output=True, text=True,
                            timeout=120, env=environment(tmp_path))
    assert result.returncode == 1
    assert "--report -: standard output is closed" in result.stderr
    assert not (tmp_path / "out2").exists()

    def small_files() -> None:  # the handouts fit; the report does not
        import resource
        resource.setrlimit(resource.RLIMIT_FSIZE, (1_000_000, 1_000_000))

    big = "".join(f"P{i},{PROGRAMS[0]}\n" for i in range(2)) + "".join(
        f"Q{i},bad id\n" for i in range(20_000))
    (tmp_path / "big.csv").write_text("patient,template\n" + big)
    result = rxprint(tmp_path, "batch", "big.csv", "-o", "out3", "--report", "rep.json",
                     preexec=small_files)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert lines[-1].startswith("Error: could not write the report to rep.json: file too "
                                "large"), lines[-3:]
    assert lines[-2].startswith("Batch: 2 done, 0 skipped (already there), 20000 failed")
    assert len(pdf_names(tmp_path / "out3")) == 2


def test_timeout_and_jobs_must_be_sensible(tmp_path: Path) -> None:
    roster(tmp_path, [("A", PROGRAMS[0])])
    for args in (("--timeout", "nan"), ("--timeout", "inf"), ("-j", "1000")):
        result = in_process(tmp_path, "batch", "r.csv", "-o", "out", *args)
        assert result.returncode == 2, (args, result.stderr)
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("method", ["fork", "spawn", "forkserver"])
def test_every_start_method_survives_a_dying_worker(tmp_path: Path, method: str) -> None:
    env = plugin(tmp_path, "odd", ODD_DEATHS)
    roster(tmp_path, [("A", PROGRAMS[0]), ("Realtime", PROGRAMS[1]), ("B", PROGRAMS[2])])
    result = rxprint(tmp_path, "batch", "r.csv", "-o", "out", "-j", "2", "--start-method",
                     method, "--report", "rep.json", env=env, timeout=120)
    assert result.returncode == 1, result.stderr
    assert_clean(result.stderr)
    assert "Batch: 2 done, 0 skipped (already there), 1 failed" in result.stderr
    report_matches_folder(tmp_path)


GRACEFUL = """
import signal, sys, time
from rxprint.api import hookimpl

signal.signal(signal.SIGTERM, lambda number, frame: sys.exit(0))  # "graceful shutdown"
signal.signal(signal.SIGINT, signal.default_int_handler)

@hookimpl
def adjust_program(program, context):
    signal.signal(signal.SIGTERM, lambda number, frame: sys.exit(0))
    if (program.patient_name or "").startswith("Slow"):
        in_hook()
        time.sleep(30)
    return program
"""


def test_a_plugins_signal_handlers_never_turn_a_stop_into_failed_rows(tmp_path: Path) -> None:
    env = plugin(tmp_path, "graceful", GRACEFUL)
    roster(tmp_path, [("A", PROGRAMS[0]), ("Slow One", PROGRAMS[1]), ("B", PROGRAMS[2])])
    result = rxprint(tmp_path, "batch", "r.csv", "-o", "out", "-j", "2", "--timeout", "2",
                     env=env, timeout=120)
    assert failures(result.stderr) == [  # a timeout, not the plugin's SystemExit
        "Failed: row 3: did not finish within 2 s (--timeout); its worker process was "
        "stopped and replaced, and the others went on"]
    roster(tmp_path, [(f"Slow {i}", PROGRAMS[i % 3]) for i in range(4)], name="slow.csv")
    shutil.rmtree(tmp_path / "in-hook")  # "Slow One" was in the hook
    for sig in (signal.SIGINT, signal.SIGTERM):
        proc = start(tmp_path, "batch", "slow.csv", "-o", f"out{sig}", "-j", "2", "--report",
                     f"rep{sig}.json", env=env)
        in_hook_waits(tmp_path, 2, proc)  # both workers asleep in the hook
        os.killpg(proc.pid, sig)
        _, err = proc.communicate(timeout=60)
        assert proc.returncode == 128 + sig, err
        assert_clean(err)
        assert failures(err) == []  # stopped rows are not made, not failed
        summary = json.loads((tmp_path / f"rep{sig}.json").read_text())["summary"]
        assert summary["failed"] == 0 and summary["not_started"] == 4


SLOW_HOOK = """
import os, time
from rxprint.api import hookimpl

@hookimpl
def adjust_program(program, context):
    in_hook()
    deadline = time.monotonic() + 60
    while not os.path.islink(os.environ["LINK"]) and time.monotonic() < deadline:
        time.sleep(0.01)  # until the test has made its link: the row is being made
    return program
"""


def test_a_link_that_appears_while_a_row_renders_is_not_written_through(
        tmp_path: Path) -> None:
    link = tmp_path / "out" / "0002-hip-flexor-back-pain.pdf"
    env = plugin(tmp_path, "slowhook", SLOW_HOOK) | {"LINK": str(link)}
    roster(tmp_path, [("Slow Canary", PROGRAMS[0])])
    victim = tmp_path / "victim.pdf"
    victim.write_bytes(b"another patient's handout")
    (tmp_path / "out").mkdir()
    proc = start(tmp_path, "batch", "r.csv", "-o", "out", "--force", "-j", "1", env=env)
    in_hook_waits(tmp_path, 1, proc)  # the row is being made
    os.symlink(victim, link)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 1, err
    assert "is a symbolic link" in err or "became a symbolic link" in err, err
    assert victim.read_bytes() == b"another patient's handout"


PRINTS = """
from rxprint.api import hookimpl

print("PLUGIN LOADED")

@hookimpl
def adjust_program(program, context):
    print("PATIENT:", program.patient_name)
    return program
"""


def test_what_a_plugin_prints_never_reaches_standard_output(tmp_path: Path) -> None:
    env = plugin(tmp_path, "prints", PRINTS)
    result = subprocess.run([str(RXPRINT), "build", "--template", PROGRAMS[0], "--patient",
                             SECRET, "-o", "-"], cwd=tmp_path, capture_output=True,
                            timeout=120, env=environment(tmp_path, **env))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(b"%PDF") and SECRET.encode() not in result.stderr
    assert b"PLUGIN LOADED" not in result.stdout + result.stderr
    Pdf(result.stdout)
    roster(tmp_path, [(SECRET, PROGRAMS[0])])
    result2 = rxprint(tmp_path, "batch", "r.csv", "-o", "out", "--report", "-", env=env)
    assert json.loads(result2.stdout)["summary"]["done"] == 1  # nothing but the report
    assert_clean(result2.stderr)
    shown = rxprint(tmp_path, "--debug", "build", "--template", PROGRAMS[0], "-o", "d.pdf",
                    env=env)
    assert "PLUGIN LOADED" in shown.stderr  # --debug: shown, on stderr


def test_a_batch_runs_with_standard_error_closed(tmp_path: Path) -> None:
    roster(tmp_path, [("A", PROGRAMS[0])])
    result = subprocess.run(["sh", "-c", '"$0" batch r.csv -o out --report rep.json 2>&-',
                             str(RXPRINT)], cwd=tmp_path, capture_output=True, text=True,
                            timeout=120, env=environment(tmp_path))
    assert result.returncode == 0 and result.stdout == "", result
    assert pdf_names(tmp_path / "out") == ["0002-hip-flexor-back-pain.pdf"]
