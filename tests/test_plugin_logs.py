"""A plugin's log records go through rxprint's boundary: without --debug none is shown,
only one neutral line saying how many there were (their text may hold patient details);
with --debug they are shown. Through CliRunner and through the installed command, where
Python's last-resort handler would otherwise print them on the real standard error."""

from __future__ import annotations

import logging
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from rxprint.runtime.logs import route_logs

from .test_adversarial import clean_env, rxprint_command

Run = Callable[..., Result]
Plugins = Callable[[str, str], Path]

NAME = "Wilhelmina Crabapple"  # stands for a patient's name
SUMMARY = ("Warning: 2 log messages from a plugin or a library not shown (they may hold "
           "patient details); --debug shows them")

LOGGING_PLUGIN = """
    import logging
    from rxprint.api import hookimpl

    log = logging.getLogger(__name__)

    @hookimpl
    def adjust_program(program, context):
        log.warning("patient %s", program.patient_name)
        log.error("still %s", program.patient_name)
        log.info("not even created: below the root logger's level")
"""
BUILD = ("build", "-e", "quad-set", "--patient", NAME, "-o", "out.pdf")


def test_a_plugins_log_records_are_not_shown(run: Run, plugins: Plugins) -> None:
    plugins("chatty", LOGGING_PLUGIN)
    result = run(*BUILD)
    assert result.exit_code == 0, result.output
    assert NAME not in result.output and "Crabapple" not in result.output
    assert result.stderr.splitlines() == ["Wrote out.pdf (2 pages)", SUMMARY]


def test_with_debug_a_plugins_log_records_are_shown(run: Run, plugins: Plugins) -> None:
    plugins("chatty", LOGGING_PLUGIN)
    result = run("--debug", *BUILD)
    assert result.exit_code == 0, result.output
    assert f"WARNING rxprint_local_plugin_chatty: patient {NAME}" in result.stderr
    assert f"ERROR rxprint_local_plugin_chatty: still {NAME}" in result.stderr
    assert "not even created" not in result.stderr and "--debug shows them" not in result.stderr


def test_a_run_that_logs_nothing_says_nothing(run: Run) -> None:
    result = run("build", "-e", "quad-set", "-o", "out.pdf")
    assert result.exit_code == 0
    assert result.stderr == "Wrote out.pdf (2 pages)\n"


def test_a_failing_run_still_counts_the_records(run: Run, plugins: Plugins) -> None:
    plugins("chatty", LOGGING_PLUGIN.replace('log.info("not even', 'raise ValueError("x'))
    result = run(*BUILD)
    assert result.exit_code == 1
    assert NAME not in result.output
    lines = result.stderr.splitlines()
    assert lines[0] == SUMMARY and lines[1].startswith("Error: plugin chatty failed in "
                                                       "adjust_program: ValueError")


def installed(tmp_path: Path, *args: str, debug: bool = False) -> str:
    env = clean_env(tmp_path, {"RXPRINT_PLUGINS_DIR": str(tmp_path / "plugins"),
                               "RXPRINT_PLUGINS": "chatty",
                               **({"RXPRINT_DEBUG": "1"} if debug else {})})
    proc = subprocess.run([*rxprint_command(), *args], cwd=tmp_path, capture_output=True,
                          env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return proc.stderr.decode()


def test_the_installed_command_shows_no_log_record(tmp_path: Path, plugins: Plugins) -> None:
    """Python's last-resort handler writes to the real standard error: not here."""
    plugins("chatty", LOGGING_PLUGIN)
    err = installed(tmp_path, *BUILD)
    assert NAME not in err and "Crabapple" not in err
    assert err.splitlines() == ["Wrote out.pdf (2 pages)", SUMMARY]
    err = installed(tmp_path, *BUILD[:-1], "again.pdf", debug=True)
    assert f"WARNING rxprint_local_plugin_chatty: patient {NAME}" in err


def test_route_logs_replaces_its_own_route_and_counts() -> None:
    """What a batch worker calls: one route at a time, however often it is called."""
    root = logging.getLogger()

    def ours() -> list[logging.Handler]:
        return [h for h in root.handlers if type(h).__module__ == "rxprint.runtime.logs"]

    others = [h for h in root.handlers if h not in ours()]
    first = route_logs(False)
    second = route_logs(False)
    try:
        logging.getLogger("some.plugin").warning("patient %s", NAME)
        assert first.count == 0 and second.count == 1
        assert ours() == [second.handler]
        assert second.summary() == SUMMARY.replace("2 log messages", "1 log message")
    finally:
        second.close()
    assert ours() == [] and root.handlers == others


def test_route_logs_with_debug_shows_records_escaped(capsys: pytest.CaptureFixture[str]) -> None:
    route = route_logs(True)
    try:
        logging.getLogger("some.plugin").warning("patient %s\x1b[2J", NAME)
    finally:
        route.close()
    assert capsys.readouterr().err == f"WARNING some.plugin: patient {NAME}\\x1b[2J\n"
    assert route.summary() is None
