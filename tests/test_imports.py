"""The commands that print nothing render nothing: ``--help``, ``--version``, ``list``,
``show`` and ``programs`` import neither ReportLab nor Pillow, with the installed plugins
loaded; and ``build`` imports what it uses, not the batch machinery, the validator or the
other commands (checked in a fresh interpreter through ``sys.modules``)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

PROBE = """
import contextlib, io, json, sys
sys.argv = ["rxprint", *json.loads(sys.argv[1])]
from rxprint.cli import main
code = 0
try:
    with contextlib.redirect_stdout(io.StringIO()):
        main()
except SystemExit as exc:
    code = exc.code or 0
heavy = sorted(m for m in ("reportlab", "PIL") if m in sys.modules)
import gc
print(json.dumps({"code": code, "heavy": heavy, "modules": sorted(sys.modules),
                  "gc": [gc.isenabled(), gc.get_freeze_count()]}))
"""

LIGHT = [["--help"], ["--version"], ["list"], ["list", "--json"], ["show", "quad-set"],
         ["show", "glute-bridge", "--json"], ["programs"], ["build", "--help"]]


def probe(args: list[str], plugins: str | None, cwd: Path | None = None) -> dict[str, Any]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("RXPRINT_")}
    if plugins is not None:
        env["RXPRINT_PLUGINS"] = plugins
    out = subprocess.run([sys.executable, "-c", PROBE, json.dumps(args)], env=env, cwd=cwd,
                         capture_output=True, text=True, check=True, timeout=120)
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


@pytest.mark.parametrize("args", LIGHT, ids=" ".join)
def test_light_commands_import_neither_reportlab_nor_pillow(args: list[str]) -> None:
    # None: every installed plugin (the test environment installs both examples)
    result = probe(args, None)
    assert (result["code"], result["heavy"]) == (0, [])


def test_the_probe_sees_a_rendering_command_import_them(tmp_path: object) -> None:
    # the check can fail: a command that renders does import both
    assert probe(["layouts"], None)["heavy"] == ["PIL", "reportlab"]


BUILD = ["build", "--template", "hip-flexor-back-pain", "-o", "h.pdf"]
# what `rxprint build` never needs: other commands' code, the batch machinery (and the
# multiprocessing it brings), the validator, shell completion
NOT_FOR_BUILD = ("rxprint.batch", "rxprint.cli.batch", "rxprint.cli.validate",
                 "rxprint.library.validation", "rxprint.cli.catalog", "rxprint.cli.scaffold",
                 "rxprint.cli.browse", "rxprint.figures.png", "multiprocessing",
                 "click.shell_completion")


def test_build_imports_only_what_it_uses(tmp_path: Path) -> None:
    result = probe(BUILD, None, tmp_path)
    assert result["code"] == 0 and (tmp_path / "h.pdf").is_file()
    assert result["heavy"] == ["PIL", "reportlab"]  # it renders: the probe works
    assert [m for m in NOT_FOR_BUILD if m in result["modules"]] == []


def test_without_installed_plugins_no_distribution_is_looked_up(tmp_path: Path) -> None:
    """importlib.metadata (costly to import) is for finding installed plugins: with
    RXPRINT_PLUGINS empty none can load, and the version is the package's own."""
    assert "importlib.metadata" not in probe(BUILD, "", tmp_path)["modules"]
    assert "importlib.metadata" not in probe(["--version"], "")["modules"]
    # with plugins allowed they are looked for (and found: the examples are installed)
    assert "importlib.metadata" in probe(["plugins"], None)["modules"]


def test_the_collector_pauses_for_a_builds_start_up_only(tmp_path: Path) -> None:
    """In the ``rxprint`` process a build's start-up is frozen (gc.freeze) and the
    collector runs again for the rest; run in-process (tests, callers), nothing changes."""
    import gc

    from click.testing import CliRunner

    from rxprint.cli import cli

    enabled, frozen = probe(BUILD, "", tmp_path)["gc"]
    assert enabled is True and frozen > 1000
    assert probe(["list"], "")["gc"] == [True, 0]  # other commands: untouched
    before = gc.get_freeze_count()
    result = CliRunner().invoke(cli, [*BUILD[:-1], str(tmp_path / "in-process.pdf")])
    assert result.exit_code == 0, result.output
    assert (gc.isenabled(), gc.get_freeze_count()) == (True, before)
