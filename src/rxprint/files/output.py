"""Writing output: atomically to a file (a temporary file in the target folder, then a
rename), or to standard output.

- A failed run never leaves a partial file or a temporary file behind, even on Ctrl-C:
  SIGINT, SIGTERM and SIGHUP are held back from the creation of the temporary file until it
  is renamed into place or removed.
- Every byte is written or the write fails: short writes are resumed, and a failed write
  (no space left, file too large, broken pipe, I/O error...) is an :class:`OutputError`.
- Only a regular file is ever replaced, and only when the caller says so (``--force``).
  A device, FIFO, socket or folder (or a symbolic link to one) is never written, and a
  read-only file is never replaced, even with ``--force``. Nor is any of the command's
  inputs (``inputs``: the program file, the roster, the configuration...), also when the
  output names it through a link.
- Handouts and reports hold health information: they are created readable and writable
  by their owner only (mode 0600); ``private=False`` (the library catalog) follows the
  umask instead.
- Messages name the file as ``shown`` says: a batch whose file names are made from
  patient names passes a neutral description ("row 5's handout") instead of the path.
"""

from __future__ import annotations

import contextlib
import errno
import os
import signal
import stat
import sys
import threading
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from types import MappingProxyType

from rxprint.errors import Msg, OutputError
from rxprint.runtime.interrupt import STOP_SIGNALS
from rxprint.runtime.interrupt import check as check_interrupted

_HELD_SIGNALS = frozenset(STOP_SIGNALS)

_HINTS = {
    errno.ENOSPC: "; free some space and try again",
    errno.EFBIG: " (over the file size limit)",
    errno.EPIPE: " (the program reading it stopped)",
}


TEMP_PREFIX = ".rxprint-"
TEMP_SUFFIX = ".part"


_TEMP_FLAGS = (os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
               | getattr(os, "O_CLOEXEC", 0))


def _create_temp(folder: Path) -> tuple[int, str]:
    """A new, empty file only this user can read, in ``folder``: what ``tempfile.mkstemp``
    does (a random name created exclusively, never through a link), without importing
    ``tempfile`` (and ``random``, ``shutil``) on every command's start."""
    for _ in range(100):
        name = str(folder / f"{_temp_prefix()}{os.urandom(6).hex()}{TEMP_SUFFIX}")
        try:
            return os.open(name, _TEMP_FLAGS, 0o600), name
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no unused temporary file name")


def _temp_prefix() -> str:
    """Temporary files carry the writer's process id, so a later run can tell the ones a
    killed process left (``kill -9``, a power cut) from those a live one is writing."""
    return f"{TEMP_PREFIX}{os.getpid()}-"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # EPERM: it exists, and is someone else's
        return True
    return True


def remove_stale_temp_files(folder: Path) -> int:
    """Remove the temporary files in ``folder`` that a process no longer running left
    behind (it was killed between creating and renaming one); return how many. Files of
    live processes, and anything not named like rxprint's temporary files, are kept."""
    removed = 0
    try:
        names = os.listdir(folder)
    except OSError:
        return 0
    for name in names:
        if not (name.startswith(TEMP_PREFIX) and name.endswith(TEMP_SUFFIX)):
            continue
        pid_text = name[len(TEMP_PREFIX):].split("-", 1)[0]
        if not pid_text.isdigit() or _alive(int(pid_text)):
            continue
        path = folder / name
        with contextlib.suppress(OSError):
            if stat.S_ISREG(os.lstat(path).st_mode):
                path.unlink()
                removed += 1
    return removed


def _printable(path: Path) -> str:
    """A path as a message shows it: control, bidi and line-break characters escaped."""
    from rxprint.runtime.failures import printable

    return printable(str(path), keep="")


def reason(exc: OSError) -> str:
    """An OS error in words, for a message ("no space left on device"); never its file name
    or anything else from the input."""
    text = exc.strerror or (os.strerror(exc.errno) if exc.errno else type(exc).__name__)
    text = text.rstrip(".")
    return text[:1].lower() + text[1:] + _HINTS.get(exc.errno or 0, "")


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _kind(mode: int) -> str:
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a special file"


Inputs = Mapping[Path, str]
"""The files a command reads, each with how to name it in a message ("the roster")."""
NO_INPUTS: Inputs = MappingProxyType({})


def _identity(path: Path) -> tuple[int, int] | None:
    """The file ``path`` names (following links), as (device, inode); None if none."""
    try:
        st = os.stat(path)
    except (OSError, ValueError):
        return None
    return st.st_dev, st.st_ino


def check_not_input(path: Path, inputs: Inputs, *, shown: str | None = None) -> None:
    """Refuse ``path`` if it is one of ``inputs``: the same file, also through a symbolic
    or hard link. An output never replaces what the command reads."""
    target = _identity(path)
    if target is None:
        return
    for source, what in inputs.items():
        if _identity(source) == target:
            raise OutputError(f"{shown or _printable(path)}: is {what}; rxprint never writes "
                              "over its own inputs: choose another file name")


def _check_existing(path: Path, *, overwrite: bool, follow: bool = True,
                    shown: str | None = None) -> None:
    """Refuse ``path`` if it exists and must not be replaced: anything but a regular file
    (or a symbolic link to one), any file without ``overwrite``, and a read-only file.

    Uses ``lstat`` first, so a symbolic link is seen as one; then what it points to decides
    (``follow``), or the link is refused (not ``follow``: the link was resolved already).
    """
    name = shown or _printable(path)
    try:
        st = os.lstat(path)
    except (FileNotFoundError, NotADirectoryError):
        return
    except OSError as exc:
        raise OutputError(f"{name}: cannot check it ({reason(exc)})") from None
    via = ""
    if stat.S_ISLNK(st.st_mode) and not follow:
        raise OutputError(f"{name}: became a symbolic link while rxprint was working; "
                          "check what it points to and run again")
    if stat.S_ISLNK(st.st_mode):
        via = " (through a symbolic link)"
        try:
            st = os.stat(path)
        except (FileNotFoundError, NotADirectoryError):
            raise OutputError(f"{name}: is a symbolic link to a file that does not exist; "
                              "remove the link or choose another file name") from None
        except OSError as exc:
            raise OutputError(f"{name}: cannot check it ({reason(exc)})") from None
    if stat.S_ISDIR(st.st_mode):
        if shown is None and not via:
            raise OutputError(Msg("output.folder", "{name}: is a folder; give a file name such "
                                  "as {example}", name=name, example=str(path / "handout.pdf")))
        example = f"; give a file name such as {path / 'handout.pdf'}" if shown is None else ""
        raise OutputError(f"{name}: is a folder{via}{example}")
    if not stat.S_ISREG(st.st_mode):
        raise OutputError(f"{name}: is {_kind(st.st_mode)}{via}, not a regular file; rxprint "
                          "only writes regular files: choose another file name, or '-' for "
                          "standard output")
    if not overwrite:
        raise OutputError(Msg("output.exists", "{name}: already exists; use --force to "
                              "replace it, or choose another file name", name=name))
    # Mode bits, not only access(): as root, access() says yes to a 0444 file.
    if not st.st_mode & 0o222 or not os.access(path, os.W_OK):
        raise OutputError(Msg("output.read_only", "{name}: is read-only (mode {mode}); rxprint "
                              "never replaces a read-only file, even with --force: make it "
                              "writable (chmod u+w) or choose another file name", name=name,
                              mode=f"{stat.S_IMODE(st.st_mode):04o}"))


def _resolved(path: Path) -> Path:
    """The file a symbolic link points to: that file is replaced, never the link itself (so
    ``-o /dev/stdout`` can never replace ``/dev/stdout``)."""
    return Path(os.path.realpath(path)) if os.path.islink(path) else path


def check_target(path: Path, *, overwrite: bool, inputs: Inputs = NO_INPUTS,
                 shown: str | None = None) -> None:
    """Fail early (before any work) if ``path`` cannot or must not be written: see the
    module's rules. ``shown`` names the file in messages instead of its path."""
    if not path.name.strip():
        raise OutputError(f"{str(path)!r} is not a file name; give the output a name, e.g. "
                          "-o handout.pdf")
    check_not_input(path, inputs, shown=shown)
    _check_existing(path, overwrite=overwrite, shown=shown)
    path = _resolved(path)
    _check_existing(path, overwrite=overwrite, shown=shown)
    parent = path.parent
    name = shown or _printable(path)
    if not parent.is_dir():
        if parent.exists():
            raise OutputError(Msg("output.parent_file", "{name}: {parent} is not a folder; "
                                  "choose an output path inside a folder", name=name,
                                  parent=str(parent)))
        raise OutputError(Msg("output.no_folder", "{name}: the folder {parent} does not exist; "
                              "create it first", name=name, parent=str(parent)))
    if not os.access(parent, os.W_OK):
        raise OutputError(Msg("output.denied", "{name}: cannot write to the folder {parent} "
                              "(permission denied)", name=name, parent=str(parent)))


@contextlib.contextmanager
def signals_held() -> Iterator[None]:
    """Hold back SIGINT, SIGTERM and SIGHUP (they are delivered on leaving), so that the
    temporary file is always renamed or removed. Only in the main thread, where Python
    runs signal handlers."""
    if not hasattr(signal, "pthread_sigmask") or \
            threading.current_thread() is not threading.main_thread():
        yield
        return
    old = signal.pthread_sigmask(signal.SIG_BLOCK, _HELD_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def _write_all(write: Callable[[memoryview], int | None], data: bytes) -> None:
    """Write every byte: a short write (a file size limit reached, a pipe) is resumed, and
    the next write then raises the error (EFBIG, ENOSPC...)."""
    view = memoryview(data)
    while view:
        written = write(view)
        if not written:
            raise OSError(errno.EIO, os.strerror(errno.EIO))
        view = view[written:]


def write_atomic(path: Path, data: bytes, *, overwrite: bool, what: str = "the handout",
                 inputs: Inputs = NO_INPUTS, shown: str | None = None,
                 private: bool = True, links: bool = True) -> None:
    """Write ``data`` to ``path`` completely or not at all (mode 0600 when ``private``);
    ``shown`` names the file in messages instead of its path. With ``links`` False a
    symbolic link at ``path`` is refused, also one that appears while rxprint works, and
    never followed (a batch writes only into its own folder)."""
    check_interrupted()  # a Ctrl-C a library swallowed while the data was made
    if not links and os.path.islink(path):
        raise OutputError(f"{shown or _printable(path)}: is a symbolic link; rxprint "
                          "writes here only plain files, never through a link: remove it")
    check_target(path, overwrite=overwrite, inputs=inputs, shown=shown)
    shown, path = shown or _printable(path), _resolved(path) if links else path
    with signals_held():
        try:
            fd, tmp_name = _create_temp(path.parent)
        except OSError as exc:
            raise OutputError(f"{shown}: cannot create a file there ({reason(exc)})",
                              errno=exc.errno) from None
        tmp = Path(tmp_name)
        try:
            try:
                _write_all(lambda chunk: os.write(fd, chunk), data)
                os.fchmod(fd, 0o600 if private else 0o666 & ~_umask())
                os.fsync(fd)
            finally:
                os.close(fd)
            # Check again (lstat) right before the rename: what was a regular file at the
            # start may have been replaced by a device, FIFO or link while rendering. A race
            # remains between this lstat and the rename (a few system calls): a special
            # file put there in that window would be replaced by the PDF. rename(2) itself
            # never writes into what it replaces (it swaps a directory entry), so a device
            # is never written to; closing that window would need renameat2(RENAME_EXCHANGE)
            # and swapping back, which Python does not offer.
            _check_existing(path, overwrite=overwrite, follow=False, shown=shown)
            if overwrite:
                os.replace(tmp, path)
            else:
                try:
                    os.link(tmp, path)  # fails if the name appeared meanwhile: never clobber
                except FileExistsError:
                    raise OutputError(f"{shown}: already exists; use --force to replace it")\
                        from None
                except OSError:  # a filesystem without hard links
                    if os.path.lexists(path):
                        raise OutputError(f"{shown}: already exists; use --force to replace "
                                          "it") from None
                    os.replace(tmp, path)
        except OSError as exc:
            raise OutputError(f"could not write {what} to {shown}: {reason(exc)}",
                              errno=exc.errno) from None
        finally:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()


def is_stdout(path: Path) -> bool:
    """``-`` means standard output, as in most command-line tools."""
    return str(path) == "-"


def check_output(path: Path, *, overwrite: bool, inputs: Inputs = NO_INPUTS) -> None:
    """:func:`check_target`, unless the output goes to standard output."""
    if not is_stdout(path):
        check_target(path, overwrite=overwrite, inputs=inputs)


def stdout_closed() -> bool:
    """Whether rxprint was started with standard output closed (``>&-``)."""
    stream = sys.stdout
    if stream is None:
        return True
    try:
        os.fstat(stream.fileno())
    except (AttributeError, ValueError, OSError):  # closed, or not a real file (a test's)
        return stream.closed
    return False


def write_stdout(data: bytes, *, what: str = "the handout",
                 instead: str = "give a file with -o FILE") -> None:
    """Write ``data`` to standard output, every byte, or raise :class:`OutputError`
    (``instead``: what the user can do when it is closed)."""
    check_interrupted()  # a Ctrl-C a library swallowed while the data was made
    stream = sys.stdout
    if stream is None:  # started with standard output closed (>&-)
        raise OutputError(f"could not write {what} to standard output: it is closed; "
                          f"{instead}")
    try:
        stream.flush()
        try:
            fd: int | None = stream.fileno()
        except (AttributeError, ValueError):  # io.UnsupportedOperation: not a real file
            fd = None
        if fd is not None:
            out = fd
            _write_all(lambda chunk: os.write(out, chunk), data)
        else:
            _write_all(stream.buffer.write, data)
            stream.buffer.flush()
    except OSError as exc:
        raise OutputError(f"could not write {what} to standard output: {reason(exc)}",
                          errno=exc.errno) from None


def write_output(path: Path, data: bytes, *, overwrite: bool, what: str = "the handout",
                 inputs: Inputs = NO_INPUTS, private: bool = True) -> None:
    """Write ``data`` to standard output (``-``) or atomically to ``path``."""
    if is_stdout(path):
        write_stdout(data, what=what)
    else:
        write_atomic(path, data, overwrite=overwrite, what=what, inputs=inputs,
                     private=private)
