"""``rxprint validate``: check exercise, education, standard program and program files.

Files are checked on their own and against the built-in library, with the checked files
taking the place of built-in entries of the same id (so the library's own files pass).
Exercise and education files are also measured against the plain-language limits
(:mod:`rxprint.library.plain_language`), and every entry's translations are checked
(:func:`rxprint.library.translations.translation_warnings`: missing, incomplete, stale):
these are warnings, not problems.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from rxprint.errors import InputError, Problem, ValidationError
from rxprint.files.tomlfile import TomlDocument, load_toml
from rxprint.library.loader import Kind, Library, kind_by_content
from rxprint.library.model import EducationSection, Exercise, StandardProgram
from rxprint.library.plain_language import check_education, check_exercise
from rxprint.library.programs import parse_program_file, resolve
from rxprint.library.translations import translation_file_problems, translation_warnings


@dataclass(frozen=True)
class Report:
    files: int
    problems: tuple[Problem, ...]
    warnings: tuple[Problem, ...] = ()  # past a plain-language limit: printed, not failed
    translation: tuple[Problem, ...] = ()  # a translation missing, incomplete or stale


def _expand(paths: Iterable[Path]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(p for p in path.rglob("*.toml")
                           if not any(part.startswith(".") for part in p.relative_to(path).parts))
            files.extend(found)
        else:
            files.append(path)
    return files


def _kind(doc: TomlDocument) -> Kind | str:
    parent = doc.path.parent.name
    if parent == "programs":
        return "program"
    if parent == "education":
        return "education"
    return kind_by_content(doc)


#: A check of a plugin's message catalog file: its warnings (the catalogs are above the
#: library: the command passes the check in).
CatalogCheck = Callable[[Path, str], list[Problem]]


def validate_paths(paths: Iterable[Path], base: Library, today: dt.date,
                   languages: Iterable[str] = (), *,
                   translation_folders: Mapping[Path, str] | None = None,
                   catalogs: Mapping[Path, str] | None = None,
                   check_catalog: CatalogCheck | None = None) -> Report:
    """Check ``paths`` (files and folders) against ``base``; report translations that
    are incomplete or stale, and those into ``languages`` that are missing. A file in one
    of ``translation_folders`` (a plugin's, by language) is a translation file; one of
    ``catalogs`` (a plugin's message catalogs) is checked by ``check_catalog``."""
    languages = [lang for lang in languages if lang != "en"]
    translation: list[Problem] = []
    folders = {k.resolve(): v for k, v in (translation_folders or {}).items()}
    catalog_files = {k.resolve(): v for k, v in (catalogs or {}).items()}
    files = _expand(paths)
    problems: list[Problem] = []
    overlay = base.copy()
    seen: dict[tuple[str, str], Path] = {}
    program_files: list[TomlDocument] = []
    checked_programs: list[StandardProgram] = []
    checked_exercises: list[Exercise] = []
    warnings: list[Problem] = []
    for path in files:
        where = path.resolve()
        if where in catalog_files and check_catalog is not None:
            translation += check_catalog(path, catalog_files[where])
            continue
        if where.parent in folders:
            try:
                translation += translation_file_problems(path, folders[where.parent],
                                                         base.entry, problems)
            except InputError as exc:
                problems.append(exc.problem)
            continue
        try:
            doc = load_toml(path)
        except InputError as exc:
            problems.append(exc.problem)
            continue
        kind = _kind(doc)
        if kind == "program-file":
            program_files.append(doc)
            continue
        assert kind in ("exercise", "education", "program")
        ident = doc.data.get("id")
        if isinstance(ident, str) and (kind, ident) in seen:
            problems.append(doc.problem("id", f'{kind} id "{ident}" is also defined in '
                                              f"{seen[(kind, ident)]}: ids must be unique"))
            continue
        before = len(problems)
        overlay.add_document(doc, kind, problems, replace=True)  # type: ignore[arg-type]
        if isinstance(ident, str):
            seen[(kind, ident)] = path
        if len(problems) == before and isinstance(ident, str):
            entry = overlay.entry_of(kind, ident)  # type: ignore[arg-type]
            translation += [doc.problem(field, message) for field, message
                            in translation_warnings(entry, languages)]
        if kind == "program" and len(problems) == before and isinstance(ident, str):
            checked_programs.append(overlay.programs[ident])
        if kind == "exercise" and len(problems) == before and isinstance(ident, str):
            checked_exercises.append(overlay.exercises[ident])
            warnings += plain_language_warnings(doc, overlay.exercises[ident])
        if kind == "education" and len(problems) == before and isinstance(ident, str):
            warnings += plain_language_warnings(doc, overlay.education[ident])
    overlay.check_references(problems, only=checked_programs)
    overlay.check_links(problems, only=checked_exercises)
    for doc in program_files:
        try:
            resolve(parse_program_file(doc), overlay, today)
        except ValidationError as exc:
            problems.extend(exc.problems)
        except InputError as exc:
            problem = exc.problem
            problems.append(problem if problem.path else replace(problem, path=doc.path))
    return Report(files=len(files), problems=tuple(problems), warnings=tuple(warnings),
                  translation=tuple(translation))


def plain_language_warnings(doc: TomlDocument,
                            entry: Exercise | EducationSection) -> list[Problem]:
    """Where ``entry`` (read from ``doc``) goes past a plain-language limit, as problems
    with file, line and field."""
    found = (check_exercise(entry) if isinstance(entry, Exercise)
             else check_education(entry))
    return [doc.problem(f.field or None, f.message) for f in found]
