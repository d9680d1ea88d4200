"""Translations of the library's text: reading them, checking them, applying them.

A translation is data beside the text it translates: the ``[translations.LANG]`` table
of an exercise, education section or standard program file (``docs/schema.md``), with
the same fields as the English (``title``, ``steps``, ...) and a ``source`` stamp, the
fingerprint of the English it was made from. :func:`localize` gives an entry in another
language; :func:`localize_program` a whole program, with one warning per entry whose
text (or part of it) is missing and so prints in English. :func:`translation_warnings`
is what ``rxprint validate`` reports: missing, incomplete and stale translations.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, TypeVar

from rxprint.errors import LanguageList, Msg, Problem
from rxprint.files.fields import Fields
from rxprint.files.tomlfile import TomlDocument, load_toml
from rxprint.library.model import (
    EducationSection,
    Exercise,
    Program,
    StandardProgram,
    TranslatedText,
    Translation,
)

Entry = TypeVar("Entry", Exercise, EducationSection, StandardProgram)

#: The fields of each kind of entry that a translation gives, in file order.
EXERCISE_TEXT = ("title", "position", "purpose", "steps", "cues", "cautions")
EDUCATION_TEXT = ("title", "paragraphs", "bullets")
PROGRAM_TEXT = ("title", "description", "phase_titles")
#: A language: its ISO 639 code, two or three lowercase letters ("es", "fr", "pt").
LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}$")
_STAMP = re.compile(r"^[0-9a-f]{12}$")
ENGLISH = "en"


def text_fields(entry: Exercise | EducationSection | StandardProgram) -> tuple[str, ...]:
    if isinstance(entry, Exercise):
        return EXERCISE_TEXT
    if isinstance(entry, EducationSection):
        return EDUCATION_TEXT
    return PROGRAM_TEXT


def kind_name(entry: Exercise | EducationSection | StandardProgram) -> str:
    if isinstance(entry, Exercise):
        return "exercise"
    if isinstance(entry, EducationSection):
        return "education section"
    return "standard program"


def english_fingerprint(entry: Exercise | EducationSection | StandardProgram) -> str:
    """Twelve hex digits that change whenever the entry's English text changes: the
    ``source`` stamp of a translation made from this text."""
    english = {name: getattr(entry, name) for name in text_fields(entry)
               if name != "phase_titles" or getattr(entry, name)}  # (stamps from before)
    text = json.dumps(english, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def check_language(code: object) -> str | None:
    """What is wrong with a language code, or None."""
    if isinstance(code, str) and LANGUAGE_CODE.match(code):
        return None
    return Msg("language.code", 'a language is its two- or three-letter ISO 639 code in '
               'lowercase, like "es" (Spanish) or "fr" (French)')


def parse_language(value: object) -> str:
    """A language code from a file ("ES" is "es"); ValueError says the form."""
    code = value.strip().lower() if isinstance(value, str) else value
    problem = check_language(code)
    if problem is not None:
        raise ValueError(problem)
    assert isinstance(code, str)
    return code


# The limits of each translated field: a list (max items) or a text, and its length. A
# translation may run longer than the English: the limits are the English ones plus room.
_LIMITS: dict[str, tuple[int | None, int]] = {
    "title": (None, 90), "position": (None, 160), "purpose": (None, 500),
    "steps": (10, 400), "cues": (6, 300), "cautions": (6, 350),
    "paragraphs": (4, 900), "bullets": (8, 350), "description": (None, 500),
    "phase_titles": (6, 100),
}


def parse_translations(f: Fields, fields: tuple[str, ...]) -> tuple[Translation, ...]:
    """The ``[translations.LANG]`` tables of an entry's file (problems go to ``f``)."""
    table = f.table_of("translations")
    if table is None:
        return ()
    found: list[Translation] = []
    for language in table.table:
        problem = check_language(language)
        if problem is not None or language == ENGLISH:
            table.error(str(language), problem or "the library's own text is English: "
                                                  "translate into another language")
            continue
        t = table.table_of(language)
        if t is not None:
            found.append(parse_translation(t, language, fields))
    return tuple(found)


def parse_translation(t: Fields, language: str, fields: tuple[str, ...]) -> Translation:
    """One language's table: the translated ``fields`` and its ``source`` stamp."""
    t.only((*fields, "source"))
    text: list[tuple[str, TranslatedText]] = []
    for name in fields:
        items, length = _LIMITS[name]
        value: TranslatedText | None
        if items is None:
            value = t.text(name, required=False, max_len=length)
        elif name in t.table:
            value = t.text_list(name, required=False, max_items=items, max_len=length)
        else:
            value = None
        if value is not None:
            text.append((name, value))
    source = t.text("source", required=False, max_len=12)
    if source is not None and not _STAMP.match(source):
        t.error("source", "expected the 12 hex digits `rxprint validate` gives for the "
                          "English text this translation was made from")
        source = None
    return Translation(language=language, text=tuple(text), source=source)


#: Translations that do not live in their entry's file (a plugin's folder of them), by
#: the entry's kind ("exercise", "education section", "standard program") and id.
Extra = Mapping[tuple[str, str], Translation]


def read_translation_folder(
        folder: Path, language: str,
        entries: Callable[[str], Exercise | EducationSection | StandardProgram | None],
        problems: list[Problem]) -> dict[tuple[str, str], Translation]:
    """A folder of translations into ``language``: one file per entry, ``<id>.toml``,
    holding the fields of a ``[translations.LANG]`` table (``entries`` finds the entry an
    id names, of any kind)."""
    found: dict[tuple[str, str], Translation] = {}
    for path in sorted(folder.glob("*.toml")):
        read = _translation_file(path, language, entries, problems)
        if read is not None:
            _, entry, translated = read
            found[(kind_name(entry), entry.id)] = translated
    return found


def _translation_file(
        path: Path, language: str,
        entries: Callable[[str], Exercise | EducationSection | StandardProgram | None],
        problems: list[Problem]
) -> tuple[TomlDocument, Exercise | EducationSection | StandardProgram, Translation] | None:
    """One translation file, ``<id>.toml``: its document, the entry its name is the id
    of, and the translation; None (with the problems added) when it has errors."""
    doc = load_toml(path, "translation file")
    entry = entries(path.stem)
    if entry is None:
        problems.append(doc.problem(None, f'no exercise, education section or standard '
                                          f'program has the id "{path.stem}" (the file '
                                          "name is the id of what it translates)"))
        return None
    start = len(problems)
    translated = parse_translation(Fields(doc, doc.data, problems), language,
                                   text_fields(entry))
    return None if len(problems) > start else (doc, entry, translated)


def translation(entry: Exercise | EducationSection | StandardProgram, language: str,
                extra: Extra | None = None) -> Translation | None:
    """The entry's translation into ``language``: ``extra``'s (a plugin's) first, then
    its own file's."""
    if extra:
        found = extra.get((kind_name(entry), entry.id))
        if found is not None:
            return found
    return next((t for t in entry.translations if t.language == language), None)


def _usable(entry: Exercise | EducationSection | StandardProgram,
            found: Translation) -> dict[str, TranslatedText]:
    """The translated fields that may replace the English: a list (steps, cautions) only
    with as many entries as the English, so no step and no stop rule is ever lost."""
    usable: dict[str, TranslatedText] = {}
    for name, value in found.text:
        english = getattr(entry, name, None)
        if isinstance(english, tuple) and (not isinstance(value, tuple)
                                           or len(value) != len(english)):
            continue
        usable[name] = value
    return usable


def missing_fields(entry: Exercise | EducationSection | StandardProgram,
                   language: str, extra: Extra | None = None) -> tuple[str, ...]:
    """The fields of ``entry`` with English text that have none in ``language`` (or a
    list of another length than the English: it prints in English)."""
    if language == ENGLISH:
        return ()
    found = translation(entry, language, extra)
    usable = _usable(entry, found) if found is not None else {}
    return tuple(name for name in text_fields(entry)
                 if getattr(entry, name) and name not in usable)


def localize(entry: Entry, language: str, extra: Extra | None = None) -> Entry:
    """``entry`` with its text in ``language`` where a translation gives it (English
    elsewhere: :func:`missing_fields` says where)."""
    found = translation(entry, language, extra) if language != ENGLISH else None
    if found is None:
        return entry
    text: dict[str, Any] = _usable(entry, found)  # the fields text_fields(entry) names
    titles = text.pop("phase_titles", None)
    if titles is not None and isinstance(entry, StandardProgram):
        text["phases"] = tuple(replace(ph, title=t) for ph, t in zip(entry.phases, titles,
                                                                     strict=True))
    return replace(entry, **text)


@dataclass(frozen=True)
class Untranslated:
    """An entry of a program with no text (or not all of it) in the handout's language."""

    kind: str  # "exercise", "education section", "standard program"
    id: str
    fields: tuple[str, ...]
    everything: bool  # no translation at all

    def describe(self, language: str, language_name: str) -> str:
        """The warning: 'exercise "x": no Spanish text, printed in English' (``language``:
        the code; ``language_name``: its English name)."""
        kind = KINDS[self.kind]
        name = LanguageList([language], language_name, names_only=True)
        if self.everything:
            return Msg("untranslated.all", '{kind} "{id}": no {language} text, printed in '
                       "English", kind=kind, id=self.id, language=name)
        return Msg("untranslated.some", '{kind} "{id}": no {language} text for {fields}, '
                   "printed in English", kind=kind, id=self.id, language=name,
                   fields=", ".join(self.fields))


# An entry's kind, in messages.
KINDS = {kind: Msg(f"untranslated.{kind.replace(' ', '_')}", kind)
         for kind in ("exercise", "education section", "standard program")}


def localize_program(program: Program, extra: Extra | None = None
                     ) -> tuple[Program, list[Untranslated]]:
    """The program with its library text in its ``language`` (exercises, the exercises
    "too hard? / too easy?" name, education sections, the standard program), and what
    has no text in that language. The therapist's own text (notes, title, names) is
    never translated."""
    language = program.language
    if language == ENGLISH:
        return program, []
    missing: dict[tuple[str, str], Untranslated] = {}

    def note(entry: Exercise | EducationSection | StandardProgram,
             printed: tuple[str, ...] | None = None) -> None:
        gaps = tuple(name for name in missing_fields(entry, language, extra)
                     if printed is None or name in printed)
        if gaps:
            everything = translation(entry, language, extra) is None
            missing.setdefault((kind_name(entry), entry.id),
                               Untranslated(kind_name(entry), entry.id, gaps, everything))

    def ex(exercise: Exercise | None, printed: tuple[str, ...] | None = None
           ) -> Exercise | None:
        if exercise is None:
            return None
        note(exercise, printed)
        return localize(exercise, language, extra)

    items = []
    for item in program.items:
        localized = ex(item.exercise)
        assert localized is not None
        # of the exercises it links to, only the title prints ("Too hard? Try: ...")
        items.append(replace(item, exercise=localized, easier=ex(item.easier, ("title",)),
                             harder=ex(item.harder, ("title",))))
    sections = []
    for section in program.education:
        note(section)
        sections.append(localize(section, language, extra))
    template = program.template
    phases = program.phases
    if template is not None:
        note(template)
        english = template.phase_titles
        template = localize(template, language, extra)
        if english and tuple(ph.title for ph in phases) == english:  # the template's own
            phases = tuple(replace(ph, title=t) for ph, t in zip(phases,
                                                                 template.phase_titles,
                                                                 strict=True))
    return (replace(program, items=tuple(items), education=tuple(sections),
                    template=template, phases=phases), list(missing.values()))


def translation_warnings(entry: Exercise | EducationSection | StandardProgram,
                         required: Iterable[str] = ()) -> list[tuple[str, str]]:
    """What ``rxprint validate`` reports about an entry's translations, as (field,
    message) pairs: for every language it has a translation into, fields missing, lists
    of another length than the English, and a stale or unstamped translation; for each
    ``required`` language it has none into, that it is missing."""
    out: list[tuple[str, str]] = []
    stamp = english_fingerprint(entry)
    own = [t.language for t in entry.translations]
    for language in [*own, *(lang for lang in required if lang not in own)]:
        if language == ENGLISH:
            continue
        found = translation(entry, language)
        where = f"translations.{language}"
        if found is None:
            out.append((where, f'no "{language}" translation: add a [{where}] table '
                               f'with {", ".join(text_fields(entry))} and source = "{stamp}"'))
            continue
        gaps = missing_fields(entry, language)
        if gaps:
            out.append((where, f"no translation of {', '.join(gaps)}: these print in "
                               "English"))
        for name in text_fields(entry):
            english, translated = getattr(entry, name), found.get(name)
            if (isinstance(english, tuple) and isinstance(translated, tuple)
                    and len(english) != len(translated)):
                out.append((f"{where}.{name}",
                            f"{len(translated)} entries, the English has {len(english)}: "
                            "translate each one, in the same order"))
        if found.source is None:
            out.append((f"{where}.source", f'not stamped: once it says what the English '
                                           f'says, set source = "{stamp}"'))
        elif found.source != stamp:
            out.append((f"{where}.source", f"stale: the English changed after this "
                                           f"translation was made (source = "
                                           f'"{found.source}"); update the translation, then '
                                           f'set source = "{stamp}"'))
    return out


def translation_file_problems(path: Path, language: str,
                              entries: Callable[[str], Exercise | EducationSection |
                                                StandardProgram | None],
                              problems: list[Problem]) -> list[Problem]:
    """A plugin's translation file (``<id>.toml`` in its folder for ``language``) checked
    as ``rxprint validate`` checks a library file: its errors go to ``problems``; its
    warnings (incomplete, other list lengths, stale or unstamped) are returned."""
    read = _translation_file(path, language, entries, problems)
    if read is None:
        return []
    doc, entry, found = read
    warnings = translation_warnings(replace(entry, translations=(found,)), [language])
    prefix = f"translations.{language}"
    return [doc.problem(field.removeprefix(prefix).lstrip(".") or None, message)
            for field, message in warnings]
