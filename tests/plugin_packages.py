"""Build a plugin package into a wheel and install it apart, as a clinic would install it,
without touching the test environment: the wheel goes into a folder of its own that only
the subprocesses given :func:`installed_env` see (on ``PYTHONPATH``, so rxprint finds the
plugin's entry point there). Offline: pip builds with the hatchling installed beside it
(``--no-build-isolation``, from rxprint's ``test`` extra) and installs from the file."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

PIP_ENV = {"PIP_DISABLE_PIP_VERSION_CHECK": "1", "PIP_NO_INPUT": "1"}


def _pip(*args: str, cwd: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "pip", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=300, env={**os.environ, **PIP_ENV})
    assert proc.returncode == 0, f"pip {args[0]} failed:\n{proc.stdout}\n{proc.stderr}"


def build_wheel(project: Path, out: Path) -> Path:
    """``pip wheel`` the project at ``project`` into ``out``; return the wheel."""
    assert importlib.util.find_spec("hatchling") is not None, (
        "hatchling is not installed: pip install '.[test]' (plugin packages build with it)")
    _pip("wheel", "--no-deps", "--no-build-isolation", "--no-index", "-w", str(out),
         str(project), cwd=project.parent)
    wheels = sorted(out.glob("*.whl"))
    assert len(wheels) == 1, wheels
    return wheels[0]


def wheel_files(wheel: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(wheel) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def install_apart(wheel: Path, target: Path) -> None:
    """Install ``wheel`` (not its dependencies: rxprint is the test environment's) into
    the folder ``target``."""
    _pip("install", "--no-deps", "--no-index", "--target", str(target), str(wheel),
         cwd=wheel.parent)


def installed_env(target: Path, **extra: str) -> dict[str, str]:
    """The environment of a subprocess that sees the plugins installed in ``target``
    (``RXPRINT_PLUGINS`` unset: every installed plugin loads, unless ``extra`` says)."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("RXPRINT_PLUGINS", "PYTHONPATH") and not k.startswith("PYTEST_")}
    env.update(PIP_ENV)
    env["PYTHONPATH"] = str(target)
    env.update(extra)
    return env


def rxprint_command() -> str:
    beside = Path(sys.executable).with_name("rxprint")
    found = str(beside) if beside.exists() else shutil.which("rxprint")
    assert found, "the rxprint command is not installed (pip install '.[test]')"
    return found


def run_rxprint(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([rxprint_command(), *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=300)


def run_pytest(tests: Path, *, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """The test environment's pytest on ``tests`` (a plugin's own tests), in ``cwd``."""
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                           str(tests)], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=600)
