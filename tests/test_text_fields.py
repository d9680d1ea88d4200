"""Untrusted text fields: their limits, long words, the running header, errors that never
quote patient data, and invisible characters. Every handout is read back from the PDF."""

from __future__ import annotations

import datetime as dt
import io
import re
import sys
import time
import unicodedata
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from pypdf import PdfReader
from reportlab.pdfbase.pdfmetrics import stringWidth

from rxprint.files.textsafety import clean_text
from rxprint.library.branding import Branding
from rxprint.library.loader import Library
from rxprint.library.model import Item, Program
from rxprint.library.programs import MAX_NAME, MAX_NOTES, MAX_TITLE
from rxprint.render.document import _fitted, header_widths
from rxprint.render.fonts import default_family
from rxprint.render.handout import RenderResult, render_handout
from rxprint.render.layout_base import PageGeometry
from rxprint.render.styles import build_styles

from .conftest import Pdf

Run = Callable[..., Result]
Writer = Callable[[str, "str | bytes"], Path]

SECRET = "Zebulon Quaxley"  # stands for patient data: no error message may contain it
CLINIC = Branding(clinic_name="Riverside Physical Therapy", address="120 River Road, Springfield",
                  phone="(555) 010-4477", website="riverside-pt.example")
CONTACT = "120 River Road, Springfield · (555) 010-4477 · riverside-pt.example"


def squeezed(text: str) -> str:
    """Text without any whitespace: a word broken across lines reads as one again."""
    return re.sub(r"\s+", "", text)


def program(library: Library, n: int = 3, *, patient_name: str | None = None,
            clinician: str | None = None, notes: str | None = None) -> Program:
    ids = ("quad-set", "glute-bridge", "wall-sit", "heel-slide")[:n]
    return Program(date=dt.date(2026, 11, 21),
                   items=tuple(Item(library.exercises[i], library.exercises[i].dosage)
                               for i in ids),
                   patient_name=patient_name, clinician=clinician, notes=notes)


def assert_clean_failure(result: Result, *secrets: str) -> None:
    """Exit 1 with a message, no traceback, no PDF, and no secret in what was printed."""
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output and "internal error" not in result.output
    for secret in secrets:
        assert secret not in result.output
    assert not list(Path.cwd().glob("*.pdf"))


# -- 1. limits: the same for program files and flags, naming the field and the limit ----


@pytest.mark.parametrize(("flag", "limit"), [("--patient", MAX_NAME), ("--clinician", MAX_NAME)])
@pytest.mark.parametrize("extra", [1, 2800])
def test_a_flag_over_its_limit_is_a_clear_error(run: Run, flag: str, limit: int,
                                                extra: int) -> None:
    value = "Q" * (limit + extra)
    result = run("build", "-e", "quad-set", flag, value)
    assert_clean_failure(result, "QQQQQQQQ")
    assert (f"{flag}: too long: {limit + extra} characters, at most {limit}; shorten it"
            in result.output)


def test_flags_at_their_limit_build(run: Run, tmp_path: Path) -> None:
    result = run("build", "-e", "quad-set", "--patient", "P" * MAX_NAME,
                 "--clinician", "C" * MAX_NAME, "-o", "out.pdf")
    assert result.exit_code == 0, result.output
    text = squeezed(Pdf((tmp_path / "out.pdf").read_bytes()).text(0))
    assert "P" * MAX_NAME in text and "C" * MAX_NAME in text


@pytest.mark.parametrize(("field", "toml", "limit"), [
    ("patient.name", '[patient]\nname = "{v}"\n', MAX_NAME),
    ("clinician", 'clinician = "{v}"\n', MAX_NAME),
    ("title", 'title = "{v}"\n', MAX_TITLE),
    ("notes", 'notes = "{v}"\n', MAX_NOTES),
    ("exercises[1].note", '[[exercises]]\nid = "quad-set"\nnote = "{v}"\n', MAX_NOTES),
])
@pytest.mark.parametrize("command", ["build", "validate"])
def test_a_program_file_field_over_its_limit_is_a_clear_error(
        run: Run, write: Writer, field: str, toml: str, limit: int, command: str) -> None:
    head = 'template = "hip-flexor-back-pain"\n' if field != "exercises[1].note" else ""
    write("visit.toml", head + toml.format(v=SECRET + "x" * limit))
    result = run(command, "visit.toml")
    assert_clean_failure(result, SECRET)
    assert re.search(rf"visit\.toml:\d+: {re.escape(field)}: too long: {limit + 15} "
                     rf"characters, at most {limit}; shorten it", result.output), result.output


@pytest.mark.parametrize("layout", ["classic", "compact"])
def test_long_words_wrap_wherever_they_print(run: Run, write: Writer, tmp_path: Path,
                                             layout: str) -> None:
    """Page 1's facts, the title, the notes and an exercise's note: a word too long for
    its line is broken across lines, and printed whole."""
    name, clinician, title = "N" * MAX_NAME, "C" * MAX_NAME, "T" * MAX_TITLE
    notes, note = "A" * MAX_NOTES, "B" * MAX_NOTES
    write("visit.toml", f'title = "{title}"\nclinician = "{clinician}"\nnotes = "{notes}"\n'
                        f'[patient]\nname = "{name}"\n'
                        f'[[exercises]]\nid = "quad-set"\nnote = "{note}"\n')
    result = run("build", "visit.toml", "--layout", layout, "-o", "out.pdf")
    assert result.exit_code == 0, result.output
    pdf = Pdf((tmp_path / "out.pdf").read_bytes())
    first = squeezed(pdf.text(0))
    for text in (name, clinician, title):
        assert text in first
    # the notes may run across pages (with a footer and header between their parts)
    everything = squeezed(" ".join(pdf.texts()))
    assert sum(len(run) for run in re.findall("A{20,}", everything)) == len(notes)
    assert sum(len(run) for run in re.findall("B{20,}", everything)) == len(note)


def _render_time(library: Library, notes: str) -> float:
    """The best of 5 renders, in this process's CPU time: the tests run in parallel, and
    another process taking the CPU must not count as this one's time."""
    best = float("inf")
    for _ in range(5):
        start = time.process_time()
        render_handout(program(library, 2, notes=notes))
        best = min(best, time.process_time() - start)
    return best


@pytest.mark.parametrize("kind", ["words", "one word"])
def test_notes_at_their_limit_render_in_linear_time(library: Library, kind: str) -> None:
    def text(n: int) -> str:
        return ("Rest between sets. " * n)[:n] if kind == "words" else "W" * n

    half = _render_time(library, notes=text(MAX_NOTES // 2))
    full = _render_time(library, notes=text(MAX_NOTES))
    assert full < 20
    assert full < 3 * half, (half, full)


def test_shortening_a_header_line_takes_a_few_wraps_whatever_its_length() -> None:
    """The header cuts a line by a binary search, not word by word: a 40,000-character
    text is cut about as fast as a 400-character one, and keeps its start."""
    styles = build_styles(Branding(), default_family())

    def cut(text: str) -> tuple[float, str]:
        start = time.process_time()  # CPU time: the tests run in parallel
        para, height = _fitted(text, styles.header_right, 150, styles.family, max_lines=2,
                               break_words=True)
        assert height <= 2 * styles.header_right.leading + 0.1
        return time.process_time() - start, para.getPlainText()

    short_time, _ = cut("Patient: " + "word " * 80)
    long_time, shown = cut("Patient: " + "word " * 8000)
    assert shown.startswith("Patient: word word") and shown.endswith("…")
    assert long_time < 1.0 and long_time < 10 * short_time + 0.05
    _, shown = cut("Patient: " + "X" * 5000)
    assert shown.startswith("Patient: XXXXXXXXXX") and shown.endswith("…")


# -- 2. the running header: the patient's name always shows, the clinic's lines too ------


def _header(pdf_data: bytes, page: int = 1) -> list[tuple[float, float, str]]:
    """(x, y, text) of each text run in the header band of ``page``."""
    runs: list[tuple[float, float, str]] = []

    def visit(text: str, cm: list[float], tm: list[float], *_: object) -> None:
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        if text.strip():
            runs.append((x, y, text.strip()))

    PdfReader(io.BytesIO(pdf_data)).pages[page].extract_text(visitor_text=visit)
    geometry = PageGeometry("letter")
    rule_y = geometry.size[1] - geometry.margin - geometry.header_h + 12
    return [r for r in runs if r[1] > rule_y]


def _render(library: Library, name: str, branding: Branding = CLINIC) -> RenderResult:
    return render_handout(program(library, patient_name=name), branding=branding)


@pytest.mark.parametrize("name", ["X" * 120, "Q" * MAX_NAME,
                                  "Bartholomew Maximilian Featherstonehaugh-Cholmondeley "
                                  "de la Santisima Trinidad y Ocampo-Villalobos"])
def test_a_long_name_shows_its_start_and_the_contact_line_stays_whole(
        library: Library, name: str) -> None:
    result = _render(library, name)
    assert result.pages >= 2
    geometry = PageGeometry("letter")
    rule_y = geometry.size[1] - geometry.margin - geometry.header_h + 12
    runs = _header(result.pdf)
    text = " ".join(r[2] for r in runs)
    assert "Riverside Physical Therapy" in text
    assert CONTACT in text  # not cut by the patient's block
    patient = [r for r in runs if r[2].startswith("Patient:")]
    assert patient, text
    # the name's start, on two lines, ends with an ellipsis
    shown = squeezed(text[text.index("Patient:"):text.index("Date:")])
    assert shown.startswith("Patient:" + squeezed(name)[:25])
    assert shown.endswith("…")
    # the date line is still there, above the rule
    date = [r for r in runs if r[2].startswith("Date: November 21, 2026")]
    assert date and date[0][1] >= rule_y + 3
    # the contact line ends before the patient's block begins
    family = default_family()
    contact = next(r for r in runs if r[2].startswith("120 River Road"))
    contact_end = contact[0] + stringWidth(CONTACT, family.normal, 8.5)
    right_start = min(r[0] for r in runs if r[0] > contact[0] + 1)  # the right block's
    assert contact_end < right_start


def test_a_name_that_needs_two_lines_prints_whole(library: Library) -> None:
    name = "Maria del Carmen Gonzalez-Rodriguez"
    runs = _header(_render(library, name, Branding(
        clinic_name="Riverside Physical Therapy and Sports Rehabilitation",
        phone="(555) 010-4477")).pdf)
    text = " ".join(r[2] for r in runs)
    assert f"Patient: {name}" in re.sub(r"\s+", " ", text)
    assert "…" not in text[text.index("Patient:"):]
    assert "Date: November 21, 2026" in text


def test_a_short_name_keeps_its_one_line_header(library: Library) -> None:
    runs = _header(_render(library, "Ann Lee").pdf)
    assert [r[2] for r in runs if r[2].startswith(("Patient", "Date"))] == [
        "Patient: Ann Lee", "Date: November 21, 2026"]
    assert CONTACT in " ".join(r[2] for r in runs)


def test_the_riverside_header_with_a_long_name(library: Library) -> None:
    riverside = pytest.importorskip("rxprint_riverside_pt")
    runs = _header(_render(library, "X" * 120, riverside.BRANDING).pdf)
    text = " ".join(r[2] for r in runs)
    assert CONTACT in text and "Patient: XXXXXXXXXX" in text and "Date:" in text


def test_header_widths_share_the_width() -> None:
    # both fit: each takes what it needs
    assert header_widths(514, 200, 150) == (514 - 14 - 150, 150)
    # the clinic's lines need much: the patient's block keeps its share
    left, right = header_widths(514, 480, 700, 110)
    assert right == pytest.approx(0.3 * 500) and left == pytest.approx(0.7 * 500)
    # a short clinic line leaves the patient's block the rest
    assert header_widths(514, 100, 700) == (100, 400)


# -- 3. errors about patient fields never quote their values -------------------------------


@pytest.mark.parametrize(("toml", "expected"), [
    (f'patient = "{SECRET}"\n',
     'patient: expected a table ([patient] on its own line, then name = "..." under it), '
     "got text"),
    (f'[patient]\nname = ["{SECRET}"]\n', "patient.name: expected text in quotes, got a list"),
    ("[patient]\nname = 1961\n", "patient.name: expected text in quotes, got a number"),
    (f'notes = ["{SECRET}", "second"]\n', "notes: expected text in quotes, got a list"),
    (f'clinician = ["{SECRET}"]\n', "clinician: expected text in quotes, got a list"),
    (f'title = {{ text = "{SECRET}" }}\n', "title: expected text in quotes, got a table"),
    (f'[[exercises]]\nid = "quad-set"\nnote = ["{SECRET}"]\n',
     "exercises[1].note: expected text in quotes, got a list"),
    ("[patient]\nname = 2026-01-02\n", "patient.name: expected text in quotes, got a date"),
])
@pytest.mark.parametrize("command", ["build", "validate"])
def test_errors_about_patient_fields_name_the_field_not_the_value(
        run: Run, write: Writer, toml: str, expected: str, command: str) -> None:
    head = "" if "[[exercises]]" in toml else 'template = "hip-flexor-back-pain"\n'
    write("visit.toml", head + toml)
    result = run(command, "visit.toml")
    assert_clean_failure(result, SECRET, "1961", "2026-01-02")
    assert expected in result.output, result.output


def test_other_fields_still_quote_what_was_wrong(run: Run, write: Writer) -> None:
    # an id-shaped typo is quoted; a date never is (a date is patient data)
    write("visit.toml", 'template = "hip-flexor-bak-pain"\ndate = "tomorrow"\n')
    result = run("validate", "visit.toml")
    assert result.exit_code == 1 and '"hip-flexor-bak-pain"' in result.output
    assert "date: expected a date like 2026-11-21, got text" in result.output
    assert "tomorrow" not in result.output


# -- 4. invisible characters reach neither the PDF's text nor a "?" ------------------------


INVISIBLE = [0x00AD, 0x034F, 0x061C, 0x115F, 0x180E, 0x200B, 0x200C, 0x200D, 0x200E,
             0x200F, 0x202A, 0x202E, 0x2060, 0x2061, 0x2066, 0x2069, 0x206F, 0x3164,
             0xFE00, 0xFE0F, 0xFEFF, 0xFFF9, 0x110BD, 0x1D173, 0xE0001, 0xE0041, 0xE0100]


def test_every_format_character_is_dropped() -> None:
    cf = "".join(chr(c) for c in range(sys.maxunicode + 1)
                 if unicodedata.category(chr(c)) == "Cf")
    assert len(cf) > 150
    assert clean_text(f"a{cf}b") == "ab"
    assert clean_text("a" + "".join(map(chr, INVISIBLE)) + "b") == "ab"
    # what is kept: line breaks, spaces, letters with their marks
    assert clean_text("Nguyễn\u00a0Văn\n\u2028Ana") == "Nguyễn\u00a0Văn\n\nAna"


@pytest.fixture(scope="module")
def plain_texts() -> list[str]:
    """The pages' text of the handout below, written without invisible characters."""
    from rxprint.library.loader import builtin_library
    return Pdf(render_handout(program(builtin_library(), 2, patient_name="Jane Doe",
                                      clinician="Sam Lee", notes="Markers here")).pdf).texts()


@pytest.mark.parametrize("code", INVISIBLE, ids=lambda c: f"U+{c:04X}")
def test_an_invisible_character_prints_as_nothing(library: Library, code: int,
                                                  plain_texts: list[str]) -> None:
    """Printed as nothing: the same text as without it (no "?", no stray glyph)."""
    ch = chr(code)
    result = render_handout(program(library, 2, patient_name=f"Ja{ch}ne Do{ch}e",
                                    clinician=f"Sam{ch} Lee", notes=f"Mark{ch}ers{ch} here"))
    assert result.missing_glyphs == 0
    texts = Pdf(result.pdf).texts()
    assert texts == plain_texts
    assert "Patient: Jane Doe" in texts[1] and "Jane Doe" in texts[0]


def test_invisible_characters_from_the_command_line(run: Run, tmp_path: Path) -> None:
    marks = "".join(map(chr, (0x200B, 0x200F, 0xFEFF, 0x061C, 0x202E)))
    result = run("build", "-e", "quad-set", "-e", "glute-bridge", "--patient",
                 f"Jane{marks} Doe", "-o", "out.pdf")
    assert result.exit_code == 0, result.output
    assert "Warning" not in result.output
    text = " ".join(Pdf((tmp_path / "out.pdf").read_bytes()).texts())
    assert "Jane Doe" in text and not set(marks) & set(text)


# -- the chart note and names with nothing printable -------------------------------------


def test_the_chart_note_cannot_be_forged_or_send_terminal_codes(
        run: Callable[..., Result], write: Callable[[str, str], Path]) -> None:
    name = "X\x1b]0;pwned\x07\x1b[2J\u202eabc"
    result = run("build", "-e", "quad-set", "--patient", name, "--summary", "-o", "s.pdf")
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.output and "\x07" not in result.output
    assert "\u202e" not in result.output
    write("f.toml", '[patient]\nname = "Ann\\nExercises:\\n  9. FORGED [x]"\n'
                    '[[exercises]]\nid = "quad-set"\nnote = "a\\nb"\n')
    result = run("build", "f.toml", "--summary", "-o", "f.pdf")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "Patient: Ann Exercises: 9. FORGED [x]" in lines
    assert not any(line.lstrip().startswith("9. FORGED") for line in lines)
    pages = Pdf((Path.cwd() / "f.pdf").read_bytes()).pages
    assert f"Handout: f.pdf, {pages} page{'s' if pages != 1 else ''}" in lines


@pytest.mark.parametrize("name", ["   ", "\u200b\u200f\ufeff", "\t\n"])
def test_a_name_with_nothing_printable_is_no_name(run: Callable[..., Result],
                                                  tmp_path: Path, name: str) -> None:
    """The handout then has the line to write a name in, and the chart note says so."""
    result = run("build", "-e", "quad-set", "--patient", name, "--summary", "-o", "b.pdf")
    assert result.exit_code == 0, result.output
    assert "Patient: (not named on the handout)" in result.output
    text = PdfReader(io.BytesIO((tmp_path / "b.pdf").read_bytes())).pages[0].extract_text()
    assert "Prepared for ____" in " ".join(text.split())
