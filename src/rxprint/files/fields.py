"""Checking the fields of one TOML table, collecting every problem instead of stopping.

One :class:`Fields` wraps a table of a :class:`~rxprint.files.tomlfile.TomlDocument` and offers a
typed getter per kind of value. Each getter records a :class:`~rxprint.errors.Problem` with
the file, line and field path when the value is wrong, and returns ``None``.

A wrong value is quoted in the message only when it has the shape of what the field
expects (:func:`rxprint.errors.shown`: an id, a number, a short dosage-like text...), as
any value may be a patient's name in the wrong place; else the message names the field,
the kind of value found and the form expected. A ``sensitive`` field (patient data: the
patient's name, notes, the clinician, the title) never has its value quoted.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from rxprint.errors import DATE_LIKE, Msg, Problem, Shape, kind, quotable, shown
from rxprint.files.tomlfile import TomlDocument

__all__ = ["SLUG", "Fields", "did_you_mean", "kind", "not_an_id", "suggest", "too_long",
           "unknown"]

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_KEY = re.compile(r"(?=[a-z0-9_-]*[a-z])[a-z0-9_-]{1,40}")  # a key that may be quoted
ID_FORM = Msg("field.id_form", 'lowercase letters, digits and single hyphens, like "quad-set"')
T = TypeVar("T")


def suggest(word: str, choices: Iterable[str], n: int = 3) -> list[str]:
    """Close matches for a mistyped id or key, best first."""
    pool = sorted(set(choices))
    import difflib  # only when something is misspelt

    close = difflib.get_close_matches(word, pool, n=n, cutoff=0.6)
    if len(close) < n and len(word) >= 3:
        close += [c for c in pool if word in c and c not in close][: n - len(close)]
    return close


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    return one_of(suggest(word, choices))


def one_of(close: list[str]) -> str:
    """' (did you mean "a" or "b"?)' for these suggestions (none: "")."""
    quoted = [f'"{c}"' for c in close]
    if not quoted:
        return ""
    if len(quoted) == 1:
        return Msg("did_you_mean.one", " (did you mean {a}?)", a=quoted[0])
    if len(quoted) == 2:
        return Msg("did_you_mean.two", " (did you mean {a} or {b}?)", a=quoted[0], b=quoted[1])
    return Msg("did_you_mean.three", " (did you mean {a} or {b} or {c}?)", a=quoted[0],
               b=quoted[1], c=quoted[2])


# What an id that is not shown has, in messages ("it has capital letters and spaces").
NOT_ID = {key: Msg(f"not_id.{key}", what) for key, what in (
    ("capitals", "capital letters"), ("spaces", "spaces"), ("others", "other characters"),
    ("no_letters", "no letters"), ("date", "a date in it"),
    ("long", "more than 80 characters"))}


def not_an_id(value: str) -> str:
    """What ``value`` has that an id that may be quoted has not, without quoting it: "it
    has capital letters and spaces"."""
    faults = [NOT_ID[key] for key, found in (
        ("capitals", any(c.isupper() for c in value)),
        ("spaces", any(c.isspace() for c in value)),
        ("others", any(not (c.isascii() and (c.isalnum() or c == "-")) and not c.isspace()
                       for c in value)),
        ("no_letters", not any(c.isalpha() for c in value)),
        ("date", bool(DATE_LIKE.search(value))),
        ("long", len(value) > 80)) if found]
    listed: str = Msg("not_id.unusual", "an unusual form")
    for i, fault in enumerate(faults):
        listed = fault if i == 0 else Msg("not_id.and", "{a} and {b}", a=listed, b=fault)
    return Msg("not_id.has", "it has {faults}", faults=listed)


def unknown(what: str, ident: str, choices: Iterable[str], how: str = "") -> str:
    """The message for an id that names nothing: 'unknown exercise "quad-sett" (did you
    mean "quad-set"?)' and ``how`` to list them. The id is quoted only when it has an id's
    shape: anything else (a patient's name in the wrong column, a date) is not shown."""
    choices = list(choices)
    if quotable(ident, "id"):
        hint = did_you_mean(ident, choices)
        if what in WHATS and (not how or isinstance(how, Msg)):  # each part can be said
            return Msg("unknown", 'unknown {what} "{ident}"{hint}{how}', what=WHATS[what],
                       ident=ident, hint=hint, how=how)
        return f'unknown {what} "{ident}"{hint}{how}'
    hint = did_you_mean(ident.lower(), choices)
    said = what in WHATS and (not how or isinstance(how, Msg))
    if SLUG.match(ident):
        message = Msg("unknown_hidden", "unknown {what} (not shown: {why}){hint}{how}",
                      what=WHATS.get(what, what), why=not_an_id(ident), hint=hint, how=how)
    else:
        message = Msg("unknown_not_id", "unknown {what}: not an id ({why}; not shown){hint}: "
                      "use {form}{how}", what=WHATS.get(what, what), why=not_an_id(ident),
                      hint=hint, form=ID_FORM, how=how)
    return message if said else str(message)


def too_long(length: int, limit: int) -> str:
    """The message for a text over its limit (its length is said, never its content)."""
    return Msg("too_long", "too long: {length} characters, at most {limit}; shorten it",
               length=length, limit=limit)


# What an id names, in messages ('unknown exercise "x"'), said in the interface language.
WHATS = {what: Msg(f"what.{what.replace(' ', '_')}", what) for what in (
    "exercise", "standard program", "education section", "branding", "layout", "language")}
LIST_EXERCISES = Msg("how.list", "; `rxprint list` shows them all")
LIST_PROGRAMS = Msg("how.programs", "; `rxprint programs` lists them")


class Fields:
    """Typed access to the keys of one table, recording problems as it goes.

    ``sensitive``: every field of this table holds patient data, so no message quotes a
    value (each getter also takes ``sensitive`` for one field)."""

    def __init__(
        self,
        doc: TomlDocument,
        table: dict[str, Any],
        problems: list[Problem],
        prefix: str = "",
        *,
        sensitive: bool = False,
    ) -> None:
        self.doc = doc
        self.table = table
        self.problems = problems
        self.prefix = prefix
        self.sensitive = sensitive

    def got(self, value: object, sensitive: bool = False, *,
            expected: Shape = "text") -> str:
        """A wrong value for a message: quoted when it has the ``expected`` shape (see
        :func:`rxprint.errors.shown`), else only its kind; always only its kind when it
        is sensitive."""
        return kind(value) if sensitive or self.sensitive else shown(value, expected)

    def path(self, key: str) -> str:
        return f"{self.prefix}.{key}" if self.prefix else key

    def error(self, key: str | None, message: str) -> None:
        self.problems.append(self.doc.problem(self.path(key) if key else self.prefix or None,
                                              message))

    def only(self, allowed: Iterable[str]) -> None:
        """Report every key that is not in ``allowed``, with a suggestion. A key that is
        not in a field name's form (it may be anything, a patient's name) is not shown:
        the problem is at the line of the key, on the table."""
        allowed = list(allowed)
        for key in self.table:
            if key in allowed:
                continue
            if _KEY.fullmatch(key):
                self.error(key, Msg("field.unknown", "unknown field{hint}; allowed: {allowed}",
                                    hint=did_you_mean(key, allowed),
                                    allowed=", ".join(allowed)))
                continue
            line = self.doc.index.line_of(self.path(key))
            self.problems.append(Problem(
                Msg("field.unknown_hidden", "unknown field (its name is not shown: it is not "
                    "a field name and may hold patient details); allowed: {allowed}",
                    allowed=", ".join(allowed)),
                path=self.doc.path, line=line, field=self.prefix or None))

    def _get(self, key: str, required: bool) -> Any:
        if key not in self.table:
            if required:
                self.error(key, Msg("field.missing", "missing required field"))
            return None
        return self.table[key]

    def text(self, key: str, *, required: bool = True, min_len: int = 1,
             max_len: int = 2000, sensitive: bool = False) -> str | None:
        value = self._get(key, required)
        if value is None:
            return None
        if not isinstance(value, str):
            self.error(key, Msg("field.text", "expected text in quotes, got {got}",
                                got=self.got(value, sensitive)))
            return None
        value = value.strip()
        if len(value) < min_len:
            self.error(key, Msg("field.empty", "must not be empty") if min_len == 1
                       else Msg("field.too_short", "too short: at least {least} characters",
                                least=min_len))
            return None
        if len(value) > max_len:
            self.error(key, too_long(len(value), max_len))
            return None
        return value

    def number(self, key: str, low: float, high: float, *, required: bool = False,
               unit: str = "") -> float | None:
        """A number (integer or decimal) within ``low`` .. ``high``."""
        value = self._get(key, required)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.error(key, Msg("field.number", "expected a number, got {got}",
                                got=self.got(value, expected="number")))
            return None
        if not low <= value <= high:
            units = {"": "", " degrees": Msg("field.degrees", " degrees")}
            said = units.get(unit, unit)
            found: str = (Msg("field.the_number", "the number") if self.sensitive
                          else Msg("field.value", "{value}{unit}", value=f"{value:g}",
                                   unit=said))
            message = Msg("field.range", "{found} is out of range: use {low} to {high}{unit}",
                          found=found, low=f"{low:g}", high=f"{high:g}", unit=said)
            # a unit with no Spanish (none yet): the message in English whole
            self.error(key, message if unit in units else str(message))
            return None
        return float(value)

    def boolean(self, key: str, *, required: bool = False) -> bool | None:
        value = self._get(key, required)
        if value is None:
            return None
        if not isinstance(value, bool):
            self.error(key, Msg("field.boolean", "expected true or false, got {got}",
                                got=self.got(value, expected="boolean")))
            return None
        return value

    def slug(self, key: str, *, required: bool = True) -> str | None:
        value = self.text(key, required=required, max_len=80)
        if value is not None and not SLUG.match(value):
            self.error(key, self._bad_id(value))
            return None
        return value

    def _bad_id(self, value: str) -> str:
        if not self.sensitive and quotable(value, "id"):
            return Msg("field.bad_id", "{value} is not a valid id: use {form}",
                       value=shown(value, "id"), form=ID_FORM)
        return Msg("field.bad_id_hidden", "not a valid id ({why}; not shown): use {form}",
                   why=not_an_id(value), form=ID_FORM)

    def choice(self, key: str, choices: Iterable[str], *, required: bool = True) -> str | None:
        choices = list(choices)
        value = self.text(key, required=required)
        if value is not None and value not in choices:
            hint = did_you_mean(value, choices)
            if not self.sensitive and quotable(value, "id"):
                self.error(key, Msg("field.not_one_of", "{value} is not one of: {choices}"
                                    "{hint}", value=shown(value, "id"),
                                    choices=", ".join(choices), hint=hint))
            else:
                self.error(key, Msg("field.one_of", "expected one of: {choices}; got "
                                    "{got}{hint}", choices=", ".join(choices),
                                    got=self.got(value, expected="id"), hint=hint))
            return None
        return value

    def text_list(self, key: str, *, required: bool = True, min_items: int = 0,
                  max_items: int = 50, max_len: int = 500,
                  sensitive: bool = False) -> tuple[str, ...] | None:
        value = self._get(key, required)
        if value is None:
            return None if required else ()
        if not isinstance(value, list):
            self.error(key, Msg("field.texts", 'expected a list of texts like ["...", '
                                '"..."], got {got}', got=self.got(value, sensitive)))
            return None
        items: list[str] = []
        ok = True
        for i, item in enumerate(value, start=1):
            if not isinstance(item, str) or not item.strip():
                self.error(f"{key}[{i}]",
                           Msg("field.nonempty", "expected non-empty text, got {got}",
                               got=self.got(item, sensitive)))
                ok = False
            elif len(item.strip()) > max_len:
                self.error(f"{key}[{i}]", too_long(len(item.strip()), max_len))
                ok = False
            else:
                items.append(item.strip())
        if not ok:
            return None
        if len(items) < min_items:
            self.error(key, Msg("field.at_least_one", "needs at least {least} entry, has {n}",
                                least=min_items, n=len(items)) if min_items == 1 else
                       Msg("field.at_least", "needs at least {least} entries, has {n}",
                           least=min_items, n=len(items)))
            return None
        if len(items) > max_items:
            self.error(key, Msg("field.at_most", "has {n} entries, at most {most}",
                                n=len(items), most=max_items))
            return None
        return tuple(items)

    def slug_list(self, key: str, *, required: bool = False) -> tuple[str, ...] | None:
        items = self.text_list(key, required=required, max_len=80)
        if items is None:
            return None
        bad = [i for i in items if not SLUG.match(i)]
        for item in bad:
            self.error(key, self._bad_id(item))
        return None if bad else items

    def table_of(self, key: str, *, required: bool = False, sensitive: bool = False,
                 example: str = "") -> Fields | None:
        """A table (``[key]``). ``sensitive``: its fields hold patient data (see
        :class:`Fields`); ``example``: a field line for the message, like 'name = "..."'."""
        value = self._get(key, required)
        if value is None:
            return None
        if not isinstance(value, dict):
            got = self.got(value, sensitive)
            self.error(key, Msg("field.table_example", "expected a table ([{path}] on its "
                                "own line, then {example} under it), got {got}",
                                path=self.path(key), example=example, got=got) if example
                       else Msg("field.table", "expected a table ([{path}]), got {got}",
                                path=self.path(key), got=got))
            return None
        return Fields(self.doc, value, self.problems, self.path(key),
                      sensitive=sensitive or self.sensitive)

    def tables(self, key: str, *, required: bool = False) -> list[Fields] | None:
        """An array of tables (``[[key]]``); field paths number entries from 1."""
        value = self._get(key, required)
        if value is None:
            return None if required else []
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            self.error(key, Msg("field.tables", "expected a list of [[{path}]] tables",
                                path=self.path(key)))
            return None
        return [Fields(self.doc, v, self.problems, f"{self.path(key)}[{i}]",
                       sensitive=self.sensitive)
                for i, v in enumerate(value, start=1)]

    def parsed(self, key: str, parser: Callable[[Any], T], *,
               required: bool = False) -> T | None:
        """A value turned into a structured one by ``parser``, which raises ValueError."""
        value = self._get(key, required)
        if value is None:
            return None
        try:
            return parser(value)
        except ValueError as exc:
            # the parser's message as it raised it (a Msg: said in the interface language)
            message = exc.args[0] if len(exc.args) == 1 and isinstance(exc.args[0], str) \
                else str(exc)
            self.error(key, message)
            return None
