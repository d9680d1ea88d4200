"""The installed ``rxprint`` command, run as a real process from another folder."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from .conftest import EXAMPLE_PROGRAM, Pdf


def _rxprint() -> str:
    beside = Path(sys.executable).with_name("rxprint")
    found = str(beside) if beside.exists() else shutil.which("rxprint")
    assert found, "the rxprint command is not installed (pip install '.[test]')"
    return found


def test_installed_command_builds_a_handout(tmp_path: Path) -> None:
    (tmp_path / "visit.toml").write_text(EXAMPLE_PROGRAM, encoding="utf-8")
    proc = subprocess.run([_rxprint(), "build", "visit.toml", "-o", "jane.pdf", "--summary"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "Patient: Jane Doe" in proc.stdout
    pdf = Pdf((tmp_path / "jane.pdf").read_bytes())
    assert pdf.pages >= 3 and "Hip flexor stretch" in pdf.flat()


def test_installed_command_reports_bad_input_without_traceback(tmp_path: Path) -> None:
    proc = subprocess.run([_rxprint(), "build", "--template", "nope"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1
    assert proc.stderr.startswith("Error: ") and "Traceback" not in proc.stderr
    assert proc.stdout == ""
