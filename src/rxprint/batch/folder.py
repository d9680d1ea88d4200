"""The output folder of a batch: created if missing, locked for the run, and cleared of
temporary files that killed runs left behind."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from rxprint.errors import OutputError
from rxprint.files.output import reason, remove_stale_temp_files


@dataclass(frozen=True)
class Locked:
    """The lock held on a batch's output folder: its file descriptor (which a forked
    worker must close), and how many temporary files of dead runs were removed."""

    fd: int | None
    removed: int


def create(out_dir: Path) -> None:
    """Create the folder (and its parents) unless it exists, readable by its owner only:
    its file names may be patients' names."""
    missing: list[Path] = []
    for folder in (out_dir, *out_dir.parents):
        if os.path.lexists(folder):
            break
        missing.append(folder)
    try:
        for folder in reversed(missing):  # the parents rxprint makes are the owner's too
            folder.mkdir(mode=0o700, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{out_dir}: cannot create the folder ({reason(exc)})") from None
    if not out_dir.is_dir():
        raise OutputError(f"{out_dir}: exists and is not a folder; choose another "
                          "output folder")


@contextlib.contextmanager
def locked(out_dir: Path) -> Iterator[Locked]:
    """Hold the folder's lock for the run, so that a second batch into the same folder
    refuses at once (instead of both making every handout and counting each other's as
    failures); then remove the temporary files of dead runs.

    The lock is the operating system's (``flock`` on the folder itself): nothing is
    written into the folder for it, and it is released when the run ends, however it
    ends, ``kill -9`` included (the workers, which share it, end too). On a file system
    without locks the run goes on unlocked."""
    try:
        import fcntl
    except ImportError:  # not POSIX
        yield Locked(None, remove_stale_temp_files(out_dir))
        return
    try:
        fd = os.open(out_dir, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | os.O_CLOEXEC)
    except OSError as exc:
        raise OutputError(f"{out_dir}: cannot open the folder ({reason(exc)})") from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise OutputError(f"{out_dir}: another rxprint batch is writing into this "
                              "folder; wait until it has finished (then run again to "
                              "finish what it did not), or choose another folder") from None
        except OSError:
            pass  # no locks on this file system (some network shares): go on
        yield Locked(fd, remove_stale_temp_files(out_dir))
    finally:
        os.close(fd)
