"""A handout's fingerprint: a digest of everything it is made from, carried in the PDF.

The fingerprint is a SHA-256 digest (its first 16 bytes) of the resolved program (after
plugins adjusted it), the branding (its fields, the logo as printed, the font), the
layout, the paper, whether pictures are printed, and the rxprint and plugin versions (a
folder plugin's source, hashed). The same inputs give the same fingerprint, on any
machine and wherever rxprint is installed (file locations are left out; files are named
by their names).

It is written as the PDF's file identifier (the trailer's ``/ID``), so a handout says what
it was made from without a file beside it: ``rxprint batch`` skips an existing handout
only when its fingerprint is the one it would make now (resuming an interrupted run), and
refuses to keep one made from other input (another patient's handout under the same
name). The digest exposes nothing the handout does not already print: every input it
covers is on the page in plain text, and it is one-way. It is never written anywhere
else (the batch report, messages).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import hashlib
import json
import os
import re
import stat
from collections.abc import Iterable
from pathlib import Path

from rxprint import __version__

FORMAT = "rxprint-fingerprint/1"
SIZE = 16  # bytes of the digest kept: the size of a PDF file identifier
_SKIPPED_FIELDS = frozenset({"path"})  # where an entry was read from: not what it is
_TAIL = 4096  # the trailer, with its /ID, is in the last bytes of the file
_ID = re.compile(rb"/ID\s*\[\s*<([0-9A-Fa-f]+)>")


_MEMO_TYPES = frozenset({"Exercise", "EducationSection", "StandardProgram"})
_MEMO_SIZE = 4096
# id -> (the object, its digest): library entries are long-lived and appear in every
# handout of a batch; the object is kept so that its id is not reused while remembered
_memo: dict[int, tuple[object, str]] = {}


def _digest(data: object) -> str:
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _fields(value: object) -> dict[str, object]:
    data: dict[str, object] = {"@": type(value).__name__}
    for f in dataclasses.fields(value):  # type: ignore[arg-type]
        if f.name not in _SKIPPED_FIELDS:
            data[f.name] = canonical(getattr(value, f.name))
    return data


def canonical(value: object) -> object:
    """``value`` as plain JSON data that depends only on what it is: dataclasses by their
    type and fields (but ``path``), paths by their file names, dates in ISO form. An
    object of another kind counts by its type's name only (never its ``repr``, which may
    hold a memory address). Library entries (exercises, education sections, standard
    programs: frozen) count by the digest of their fields, remembered per process."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        if type(value).__name__ not in _MEMO_TYPES:
            return _fields(value)
        remembered = _memo.get(id(value))
        if remembered is not None and remembered[0] is value:
            return {"@": type(value).__name__, "sha256": remembered[1]}
        digest = _digest(_fields(value))
        if len(_memo) >= _MEMO_SIZE:
            _memo.clear()
        _memo[id(value)] = (value, digest)
        return {"@": type(value).__name__, "sha256": digest}
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, tuple | list):
        return [canonical(v) for v in value]
    if isinstance(value, dict):
        return [[canonical(k), canonical(v)] for k, v in sorted(value.items(), key=repr)]
    if isinstance(value, frozenset | set):
        return sorted((canonical(v) for v in value), key=repr)
    if isinstance(value, Path):
        return value.name
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return canonical(value.value)
    if isinstance(value, bytes):
        return hashlib.sha256(value).hexdigest()
    return {"@": type(value).__qualname__}


def fingerprint(parts: Iterable[object]) -> bytes:
    """The fingerprint of ``parts`` (each made :func:`canonical`), with the format and
    rxprint's version."""
    return bytes.fromhex(_digest([FORMAT, __version__, *(canonical(p) for p in parts)]))[:SIZE]


def read_fingerprint(path: Path) -> bytes | None:
    """The fingerprint in the PDF at ``path`` (its last file identifier), or None: not a
    regular file, not readable, damaged, or not made by rxprint. Only the file's last
    bytes are read, and nothing but a regular file is opened for reading."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | \
        getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            return None
        os.lseek(fd, max(0, st.st_size - _TAIL), os.SEEK_SET)
        tail = os.read(fd, _TAIL)
    except OSError:
        return None
    finally:
        os.close(fd)
    if not tail.rstrip().endswith(b"%%EOF"):
        return None  # cut short: not a whole PDF
    found = _ID.findall(tail)
    if not found or len(found[-1]) % 2:
        return None
    return bytes.fromhex(found[-1].decode("ascii"))
