"""Reading TOML input files, with clear errors and a way to find the line of a field.

``tomllib`` does not keep line numbers, so :class:`LineIndex` scans the text once and
remembers where each key (``dosage.hold``, ``exercises[2].sets``) was written. It
understands the subset of TOML that rxprint files use: tables, arrays of tables, dotted and
quoted keys, multi-line strings and arrays.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import InputError, Problem

_TOML_ERROR_AT = re.compile(r"^(?P<msg>.*?)\s*\(at line (?P<line>\d+), column (?P<col>\d+)\)$")
_TOML_ERROR_EOF = re.compile(r"^(?P<msg>.*?)\s*\(at end of document\)$")
_BARE_KEY = r"[A-Za-z0-9_-]+"
_KEY = rf'(?:{_BARE_KEY}|"[^"\\]*"|\'[^\']*\')'
_DOTTED = rf"{_KEY}(?:\s*\.\s*{_KEY})*"
_TABLE_ARRAY = re.compile(rf"^\s*\[\[\s*(?P<key>{_DOTTED})\s*\]\]")
_TABLE = re.compile(rf"^\s*\[\s*(?P<key>{_DOTTED})\s*\]")
_ASSIGN = re.compile(rf"^\s*(?P<key>{_DOTTED})\s*=\s*(?P<rest>.*)$")


def _split_key(dotted: str) -> list[str]:
    parts = re.findall(_KEY, dotted)
    return [p[1:-1] if p[:1] in "\"'" else p for p in parts]


def _bracket_depth_change(text: str) -> tuple[int, str | None]:
    """Net '[' minus ']' outside strings and comments; and an unclosed multi-line quote."""
    depth = 0
    i = 0
    while i < len(text):
        for q in ('"""', "'''"):
            if text.startswith(q, i):
                end = text.find(q, i + 3)
                if end < 0:
                    return depth, q
                i = end + 3
                break
        else:
            ch = text[i]
            if ch == "#":
                break
            if ch in "\"'":
                j = i + 1
                while j < len(text) and text[j] != ch:
                    j += 2 if ch == '"' and text[j] == "\\" else 1
                i = j + 1
                continue
            if ch in "[{":
                depth += 1
            elif ch in "]}":
                depth -= 1
            i += 1
    return depth, None


@dataclass
class LineIndex:
    """Where each key of a TOML document was written (1-based line numbers)."""

    lines: dict[str, int] = field(default_factory=dict)

    @classmethod
    def scan(cls, text: str) -> LineIndex:
        index = cls()
        table: list[str] = []
        arrays: dict[str, int] = {}
        depth = 0
        open_quote: str | None = None
        for lineno, raw in enumerate(text.splitlines(), start=1):
            if open_quote is not None:
                if open_quote in raw:
                    rest = raw.split(open_quote, 1)[1]
                    change, open_quote = _bracket_depth_change(rest)
                    depth = max(0, depth + change)
                continue
            if depth > 0:
                change, open_quote = _bracket_depth_change(raw)
                depth = max(0, depth + change)
                continue
            m = _TABLE_ARRAY.match(raw)
            if m:
                base = ".".join(_split_key(m["key"]))
                arrays[base] = arrays.get(base, 0) + 1
                table = [f"{base}[{arrays[base]}]"]
                index.lines.setdefault(table[0], lineno)
                continue
            m = _TABLE.match(raw)
            if m:
                table = [".".join(_split_key(m["key"]))]
                index.lines.setdefault(table[0], lineno)
                continue
            m = _ASSIGN.match(raw)
            if m:
                path = ".".join([*table, *_split_key(m["key"])])
                index.lines.setdefault(path, lineno)
                change, open_quote = _bracket_depth_change(m["rest"])
                depth = max(0, change)
        return index

    def line_of(self, field_path: str) -> int | None:
        """The line of ``field_path`` or of the nearest enclosing key that was written."""
        path = field_path
        while path:
            if path in self.lines:
                return self.lines[path]
            cut = max(path.rfind("."), path.rfind("["))
            if cut <= 0:
                break
            path = path[:cut]
        return None


@dataclass
class TomlDocument:
    """A parsed TOML file: its data, where it came from and where its keys are."""

    path: Path
    data: dict[str, Any]
    index: LineIndex

    def problem(self, field_path: str | None, message: str) -> Problem:
        line = self.index.line_of(field_path) if field_path else None
        return Problem(message, path=self.path, line=line, field=field_path)


def read_text(path: Path, what: str = "file") -> str:
    """Read a UTF-8 text file (a byte-order mark is accepted) or raise a clear InputError."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError(Problem(f"{what} not found", path=path)) from None
    except IsADirectoryError:
        raise InputError(Problem(f"is a directory, expected a {what}", path=path)) from None
    except PermissionError:
        raise InputError(Problem("permission denied: cannot read it", path=path)) from None
    except OSError as exc:
        raise InputError(Problem(f"cannot read it ({exc.strerror})", path=path)) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError(
            Problem(
                f"not UTF-8 text (byte 0x{raw[exc.start]:02x}); save the file as UTF-8",
                path=path,
                line=line,
            )
        ) from None
    return text.removeprefix("\ufeff")


def parse_toml(text: str, path: Path) -> TomlDocument:
    """Parse TOML text; a syntax error becomes an InputError at file:line:column."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        msg = str(exc)
        m = _TOML_ERROR_AT.match(msg)
        if m:
            raise InputError(
                Problem(
                    f"TOML syntax error: {m['msg']}",
                    path=path,
                    line=int(m["line"]),
                    column=int(m["col"]),
                )
            ) from None
        m = _TOML_ERROR_EOF.match(msg)
        line = max(1, len(text.splitlines()))
        detail = m["msg"] if m else msg
        raise InputError(Problem(f"TOML syntax error: {detail}", path=path, line=line)) from None
    return TomlDocument(path=path, data=data, index=LineIndex.scan(text))


def load_toml(path: Path, what: str = "TOML file") -> TomlDocument:
    """Read and parse one TOML file."""
    return parse_toml(read_text(path, what), path)
