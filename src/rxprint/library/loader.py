"""The exercise library: where exercises, education sections and standard programs are
loaded, checked and looked up.

A library is built from folders laid out like the built-in one (``exercises/``): exercise
files anywhere, education sections under ``education/``, standard programs under
``programs/``. :meth:`Library.from_dirs` (and :func:`builtin_library`) reads every file,
reports every problem at once, and checks that programs only name entries that exist.

The library of a command (what plugins register, the built-in one included) is read
lazily, so that a handout of six exercises does not read the other thirty:

- Registering a folder (:meth:`Library.add_files`) lists its files: an entry's id is its
  file's name (a file whose ``id`` differs is an error, reported when it is read). That
  index answers ``id in library.exercises``, the ids for "did you mean" and ``len``.
- ``library.exercises[id]`` reads and checks that one file when it is first asked for:
  its fields, and its references (the exercises and sections a program names exist; an
  exercise's ``easier`` and ``harder`` exercises exist and agree). A problem is a
  :class:`~rxprint.errors.ValidationError`, "the exercise library has errors", as when
  everything is read.
- Going through a table (``.values()``, ``.items()``), copying the library or following a
  progression reads and checks everything, as ``rxprint list``, ``catalog``, ``programs``
  and ``validate`` do, and reports every problem of the library at once, the same list as
  reading it all up front gives.
- Registration itself stays as strict as ever: the same id registered twice, or any
  problem while plugins register, makes the library read everything there and then, so
  the error lists the same problems, in the same order, as before.

Nothing is kept between runs: the index is the folder as it is now, and a file is read
when it is used.
"""

from __future__ import annotations

import functools
import os
from collections.abc import (
    Callable,
    ItemsView,
    Iterable,
    Iterator,
    Mapping,
    MutableMapping,
    ValuesView,
)
from pathlib import Path
from typing import Any, Literal, TypeVar

from rxprint.errors import InputError, Problem, RxprintError, ValidationError
from rxprint.files.fields import LIST_EXERCISES, LIST_PROGRAMS, unknown
from rxprint.files.tomlfile import TomlDocument, load_toml, read_limited
from rxprint.library.model import EducationSection, Exercise, StandardProgram
from rxprint.library.schema import parse_education, parse_exercise, parse_program

Kind = Literal["exercise", "education", "program"]
KINDS: tuple[Kind, ...] = ("exercise", "education", "program")
LIBRARY_ERRORS = "the exercise library has errors"


def builtin_dir() -> Path:
    """The built-in library: inside the installed package, or the source tree's
    ``exercises/`` when running from a checkout (editable install)."""
    import rxprint  # the package's folder (what importlib.resources.files gives)

    package = Path(str(rxprint.__file__)).parent
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


def _toml_files(folder: str) -> Iterator[str]:
    """What ``Path(folder).rglob("*.toml")`` finds (every entry named ``*.toml``, in
    folders reached without following a symbolic link), with ``os.scandir``."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        if entry.name.endswith(".toml"):
            yield entry.path
        try:
            is_dir = entry.is_dir() and not entry.is_symlink()
        except OSError:
            is_dir = False
        if is_dir:
            yield from _toml_files(entry.path)


def library_files(root: Path) -> Iterator[tuple[Path, Kind]]:
    """Every TOML file of a library folder, in a stable order, with its kind."""
    for path in sorted(Path(p) for p in _toml_files(str(root))):
        if any(part.startswith(".") for part in path.relative_to(root).parts):
            continue
        yield path, kind_by_location(path, root)


Entry = Exercise | EducationSection | StandardProgram
E = TypeVar("E", Exercise, EducationSection, StandardProgram)

_PARSERS: dict[str, Callable[[TomlDocument, list[Problem]], Any]] = {
    "exercise": parse_exercise, "education": parse_education, "program": parse_program}


class _File:
    """A library file registered but maybe not read yet; once read, its entry (or its
    problems). ``replaced``: what it took the place of (``override``), which stays when
    this file turns out to be broken, as it would have had the file been read at once."""

    __slots__ = ("entry", "kind", "origin", "path", "problems", "read", "replaced",
                 "replaced_origin", "sink")

    def __init__(self, path: Path, kind: Kind, origin: str, sink: list[Problem],
                 replaced: Entry | _File | None, replaced_origin: str | None) -> None:
        self.path = path
        self.kind: Kind = kind
        self.origin = origin
        self.sink = sink  # where registration collects problems
        self.replaced = replaced
        self.replaced_origin = replaced_origin
        self.read = False
        self.entry: Entry | None = None
        self.problems: list[Problem] = []

    def load(self) -> Entry | None:
        """Read and check the file (once); its entry, or None with ``problems``."""
        if not self.read:
            self.read = True
            try:
                doc = load_toml(self.path)
            except InputError as exc:
                self.problems.append(exc.problem)
            else:
                self.entry = _PARSERS[self.kind](doc, self.problems)
        return self.entry

    def may_have_images(self) -> bool:
        """Whether the file may name images (the text holds ``images``, or an escape that
        could spell it in a quoted key), without parsing it."""
        if self.read:
            return isinstance(self.entry, Exercise) and bool(self.entry.images)
        try:
            raw = read_limited(self.path, "TOML file")
        except InputError:
            return False
        return b"images" in raw or b"\\u" in raw or b"\\U" in raw


class Table(MutableMapping[str, E]):
    """One kind of library entry by id. The keys are the index (no file is read to list
    them, test them or count them); an entry is read and checked when it is asked for;
    ``values()`` and ``items()`` read and check the whole library first."""

    def __init__(self, library: Library, kind: Kind) -> None:
        self._library = library
        self._kind: Kind = kind
        self._items: dict[str, Entry | _File] = {}

    def __getitem__(self, ident: str) -> E:
        self._library._ready()
        item = self._items[ident]
        return self._library._entry(self._kind, ident, item)  # type: ignore[return-value]

    def __setitem__(self, ident: str, value: E) -> None:
        self._items[ident] = value

    def __delitem__(self, ident: str) -> None:
        del self._items[ident]

    def __contains__(self, ident: object) -> bool:
        self._library._ready()
        return ident in self._items

    def __iter__(self) -> Iterator[str]:
        self._library._ready()
        return iter(self._items)

    def __len__(self) -> int:
        self._library._ready()
        return len(self._items)

    def values(self) -> ValuesView[E]:
        self._library.settle()
        return ValuesView(self)

    def items(self) -> ItemsView[str, E]:
        self._library.settle()
        return ItemsView(self)

    def __repr__(self) -> str:
        return f"<{self._kind} table: {', '.join(self._items)}>"


class Library:
    """Exercises, education sections and standard programs by id, and which plugin
    supplied each (``origins``, by (kind, id)). See the module's documentation for when
    files are read."""

    def __init__(self, exercises: Mapping[str, Exercise] | None = None,
                 education: Mapping[str, EducationSection] | None = None,
                 programs: Mapping[str, StandardProgram] | None = None,
                 origins: Mapping[tuple[str, str], str] | None = None) -> None:
        self.exercises: Table[Exercise] = Table(self, "exercise")
        self.education: Table[EducationSection] = Table(self, "education")
        self.programs: Table[StandardProgram] = Table(self, "program")
        self.exercises._items.update(exercises or {})
        self.education._items.update(education or {})
        self.programs._items.update(programs or {})
        self.origins: dict[tuple[str, str], str] = dict(origins or {})
        # Files registered but not read yet, in the order they were registered; None once
        # everything is read (files registered after that are read at once).
        self._journal: list[_File] | None = []
        self._deferred = False  # the checks of the whole library are made as entries are read
        self._checked: set[tuple[str, str]] = set()  # entries read and checked since
        self._broken: ValidationError | None = None  # the whole library's check failed

    # -- building ---------------------------------------------------------------------

    def copy(self) -> Library:
        """A library with the same entries (everything read and checked first)."""
        self.settle()
        copy = Library(self.exercises._items,  # type: ignore[arg-type]
                       self.education._items,  # type: ignore[arg-type]
                       self.programs._items,  # type: ignore[arg-type]
                       self.origins)
        copy._journal = None
        return copy

    def _table(self, kind: Kind) -> dict[str, Entry | _File]:
        tables: dict[str, Table[Any]] = {
            "exercise": self.exercises, "education": self.education, "program": self.programs}
        return tables[kind]._items

    def add(self, item: Entry, kind: Kind, problems: list[Problem], *, origin: str = "",
            override: bool = False, at: Callable[[str], Problem] | None = None) -> bool:
        """Add one entry; a duplicate id is a problem unless ``override``."""
        table = self._table(kind)
        existing = table.get(item.id)
        if isinstance(existing, _File) and not override:
            self._read_all()  # is it there at all? (a broken file is not)
            existing = table.get(item.id)
        if existing is not None and not override:
            assert not isinstance(existing, _File)
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
        item: Entry | None = _PARSERS[kind](doc, problems)
        if item is not None:
            self.add(item, kind, problems, origin=origin, override=replace,
                     at=lambda message: doc.problem("id", message))

    def add_files(self, files: Iterable[tuple[Path, Kind]], problems: list[Problem], *,
                  origin: str = "", override: bool = False) -> None:
        """Register library files under the ids their names give; each is read when its
        entry is first used (or at once, once the library has been read: see the module's
        documentation). Problems go to ``problems``, when the files are read."""
        for path, kind in files:
            table = self._table(kind)
            existing = table.get(path.stem)
            if (self._journal is not None and path.suffix == ".toml"
                    and (existing is None or override)):
                file = _File(path, kind, origin, problems, existing,
                             self.origins.get((kind, path.stem)))
                self._journal.append(file)
                table[path.stem] = file
                self.origins[(kind, path.stem)] = origin
                continue
            if existing is not None and not override:
                self._read_all()  # the same id twice: read everything, as before
            try:
                doc = load_toml(path)
            except InputError as exc:
                problems.append(exc.problem)
                continue
            self.add_document(doc, kind, problems, replace=override, origin=origin)

    def _read_all(self, into: list[Problem] | None = None) -> None:
        """Read every file not read yet, in the order they were registered; their problems
        go ``into`` a list (by default where each was registered). A broken file leaves
        its id to what it replaced, or to nothing. Files registered later are read at
        once."""
        journal = self._journal
        if journal is None:
            return
        self._journal = None
        for file in journal:
            file.load()
            (into if into is not None else file.sink).extend(file.problems)
        for kind in KINDS:
            table = self._table(kind)
            for ident, item in list(table.items()):
                resolved, origin = _resolve(item, self.origins.get((kind, ident), ""))
                if resolved is None:
                    del table[ident]
                    self.origins.pop((kind, ident), None)
                elif resolved is not item:
                    table[ident] = resolved
                    self.origins[(kind, ident)] = origin

    def _ready(self) -> None:
        """Before any use of a library still being registered (checks not yet asked
        for): read everything, as registration used to."""
        if self._journal is not None and not self._deferred:
            self._read_all()

    def _defer(self, problems: list[Problem]) -> bool:
        """Whether the checks of the whole library are left to when entries are read:
        when files are still unread and registration found no problem (with a problem,
        everything is read and checked now, so the error lists them all)."""
        if self._deferred:
            return True
        if not self._journal:
            return False
        if problems:
            self._read_all()
            return False
        self._deferred = True
        return True

    def settle(self) -> None:
        """Read and check everything (once): raise a ValidationError listing every problem
        of the library, as reading it up front would."""
        if not self._deferred:
            self._ready()
            return
        if self._broken is not None:
            raise self._broken
        problems: list[Problem] = []
        self._read_all(problems)
        self._deferred = False
        self.check_references(problems)
        self.check_links(problems)
        if problems:
            self._deferred = True  # what remains is still checked entry by entry
            self._broken = ValidationError(problems, LIBRARY_ERRORS)
            raise self._broken

    def _entry(self, kind: Kind, ident: str, item: Entry | _File) -> Entry:
        """The entry ``item`` holds: read (and, while checks are deferred, checked) when
        first asked for."""
        if isinstance(item, _File):
            entry = item.load()
            if entry is None:
                raise ValidationError(item.problems, LIBRARY_ERRORS)
        else:
            entry = item
        if not self._deferred or (kind, ident) in self._checked:
            return entry
        problems: list[Problem] = []
        if isinstance(entry, StandardProgram):
            self._check_program(entry, problems)
        elif isinstance(entry, Exercise):
            self._check_own_links(entry, problems)
        if problems:
            raise ValidationError(problems, LIBRARY_ERRORS)
        self._checked.add((kind, ident))
        return entry

    # -- checking ---------------------------------------------------------------------

    def check_references(self, problems: list[Problem],
                         only: Iterable[StandardProgram] | None = None) -> None:
        """Every program names exercises and education sections that exist. Without
        ``only``, while files are unread and registration found no problem, each program
        is checked when it is read (see :meth:`settle`)."""
        if only is None and self._defer(problems):
            return
        for program in only if only is not None else self.programs.values():
            self._check_program(program, problems)

    def _check_program(self, program: StandardProgram, problems: list[Problem]) -> None:
        for entry in (*program.entries, *(e for ph in program.phases for e in ph.entries)):
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
        the order they make never loops (A easier than B easier than ... A). Without
        ``only``, while files are unread and registration found no problem, an
        exercise's own links are checked when it is read, and the rest by :meth:`settle`."""
        if only is None and self._defer(problems):
            return
        checked = list(self.exercises.values())
        if only is not None:  # these, and the exercises that link to them
            ids = {ex.id for ex in only}
            checked = [*only, *(ex for ex in checked if ex.id not in ids
                                and (ex.easier in ids or ex.harder in ids))]
        for ex in checked:
            self._link_problems(ex, self.exercises.get, problems)
        ids = {ex.id for ex in checked}
        for cycle, owner, key in self._loops():
            if ids & set(cycle):
                path = " -> ".join(f'"{i}"' for i in [*cycle, cycle[0]])
                problems.append(_link_problem(
                    owner, key, f"the exercises get harder in a loop: {path}, each harder "
                                "than the one before; an exercise cannot be harder than "
                                "itself: remove one of these links"))

    def _check_own_links(self, ex: Exercise, problems: list[Problem]) -> None:
        """The links of one exercise read on its own: the exercises it names exist and
        agree (their files read, not checked)."""
        def other(ident: str) -> Exercise | None:
            item = self.exercises._items.get(ident)
            if isinstance(item, _File):
                found = item.load()
                problems.extend(item.problems)
                return found if isinstance(found, Exercise) else None
            return item if isinstance(item, Exercise) else None

        self._link_problems(ex, other, problems)

    def _link_problems(self, ex: Exercise, other_of: Callable[[str], Exercise | None],
                       problems: list[Problem]) -> None:
        for key, back_key in (("easier", "harder"), ("harder", "easier")):
            target = getattr(ex, key)
            if target is None or target == ex.id:  # itself: reported by the schema
                continue
            if target not in self.exercises:
                problems.append(_link_problem(
                    ex, key, unknown("exercise", target, self.exercises,
                                     LIST_EXERCISES)))
                continue
            other = other_of(target)
            if other is None:  # a broken file: its problems are reported
                continue
            back = getattr(other, back_key)
            if back is not None and back != ex.id:
                problems.append(_link_problem(
                    ex, key, f'"{target}" names "{back}" as its {back_key} exercise, '
                             f'not "{ex.id}": two linked exercises must agree (set '
                             f'{back_key} = "{ex.id}" in "{target}", or leave it out '
                             f"there, or name another {key} exercise here)"))

    def _loops(self) -> list[tuple[list[str], Exercise, str]]:
        """Every loop in the "harder than" order the links make, once each, starting at
        its smallest id, with the exercise and field of the link leaving that id."""
        # a -> b: b is harder than a; the link is written in (owner, field)
        edges: dict[str, dict[str, tuple[Exercise, str]]] = {}
        for ex in self.exercises.values():
            if ex.harder in self.exercises and ex.harder != ex.id:
                assert ex.harder is not None
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
        linked to none. It takes the whole library: everything is read and checked."""
        self.settle()
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

    def input_files(self) -> Iterator[tuple[Path, str]]:
        """The files the library reads, each with how a message names it: every entry's
        file (exercises, education sections, programs), then the pictures of exercises.
        Files not read yet are not read for this: only one whose text may name images is
        (a broken one names none)."""
        tables: tuple[tuple[str, dict[str, Entry | _File]], ...] = (
            ("exercise", self.exercises._items), ("education", self.education._items),
            ("program", self.programs._items))
        self._ready()
        for _, table in tables:
            for ident, item in table.items():
                if item.path is not None:
                    yield item.path, f"the library file of {ident}"
        for ident, item in self.exercises._items.items():
            if isinstance(item, _File):
                found = item.load() if item.may_have_images() else None
                images = found.images if isinstance(found, Exercise) else ()
            else:
                images = item.images  # type: ignore[union-attr]
            for image in images:
                yield image, f"a picture of {ident}"

    @classmethod
    def from_dirs(cls, roots: Iterable[Path]) -> Library:
        """Load library folders in order; raise ValidationError listing every problem."""
        lib = cls()
        problems: list[Problem] = []
        for root in roots:
            lib.add_files(library_files(root), problems)
        lib._read_all(problems)
        lib.check_references(problems)
        lib.check_links(problems)
        if problems:
            raise ValidationError(problems, LIBRARY_ERRORS)
        return lib

    # -- looking up -------------------------------------------------------------------

    def entry_of(self, kind: Kind, ident: str) -> Exercise | EducationSection | StandardProgram:
        """The entry of ``kind`` with this id (it must be there)."""
        found: Exercise | EducationSection | StandardProgram = (
            self.exercises if kind == "exercise" else
            self.education if kind == "education" else self.programs)[ident]
        return found

    def entry(self, ident: str) -> Exercise | EducationSection | StandardProgram | None:
        """The exercise, education section or standard program with this id (in that
        order), or None."""
        for table in (self.exercises, self.education, self.programs):
            if ident in table:
                found: Exercise | EducationSection | StandardProgram = table[ident]
                return found
        return None

    def exercise(self, ident: str) -> Exercise:
        try:
            return self.exercises[ident]
        except KeyError:
            raise InputError(unknown("exercise", ident, self.exercises,
                                     LIST_EXERCISES)) from None

    def program(self, ident: str) -> StandardProgram:
        try:
            return self.programs[ident]
        except KeyError:
            raise InputError(unknown("standard program", ident, self.programs,
                                     LIST_PROGRAMS)) from None

    def section(self, ident: str) -> EducationSection:
        try:
            return self.education[ident]
        except KeyError:
            raise InputError(unknown("education section", ident, self.education)) from None


def _resolve(item: Entry | _File, origin: str) -> tuple[Entry | None, str]:
    """What an id holds once its file is read: the entry, else what the file replaced."""
    while isinstance(item, _File):
        if item.load() is not None:
            assert item.entry is not None
            return item.entry, item.origin
        if item.replaced is None:
            return None, ""
        origin = item.replaced_origin or ""
        item = item.replaced
    return item, origin


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
