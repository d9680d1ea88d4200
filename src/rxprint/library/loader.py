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

from rxprint.errors import InputError, Problem, RxprintError, ValidationError
from rxprint.files.fields import unknown
from rxprint.files.tomlfile import TomlDocument, load_toml
from rxprint.library.model import EducationSection, Exercise, StandardProgram
from rxprint.library.schema import parse_education, parse_exercise, parse_program

Kind = Literal["exercise", "education", "program"]


def builtin_dir() -> Path:
    """The built-in library: inside the installed package, or the source tree's
    ``exercises/`` when running from a checkout (editable install)."""
    package = Path(str(resources.files("rxprint")))
    packaged = package / "exercises"
    if packaged.is_dir():
        return packaged
    source_tree = package.resolve().parents[1] / "exercises"  # src/rxprint -> the checkout
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
                        unknown("exercise", entry.id, self.exercises),
                        path=program.path, field=f"{entry.field}.id",
                        line=_line(program.path, f"{entry.field}.id")))
            for i, ed in enumerate(program.education, start=1):
                if ed not in self.education:
                    problems.append(Problem(
                        unknown("education section", ed, self.education),
                        path=program.path, field=f"education[{i}]",
                        line=_line(program.path, "education")))

    def check_links(self, problems: list[Problem],
                    only: Iterable[Exercise] | None = None) -> None:
        """The ``easier`` and ``harder`` links of exercises (all, or ``only`` these): each
        names another exercise that exists; two exercises never disagree (when A names B as
        harder, B names A as easier or names no easier one, and the other way round); and
        the order they make never loops (A easier than B easier than ... A)."""
        checked = list(self.exercises.values())
        if only is not None:  # these, and the exercises that link to them
            ids = {ex.id for ex in only}
            checked = [*only, *(ex for ex in checked if ex.id not in ids
                                and (ex.easier in ids or ex.harder in ids))]
        for ex in checked:
            for key, back_key in (("easier", "harder"), ("harder", "easier")):
                target = getattr(ex, key)
                if target is None or target == ex.id:  # itself: reported by the schema
                    continue
                other = self.exercises.get(target)
                if other is None:
                    problems.append(_link_problem(
                        ex, key, unknown("exercise", target, self.exercises,
                                         "; `rxprint list` shows them all")))
                    continue
                back = getattr(other, back_key)
                if back is not None and back != ex.id:
                    problems.append(_link_problem(
                        ex, key, f'"{target}" names "{back}" as its {back_key} exercise, '
                                 f'not "{ex.id}": two linked exercises must agree (set '
                                 f'{back_key} = "{ex.id}" in "{target}", or leave it out '
                                 f"there, or name another {key} exercise here)"))
        ids = {ex.id for ex in checked}
        for cycle, owner, key in self._loops():
            if ids & set(cycle):
                path = " -> ".join(f'"{i}"' for i in [*cycle, cycle[0]])
                problems.append(_link_problem(
                    owner, key, f"the exercises get harder in a loop: {path}, each harder "
                                "than the one before; an exercise cannot be harder than "
                                "itself: remove one of these links"))

    def _loops(self) -> list[tuple[list[str], Exercise, str]]:
        """Every loop in the "harder than" order the links make, once each, starting at
        its smallest id, with the exercise and field of the link leaving that id."""
        # a -> b: b is harder than a; the link is written in (owner, field)
        edges: dict[str, dict[str, tuple[Exercise, str]]] = {}
        for ex in self.exercises.values():
            if ex.harder in self.exercises and ex.harder != ex.id:
                edges.setdefault(ex.id, {}).setdefault(ex.harder, (ex, "harder"))
            if ex.easier in self.exercises and ex.easier != ex.id:
                assert ex.easier is not None
                edges.setdefault(ex.easier, {}).setdefault(ex.id, (ex, "easier"))
        found: dict[tuple[str, ...], tuple[Exercise, str]] = {}
        done: set[str] = set()
        for start in sorted(edges):
            if start in done:
                continue
            path: list[str] = [start]
            todo: list[list[str]] = [sorted(edges.get(start, {}))]
            while todo:
                if not todo[-1]:
                    done.add(path.pop())
                    todo.pop()
                    continue
                nxt = todo[-1].pop(0)
                if nxt in path:
                    cycle = path[path.index(nxt):]
                    low = cycle.index(min(cycle))
                    cycle = cycle[low:] + cycle[:low]
                    found.setdefault(tuple(cycle), edges[cycle[0]][cycle[1 % len(cycle)]])
                elif nxt not in done:
                    path.append(nxt)
                    todo.append(sorted(edges.get(nxt, {})))
        return [(list(c), owner, key) for c, (owner, key) in sorted(found.items())]

    def progression(self, ident: str) -> list[Exercise]:
        """The chain of exercises ``ident`` belongs to, easiest first: down its
        ``easier`` links (or, where an exercise names none, the one exercise that names it
        as ``harder``), then up its ``harder`` links likewise. Just the exercise when it is
        linked to none."""
        ex = self.exercise(ident)

        def step(e: Exercise, key: str, back_key: str) -> Exercise | None:
            target = getattr(e, key)
            if target is not None:
                return self.exercises.get(target)
            naming = [o for o in self.exercises.values() if getattr(o, back_key) == e.id]
            return naming[0] if len(naming) == 1 else None

        chain = [ex]
        seen = {ex.id}
        for key, back_key, at_front in (("easier", "harder", True),
                                        ("harder", "easier", False)):
            e: Exercise | None = ex
            while e is not None:
                e = step(e, key, back_key)
                if e is None or e.id in seen:  # a loop (only in an unchecked library)
                    break
                seen.add(e.id)
                if at_front:
                    chain.insert(0, e)
                else:
                    chain.append(e)
        return chain

    @classmethod
    def from_dirs(cls, roots: Iterable[Path]) -> Library:
        """Load library folders in order; raise ValidationError listing every problem."""
        lib = cls()
        problems: list[Problem] = []
        for root in roots:
            lib.add_files(library_files(root), problems)
        lib.check_references(problems)
        lib.check_links(problems)
        if problems:
            raise ValidationError(problems, "the exercise library has errors")
        return lib

    # -- looking up -------------------------------------------------------------------

    def exercise(self, ident: str) -> Exercise:
        try:
            return self.exercises[ident]
        except KeyError:
            raise InputError(unknown("exercise", ident, self.exercises,
                                     "; `rxprint list` shows them all")) from None

    def program(self, ident: str) -> StandardProgram:
        try:
            return self.programs[ident]
        except KeyError:
            raise InputError(unknown("standard program", ident, self.programs,
                                     "; `rxprint programs` shows them all")) from None

    def section(self, ident: str) -> EducationSection:
        try:
            return self.education[ident]
        except KeyError:
            raise InputError(unknown("education section", ident, self.education)) from None


def _link_problem(ex: Exercise, key: str, message: str) -> Problem:
    return Problem(message, path=ex.path, field=key, line=_line(ex.path, key))


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
