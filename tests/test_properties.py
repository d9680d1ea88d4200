"""Property tests (hypothesis): any text as a patient name, note or clinic name renders
(every printable character a font covers in the page text, markup never interpreted) or
fails with a clean error; program files round-trip (load, write, load).

Bounded for CI: 50 examples a property, no deadline, derandomized (the same examples
every run, so CI is reproducible).
"""

from __future__ import annotations

import datetime as dt
import re
import tempfile
import unicodedata
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from rxprint.cli import cli
from rxprint.files.textsafety import clean_text
from rxprint.library.dosage import dosage_table
from rxprint.library.loader import builtin_library
from rxprint.library.model import ProgramRequest
from rxprint.library.programs import read_program_file
from rxprint.render.fonts import default_family, fallback_family

from .conftest import Pdf

BOUNDED = settings(max_examples=50, deadline=None, derandomize=True,
                   suppress_health_check=[HealthCheck.too_slow])
LIBRARY = builtin_library()

# ---- a minimal TOML writer (rxprint has none) ----------------------------------------


def toml_string(text: str) -> str:
    out = []
    for ch in text:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | dt.date):
        return str(value) if not isinstance(value, dt.date) else value.isoformat()
    if isinstance(value, str):
        return toml_string(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    raise TypeError(type(value))


def write_program(data: dict[str, Any]) -> str:
    """A program file's TOML: top-level values, [patient], then [[exercises]]."""
    lines = [f"{k} = {toml_value(v)}" for k, v in data.items()
             if k not in ("patient", "exercises")]
    if "patient" in data:
        lines += ["[patient]", *(f"{k} = {toml_value(v)}" for k, v in data["patient"].items())]
    for entry in data.get("exercises", []):
        lines += ["[[exercises]]", *(f"{k} = {toml_value(v)}" for k, v in entry.items())]
    return "\n".join(lines) + "\n"


def request_data(request: ProgramRequest) -> dict[str, Any]:
    """A loaded program file back as program-file data (for write_program)."""
    data: dict[str, Any] = {}
    for key in ("template", "date", "clinician", "notes", "title"):
        if getattr(request, key) is not None:
            data[key] = getattr(request, key)
    for key in ("omit", "education"):
        if getattr(request, key):
            data[key] = list(getattr(request, key))
    if request.patient_name is not None:
        data["patient"] = {"name": request.patient_name}
    entries = []
    for entry in request.entries:
        table: dict[str, Any] = {"id": entry.id, **dosage_table(entry.dosage)}
        if entry.note is not None:
            table["note"] = entry.note
        entries.append(table)
    if entries:
        data["exercises"] = entries
    return data


def comparable(request: ProgramRequest) -> tuple[Any, ...]:
    return (request.template, request.date, request.clinician, request.notes, request.title,
            request.patient_name, request.omit, request.education, request.problems,
            tuple((e.id, e.dosage, e.note) for e in request.entries))


# ---- strategies ---------------------------------------------------------------------

MARKUP = ["<b>", "</b>", "<i>", "<br/>", "<font color='red'>", "</font>", "&amp;", "&lt;",
          "&#60;", "&#99999999;", "<a href='javascript:x'>", "<img src='/etc/passwd'/>",
          "<para>", "]]>", "<!--", "'", '"', "&", "<", ">", "\\", "{", "}"]
any_text = st.text(max_size=120)
markup_text = st.lists(st.one_of(st.sampled_from(MARKUP), st.text(
    alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=12)),
    min_size=1, max_size=12).map("".join)
long_word = st.integers(200, 1500).map(lambda n: "W" * n)
hostile = st.one_of(any_text, markup_text, long_word,
                    st.lists(st.sampled_from(["\x00", "\x07", "\u202e", "\u200b", "e\u0301",
                                              "\r\n", "\r", "\t", "Ω", "ж", "😀", "中"]),
                             max_size=10).map("".join))

dosage = st.fixed_dictionaries({}, optional={
    "sets": st.integers(1, 10),
    "reps": st.one_of(st.integers(1, 30), st.sampled_from(["8-12", "5-10"])),
    "hold": st.sampled_from(["30 s", "45 sec", "3 min", "1 min 30 s", "5 s"]),
    "side": st.sampled_from(["left", "right", "both", "each"]),
    "frequency": st.sampled_from(["daily", "2x daily", "3x/week", "every other day",
                                  "every 30 min"]),
    "note": st.text(min_size=1, max_size=60),
})
program_data = st.fixed_dictionaries({
    "exercises": st.lists(st.builds(lambda i, d: {"id": i, **d},
                                    st.sampled_from(sorted(LIBRARY.exercises)), dosage),
                          min_size=1, max_size=4, unique_by=lambda e: e["id"]),
}, optional={
    "template": st.sampled_from(sorted(LIBRARY.programs)),
    "date": st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31)),
    "clinician": st.text(min_size=1, max_size=60),
    "notes": st.text(min_size=1, max_size=200),
    "title": st.text(min_size=1, max_size=60),
    "patient": st.fixed_dictionaries({"name": st.text(min_size=1, max_size=60)}),
    "education": st.lists(st.sampled_from(sorted(LIBRARY.education)), max_size=2,
                          unique=True),
})

# ---- properties ---------------------------------------------------------------------

COVERED = default_family().coverage


def visible(text: str) -> set[str]:
    """The characters of ``text`` a reader must find on the page: after rxprint's
    documented cleaning (NFC; control, bidi-override and format characters dropped),
    printable, not a combining mark or space, and in a handout font."""
    fallback = fallback_family().coverage
    return {ch for ch in clean_text(text)
            if unicodedata.category(ch)[0] in "LNPS" and (ord(ch) in COVERED
                                                         or ord(ch) in fallback)}


def build(program: str, config: str | None = None) -> tuple[int, str, bytes | None]:
    with tempfile.TemporaryDirectory(prefix="rxprint-prop-") as folder:
        path = Path(folder)
        (path / "p.toml").write_text(program, encoding="utf-8")
        argv = ["build", str(path / "p.toml"), "-o", str(path / "out.pdf"), "--no-pictures"]
        if config is not None:
            (path / "c.toml").write_text(config, encoding="utf-8")
            argv = ["--config", str(path / "c.toml"), *argv]
        result = CliRunner().invoke(cli, argv, env={"RXPRINT_PLUGINS": ""})
        out = path / "out.pdf"
        return result.exit_code, result.output, out.read_bytes() if out.exists() else None


def squash(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFC", text))


def check_rendering(field: str, value: str) -> None:
    program = {"exercises": [{"id": "quad-set"}]}
    config = None
    if field == "name":
        program["patient"] = {"name": value}
    elif field == "note":
        program["exercises"][0]["note"] = value
    else:
        config = f"[branding]\nclinic_name = {toml_string(value)}\n"
    code, output, pdf = build(write_program(program), config)
    assert "Traceback" not in output
    if code != 0:
        assert code == 1 and output.startswith("Error: ") and pdf is None, output
        assert value not in output or len(value) < 3  # the value is never quoted
        return
    assert pdf is not None
    text = Pdf(pdf).flat()  # Pdf checks the PDF (tests/pdfcheck.py)
    page = set(unicodedata.normalize("NFC", text))
    missing = visible(value) - page
    assert not missing, f"not printed: {sorted(missing)!r}"
    if set(value) <= set(map(chr, range(0x20, 0x7F))) and value.strip():
        # plain ASCII with markup: printed literally (whitespace aside), never interpreted
        assert squash(value) in squash(text)


@BOUNDED
@given(value=hostile)
def test_any_patient_name_renders_or_fails_cleanly(value: str) -> None:
    check_rendering("name", value)


@BOUNDED
@given(value=hostile)
def test_any_note_renders_or_fails_cleanly(value: str) -> None:
    check_rendering("note", value)


@BOUNDED
@given(value=hostile)
def test_any_clinic_name_renders_or_fails_cleanly(value: str) -> None:
    check_rendering("clinic", value)


@BOUNDED
@given(data=program_data)
def test_program_files_round_trip(data: dict[str, Any]) -> None:
    with tempfile.TemporaryDirectory(prefix="rxprint-prop-") as folder:
        first_file = Path(folder) / "first.toml"
        first_file.write_text(write_program(data), encoding="utf-8")
        first = read_program_file(first_file)
        assume(not first.problems)  # a program that loads cleanly
        second_file = Path(folder) / "second.toml"
        second_file.write_text(write_program(request_data(first)), encoding="utf-8")
        second = read_program_file(second_file)
    assert comparable(first) == comparable(second)
