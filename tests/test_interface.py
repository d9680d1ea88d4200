"""The interface language (issue 18): with RXPRINT_LANG=es (or `interface_language` under
[defaults]) the command line says its errors and status lines in Spanish; a message with
any part that has no Spanish text is said in English whole, never half and half; the
handout's language (--lang) never changes what the command line says."""

from __future__ import annotations

import ast
import re
import string
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

import rxprint
from rxprint.errors import Msg
from rxprint.files.fields import NOT_ID, WHATS, unknown
from rxprint.files.tomlfile import FILE_KINDS
from rxprint.language.interface import interface_language, say, texts
from rxprint.library.translations import KINDS

Run = Callable[..., Result]
SPANISH_ONLY = re.compile(r"[áéíóúñ¿]|no se encontró|se esperaba|problemas?\b")
ENGLISH_WORDS = re.compile(r"\b(unknown|expected|got|problems?|cannot|did you mean|not found|"
                           r"already exists|Wrote|shows them)\b")
# English messages whose Spanish is not needed: "5 days a day" is never said
NOT_SAID = {"dosage.frequency_days_day"}


@pytest.fixture
def spanish(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RXPRINT_LANG", "es")


def english_messages() -> dict[str, str]:
    """Every Msg the code makes (its key and English text), read from the source; and
    those made from a table (what an id names, the files read)."""
    found: dict[str, str] = {}
    root = Path(rxprint.__file__).parent
    for path in root.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id == "Msg" and len(node.args) >= 2
                    and isinstance(node.args[0], ast.Constant)
                    and isinstance(node.args[1], ast.Constant)):
                found[str(node.args[0].value)] = str(node.args[1].value)
    for table in (WHATS, FILE_KINDS, NOT_ID, KINDS):
        found.update({m.key: str(m) for m in table.values()})
    found["problems.one"] = "{summary} ({n} problem):"
    found["problems.other"] = "{summary} ({n} problems):"
    for days in ("days", "times"):
        for period in ("day", "week"):
            found[f"dosage.frequency_{days}_{period}"] = (
                f"expected 1 to {{most}} {days} a {period}, got {{got}}")
    return found


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_message_has_its_spanish_with_the_same_placeholders() -> None:
    english = english_messages()
    spanish = texts("es")
    assert len(english) > 50
    missing = sorted(set(english) - set(spanish) - NOT_SAID)
    assert missing == []
    assert sorted(set(spanish) - set(english)) == []  # no text for a message not made
    for key, text in spanish.items():
        assert fields(text) == fields(english[key]), key


def test_the_interface_language_comes_from_rxprint_lang_then_the_configuration() -> None:
    assert interface_language({}) == "en"
    assert interface_language({"RXPRINT_LANG": "es"}) == "es"
    assert interface_language({"RXPRINT_LANG": "es_MX.UTF-8"}) == "es"
    assert interface_language({"RXPRINT_LANG": "es-419"}) == "es"
    assert interface_language({"RXPRINT_LANG": "fr"}) == "en"  # no French interface
    assert interface_language({}, "es") == "es"
    assert interface_language({"RXPRINT_LANG": "en"}, "es") == "en"


def test_a_message_with_a_part_not_translated_is_english_whole() -> None:
    assert say(unknown("exercise", "x", []), "es") == 'no se encontró el ejercicio "x"'
    # an English part that is plain text (a plugin's, say), or a kind of id with no
    # Spanish: the message is not a Msg, so it is said in English
    assert say(unknown("exercise", "x", [], "; see the list"), "es") is None
    assert say(unknown("gadget", "x", []), "es") is None
    assert say("plain text", "es") is None
    assert say(Msg("unknown", 'unknown {what} "{ident}"{hint}{how}', what="gadget",
                   ident="x", hint="", how=""), "es") == 'no se encontró gadget "x"'
    # (a plain value is taken as data, the same in every language: the code makes a
    # message a Msg only when each of its words is one, as unknown() does above)


def test_errors_and_status_lines_in_spanish(run: Run, spanish: None,
                                            write: Callable[..., Path]) -> None:
    unknown = run("build", "-e", "quad-sett")
    assert unknown.exit_code == 1
    assert unknown.output == (
        "Error: no se pudo generar el programa (1 problema):\n"
        '  --exercise: no se encontró el ejercicio "quad-sett" (¿quiso decir "quad-set"?); '
        "`rxprint list` muestra todos los ejercicios\n")
    write("p.toml", '[[exercises]]\nid = "quad-set"\nreps = "10 rpes"\nside = "L"\n'
                    'hold = "thirty"\nfrequency = "5x/day"\n[[exercises]]\nid = "x"\nsets = 99\n')
    wrong = run("build", "p.toml")
    assert wrong.exit_code == 1
    lines = wrong.output.splitlines()
    assert lines[0] == "Error: no se pudo generar el programa (4 problemas):"
    assert 'exercises[1].reps: se esperaba un número entero de repeticiones' in lines[1]
    assert 'pero hay "10 rpes" (¿quiso decir "reps"?)' in lines[1]
    assert "exercises[1].hold: se esperaba un tiempo como" in lines[2]
    assert 'exercises[2].id: no se encontró el ejercicio "x"' in lines[3]
    assert "exercises[2].sets: se esperaba un número entero de series, de 1 a 20" in lines[4]
    for line in lines:
        assert not ENGLISH_WORDS.search(line.split(": ", 1)[-1]), line
    made = run("build", "--template", "thigh-back-pain", "-o", "x.pdf")
    assert made.exit_code == 0
    assert made.output.strip() == "Se guardó x.pdf (6 páginas)"
    again = run("build", "--template", "thigh-back-pain", "-o", "x.pdf")
    assert again.output == ("Error: x.pdf: ya existe; use --force para reemplazarlo o elija "
                            "otro nombre de archivo\n")
    folder = run("build", "-e", "quad-set", "-o", "nofolder/x.pdf")
    assert folder.output == "Error: nofolder/x.pdf: la carpeta nofolder no existe; créela primero\n"
    missing = run("build", "nothere.toml")
    assert missing.output == "Error: nothere.toml: no se encontró el archivo del programa\n"
    lang = run("build", "-e", "quad-set", "--lang", "sp")
    assert lang.output == ('Error: --lang: no se encontró el idioma "sp"; disponibles: '
                           "en (inglés), es (español)\n")
    layout = run("build", "-e", "quad-set", "--layout", "compcat")
    assert layout.output == ('Error: no se encontró el diseño "compcat" (¿quiso decir '
                             '"compact"?); disponibles: classic, compact\n')


def test_a_message_without_spanish_is_said_in_english_whole(
        run: Run, spanish: None, write: Callable[..., Path]) -> None:
    write("broken.toml", "reps = [\n")
    broken = run("build", "broken.toml")
    assert broken.exit_code == 1
    assert "TOML syntax error" in broken.output
    assert not SPANISH_ONLY.search(broken.output)
    # one problem said in Spanish, one not: the whole error is English
    write("mixed.toml", '[[exercises]]\nid = "quad-set"\nreps = "10 rpes"\n'
                        + "".join(f'[[phases]]\ntitle = "{i}"\nweeks = 1\n'
                                  for i in range(7)))  # "has 7 phases": no Spanish yet
    mixed = run("build", "mixed.toml")
    assert mixed.exit_code == 1
    assert "the program cannot be built (2 problems)" in mixed.output
    assert "has 7 phases, at most 6" in mixed.output
    assert "expected a whole number of repetitions" in mixed.output
    assert not SPANISH_ONLY.search(mixed.output)


def test_the_handout_language_does_not_change_what_the_command_line_says(run: Run) -> None:
    result = run("build", "-e", "quad-sett", "--lang", "es")
    assert 'unknown exercise "quad-sett"' in result.output
    assert not SPANISH_ONLY.search(result.output)
    made = run("build", "-e", "quad-set", "--lang", "es", "-o", "es.pdf")
    assert made.output.startswith("Wrote es.pdf (")


def test_the_configuration_sets_it_and_rxprint_lang_comes_first(
        run: Run, write: Callable[..., Path], monkeypatch: pytest.MonkeyPatch) -> None:
    write("rxprint.toml", '[defaults]\ninterface_language = "es"\n')
    assert "no se encontró el ejercicio" in run("build", "-e", "quad-sett").output
    monkeypatch.setenv("RXPRINT_LANG", "en")
    assert 'unknown exercise "quad-sett"' in run("build", "-e", "quad-sett").output


def test_validate_and_a_warning_in_spanish(
        run: Run, spanish: None, write: Callable[..., Path],
        plugins: Callable[[str, str], Path]) -> None:
    write("p.toml", '[[exercises]]\nid = "quad-set"\nreps = "10 rpes"\n')
    checked = run("validate", "p.toml")
    assert checked.output.startswith("Error: 1 archivo revisado (1 problema):\n")
    # a warning with no Spanish (a plugin's exercise with no Spanish text): English whole
    plugins("oak", '''
        from pathlib import Path
        from rxprint.api import hookimpl

        @hookimpl
        def register_exercises(register):
            register(Path(__file__).parent / "oak")
    ''')
    oak = Path("plugins/oak")
    oak.mkdir()
    from rxprint.library.loader import builtin_library

    path = builtin_library().exercise("quad-set").path
    assert path is not None
    text = path.read_text(encoding="utf-8")
    text = text.replace('id = "quad-set"', 'id = "oak-quad-set"')
    text = re.sub(r'(?m)^(easier|harder) = .*\n', "", text)  # no links to the library
    (oak / "oak-quad-set.toml").write_text(text.split("[translations.es]")[0],
                                           encoding="utf-8")
    made = run("build", "-e", "oak-quad-set", "--lang", "es", "-o", "oak.pdf")
    assert made.exit_code == 0, made.output
    warning = next(line for line in made.output.splitlines() if "oak-quad-set" in line)
    assert warning == ('Aviso: el ejercicio "oak-quad-set": no tiene texto en español; se '
                       "imprime en inglés")
    # --strict makes that an error (one with no Spanish yet: English whole)
    plain = run("build", "-e", "oak-quad-set", "--lang", "es", "-o", "oak.pdf", "--force",
                "--strict")
    assert plain.exit_code == 1 and "--strict" in plain.output
    assert "Se guardó oak.pdf" in made.output


def test_a_batchs_summary_in_spanish(run: Run, spanish: None,
                                     write: Callable[..., Path]) -> None:
    write("r.csv", "patient,template\nAna,thigh-back-pain\nBea,no-such-program\n")
    result = run("batch", "r.csv", "-o", "out", "-j", "1")
    assert result.exit_code == 1
    last = result.output.splitlines()[-1]
    assert last.startswith("Lote: hechos: 1; omitidos (ya existían): 0; con error: 1; en ")
    assert last.endswith(" s con 1 proceso; los PDF están en out")
    # a row's failure comes from its worker process, in English, whole
    failed = next(line for line in result.output.splitlines() if line.startswith("Failed"))
    assert not SPANISH_ONLY.search(failed)
