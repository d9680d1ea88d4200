"""Reading TOML input files, with clear errors and a way to find the line of a field.

``tomllib`` does not keep line numbers, so :class:`LineIndex` scans the text once and
remembers where each key (``dosage.hold``, ``exercises[2].sets``) was written. It
understands the subset of TOML that rxprint files use: tables, arrays of tables, dotted and
quoted keys, multi-line strings and arrays.
"""

from __future__ import annotations

import os
import re
import stat
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rxprint.errors import InputError, Msg, Problem

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


class TomlDocument:
    """A parsed TOML file: its data, where it came from and where its keys are (the
    lines are mapped when a problem first needs one: most files have none)."""

    def __init__(self, path: Path, data: dict[str, Any], index: LineIndex | None = None,
                 *, text: str = "") -> None:
        self.path = path
        self.data = data
        self._index = index
        self._text = text

    @property
    def index(self) -> LineIndex:
        if self._index is None:
            self._index = LineIndex.scan(self._text)
        return self._index

    def problem(self, field_path: str | None, message: str) -> Problem:
        line = self.index.line_of(field_path) if field_path else None
        return Problem(message, path=self.path, line=line, field=field_path)


MAX_INPUT_BYTES = 1 << 20
"""The largest input file rxprint reads: 1 MiB. Program, configuration and library files
are a few kilobytes; anything bigger is a mistake (``/dev/zero``, a PDF...)."""

_NOT_REGULAR = (
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISSOCK, "a socket"),
)


def _not_regular(mode: int, path: Path, what: str) -> InputError:
    if stat.S_ISDIR(mode):
        named = FILE_KINDS.get(what)
        return InputError(Problem(Msg("file.directory", "is a directory, expected a {what}",
                                      what=named) if named is not None
                                  else f"is a directory, expected a {what}", path=path))
    kind = next((name for test, name in _NOT_REGULAR if test(mode)), "a special file")
    return InputError(Problem(f"is {kind}, not a regular file; give a {what} (rxprint only "
                              "reads regular files)", path=path))


def _too_large(path: Path, what: str, size: int | None, limit: int) -> InputError:
    mib = 1 << 20
    most = f"{limit // mib} MiB" if limit % mib == 0 else f"{limit:,} bytes"
    amount = f"{size:,} bytes; the limit is {most}" if size else f"over the limit of {most}"
    return InputError(Problem(f"too large for a {what} ({amount}): check that this is the "
                              "right file", path=path))


# The files rxprint reads, as messages name them ("program file not found").
FILE_KINDS = {what: Msg(f"file.{what.replace(' ', '_')}", what) for what in (
    "program file", "TOML file", "file", "roster", "configuration file")}


def _os_problem(exc: OSError, path: Path, what: str) -> InputError:
    if isinstance(exc, FileNotFoundError | NotADirectoryError):
        kind = FILE_KINDS.get(what)
        return InputError(Problem(Msg("file.not_found", "{what} not found", what=kind)
                                  if kind is not None else f"{what} not found", path=path))
    if isinstance(exc, PermissionError):
        return InputError(Problem(Msg("file.denied", "permission denied: cannot read it"),
                                  path=path))
    return InputError(Problem(f"cannot read it ({exc.strerror or type(exc).__name__})",
                              path=path))


def read_limited(path: Path, what: str = "file", limit: int = MAX_INPUT_BYTES) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes, or a clear InputError.

    Anything but a regular file (a device, FIFO, socket, folder) is refused before it is
    opened for reading, so ``/dev/zero`` is not read and a FIFO does not block; the file is
    opened non-blocking and checked again (it may have been swapped meanwhile), and at most
    ``limit + 1`` bytes are read, so a file growing while it is read is caught too.
    """
    try:
        st = os.stat(path)
    except OSError as exc:
        raise _os_problem(exc, path, what) from None
    if not stat.S_ISREG(st.st_mode):
        raise _not_regular(st.st_mode, path, what)
    if st.st_size > limit:
        raise _too_large(path, what, st.st_size, limit)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | \
        getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise _os_problem(exc, path, what) from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise _not_regular(st.st_mode, path, what)
        chunks: list[bytes] = []
        size = 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 16, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as exc:
        raise _os_problem(exc, path, what) from None
    finally:
        os.close(fd)
    if size > limit:
        raise _too_large(path, what, None, limit)
    return b"".join(chunks)


def read_text(path: Path, what: str = "file") -> str:
    """Read a UTF-8 text file (a byte-order mark is accepted) of at most
    :data:`MAX_INPUT_BYTES`, or raise a clear InputError."""
    raw = read_limited(path, what)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError(
            Problem(
                Msg("file.not_utf8", "not UTF-8 text (byte 0x{byte}); save the file as UTF-8",
                    byte=f"{raw[exc.start]:02x}"),
                path=path,
                line=line,
            )
        ) from None
    return text.removeprefix("\ufeff")


def parse_toml(text: str, path: Path) -> TomlDocument:
    """Parse TOML text; a syntax error becomes an InputError at file:line:column."""
    try:
        data = tomllib.loads(text)
    except RecursionError:
        raise InputError(Problem("nested too deeply (arrays or tables inside each other "
                                 "hundreds of levels deep); rxprint files are a few "
                                 "levels deep at most", path=path)) from None
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
    return TomlDocument(path=path, data=data, text=text)


def load_toml(path: Path, what: str = "TOML file") -> TomlDocument:
    """Read and parse one TOML file."""
    return parse_toml(read_text(path, what), path)
