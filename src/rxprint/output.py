"""Writing output files atomically: a temporary file in the target folder, then a rename.

A failed run never leaves a partial file, and an existing file is only replaced when the
caller says so (``--force``).
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from pathlib import Path

from .errors import OutputError


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def check_target(path: Path, *, overwrite: bool) -> None:
    """Fail early (before any work) if ``path`` cannot or must not be written."""
    if path.is_dir():
        raise OutputError(f"{path}: is a folder; give a file name such as {path / 'handout.pdf'}")
    parent = path.parent
    if not parent.is_dir():
        raise OutputError(f"{path}: the folder {parent} does not exist; create it first")
    if path.exists() and not overwrite:
        raise OutputError(f"{path}: already exists; use --force to replace it, or choose "
                          "another name with -o")
    if not os.access(parent, os.W_OK):
        raise OutputError(f"{path}: cannot write to the folder {parent} (permission denied)")


def write_atomic(path: Path, data: bytes, *, overwrite: bool) -> None:
    """Write ``data`` to ``path`` completely or not at all."""
    check_target(path, overwrite=overwrite)
    try:
        fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=".rxprint-", suffix=".part")
    except OSError as exc:
        raise OutputError(f"{path}: cannot create a file there ({exc.strerror})") from None
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o666 & ~_umask())
        if overwrite:
            os.replace(tmp, path)
        else:
            try:
                os.link(tmp, path)  # fails if the name appeared meanwhile: never clobber
            except FileExistsError:
                raise OutputError(f"{path}: already exists; use --force to replace it") from None
            except OSError:  # a filesystem without hard links
                if path.exists():
                    raise OutputError(f"{path}: already exists; use --force to replace it")\
                        from None
                os.replace(tmp, path)
    except OSError as exc:
        raise OutputError(f"{path}: could not be written ({exc.strerror})") from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def is_stdout(path: Path) -> bool:
    """``-`` means standard output, as in most command-line tools."""
    return str(path) == "-"


def check_output(path: Path, *, overwrite: bool) -> None:
    """:func:`check_target`, unless the output goes to standard output."""
    if not is_stdout(path):
        check_target(path, overwrite=overwrite)


def write_output(path: Path, data: bytes, *, overwrite: bool) -> None:
    """Write ``data`` to standard output (``-``) or atomically to ``path``."""
    if is_stdout(path):
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    else:
        write_atomic(path, data, overwrite=overwrite)
