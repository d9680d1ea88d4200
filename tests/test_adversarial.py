"""The adversarial corpus (tests/adversarial/): hostile text, data, images, plugins,
rosters and output targets, each run through the installed ``rxprint`` command as a real
process (``rxprint build``, or ``rxprint batch`` for the cases marked ``batch``).

Every case checks its own outcome (exit status, error, page text: expected.toml) and the
same invariants: a clean ``Error:`` line, never a traceback, the canary patient's name and
note nowhere but in the handouts' pages (not on stdout or stderr, not in a batch's
report), nothing left behind in TMPDIR or the working folder, and valid, inert PDFs
(tests/pdfcheck.py); a batch's folder holds only whole handouts, as many as its report
says were made or kept.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import stat
import subprocess
import sys
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from .conftest import Pdf
from .pdfcheck import assert_valid_pdf

HERE = Path(__file__).parent / "adversarial"
sys.path.insert(0, str(HERE))
from make_inputs import CANARY_NAME, CANARY_NOTE, make  # noqa: E402

CASES: dict[str, dict[str, Any]] = tomllib.loads(
    (HERE / "expected.toml").read_text(encoding="utf-8"))
KNOWN_KEYS = {"program", "make", "path", "image", "images", "plugin", "config", "output",
              "args", "env", "exit", "error", "text", "absent", "patient", "timeout", "xfail",
              "batch", "roster", "report", "stderr", "done", "files", "max_stderr"}
FSIZE_LIMIT = 20_000  # bytes: far less than any handout


def rxprint_command() -> list[str]:
    """The installed command, as tests/test_installed.py finds it."""
    beside = Path(sys.executable).with_name("rxprint")
    found = str(beside) if beside.exists() else shutil.which("rxprint")
    assert found, "the rxprint command is not installed (pip install '.[test]')"
    return [found]


def clean_env(tmpdir: Path, extra: dict[str, str]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("RXPRINT_", "RL_", "PYTEST_"))}
    env.update(RXPRINT_PLUGINS="", TMPDIR=str(tmpdir), TEMP=str(tmpdir), TMP=str(tmpdir),
               XDG_CONFIG_HOME=str(tmpdir.parent / "no-config"), PYTHONDONTWRITEBYTECODE="1")
    env.update(extra)
    return env


def limits(fsize: int | None) -> Callable[[], None]:
    def apply() -> None:  # in the child, before exec
        resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30))  # /dev/zero stays bounded
        if fsize is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))
    return apply


def snapshot(folder: Path) -> dict[str, bytes | str]:
    """Every entry under ``folder``: a file's bytes, or its kind."""
    found: dict[str, bytes | str] = {}
    for path in sorted(folder.rglob("*")):
        mode = path.lstat().st_mode
        rel = str(path.relative_to(folder))
        if stat.S_ISREG(mode):
            found[rel] = path.read_bytes()
        else:
            found[rel] = "dir" if stat.S_ISDIR(mode) else f"special {stat.S_IFMT(mode):o}"
    return found


def prepare(name: str, case: dict[str, Any], work: Path) -> tuple[list[str], dict[str, str],
                                                                   int | None, str]:
    """Lay out the case's inputs in ``work``; return (argv, env, file size limit, output)."""
    patient = case.get("patient", CANARY_NAME)
    pre: list[str] = []
    env: dict[str, str] = {}
    fsize = None
    output = "out.pdf"
    build = ["-e", "quad-set", "--patient", patient]
    if "program" in case:
        source = HERE / case["program"]
        shutil.copyfile(source, work / source.name)
        build = [source.name]
    elif "make" in case:
        build = [make(case["make"], work)]
    elif "path" in case:
        build = [case["path"]]
    elif "image" in case or "images" in case:
        plugins = work / "plugins"
        folder = plugins / "photo-exercises"
        folder.mkdir(parents=True)
        shutil.copyfile(HERE / "plugins" / "photo_exercise.py", plugins / "photo_exercise.py")
        images = case.get("images") or [make(case["image"], folder)]
        text = (HERE / "photo-exercise.toml").read_text(encoding="utf-8")
        text = text.replace("images = IMAGES", "images = " + repr(images).replace("'", '"'))
        (folder / "adv-photo.toml").write_text(text, encoding="utf-8")
        pre = ["--plugins-dir", "plugins"]
        env["RXPRINT_PLUGINS"] = "photo_exercise"
        build = ["-e", "adv-photo", "--patient", patient]
    elif "plugin" in case:
        (work / "plugins").mkdir()
        shutil.copyfile(HERE / "plugins" / f"{case['plugin']}.py",
                        work / "plugins" / f"{case['plugin']}.py")
        pre = ["--plugins-dir", "plugins"]
        env["RXPRINT_PLUGINS"] = case["plugin"]
    elif "config" in case:
        shutil.copyfile(HERE / case["config"], work / "clinic.toml")
        pre = ["--config", "clinic.toml"]
    kind = case.get("output")
    if kind == "exists":
        (work / "out.pdf").write_bytes(b"the handout from last week")
    elif kind == "parent-is-a-file":
        (work / "afile").write_text("not a folder", encoding="utf-8")
        output = "afile/out.pdf"
    elif kind == "device":
        if os.geteuid() != 0:
            pytest.skip("making a device node (mknod) needs root; CI runs as root")
        os.mknod(work / "null", 0o666 | stat.S_IFCHR, os.makedev(1, 3))
        output = "null"
        build += ["--force"]
    elif kind == "fsize-file":
        fsize = FSIZE_LIMIT
    elif kind == "fsize-stdout":
        fsize = FSIZE_LIMIT
        output = "-"
    elif kind == "program":  # the program file itself
        output = build[0]
        build += ["--force"]
    if case.get("batch"):
        roster = case.get("roster")
        if roster is not None:
            shutil.copyfile(HERE / roster, work / Path(roster).name)
        source = Path(roster).name if roster is not None else build[0]
        argv = [*pre, "batch", source, "-o", "out", "--report",
                case.get("report", "report.json"), *case.get("args", [])]
        env.update(case.get("env", {}))
        return argv, env, fsize, "out"
    argv = [*pre, "build", *build, *case.get("args", []), "-o", output]
    env.update(case.get("env", {}))
    return argv, env, fsize, output


def params() -> list[Any]:
    out = []
    for name, case in CASES.items():
        unknown = set(case) - KNOWN_KEYS
        assert not unknown, f"{name}: unknown keys {unknown}"
        marks = [pytest.mark.xfail(strict=True, reason=case["xfail"])] if "xfail" in case else []
        out.append(pytest.param(name, id=name, marks=marks))
    return out


@pytest.mark.parametrize("name", params())
def test_adversarial_case(name: str, tmp_path: Path) -> None:
    case = CASES[name]
    work, tmpdir = tmp_path / "work", tmp_path / "tmp"
    work.mkdir()
    tmpdir.mkdir()
    argv, env, fsize, output = prepare(name, case, work)
    before = snapshot(work)
    stdout_file = work.parent / "stdout"
    with open(stdout_file, "wb") as stdout:
        try:
            proc = subprocess.run([*rxprint_command(), *argv], cwd=work, stdout=stdout,
                                  stderr=subprocess.PIPE, env=clean_env(tmpdir, env),
                                  timeout=case.get("timeout", 120),
                                  preexec_fn=limits(fsize))
        except subprocess.TimeoutExpired:
            pytest.fail(f"{name}: rxprint did not finish in {case.get('timeout', 120)} s")
    out = stdout_file.read_bytes()
    err = proc.stderr.decode("utf-8", "replace")
    patient = case.get("patient", CANARY_NAME)
    exits = case["exit"] if isinstance(case["exit"], list) else [case["exit"]]

    # The outcome.
    assert proc.returncode in exits, f"exit {proc.returncode}, expected {exits}: {err}"
    assert "Traceback" not in err and "Traceback" not in out.decode("utf-8", "replace")
    for secret in {patient, CANARY_NAME, CANARY_NOTE}:
        assert secret not in err, f"patient data on stderr: {err}"
        if output != "-":
            assert secret.encode() not in out, "patient data on stdout"
    assert not (work / "exploited").exists(), "the CVE-2023-33733 payload ran"
    assert list(tmpdir.iterdir()) == [], f"left in TMPDIR: {list(tmpdir.iterdir())}"

    if case.get("batch"):
        check_batch(case, work, before, err, patient)
        return
    after = snapshot(work)
    if proc.returncode != 0:
        assert err.startswith("Error: ") or (proc.returncode == 2 and "Error: " in err), err
        if "error" in case:
            assert case["error"] in err, f"expected {case['error']!r} in: {err}"
        assert after == before, "a failed run changed the working folder"
        return

    # A handout was made.
    if case.get("output") == "device":
        assert stat.S_ISCHR((work / "null").lstat().st_mode), "the device was replaced"
        return
    made = {k: v for k, v in after.items() if k not in before}
    assert set(made) == {output}, f"files left: {sorted(made)}"
    data = after[output]
    assert isinstance(data, bytes)
    assert_valid_pdf(data, secrets=[patient, CANARY_NAME, CANARY_NOTE])
    text = Pdf(data).flat()
    for expected in case.get("text", []):
        assert expected in text, f"{expected!r} not in the page text"
    for unexpected in case.get("absent", []):
        assert unexpected not in text
    if "image" in case:  # photos lose all metadata
        assert b"SnoopCam" not in data and b"canary-exif" not in data


def check_batch(case: dict[str, Any], work: Path, before: dict[str, bytes | str], err: str,
                patient: str) -> None:
    """A batch case: its messages, its report and its output folder."""
    secrets = [patient, CANARY_NAME, CANARY_NOTE]
    for expected in [*case.get("stderr", []), *([case["error"]] if "error" in case else [])]:
        assert expected in err, f"expected {expected!r} in: {err}"
    assert len(err.encode()) <= case.get("max_stderr", 1 << 20), f"{len(err)} bytes on stderr"
    after = snapshot(work)
    for name, content in before.items():
        assert after.get(name) == content, f"the input {name} changed"
    report_name = case.get("report", "report.json")
    report = None
    if (work / report_name).is_file() and report_name.endswith(".json"):
        raw = (work / report_name).read_text(encoding="utf-8")
        for secret in secrets:
            assert secret not in raw, "patient data in the report"
        report = json.loads(raw)
    out = work / "out"
    made = sorted(p.name for p in out.iterdir()) if out.is_dir() else []
    assert all(name.endswith(".pdf") for name in made), f"not a handout: {made}"
    for name in made:
        assert_valid_pdf((out / name).read_bytes(), secrets=secrets)
    if report is not None:
        summary = report["summary"]
        assert summary["done"] + summary["skipped"] == len(made), "report and folder differ"
        if "done" in case:
            assert summary["done"] == case["done"], summary
    if "files" in case:
        assert made == sorted(case["files"]), made


def test_every_corpus_file_is_used() -> None:
    """No stray inputs: every committed program, plugin and config is some case's."""
    used = {c.get("program") for c in CASES.values()} | {
        c.get("config") for c in CASES.values()} | {
        c.get("roster") for c in CASES.values()} | {
        f"plugins/{c['plugin']}.py" for c in CASES.values() if "plugin" in c}
    used.add("plugins/photo_exercise.py")
    for folder in ("programs", "plugins", "configs", "rosters"):
        for path in (HERE / folder).iterdir():
            if path.name != "__pycache__":
                assert f"{folder}/{path.name}" in used, f"{folder}/{path.name} is unused"
