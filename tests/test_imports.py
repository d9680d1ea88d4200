"""The commands that print nothing render nothing: ``--help``, ``--version``, ``list``,
``show`` and ``programs`` import neither ReportLab nor Pillow, with the installed plugins
loaded (checked in a fresh interpreter through ``sys.modules``)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

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
print(json.dumps({"code": code, "heavy": heavy}))
"""

LIGHT = [["--help"], ["--version"], ["list"], ["list", "--json"], ["show", "quad-set"],
         ["show", "glute-bridge", "--json"], ["programs"], ["build", "--help"]]


def probe(args: list[str], plugins: str | None) -> dict[str, object]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("RXPRINT_")}
    if plugins is not None:
        env["RXPRINT_PLUGINS"] = plugins
    out = subprocess.run([sys.executable, "-c", PROBE, json.dumps(args)], env=env,
                         capture_output=True, text=True, check=True, timeout=120)
    result: dict[str, object] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


@pytest.mark.parametrize("args", LIGHT, ids=" ".join)
def test_light_commands_import_neither_reportlab_nor_pillow(args: list[str]) -> None:
    # None: every installed plugin (the test environment installs both examples)
    assert probe(args, None) == {"code": 0, "heavy": []}


def test_the_probe_sees_a_rendering_command_import_them(tmp_path: object) -> None:
    # the check can fail: a command that renders does import both
    assert probe(["layouts"], None)["heavy"] == ["PIL", "reportlab"]
