"""The errors rxprint raises. The core raises these; only the CLI turns them into exits.

Every message says what is wrong, where (file, line, field) and, where it can, how to fix it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .interrupt import Interrupted as Interrupted  # re-exported


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one input: where it is and what is wrong."""

    message: str
    path: Path | None = None
    line: int | None = None
    column: int | None = None
    field: str | None = None

    def where(self) -> str:
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
    """A short rendering of a wrong value for an error message: text in double quotes."""
    text = f'"{value}"' if isinstance(value, str) else repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


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

    def __init__(self, problems: Iterable[Problem], summary: str = "invalid input") -> None:
        # Stable sort: by file, then line; problems without a line keep their place last.
        self.problems = tuple(sorted(problems, key=lambda p: (
            str(p.path or ""), p.line if p.line is not None else 1 << 30)))
        n = len(self.problems)
        head = f"{summary} ({n} problem{'s' if n != 1 else ''}):"
        super().__init__("\n".join([head, *(f"  {p}" for p in self.problems)]))


class OutputError(RxprintError):
    """The handout could not be written where asked."""
