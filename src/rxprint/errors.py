"""The errors rxprint raises. The core raises these; only the CLI turns them into exits.

Every message says what is wrong, where (file, line, field) and, where it can, how to fix it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from rxprint.runtime.interrupt import Interrupted as Interrupted  # re-exported


class _Said(str):
    """Text with more to it than its English (what the interface language needs)."""

    def __reduce__(self) -> tuple[type[str], tuple[str]]:
        """Across processes (a batch's workers) it is its English text."""
        return (str, (str(self),))


class Msg(_Said):
    """A message, or a part of one, that the command line can say in another interface
    language (``RXPRINT_LANG``): the text itself is the English; ``key`` names it in the
    ``[interface]`` table of a language's catalog (``locales/es.toml``) and ``values``
    fill that text's placeholders. A value that is itself a Msg is said in the same
    language; any other value (an id, a quoted value, a path, a number) is the same in
    every language. A message that is not a Msg, or has a part with no translation, is
    said in English whole, never half and half (:mod:`rxprint.language.interface`)."""

    key: str
    values: dict[str, object]

    def __new__(cls, key: str, english: str, /, **values: object) -> Msg:
        self = super().__new__(cls, english.format(**values) if values else english)
        self.key = key
        self.values = values
        return self


class LanguageList(_Said):
    """Languages in a message: "en (English), es (Spanish)" in English; the interface
    language names them in its own words ("en (inglés), es (español)"). ``names_only``:
    their names alone ("Spanish": "español")."""

    codes: tuple[str, ...]
    names_only: bool

    def __new__(cls, codes: Iterable[str], english: str, *,
                names_only: bool = False) -> LanguageList:
        self = super().__new__(cls, english)
        self.codes = tuple(codes)
        self.names_only = names_only
        return self


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one input: where it is and what is wrong."""

    message: str
    path: Path | None = None
    line: int | None = None
    column: int | None = None
    field: str | None = None

    def where(self) -> str:
        """"file:line:column: field", with any control character in them (a line break
        in a file's name) escaped: a name cannot start a line of its own."""
        from rxprint.runtime.failures import printable  # boundary imports this module

        return printable(self._where(), keep="")

    def _where(self) -> str:
        parts = []
        if self.path is not None:
            loc = str(self.path)
            if self.line is not None:
                loc += f":{self.line}"
                if self.column is not None:
                    loc += f":{self.column}"
            parts.append(loc)
        if self.field:
            parts.append(self.field)
        return ": ".join(parts)

    def __str__(self) -> str:
        where = self.where()
        return f"{where}: {self.message}" if where else self.message


def describe(value: object) -> str:
    """A short rendering of a wrong value for an error message: text in double quotes.
    Only for values that cannot be patient data (a plugin's code, a library file's
    path); a value read from an input goes through :func:`shown`."""
    text = f'"{value}"' if isinstance(value, str) else repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


# -- quoting a wrong value, or only saying what kind it was ---------------------------------
#
# Columns and fields get mixed up (a name in the template column, a birth date in the
# sets column), so any value read from an input may be a patient's name or date. A
# message quotes a wrong value only when it has the shape of what the field expects and
# that shape cannot hold a name: an id, a number, true or false, a paper name, a short
# dosage-like text. Anything else is named by its kind ("text", "a list") beside the form
# expected. Dates are never quoted: a date is patient data.

Shape = Literal["id", "number", "boolean", "paper", "dosage", "date", "text"]
"""What a field expects, for :func:`shown`: "date" and "text" (free text) are never
quoted."""

DATE_LIKE = re.compile(  # 1961-03-04, 4/3/61, 04.03.1961
    r"\d{1,4}\s*[-/.]\s*\d{1,2}\s*[-/.]\s*\d{1,4}")
_SHAPES: dict[str, re.Pattern[str]] = {
    # lowercase letters, digits and hyphens, with a letter ("555-0199" is not an id)
    "id": re.compile(r"(?=[a-z0-9-]*[a-z])[a-z0-9-]{1,80}"),
    "number": re.compile(r"[-+]?\d{1,6}(?:\.\d{1,3})?"),
    "boolean": re.compile(r"true|false|yes|no|on|off|[01yn]"),
    "paper": re.compile(r"[a-z]{1,10}|[a-cA-C]\d{1,2}"),
    # "10x", "1:30", "2-3x/day", "every 30 min": lowercase, with a digit
    "dosage": re.compile(r"(?=.*\d)[a-z0-9 .,/:-]{1,30}"),
}


def quotable(value: object, expected: Shape) -> bool:
    """Whether a wrong ``value`` may be quoted in a message about a field that expects
    ``expected``. Never in a date field, nor a list, table, date or time; true or false,
    numbers and empty text may be; text only in the expected shape, and not when it looks
    like a date, a phone or record number (in a dosage: more than two numbers, or more
    than five digits)."""
    if expected == "date":
        return False
    if isinstance(value, bool | int | float):
        return True
    if not isinstance(value, str) or expected not in _SHAPES:
        return False
    if not value.strip():
        return True  # nothing, or only spaces, hides nothing
    if not _SHAPES[expected].fullmatch(value) or DATE_LIKE.search(value):
        return False
    numbers = re.findall(r"\d+", value)
    return expected != "dosage" or (len(numbers) <= 2 and len("".join(numbers)) <= 5)


def kind(value: object) -> str:
    """What sort of value this is, without quoting it."""
    if isinstance(value, bool):
        return Msg("kind.boolean", "true or false")
    if isinstance(value, int | float):
        return Msg("kind.number", "a number")
    if isinstance(value, str):
        return Msg("kind.text", "text")
    if isinstance(value, list | tuple):
        return Msg("kind.list", "a list")
    if isinstance(value, dict):
        return Msg("kind.table", "a table")
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return Msg("kind.date", "a date or time")
    return Msg("kind.other", "a value of another kind")


def shown(value: object, expected: Shape) -> str:
    """A wrong value as a message may show it: quoted when :func:`quotable` (``"10 rpes"``,
    ``12``), else only its kind (``text``, ``a list``); the message says the form
    expected beside it, and the problem names the field."""
    return describe(value) if quotable(value, expected) else kind(value)


class RxprintError(Exception):
    """Base class: an input or situation the user can fix. Exit status 1."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class InputError(RxprintError):
    """One problem with one input (a file that cannot be read, an unknown id...)."""

    def __init__(self, problem: Problem | str) -> None:
        self.problem = problem if isinstance(problem, Problem) else Problem(problem)
        super().__init__(str(self.problem))


class ValidationError(RxprintError):
    """Several problems found while checking inputs; all of them are reported at once."""

    def __init__(self, problems: Iterable[Problem],
                 summary: str = Msg("invalid", "invalid input")) -> None:
        # Stable sort: by file, then line; problems without a line keep their place last.
        self.problems = tuple(sorted(problems, key=lambda p: (
            str(p.path or ""), p.line if p.line is not None else 1 << 30)))
        self.summary = summary
        n = len(self.problems)
        head = f"{summary} ({n} problem{'s' if n != 1 else ''}):"
        super().__init__("\n".join([head, *(f"  {p}" for p in self.problems)]))


class OutputError(RxprintError):
    """The handout could not be written where asked. ``errno`` is the operating system's
    error number when a write failed (``errno.ENOSPC``: the disk is full), else None."""

    def __init__(self, message: str, *, errno: int | None = None) -> None:
        super().__init__(message)
        self.errno = errno
