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
import tomllib
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
    assert str(pdf.reader.trailer["/Root"].get("/Lang")) == "es"  # what a reader speaks
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
    assert 'unknown language "xx"; available: en (English), es (Spanish)' in result.output
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
    assert ('Warning: exercise "oak-quad-set": no Spanish text, printed in English'
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
    assert re.search(r"es\s+Spanish\s+Español\s+rxprint\s+60 of 60\s+complete", languages)


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


# -- glyphs and a plugin's own translations ----------------------------------------------


@pytest.mark.parametrize("language", ["en", "es"])
def test_every_shipped_language_prints_with_the_handout_fonts_own_glyphs(language: str) -> None:
    """Every character of the catalog and of the library's text in that language is in
    each of the four Atkinson Hyperlegible fonts (none falls back, none prints as "?")."""
    from reportlab.pdfbase.ttfonts import TTFont

    from rxprint.library.translations import localize
    from rxprint.render.fonts import DEFAULT_FAMILY

    texts: list[str] = [str(v) for v in _keys(catalog(language).data).values()]
    lib = builtin_library()
    for entry in [*lib.exercises.values(), *lib.education.values(), *lib.programs.values()]:
        shown = localize(entry, language)
        for name in ("title", "position", "purpose", "steps", "cues", "cautions",
                     "paragraphs", "bullets", "description"):
            value = getattr(shown, name, None)
            texts += [value] if isinstance(value, str) else list(value or ())
    used = {ch for text in texts for ch in text if not ch.isspace()}
    if language == "es":
        assert {"ñ", "á", "é", "í", "ó", "ú", "¿"} <= used
        used |= set("ñÑáéíóúÁÉÍÓÚüÜ¿¡«»")  # the whole alphabet: names and notes too
    for path in DEFAULT_FAMILY.files().values():
        face = TTFont(f"check-{path.stem}", str(path)).face
        missing = sorted(ch for ch in used if ord(ch) not in face.charToGlyph)
        assert not missing, (path.name, missing)


PLUGIN_OWN = '''
    from pathlib import Path
    from rxprint.api import Exercise, Translation, hookimpl, builtin_exercise
    from dataclasses import replace
    HERE = Path(__file__).parent
    @hookimpl
    def register_exercises(register):
        register(HERE / "oak")
        base = builtin_exercise("calf-stretch")
        register(replace(base, id="oak-calf", easier=None, harder=None, translations=(
            Translation("es", (("title", "Pantorrilla de la clínica Oak"),
                               ("steps", base.translations[0].get("steps")))),)))
'''


def test_a_plugins_own_exercises_carry_their_translations(
        run: Run, plugins: Callable[[str, str], Path]) -> None:
    path = plugins("oak", PLUGIN_OWN)
    folder = path.parent / "oak"
    folder.mkdir()
    source = builtin_library().exercises["quad-set"].path
    assert source is not None
    text = source.read_text(encoding="utf-8").replace('id = "quad-set"', 'id = "oak-quad"')
    text = re.sub(r'(\[translations\.es\]\n)source = "[0-9a-f]+"\n', r"\1", text)
    text = text.replace('easier = "', '# easier = "').replace('harder = "', '# harder = "')
    (folder / "oak-quad.toml").write_text(text.replace(
        '[translations.es]\n', '[translations.es]\ntitle = "Muslo de la clínica Oak"\n', 1)
        .replace('\ntitle = "Apretar', '\n# title = "Apretar', 1), encoding="utf-8")
    result = run("build", "-e", "oak-quad", "-e", "oak-calf", "--lang", "es", "-o", "o.pdf")
    assert result.exit_code == 0, result.output
    pdf = Pdf(Path("o.pdf").read_bytes()).flat()
    assert "Muslo de la clínica Oak" in pdf and "Pantorrilla de la clínica Oak" in pdf
    # oak-calf's translation gives only its title and steps: the rest is English, said
    assert 'exercise "oak-calf": no Spanish text for position, purpose, cues, cautions' \
        in result.output
    assert "oak-quad" not in result.output


FRENCH = Path(__file__).parent / "fixtures" / "french"


def _french_plugin(plugins: Callable[[str, str], Path], tmp_path: Path,
                   change: Callable[[str, str], str] = lambda name, text: text) -> Path:
    """The French fixture plugin, copied to ``tmp_path`` with ``change(file name, text)``
    applied to its catalog and translation files."""
    copy = tmp_path / "french"
    shutil.copytree(FRENCH, copy)
    for path in copy.rglob("*.toml"):
        path.write_text(change(path.name, path.read_text(encoding="utf-8")),
                        encoding="utf-8")
    plugins("french", f"""
        from pathlib import Path
        from rxprint.api import hookimpl
        HERE = Path({str(copy)!r})
        @hookimpl
        def register_languages(register):
            register("fr", catalog=HERE / "fr.toml", translations=HERE / "translations" / "fr")
    """)
    return copy


def test_a_translated_list_of_another_length_is_not_used(
        run: Run, plugins: Callable[[str, str], Path], tmp_path: Path) -> None:
    def drop_a_step(name: str, text: str) -> str:
        if name != "quad-set.toml":
            return text
        return re.sub(r'(steps = \[\n(?:  "[^\n]*",\n){3})  "[^\n]*",\n', r"\1", text)
    copy = _french_plugin(plugins, tmp_path, drop_a_step)
    assert len(tomllib.loads((copy / "translations" / "fr" / "quad-set.toml")
                             .read_text(encoding="utf-8"))["steps"]) == 3
    result = run("build", "-e", "quad-set", "--lang", "fr", "-o", "q.pdf")
    assert result.exit_code == 0
    assert 'exercise "quad-set": no French text for steps' in result.output
    text = Pdf(Path("q.pdf").read_bytes()).flat()
    for step in builtin_library().exercises["quad-set"].steps:  # all four, in English
        assert re.sub(r"\s+", " ", step) in text
    assert run("build", "-e", "quad-set", "--lang", "fr", "--strict",
               "-o", "s.pdf").exit_code == 1


def test_a_catalog_message_with_other_placeholders_prints_in_english(
        run: Run, plugins: Callable[[str, str], Path], tmp_path: Path) -> None:
    def misspell(name: str, text: str) -> str:
        if name != "fr.toml":
            return text
        text = re.sub(r'page_of = "[^"]*"', 'page_of = "Page {pagina} sur {pages}"', text)
        return text.replace("\n[handout]\n", '\n[handout]\ntitel = "Programme"\n', 1)
    copy = _french_plugin(plugins, tmp_path, misspell)
    result = run("build", "-e", "quad-set", "--lang", "fr", "-o", "p.pdf")
    assert result.exit_code == 0, result.output  # not a crash
    assert "catalog lacks 1 message or has them wrong (handout.page_of" in result.output
    assert re.search(r"Page 1 of \d", Pdf(Path("p.pdf").read_bytes()).flat())
    checked = run("validate", str(copy / "fr.toml"), str(copy / "translations"))
    out = checked.output
    assert checked.exit_code == 0, out
    assert re.search(r"fr\.toml:\d+: handout\.page_of: other placeholders than the "
                     r"English's \(\{page\}, \{pages\}\)", out)
    assert re.search(r"fr\.toml:\d+: handout\.titel: not a message of the English", out)
    # the fixture's translation files are unstamped: validate gives the stamp to set
    assert "quad-set.toml: source: not stamped" in out.replace("translations/fr/", "")
