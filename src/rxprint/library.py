"""The exercise library: where exercises, education sections and standard programs are
loaded, checked and looked up.

A library is built from folders laid out like the built-in one (``exercises/``): exercise
files anywhere, education sections under ``education/``, standard programs under
``programs/``. Loading reads every file, reports every problem at once, and checks that
programs only name entries that exist. The built-in library is loaded once per process.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Literal

from .errors import InputError, Problem, RxprintError, ValidationError
from .model import EducationSection, Exercise, StandardProgram
from .schema import parse_education, parse_exercise, parse_program
from .tomlfile import TomlDocument, load_toml
from .validate import did_you_mean

Kind = Literal["exercise", "education", "program"]


def builtin_dir() -> Path:
    """The built-in library: inside the installed package, or the source tree's
    ``exercises/`` when running from a checkout (editable install)."""
    packaged = Path(str(resources.files("rxprint"))) / "exercises"
    if packaged.is_dir():
        return packaged
    source_tree = Path(__file__).resolve().parents[2] / "exercises"
    if source_tree.is_dir():
        return source_tree
    raise RxprintError("the built-in exercise library is missing from this installation; "
                       "reinstall rxprint")


def kind_by_location(path: Path, root: Path) -> Kind:
    parts = path.relative_to(root).parts
    if parts[:1] == ("programs",):
        return "program"
    if parts[:1] == ("education",):
        return "education"
    return "exercise"


def kind_by_content(doc: TomlDocument) -> Kind | Literal["program-file"]:
    """Guess what a loose file is, for ``rxprint validate``."""
    data = doc.data
    if "paragraphs" in data:
        return "education"
    if "id" in data and "exercises" in data:
        return "program"
    if "id" in data or "category" in data or "steps" in data:
        return "exercise"  # program files never have an id
    return "program-file"


def library_files(root: Path) -> Iterator[tuple[Path, Kind]]:
    """Every TOML file of a library folder, in a stable order, with its kind."""
    for path in sorted(root.rglob("*.toml")):
        if any(part.startswith(".") for part in path.relative_to(root).parts):
            continue
        yield path, kind_by_location(path, root)


Entry = Exercise | EducationSection | StandardProgram


@dataclass
class Library:
    exercises: dict[str, Exercise] = field(default_factory=dict)
    education: dict[str, EducationSection] = field(default_factory=dict)
    programs: dict[str, StandardProgram] = field(default_factory=dict)
    # which plugin supplied each entry, by (kind, id)
    origins: dict[tuple[str, str], str] = field(default_factory=dict)

    # -- building ---------------------------------------------------------------------

    def copy(self) -> Library:
        return Library(dict(self.exercises), dict(self.education), dict(self.programs),
                       dict(self.origins))

    def _table(self, kind: Kind) -> dict[str, Entry]:
        tables: dict[str, dict[str, Entry]] = {
            "exercise": self.exercises,  # type: ignore[dict-item]
            "education": self.education,  # type: ignore[dict-item]
            "program": self.programs,  # type: ignore[dict-item]
        }
        return tables[kind]

    def add(self, item: Entry, kind: Kind, problems: list[Problem], *, origin: str = "",
            override: bool = False, at: Callable[[str], Problem] | None = None) -> bool:
        """Add one entry; a duplicate id is a problem unless ``override``."""
        table = self._table(kind)
        existing = table.get(item.id)
        if existing is not None and not override:
            by = self.origins.get((kind, item.id))
            where = f" by plugin {by}" if by else ""
            if existing.path is not None:
                where += f" in {existing.path}"
            source = f" from plugin {origin}" if origin else ""
            message = (f'{kind} id "{item.id}"{source} is already defined{where}: ids must '
                       "be unique (rename it, or register it with override=True to replace "
                       "it on purpose)")
            problems.append(at(message) if at else Problem(message, path=item.path,
                                                           field="id"))
            return False
        table[item.id] = item
        self.origins[(kind, item.id)] = origin
        return True

    def add_document(self, doc: TomlDocument, kind: Kind, problems: list[Problem],
                     *, replace: bool = False, origin: str = "") -> None:
        """Parse one file into the library; a duplicate id is a problem unless ``replace``."""
        item: Entry | None
        if kind == "exercise":
            item = parse_exercise(doc, problems)
        elif kind == "education":
            item = parse_education(doc, problems)
        else:
            item = parse_program(doc, problems)
        if item is not None:
            self.add(item, kind, problems, origin=origin, override=replace,
                     at=lambda message: doc.problem("id", message))

    def add_files(self, files: Iterable[tuple[Path, Kind]], problems: list[Problem], *,
                  origin: str = "", override: bool = False) -> None:
        for path, kind in files:
            try:
                doc = load_toml(path)
            except InputError as exc:
                problems.append(exc.problem)
                continue
            self.add_document(doc, kind, problems, replace=override, origin=origin)

    def check_references(self, problems: list[Problem],
                         only: Iterable[StandardProgram] | None = None) -> None:
        """Every program names exercises and education sections that exist."""
        for program in only if only is not None else self.programs.values():
            for entry in program.entries:
                if entry.id not in self.exercises:
                    problems.append(Problem(
                        f'unknown exercise "{entry.id}"{did_you_mean(entry.id, self.exercises)}',
                        path=program.path, field=f"{entry.field}.id",
                        line=_line(program.path, f"{entry.field}.id")))
            for i, ed in enumerate(program.education, start=1):
                if ed not in self.education:
                    problems.append(Problem(
                        f'unknown education section "{ed}"{did_you_mean(ed, self.education)}',
                        path=program.path, field=f"education[{i}]",
                        line=_line(program.path, "education")))

    @classmethod
    def from_dirs(cls, roots: Iterable[Path]) -> Library:
        """Load library folders in order; raise ValidationError listing every problem."""
        lib = cls()
        problems: list[Problem] = []
        for root in roots:
            lib.add_files(library_files(root), problems)
        lib.check_references(problems)
        if problems:
            raise ValidationError(problems, "the exercise library has errors")
        return lib

    # -- looking up -------------------------------------------------------------------

    def exercise(self, ident: str) -> Exercise:
        try:
            return self.exercises[ident]
        except KeyError:
            raise InputError(f'unknown exercise "{ident}"'
                             f"{did_you_mean(ident, self.exercises)}; "
                             "`rxprint list` shows them all") from None

    def program(self, ident: str) -> StandardProgram:
        try:
            return self.programs[ident]
        except KeyError:
            raise InputError(f'unknown standard program "{ident}"'
                             f"{did_you_mean(ident, self.programs)}; "
                             "`rxprint programs` shows them all") from None

    def section(self, ident: str) -> EducationSection:
        try:
            return self.education[ident]
        except KeyError:
            raise InputError(f'unknown education section "{ident}"'
                             f"{did_you_mean(ident, self.education)}") from None


def _line(path: Path | None, field_path: str) -> int | None:
    """The line of a field in an already-validated file (read again only on error)."""
    if path is None:
        return None
    try:
        return load_toml(path).index.line_of(field_path)
    except InputError:
        return None


@functools.cache
def builtin_library() -> Library:
    """The bundled library alone, loaded and checked once per process (for tests and
    benchmarks). Commands use :class:`rxprint.app.App`, whose library also holds what
    plugins register (the bundled library arrives through the same hook)."""
    return Library.from_dirs([builtin_dir()])
