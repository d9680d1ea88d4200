"""Languages: Spanish handouts read back from the PDF, the precedence of the language
setting, fallback to English with a warning (an error with --strict), the chart note in
the record's language, the catalogs, the library's translations, and the commands that
answer in a language."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import string
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from babel.dates import format_date
from click.testing import Result

from rxprint.language.messages import _keys, catalog, load_catalog
from rxprint.library.loader import builtin_library
from rxprint.library.translations import english_fingerprint, translation_warnings

from .conftest import Pdf, built

Run = Callable[..., Result]
PROGRAMS = sorted(builtin_library().programs)
# English words of rxprint's own that no Spanish handout may print (as whole words)
ENGLISH_WORDS = ("the", "and", "your", "with", "each", "side", "times", "hold", "sets",
                 "Page", "Steps", "Tips", "stop", "Stop", "Patient", "Date", "Program",
                 "exercise", "stretch", "minutes", "seconds", "day", "week")


def _english_texts() -> set[str]:
    """Every English catalog message without placeholders (and longer than a word) that
    the Spanish catalog does not share."""
    en, es = _keys(catalog("en").data), _keys(catalog("es").data)
    found: set[str] = set()
    for key, value in en.items():
        if key.startswith(("summary.", "catalog.", "browse.", "dates.")) or key in (
                "language", "name"):
            continue
        texts = value if isinstance(value, list) else list(value.values()) \
            if isinstance(value, dict) else [value]
        for text in texts:
            text = str(text)
            if "{" not in text and len(text) > 4 and text not in str(es.get(key)):
                found.add(text.rstrip(".:"))
    return found


def assert_spanish(pdf: Pdf) -> None:
    """No English message of rxprint's, and no English word of its own, in the PDF."""
    text = pdf.flat()
    left = [t for t in _english_texts() if t in text]
    assert not left, f"English messages in a Spanish handout: {left[:5]}"
    words = [w for w in ENGLISH_WORDS if re.search(rf"\b{w}\b", text)]
    assert not words, f"English words in a Spanish handout: {words}"


@pytest.mark.parametrize("layout", ["classic", "compact"])
@pytest.mark.parametrize("template", PROGRAMS)
def test_a_spanish_handout_is_spanish_throughout(run: Run, template: str, layout: str) -> None:
    pdf = built(run, "--template", template, "--lang", "es", "--layout", layout,
                "--date", "2026-11-21", "--patient", "Ana Núñez", "--strict")
    assert_spanish(pdf)
    text = pdf.flat()
    assert "21 de noviembre de 2026" in text
    assert f"Página 1 de {pdf.pages}" in text
    assert "Cuándo comunicarse con su terapeuta" in text  # the safety box
    program = builtin_library().programs[template]
    spanish_title = dict(program.translations[0].text)["title"]
    assert re.sub(r"\s+", " ", str(spanish_title)) in text
    for entry in program.entries:  # every exercise's Spanish title is printed
        ex = builtin_library().exercises[entry.id]
        title = str(dict(next(t for t in ex.translations if t.language == "es").text)["title"])
        assert title in text, title
        assert ex.title not in text  # and not its English one
    # the accented letters are real glyphs: extracted back as the letters themselves, and
    # no character printed as "?" (each question opens with ¿)
    assert "ñ" in text and "í" in text and "á" in text
    assert text.count("?") == text.count("¿")


def test_spanish_dosage_phrases_and_the_side_note(run: Run, write: Callable[..., Path]) -> None:
    write("visit.toml", """
        language = "es"
        date = 2026-11-21
        [[exercises]]
        id = "quad-set"
        sets = 3
        reps = 10
        frequency = "2x daily"
        side = "right"
        [[exercises]]
        id = "calf-stretch"
        hold = "30 s"
        reps = 1
        [[exercises]]
        id = "movement-breaks"
    """.replace("\n        ", "\n"))
    pdf = built(run, "visit.toml")
    text = pdf.flat()
    assert "3 series de 10" in text
    assert "dos veces al día" in text
    assert "solo el lado derecho" in text
    assert "mantenga 30 segundos · una vez" in text  # one repetition: the singular
    assert "cada 30 minutos" in text
    # quad-set's steps say to switch legs; prescribed for the right leg only
    assert "Haga este ejercicio solo del lado derecho." in text
    assert_spanish(pdf)


def test_the_language_setting_follows_the_usual_precedence(
        run: Run, write: Callable[..., Path], monkeypatch: pytest.MonkeyPatch) -> None:
    write("es.toml", 'template = "thigh-back-pain"\ndate = 2026-11-21\nlanguage = "es"\n')
    assert "Página 1" in built(run, "es.toml").flat()
    assert "Page 1 of" in built(run, "es.toml", "--lang", "en").flat()  # a flag wins
    write("rxprint.toml", '[defaults]\nlanguage = "es"\n')
    assert "Página 1" in built(run, "--template", "thigh-back-pain").flat()  # config
    write("en.toml", 'template = "thigh-back-pain"\nlanguage = "en"\n')
    assert "Page 1 of" in built(run, "en.toml").flat()  # the file over the config
    assert "Page 1 of" in built(run, "--template", "thigh-back-pain", "--lang", "EN").flat()


def test_an_unknown_language_is_a_clear_error(run: Run, write: Callable[..., Path]) -> None:
    result = run("build", "--template", "thigh-back-pain", "--lang", "xx", "-o", "x.pdf")
    assert result.exit_code == 1
    assert 'unknown language "xx"; available: en (English), es (Español)' in result.output
    assert not Path("x.pdf").exists()
    write("bad.toml", 'template = "thigh-back-pain"\nlanguage = "Spanish"\n')
    result = run("build", "bad.toml", "-o", "x.pdf")
    assert result.exit_code == 1
    assert "bad.toml:2: language:" in result.output and "ISO 639" in result.output
    assert "Traceback" not in result.output


FR_EXERCISE = '''
    from dataclasses import replace
    from rxprint.api import hookimpl, builtin_exercise
    @hookimpl
    def register_exercises(register):
        register(replace(builtin_exercise("quad-set"), id="oak-quad-set", translations=(),
                         easier=None, harder=None))
'''


def test_missing_text_prints_in_english_with_a_warning_and_fails_with_strict(
        run: Run, plugins: Callable[[str, str], Path]) -> None:
    plugins("oak", FR_EXERCISE)
    result = run("build", "-e", "oak-quad-set", "-e", "glute-bridge", "--lang", "es",
                 "--patient", "Ana Secret", "-o", "out.pdf")
    assert result.exit_code == 0, result.output
    assert ('Warning: exercise "oak-quad-set": no Español text, printed in English'
            in result.output)
    assert "Ana Secret" not in result.output
    text = Pdf(Path("out.pdf").read_bytes()).flat()
    assert "Quad set" in text or "Tighten" in text  # the English text, not a blank
    assert "Levantar la cadera" in text
    strict = run("build", "-e", "oak-quad-set", "--lang", "es", "--strict", "-o", "s.pdf")
    assert strict.exit_code == 1
    assert "--strict" in strict.output and "oak-quad-set" in strict.output
    assert not Path("s.pdf").exists()


def test_the_chart_note_stays_in_the_records_language(run: Run,
                                                      write: Callable[..., Path]) -> None:
    result = run("build", "--template", "thigh-back-pain", "--lang", "es", "--summary",
                 "-o", "out.pdf")
    assert result.exit_code == 0
    assert "Home exercise program issued" in result.output
    assert "Hip lift (glute bridge)" in result.output
    assert "Levantar la cadera" not in result.output
    assert "Página 1" in Pdf(Path("out.pdf").read_bytes()).flat()
    write("rxprint.toml", '[defaults]\nrecord_language = "es"\n')
    result = run("build", "--template", "thigh-back-pain", "--summary", "-o", "b.pdf")
    assert "Levantar la cadera" in result.output
    assert "Page 1 of" in Pdf(Path("b.pdf").read_bytes()).flat()


def test_a_batch_row_gives_its_language(run: Run, write: Callable[..., Path]) -> None:
    write("roster.csv", "patient,template,language,date\n"
                        "Ana,thigh-back-pain,es,2026-11-21\n"
                        "Bob,thigh-back-pain,,2026-11-21\n"
                        "Cy,thigh-back-pain,Klingon,2026-11-21\n")
    result = run("batch", "roster.csv", "-o", "out")
    assert result.exit_code == 1
    assert "row 4: language: not a language code" in result.output
    assert "Klingon" not in result.output  # a cell that is not a code is not quoted
    spanish = Pdf(Path("out/0002-thigh-back-pain.pdf").read_bytes()).flat()  # row 2
    english = Pdf(Path("out/0003-thigh-back-pain.pdf").read_bytes()).flat()
    assert "21 de noviembre de 2026" in spanish and "November 21, 2026" in english
    result = run("batch", "--all-programs", "-o", "es", "--lang", "es", "--strict")
    assert result.exit_code == 0, result.output
    for pdf in Path("es").glob("*.pdf"):
        assert_spanish(Pdf(pdf.read_bytes()))


def test_list_show_programs_and_catalog_answer_in_the_language(run: Run) -> None:
    listing = run("list", "--lang", "es").output
    assert listing.startswith("ID") and "TÍTULO" in listing
    assert "Levantar la cadera (puente)" in listing and "Glute bridge" not in listing
    assert "2 series de 8 a 12" in listing
    shown = run("show", "glute-bridge", "--lang", "es").output
    assert "Pasos:" in shown and "Para qué sirve:" in shown
    assert not re.search(r"\b(Steps|Tips|Sources|Why it helps)\b", shown)
    as_json = json.loads(run("show", "glute-bridge", "--lang", "es", "--json").output)
    assert as_json["title"].startswith("Levantar la cadera")
    assert as_json["dosage"]["text"].startswith("2 series")
    programs = run("programs", "--lang", "es").output
    assert "EJERCICIOS" in programs and "Movilidad de cadera para corredores" in programs
    result = run("catalog", "-o", "cat.pdf", "--lang", "es", "--category", "stretch")
    assert result.exit_code == 0
    text = Pdf(Path("cat.pdf").read_bytes()).flat()
    assert "Biblioteca de ejercicios" in text and "Estirar la pantorrilla" in text
    languages = run("languages").output
    assert re.search(r"es\s+Español\s+rxprint\s+60 of 60\s+complete", languages)


# -- the catalogs -------------------------------------------------------------------------


def _placeholders(value: Any) -> set[str]:
    texts = value if isinstance(value, list) else list(value.values()) \
        if isinstance(value, dict) else [value]
    return {name for text in texts for _, name, _, _ in string.Formatter().parse(str(text))
            if name}


def test_the_spanish_catalog_has_every_message_with_the_same_placeholders() -> None:
    es = load_catalog("es")
    assert es.missing == ()
    en_keys, es_keys = _keys(catalog("en").data), _keys(es.data)
    for key, value in en_keys.items():
        if key.startswith("dates."):
            continue
        assert _placeholders(es_keys[key]) == _placeholders(value), key
        if isinstance(value, dict):  # plurals: Spanish has one, many, other
            assert set(es_keys[key]) == {"one", "many", "other"}, key


def test_plurals_and_dates_follow_the_languages_rules() -> None:
    es = catalog("es")
    assert es.n("dosage.sets", 1) == "1 serie" and es.n("dosage.sets", 2) == "2 series"
    assert es.date(dt.date(2026, 11, 21)) == "21 de noviembre de 2026"
    en = catalog("en")
    day = dt.date(2026, 1, 1)
    while day.year == 2026:  # English spells its months out: the same words as Babel's
        assert en.date(day) == format_date(day, format="long", locale="en")
        day += dt.timedelta(days=13)


# -- the library's translations -----------------------------------------------------------


def test_every_library_entry_has_a_complete_current_spanish_translation() -> None:
    lib = builtin_library()
    for entry in [*lib.exercises.values(), *lib.education.values(), *lib.programs.values()]:
        assert translation_warnings(entry, ["es"]) == [], entry.id


def test_validate_reports_missing_incomplete_and_stale_translations(
        run: Run, tmp_path: Path) -> None:
    lib = builtin_library()
    folder = tmp_path / "ex"
    folder.mkdir()
    source = lib.exercises["calf-stretch"].path
    assert source is not None
    stale = folder / "calf-stretch.toml"
    shutil.copy(source, stale)
    text = stale.read_text(encoding="utf-8")
    stale.write_text(text.replace("Step one foot a long step back", "Step one foot back"),
                     encoding="utf-8")
    short = folder / "glute-bridge.toml"
    glute = lib.exercises["glute-bridge"].path
    assert glute is not None
    text = glute.read_text(encoding="utf-8")
    head, _, tail = text.partition("[translations.es]")
    tail = re.sub(r"\ncues = \[[^\]]*\]", "", tail)  # the Spanish tips left out
    short.write_text(head + "[translations.es]" + tail, encoding="utf-8")
    none = folder / "quad-set.toml"
    quad = lib.exercises["quad-set"].path
    assert quad is not None
    none.write_text(quad.read_text(encoding="utf-8").split("[translations.es]")[0],
                    encoding="utf-8")
    result = run("validate", str(folder), "--lang", "es")
    assert result.exit_code == 0, result.output
    out = result.output
    now = english_fingerprint(lib.exercises["calf-stretch"])
    assert "calf-stretch.toml" in out and "stale: the English changed" in out
    assert f'set source = "{now}"' not in out  # the stamp of the changed English instead
    assert "glute-bridge.toml" in out and "no translation of cues" in out
    assert 'quad-set.toml' in out and 'no "es" translation' in out
    assert "3 translation warnings" in out
    quiet = run("validate", str(folder))  # missing ones only for a language asked for
    assert "no \"es\" translation" not in quiet.output


def test_a_translation_table_is_checked_like_the_file(run: Run, tmp_path: Path) -> None:
    bad = tmp_path / "calf-stretch.toml"
    source = builtin_library().exercises["calf-stretch"].path
    assert source is not None
    bad.write_text(source.read_text(encoding="utf-8")
                   + '\n[translations.Spanish]\ntitle = "x"\n\n[translations.fr]\n'
                     'steps = 3\nnotes = "x"\nsource = "abc"\n', encoding="utf-8")
    result = run("validate", str(bad))
    assert result.exit_code == 1
    out = result.output
    assert "translations.Spanish" in out and "ISO 639" in out
    assert "translations.fr.steps: expected a list of texts" in out
    assert "translations.fr.notes: unknown field" in out
    assert "translations.fr.source: expected the 12 hex digits" in out
