"""Privacy: a canary patient name and note go through successful and failing runs of the
installed command (no --debug) and appear in the handout's page text and nowhere else:
not on stdout or stderr (but for --summary, the chart note), not in files left in TMPDIR
or the output folder, not in file names, not in the PDF's metadata, not in error
messages. (The corpus in test_adversarial.py checks the same on every hostile input.)
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from .conftest import Pdf
from .pdfcheck import assert_valid_pdf
from .test_adversarial import clean_env, limits, rxprint_command, snapshot

NAME = "Wilhelmina Crabapple-Oduya"
NOTE = "privacy canary: grey lantern 5519"
CLINICIAN = "Dr Canary Clinician"
SECRETS = (NAME, NOTE, "Crabapple")

PROGRAM = f'''date = 2026-11-21
clinician = "{CLINICIAN}"
notes = "{NOTE}"
[patient]
name = "{NAME}"
[[exercises]]
id = "quad-set"
note = "{NOTE} (exercise)"
'''


def run(tmp_path: Path, *args: str, program: str = PROGRAM,
        env: dict[str, str] | None = None) -> tuple[subprocess.CompletedProcess[bytes], Path]:
    work, tmpdir = tmp_path / "work", tmp_path / "tmp"
    work.mkdir()
    tmpdir.mkdir()
    (work / "visit.toml").write_text(program, encoding="utf-8")
    proc = subprocess.run([*rxprint_command(), *args], cwd=work, capture_output=True,
                          env=clean_env(tmpdir, env or {}), timeout=120,
                          preexec_fn=limits(None))
    assert b"Traceback" not in proc.stderr
    left = list(tmpdir.rglob("*"))
    assert left == [], f"files left in TMPDIR: {left}"
    return proc, work


def assert_nowhere(proc: subprocess.CompletedProcess[bytes], work: Path, *,
                   stdout_allowed: bool = False) -> None:
    for secret in SECRETS:
        assert secret.encode() not in proc.stderr, proc.stderr
        if not stdout_allowed:
            assert secret.encode() not in proc.stdout, proc.stdout
    for rel, content in snapshot(work).items():
        for secret in SECRETS:
            assert secret not in rel and secret.lower().replace(" ", "-") not in rel.lower()
            if rel != "visit.toml" and not rel.endswith(".pdf") and isinstance(content, bytes):
                assert secret.encode() not in content, f"{rel} holds {secret!r}"


def test_a_handout_holds_the_patient_only_in_its_pages(tmp_path: Path) -> None:
    proc, work = run(tmp_path, "build", "visit.toml")
    assert proc.returncode == 0, proc.stderr
    assert_nowhere(proc, work)
    made = sorted(p.name for p in work.iterdir())
    assert made == ["home-exercise-program-2026-11-21.pdf", "visit.toml"]  # a neutral name
    data = (work / made[0]).read_bytes()
    assert_valid_pdf(data, secrets=SECRETS)  # not in the metadata (Info or XMP)
    pdf = Pdf(data)
    assert NAME in pdf.flat() and NOTE in pdf.flat()
    assert not any(s in v for s in SECRETS for v in pdf.metadata.values())
    for secret in SECRETS:  # nor in any uncompressed string of the file
        assert secret.encode() not in data and secret.encode("utf-16-be") not in data


def test_summary_prints_the_chart_note_on_stdout_only(tmp_path: Path) -> None:
    proc, work = run(tmp_path, "build", "visit.toml", "-o", "out.pdf", "--summary")
    assert proc.returncode == 0
    assert NAME.encode() in proc.stdout  # the chart note is for the clinical record
    assert_nowhere(proc, work, stdout_allowed=True)


def test_standard_output_carries_the_pdf_and_stderr_nothing_personal(tmp_path: Path) -> None:
    proc, work = run(tmp_path, "build", "visit.toml", "-o", "-")
    assert proc.returncode == 0
    assert_valid_pdf(proc.stdout, secrets=SECRETS)
    assert NAME in Pdf(proc.stdout).flat()
    assert_nowhere(proc, work, stdout_allowed=True)
    assert sorted(p.name for p in work.iterdir()) == ["visit.toml"]


FAILING = {
    "bad reps": (PROGRAM.replace('note = "', 'reps = "lots"\nnote = "'), ()),
    "unknown exercise": (PROGRAM.replace('"quad-set"', '"quad-sett"'), ()),
    "name too long": (PROGRAM.replace(NAME, NAME + " " + "Crabapple" * 40), ()),
    "notes in the wrong place": (PROGRAM + f'[extra]\nwhy = "{NOTE}"\n', ()),
    "syntax error": (PROGRAM.replace(f'name = "{NAME}"', f'name = "{NAME}'), ()),
    "output exists": (PROGRAM, ("-o", "visit.toml")),
    "output folder missing": (PROGRAM, ("-o", f"{NAME}/out.pdf")),
}


@pytest.mark.parametrize("case", sorted(FAILING))
def test_errors_never_quote_patient_data(tmp_path: Path, case: str) -> None:
    program, extra = FAILING[case]
    proc, work = run(tmp_path, "build", "visit.toml", *extra, program=program)
    assert proc.returncode == 1, proc.stderr
    assert proc.stderr.startswith(b"Error: ")
    if case == "output folder missing":  # the user's own path: it may be repeated
        assert proc.stdout == b""
        return
    assert_nowhere(proc, work)
    assert sorted(p.name for p in work.iterdir()) == ["visit.toml"]


def test_validate_never_quotes_patient_data(tmp_path: Path) -> None:
    bad = PROGRAM.replace('note = "', 'sets = "many"\nnote = "')
    proc, work = run(tmp_path, "validate", "visit.toml", program=bad)
    assert proc.returncode == 1
    assert_nowhere(proc, work)
