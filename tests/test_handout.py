"""The handout PDF, read back and checked as a person would check it."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from rxprint.language.messages import catalog
from rxprint.library.loader import Library
from rxprint.library.model import Item, Program
from rxprint.library.programs import MAX_NOTES
from rxprint.render.handout import render_handout

from .conftest import EXAMPLE_PROGRAM, Pdf

Run = Callable[..., Result]
Writer = Callable[[str, "str | bytes"], Path]


@pytest.fixture
def example(run: Run, write: Writer, tmp_path: Path) -> Pdf:
    write("visit.toml", EXAMPLE_PROGRAM)
    result = run("build", "visit.toml", "-o", "out.pdf")
    assert result.exit_code == 0, result.output
    return Pdf((tmp_path / "out.pdf").read_bytes())


def test_every_page_has_header_and_footer(example: Pdf) -> None:
    assert example.pages >= 2
    for number, text in enumerate(example.texts(), start=1):
        flat = re.sub(r"\s+", " ", text)
        assert f"Page {number} of {example.pages}" in flat
        assert "it is not a diagnosis" in flat
        if number > 1:
            assert "Home Exercise Program" in flat
            assert "Patient: Jane Doe" in flat
            assert "Date: November 21, 2026" in flat


def test_page_one_says_title_name_and_date_once(example: Pdf) -> None:
    """No running header above the title (the neutral branding has no clinic to show):
    the title block opens page 1 and names the patient and date once."""
    first = example.flat(0)
    assert first.count("Home Exercise Program") == 1  # in "Your Home Exercise Program"
    assert first.count("Jane Doe") == 1 and first.count("November 21, 2026") == 1
    assert "Patient:" not in first


def test_first_page_has_title_clinician_date_and_notes(example: Pdf,
                                                        library: Library) -> None:
    first = example.flat(0)
    program = library.programs["hip-flexor-back-pain"].title
    for expected in ("Your Home Exercise Program", "Prepared for Jane Doe",
                     "Clinician Sam Lee, PT, DPT", "Date November 21, 2026",
                     f"Program {program}", "Notes from your clinician",
                     "Do these after your evening walk.", "Your exercises at a glance"):
        assert expected in first


def test_each_exercise_has_its_parts(example: Pdf, library: Library) -> None:
    text = example.flat()
    assert " ".join(library.exercises["supine-hip-flexor-stretch"].title.split()) in text
    assert "How much: hold 3 minutes · twice a day · each side" in text
    assert "How much: 3 sets of 10 · hold 5 seconds" in text
    assert "Note from your clinician: Rest your foot on a stool if the stretch is strong." in text
    for item_id in ("supine-hip-flexor-stretch", "quad-set"):
        exercise = library.exercises[item_id]
        for part in (exercise.purpose, exercise.steps[0], exercise.cues[0],
                     exercise.cautions[-1]):
            assert " ".join(part.split()) in text, part
    assert "Why it helps:" in text and "How to do it" in text and "When to stop" in text


def test_every_library_exercise_renders(library: Library) -> None:
    items = tuple(Item(e, e.dosage) for e in library.exercises.values())
    # (the page bounds count the handout without its adherence log)
    result = render_handout(Program(date=dt.date(2026, 11, 21), items=items, log=False))
    text = Pdf(result.pdf).flat()
    for exercise in library.exercises.values():
        assert exercise.title in text
    # with pictures, most Letter pages hold one or two exercises; without, two
    assert result.pages <= len(items) + 2
    text_only = render_handout(Program(date=dt.date(2026, 11, 21), items=items, log=False),
                               pictures=False)
    assert text_only.pages <= len(items) // 2 + 3


def test_no_pictures_and_no_placeholder_boxes_yet(example: Pdf) -> None:
    for page in example.reader.pages:
        xobjects = (page.get("/Resources") or {}).get("/XObject") or {}
        assert not xobjects


def test_fonts_are_embedded_subsets_of_atkinson(example: Pdf) -> None:
    fonts = example.fonts()
    assert fonts
    for name, font in fonts.items():
        assert re.match(r"^/[A-Z]{6}\+", name), f"{name} is not a subset"
        descriptor = font["/FontDescriptor"] if "/FontDescriptor" in font else \
            font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
        assert "/FontFile2" in descriptor.get_object(), f"{name} is not embedded"
    assert any("AtkinsonHyperlegible" in n for n in fonts)


def test_body_text_is_at_least_11_point(example: Pdf) -> None:
    sizes: list[tuple[float, str]] = []
    page = example.reader.pages[1]
    height = example.size(1)[1]

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        y = cm[5] + tm[5] * cm[3]
        if text.strip() and 80 < y < height - 90:  # between footer and header bands
            sizes.append((size * tm[3], text))

    page.extract_text(visitor_text=visit)
    assert sizes
    assert min(s for s, _ in sizes) >= 11, min(sizes)


@pytest.mark.parametrize(("paper", "size"), [("letter", (612, 792)), ("a4", (595.28, 841.89))])
def test_paper_sizes(run: Run, tmp_path: Path, paper: str, size: tuple[float, float]) -> None:
    assert run("build", "--template", "thigh-back-pain", "--paper", paper,
               "-o", "p.pdf").exit_code == 0
    pdf = Pdf((tmp_path / "p.pdf").read_bytes())
    for i in range(pdf.pages):
        assert pdf.size(i) == pytest.approx(size, abs=0.01)


def test_same_inputs_give_identical_bytes(run: Run, write: Writer, tmp_path: Path) -> None:
    write("visit.toml", EXAMPLE_PROGRAM)
    assert run("build", "visit.toml", "-o", "a.pdf").exit_code == 0
    assert run("build", "visit.toml", "-o", "b.pdf").exit_code == 0
    assert (tmp_path / "a.pdf").read_bytes() == (tmp_path / "b.pdf").read_bytes()
    assert run("build", "visit.toml", "--date", "2026-11-22", "-o", "c.pdf").exit_code == 0
    assert (tmp_path / "a.pdf").read_bytes() != (tmp_path / "c.pdf").read_bytes()


def test_metadata_has_title_and_creator_and_no_patient_data(example: Pdf) -> None:
    meta = example.metadata
    assert meta["/Title"] == "Home Exercise Program"
    assert re.fullmatch(r"rxprint \d+\.\d+\.\d+.*", meta["/Creator"])
    assert meta["/CreationDate"].startswith("D:20261121")
    for value in meta.values():
        assert "Jane" not in value and "Doe" not in value and "Sam Lee" not in value
    root = example.reader.trailer["/Root"].get_object()
    assert isinstance(root, dict) and "/Metadata" not in root  # no XMP metadata stream


MARKUP_NOTE = 'Use <b>both</b> legs & rest; say "hi" <br/> <img src="x.png"/> &amp; \'q\''


def test_markup_in_user_text_prints_literally(run: Run, tmp_path: Path) -> None:
    result = run("build", "-e", "quad-set", "--patient", "<i>Ann</i> & Co",
                 "--clinician", '<font color="red">Dr</font>', "-o", "m.pdf")
    assert result.exit_code == 0
    text = Pdf((tmp_path / "m.pdf").read_bytes()).flat()
    assert "Prepared for <i>Ann</i> & Co" in text
    assert '<font color="red">Dr</font>' in text


def test_markup_in_notes_prints_literally(write: Writer, run: Run, tmp_path: Path) -> None:
    quoted = json.dumps(MARKUP_NOTE)  # a JSON string is a valid TOML basic string
    write("p.toml", f'notes = {quoted}\n[[exercises]]\nid = "quad-set"\nnote = {quoted}\n')
    result = run("build", "p.toml", "-o", "m.pdf")
    assert result.exit_code == 0, result.output
    text = Pdf((tmp_path / "m.pdf").read_bytes()).flat()
    assert text.count('Use <b>both</b> legs & rest; say "hi" <br/> <img src="x.png"/>') == 2
    assert "&amp; 'q'" in text


CVE_2023_33733 = (
    "<para><font color=\"[ [ [ [ [ [ [ [ [ [ ["
    "getattr(pow, Word('__globals__'))['os'].system('touch {marker}') "
    "for Word in [ orgTypeFun( 'Word', (str,), {{ 'mutated': 1, "
    "'startswith': lambda self, x: 1 == 0, "
    "'__eq__': lambda self, x: self.mutate() and self.mutated < 0 and str(self) == x, "
    "'mutate': lambda self: {{ setattr(self, 'mutated', self.mutated - 1) }}, "
    "'__hash__': lambda self: hash(str(self)), }}, ) ] ] "
    "for orgTypeFun in [type(type(1))] for none in [[].append(1)]]] and 'red'\">"
    "exploit</font></para>"
)


def test_cve_2023_33733_payload_prints_and_executes_nothing(
        write: Writer, run: Run, tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    payload = CVE_2023_33733.format(marker=marker)
    write("p.toml", "notes = '''" + payload + "'''\n[patient]\nname = '''" + payload[:80]
          + "'''\n[[exercises]]\nid = \"quad-set\"\nnote = '''" + payload + "'''\n")
    result = run("build", "p.toml", "-o", "x.pdf")
    assert result.exit_code == 0, result.output
    assert not marker.exists()
    text = Pdf((tmp_path / "x.pdf").read_bytes()).flat()
    assert text.count("getattr(pow, Word('__globals__'))['os'].system(") == 2
    assert "exploit</font></para>" in text


NAMES = ["Nguyễn Thị Ánh", "Пётр Ильич", "Ελένη Παπαδοπούλου", "José Müller-Łukasiewicz"]


@pytest.mark.parametrize("name", NAMES)
def test_unicode_names_render_with_real_glyphs(run: Run, tmp_path: Path, name: str) -> None:
    result = run("build", "-e", "quad-set", "--patient", name, "-o", "u.pdf")
    assert result.exit_code == 0
    assert "Warning" not in result.output
    pdf = Pdf((tmp_path / "u.pdf").read_bytes())
    assert f"Prepared for {name}" in pdf.flat(0)
    if name != NAMES[-1]:  # Atkinson lacks these letters: Noto Sans supplies them
        assert any("NotoSans" in f for f in pdf.fonts())


def test_characters_no_font_has_are_counted_not_quoted(run: Run, tmp_path: Path) -> None:
    result = run("build", "-e", "quad-set", "--patient", "Ann 😀 東京", "-o", "e.pdf")
    assert result.exit_code == 0
    assert "Warning: 3 characters" in result.output
    assert "😀" not in result.output and "東" not in result.output and "Ann" not in result.output
    assert (tmp_path / "e.pdf").exists()


def _words(n: int) -> str:
    base = ["stretch", "gently", "and", "breathe", "slowly", "while", "you", "hold", "the",
            "position"]
    return " ".join(f"{base[i % len(base)]}{i}" if i % 50 == 0 else base[i % len(base)]
                    for i in range(n))


def test_notes_at_their_limit_flow_across_pages(write: Writer, run: Run,
                                                tmp_path: Path) -> None:
    note = _words(799)  # 4,995 characters: notes and an exercise's note take 5,000
    assert len(note) <= MAX_NOTES
    write("p.toml", f'notes = "{note}"\n[[exercises]]\nid = "quad-set"\nnote = "{note}"\n')
    result = run("build", "p.toml", "-o", "long.pdf")
    assert result.exit_code == 0, result.output
    pdf = Pdf((tmp_path / "long.pdf").read_bytes())
    assert pdf.pages >= 3
    text = pdf.flat()
    for i in range(0, 799, 50):  # every numbered word, of both notes, is printed
        assert len(re.findall(rf"\b[a-z]+{i}\b", text)) == 2, i
    assert "When to contact your clinician" in pdf.flat()


def test_render_is_a_pure_function(library: Library) -> None:
    """Safe to call many times in one process: same program, same bytes."""
    program = Program(date=dt.date(2026, 1, 2),
                      items=(Item(library.exercises["quad-set"],
                                  library.exercises["quad-set"].dosage),))
    first = render_handout(program)
    other = render_handout(Program(date=dt.date(2026, 1, 2), patient_name="Someone Else",
                                   items=program.items))
    again = render_handout(program)
    assert first.pdf == again.pdf != other.pdf
    assert catalog("en") is catalog("en")
