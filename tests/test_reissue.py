"""Re-issue (issue 19): every handout carries the program it was made from; `rxprint
extract` gives it back as a program file that builds the byte-identical handout; a PDF
rxprint did not make, a damaged one or a locked one gives a clear error; the PDF checks
allow exactly this one attachment."""

from __future__ import annotations

import io
import tomllib
from collections.abc import Callable
from pathlib import Path

import pikepdf
import pytest
from click.testing import Result

from rxprint.testing import PdfCheckError, check_pdf

from .conftest import Pdf

Run = Callable[..., Result]
VISIT = '''\
template = "hip-flexor-back-pain"
date = 2026-11-21
notes = "Line one, with \\"quotes\\" and ü.\\n\\nA second paragraph."
omit = ["movement-breaks"]
education = ["after-exercise-care"]
[patient]
name = "María José O'Neil"
[[exercises]]
id = "glute-bridge"
sets = 3
reps = "8-12"
note = "Slowly."
video = "https://clinic.example/v/bridge"
[[exercises]]
id = "quad-set"
'''


def round_trip(run: Run, *args: str) -> tuple[bytes, bytes, str]:
    """Build, extract, build again: both PDFs and the extracted program file."""
    first = run("build", *args, "-o", "first.pdf", "--force")
    assert first.exit_code == 0, first.output
    extracted = run("extract", "first.pdf", "-o", "next.toml", "--force")
    assert extracted.exit_code == 0, extracted.output
    again = run("build", "next.toml", "-o", "again.pdf", "--force")
    assert again.exit_code == 0, again.output
    return (Path("first.pdf").read_bytes(), Path("again.pdf").read_bytes(),
            Path("next.toml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("options", [
    (), ("--layout", "compact", "--paper", "a4"), ("--lang", "es", "--large-print"),
    ("--no-pictures", "--no-log"), ("--clinician", "Sam Lee, PT", "--date", "2027-01-05")])
def test_extract_gives_a_program_that_builds_the_same_handout(
        run: Run, write: Callable[..., Path], options: tuple[str, ...]) -> None:
    write("visit.toml", VISIT)
    first, again, program = round_trip(run, "visit.toml", *options)
    assert first == again  # byte for byte
    data = tomllib.loads(program)
    assert data["format"] == 1 and data["patient"]["name"] == "María José O'Neil"
    # the template's phases: the first one's exercises (every exercise is in it)
    assert [e["id"] for e in data["phases"][0]["exercises"]] == [
        "supine-hip-flexor-stretch", "pelvic-tilt", "glute-bridge", "bird-dog",
        "counter-hip-flexor-stretch", "quad-set"]
    assert data["omit"] == ["movement-breaks"]
    bridge = next(e for e in data["phases"][0]["exercises"] if e["id"] == "glute-bridge")
    assert bridge["sets"] == 3 and bridge["reps"] == "8-12" and bridge["note"] == "Slowly."
    assert [p["title"] for p in data["phases"]] == ["Weeks 1-2: start gently",
                                                    "Weeks 3-4: build up"]
    assert run("validate", "next.toml").exit_code == 0


def test_a_plugins_adjustments_are_made_again_not_twice(
        run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RXPRINT_PLUGINS", "riverside-pt")  # its house rule adds a note
    first, again, program = round_trip(run, "--template", "riverside-return-to-walking",
                                       "--patient", "Jane Doe")
    assert first == again
    # the program before the plugin adjusted it: its note is added again, once
    assert "Questions? Call Riverside" not in program
    assert Pdf(again).flat().count("Questions? Call Riverside") == 1


def test_progressing_a_program_is_editing_the_file(run: Run) -> None:
    _, _, program = round_trip(run, "-e", "glute-bridge", "--date", "2026-11-21")
    Path("next.toml").write_text(program.replace("sets = 2", "sets = 3"), encoding="utf-8")
    result = run("build", "next.toml", "-o", "progressed.pdf")
    assert result.exit_code == 0
    assert "3 sets of 8-12" in Pdf(Path("progressed.pdf").read_bytes()).flat()


def test_a_locked_handout_is_extracted_with_its_password(run: Run,
                                                          write: Callable[..., Path]) -> None:
    write("pw.txt", "open sesame 4\n")
    assert run("build", "-e", "quad-set", "--password-file", "pw.txt",
               "-o", "locked.pdf").exit_code == 0
    locked = run("extract", "locked.pdf", "-o", "a.toml")
    assert locked.exit_code == 1 and "password-protected" in locked.output
    write("wrong.txt", "open sesame 5\n")
    wrong = run("extract", "locked.pdf", "-o", "a.toml", "--password-file", "wrong.txt")
    assert wrong.exit_code == 1 and "not this handout's" in wrong.output
    assert "open sesame" not in locked.output + wrong.output
    ok = run("extract", "locked.pdf", "-o", "a.toml", "--password-file", "pw.txt")
    assert ok.exit_code == 0
    assert tomllib.loads(Path("a.toml").read_text(encoding="utf-8"))["exercises"][0]["id"] \
        == "quad-set"


def test_a_pdf_rxprint_did_not_make_or_a_damaged_one_is_a_clear_error(
        run: Run, write: Callable[..., Path]) -> None:
    assert run("build", "-e", "quad-set", "-o", "h.pdf").exit_code == 0
    data = Path("h.pdf").read_bytes()
    with pikepdf.open(io.BytesIO(data)) as pdf:  # the same PDF without the attachment
        del pdf.attachments["rxprint-program.toml"]
        pdf.save("other.pdf")
    write("notes.txt", "not a pdf at all\n")
    Path("cut.pdf").write_bytes(data[: len(data) // 3])
    for name, message in (("other.pdf", "has no program attached"),
                          ("notes.txt", "not a PDF, or a damaged one"),
                          ("cut.pdf", "not a PDF, or a damaged one"),
                          ("missing.pdf", "missing.pdf")):
        result = run("extract", name, "-o", "x.toml")
        assert result.exit_code == 1, (name, result.output)
        assert message in result.output and "Traceback" not in result.output
        assert not Path("x.toml").exists()


def test_the_pdf_checks_allow_exactly_rxprints_attachment(run: Run) -> None:
    assert run("build", "-e", "quad-set", "-o", "h.pdf").exit_code == 0
    data = Path("h.pdf").read_bytes()
    check_pdf(data)  # the program attached: fine
    with pikepdf.open(io.BytesIO(data)) as pdf:
        pdf.attachments["notes.txt"] = pikepdf.AttachedFileSpec(pdf, b"hello")
        out = io.BytesIO()
        pdf.save(out)
    with pytest.raises(PdfCheckError, match="embedded files"):
        check_pdf(out.getvalue())
    with pikepdf.open(io.BytesIO(data)) as pdf:  # another file under rxprint's name
        del pdf.attachments["rxprint-program.toml"]
        pdf.attachments["rxprint-program.toml"] = pikepdf.AttachedFileSpec(pdf, b"x = [")
        out = io.BytesIO()
        pdf.save(out)
    with pytest.raises(PdfCheckError, match="not a TOML file"):
        check_pdf(out.getvalue())


def test_a_program_file_from_a_later_format_is_refused(run: Run,
                                                       write: Callable[..., Path]) -> None:
    write("later.toml", 'format = 2\n[[exercises]]\nid = "quad-set"\n')
    result = run("build", "later.toml", "-o", "x.pdf")
    assert result.exit_code == 1
    assert "later.toml:1: format: this file is in format 2" in result.output


def test_a_program_in_its_own_order_comes_back_in_that_order(
        run: Run, write: Callable[..., Path]) -> None:
    """A standard program's exercises print in its order; a program that lists them in
    another (the web page reorders them) omits them all and lists each in its own
    order, so the extracted file prints them in that order again."""
    write("visit.toml", '''\
template = "thigh-back-pain"
date = 2026-11-21
omit = ["thigh-kneading", "side-lying-quad-stretch", "supine-hamstring-stretch-strap",
        "sit-to-stand", "glute-bridge", "movement-breaks"]
[[exercises]]
id = "glute-bridge"
[[exercises]]
id = "thigh-kneading"
''')
    first, again, program = round_trip(run, "visit.toml")
    assert first == again
    data = tomllib.loads(program)
    assert [e["id"] for e in data["exercises"]] == ["glute-bridge", "thigh-kneading"]
    assert "not the standard program's" in program
    text = " ".join(Pdf(again).texts())
    assert text.index("Hip lift (glute bridge)") < text.index("Thigh kneading with")
