"""The edges of the process: what rxprint refuses to write over or read, failed writes
(file size limit, disk full, broken pipe) and Ctrl-C.

Many of these run the installed ``rxprint`` command in a subprocess, because what they
check (signals, resource limits, real standard output) only exists there.
"""

from __future__ import annotations

import errno
import os
import resource
import signal
import socket
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import Result

from rxprint.errors import InputError, OutputError
from rxprint.files.output import _write_all, write_atomic
from rxprint.files.tomlfile import MAX_INPUT_BYTES, read_limited

from .conftest import default_signals

RXPRINT = Path(sys.executable).with_name("rxprint")
BUILD = ["build", "-e", "quad-set", "--patient", "Zelda Quixote"]
SECRET = "Zelda Quixote"


def leftovers(folder: Path) -> list[str]:
    """Temporary files rxprint may have left in a folder."""
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".rxprint-")
                  or p.name.endswith(".part"))


def rxprint(*args: str, cwd: Path, timeout: float = 120, fsize: int | None = None,
            stdout: int | object = subprocess.PIPE) -> subprocess.CompletedProcess[bytes]:
    """Run the installed command; ``fsize`` sets a file size limit (``ulimit -f``)."""
    if not RXPRINT.exists():
        pytest.skip("the rxprint command is not installed in this environment")

    def limit() -> None:
        if fsize is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))

    return subprocess.run([str(RXPRINT), *args], cwd=cwd, stdout=stdout,  # type: ignore[call-overload]
                          stderr=subprocess.PIPE, timeout=timeout,
                          preexec_fn=default_signals(limit),
                          check=False)


def one_error_line(stderr: bytes) -> str:
    text = stderr.decode()
    assert "Traceback" not in text
    assert SECRET not in text
    lines = text.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), text
    return lines[0]


# --- 1. Only regular files are ever replaced ------------------------------------------


def make_fifo(path: Path) -> None:
    os.mkfifo(path)


def make_device(path: Path) -> None:
    try:  # the same device as /dev/full
        os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, 7))
    except PermissionError:
        pytest.skip("making a device node (mknod) needs root; CI runs as root")


def make_socket(path: Path) -> None:
    sock = socket.socket(socket.AF_UNIX)
    os.chdir(path.parent)  # a socket's path is limited to about 100 characters
    sock.bind(path.name)
    sock.close()


def make_folder(path: Path) -> None:
    path.mkdir()


def link_to(make: Callable[[Path], None]) -> Callable[[Path], None]:
    def make_link(path: Path) -> None:
        make(path.with_name("target"))
        path.symlink_to("target")

    return make_link


SPECIAL = {
    "device": (make_device, "is a character device, not a regular file"),
    "fifo": (make_fifo, "is a named pipe (FIFO), not a regular file"),
    "socket": (make_socket, "is a socket, not a regular file"),
    "folder": (make_folder, "is a folder"),
    "link-to-device": (link_to(make_device), "is a character device (through a symbolic link)"),
    "link-to-fifo": (link_to(make_fifo), "is a named pipe (FIFO) (through a symbolic link)"),
    "link-to-folder": (link_to(make_folder), "is a folder (through a symbolic link)"),
    "dangling-link": (lambda p: p.symlink_to("nowhere"),
                      "is a symbolic link to a file that does not exist"),
}


@pytest.mark.parametrize("force", [True, False], ids=["force", "no-force"])
@pytest.mark.parametrize("kind", sorted(SPECIAL))
def test_only_a_regular_file_is_ever_replaced(kind: str, force: bool, tmp_path: Path,
                                              run: Callable[..., Result]) -> None:
    make, message = SPECIAL[kind]
    target = tmp_path / "out"
    make(target)
    before = target.lstat()
    result = run(*BUILD, "-o", str(target), *(["--force"] if force else []))
    assert result.exit_code == 1, result.output
    assert f"Error: {target}: {message}" in result.output
    assert "Traceback" not in result.output
    after = target.lstat()
    assert (after.st_mode, after.st_ino) == (before.st_mode, before.st_ino)
    assert leftovers(tmp_path) == []


def test_dev_full_as_root_is_refused_and_left_alone(tmp_path: Path,
                                                    run: Callable[..., Result]) -> None:
    before = os.lstat("/dev/full")
    result = run(*BUILD, "-o", "/dev/full", "--force")
    assert result.exit_code == 1
    assert "/dev/full: is a character device, not a regular file" in result.output
    assert stat.S_ISCHR(os.lstat("/dev/full").st_mode)
    assert os.lstat("/dev/full").st_ino == before.st_ino


def test_a_read_only_file_is_not_replaced_even_with_force(
        tmp_path: Path, run: Callable[..., Result]) -> None:
    target = tmp_path / "old.pdf"
    target.write_bytes(b"keep me")
    target.chmod(0o444)
    result = run(*BUILD, "-o", str(target), "--force")
    assert result.exit_code == 1
    assert f"{target}: is read-only (mode 0444)" in result.output
    assert "chmod u+w" in result.output
    assert target.read_bytes() == b"keep me"
    assert leftovers(tmp_path) == []
    target.chmod(0o644)
    assert run(*BUILD, "-o", str(target), "--force").exit_code == 0
    assert target.read_bytes().startswith(b"%PDF-")


def test_a_link_to_a_regular_file_replaces_the_file_not_the_link(
        tmp_path: Path, run: Callable[..., Result]) -> None:
    (tmp_path / "real.pdf").write_bytes(b"old")
    link = tmp_path / "link.pdf"
    link.symlink_to("real.pdf")
    assert run(*BUILD, "-o", str(link)).exit_code == 1  # exists: --force needed
    result = run(*BUILD, "-o", str(link), "--force")
    assert result.exit_code == 0, result.output
    assert link.is_symlink() and os.readlink(link) == "real.pdf"
    assert (tmp_path / "real.pdf").read_bytes().startswith(b"%PDF-")
    assert leftovers(tmp_path) == []


def test_a_special_file_that_appears_while_writing_is_not_replaced(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The check is made again, with lstat, right before the rename."""
    target = tmp_path / "a.pdf"
    target.write_bytes(b"old")
    real_fsync = os.fsync

    def swap_for_a_fifo(fd: int) -> None:
        target.unlink()
        os.mkfifo(target)
        real_fsync(fd)

    monkeypatch.setattr("os.fsync", swap_for_a_fifo)
    with pytest.raises(OutputError, match="is a named pipe"):
        write_atomic(target, b"new", overwrite=True)
    assert stat.S_ISFIFO(target.lstat().st_mode)
    assert leftovers(tmp_path) == []


def test_a_link_that_appears_while_writing_is_not_replaced(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "a.pdf"
    target.write_bytes(b"old")
    real_fsync = os.fsync

    def swap_for_a_link(fd: int) -> None:
        target.unlink()
        target.symlink_to("/dev/null")
        real_fsync(fd)

    monkeypatch.setattr("os.fsync", swap_for_a_link)
    with pytest.raises(OutputError, match="became a symbolic link"):
        write_atomic(target, b"new", overwrite=True)
    assert target.is_symlink()
    assert leftovers(tmp_path) == []


# --- 2. A failed write is an error, never a truncated success ---------------------------

LIMIT = 10 * 1024  # ulimit -f 10


def test_file_size_limit_writing_a_file(tmp_path: Path) -> None:
    proc = rxprint("build", "--template", "desk-worker-movement", "-o", "out.pdf",
                   cwd=tmp_path, fsize=LIMIT)
    assert proc.returncode == 1
    assert one_error_line(proc.stderr) == (
        "Error: could not write the handout to out.pdf: file too large (over the file size "
        "limit)")
    assert sorted(p.name for p in tmp_path.iterdir()) == []


@pytest.mark.parametrize("args, what", [
    (["build", "--template", "desk-worker-movement", "-o", "-"], "the handout"),
    (["catalog", "-o", "-"], "the catalog"),
    # 1200 pixels: a PNG of about 130 KB, far over the limit (4000 took 2 s to draw)
    (["show", "glute-bridge", "--png", "-", "--width", "1200"], "the picture"),
], ids=["build", "catalog", "show-png"])
def test_file_size_limit_on_standard_output(args: list[str], what: str,
                                            tmp_path: Path) -> None:
    with open(tmp_path / "t.out", "wb") as out:
        proc = rxprint(*args, cwd=tmp_path, fsize=LIMIT, stdout=out)
    assert proc.returncode == 1
    assert one_error_line(proc.stderr) == (
        f"Error: could not write {what} to standard output: file too large (over the file "
        "size limit)")
    assert (tmp_path / "t.out").stat().st_size <= LIMIT
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t.out"]


@pytest.mark.parametrize("args, what", [
    (["build", *BUILD[1:], "-o", "-"], "the handout"),
    (["catalog", "-o", "-", "--category", "stretch"], "the catalog"),
    (["show", "quad-set", "--png", "-"], "the picture"),
], ids=["build", "catalog", "show-png"])
def test_disk_full_on_standard_output(args: list[str], what: str, tmp_path: Path) -> None:
    with open("/dev/full", "wb") as full:
        proc = rxprint(*args, cwd=tmp_path, stdout=full)
    assert proc.returncode == 1
    assert one_error_line(proc.stderr) == (
        f"Error: could not write {what} to standard output: no space left on device; free "
        "some space and try again")
    assert list(tmp_path.iterdir()) == []


def test_show_png_to_a_file_over_the_size_limit(tmp_path: Path) -> None:
    proc = rxprint("show", "glute-bridge", "--png", "g.png", "--width", "1200",
                   cwd=tmp_path, fsize=LIMIT)
    assert proc.returncode == 1
    assert one_error_line(proc.stderr).startswith(
        "Error: could not write the picture to g.png: file too large")
    assert list(tmp_path.iterdir()) == []


def test_broken_pipe_on_standard_output(tmp_path: Path) -> None:
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone: every write gets EPIPE
    try:
        proc = rxprint(*BUILD, "-o", "-", cwd=tmp_path, stdout=write_end)
    finally:
        os.close(write_end)
    assert proc.returncode == 1
    assert one_error_line(proc.stderr) == (
        "Error: could not write the handout to standard output: broken pipe (the program "
        "reading it stopped)")


def test_short_writes_are_resumed_and_a_writer_making_no_progress_fails() -> None:
    got = bytearray()

    def three_at_a_time(chunk: memoryview) -> int:
        got.extend(chunk[:3])
        return min(3, len(chunk))

    _write_all(three_at_a_time, b"0123456789")
    assert bytes(got) == b"0123456789"
    with pytest.raises(OSError) as info:
        _write_all(lambda chunk: 0, b"data")
    assert info.value.errno == errno.EIO


# --- 3. Input: regular files only, and at most 1 MiB ------------------------------------


def test_dev_zero_is_refused_before_reading(tmp_path: Path) -> None:
    for args in (["build", "/dev/zero"], ["validate", "/dev/zero"],
                 ["--config", "/dev/zero", "list"]):
        proc = rxprint(*args, cwd=tmp_path, timeout=60)
        assert proc.returncode == 1, args
        text = proc.stderr.decode()
        assert "Traceback" not in text
        assert "/dev/zero: is a character device, not a regular file" in text, text


def test_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "visit.toml")
    (tmp_path / "lib").mkdir()
    os.mkfifo(tmp_path / "lib" / "pipe.toml")
    for args in (["build", "visit.toml"], ["validate", "lib"], ["--config", "visit.toml",
                                                                 "programs"]):
        proc = rxprint(*args, cwd=tmp_path, timeout=60)  # a blocking open would time out
        assert proc.returncode == 1, args
        text = proc.stderr.decode()
        assert "Traceback" not in text
        assert "is a named pipe (FIFO), not a regular file" in text, text


def test_a_program_file_over_the_limit_is_refused(
        write: Callable[[str, str | bytes], Path], run: Callable[..., Result]) -> None:
    body = b'template = "hip-flexor-back-pain"\n'
    at_limit = write("ok.toml", body + b"#" * (MAX_INPUT_BYTES - len(body) - 1) + b"\n")
    assert at_limit.stat().st_size == MAX_INPUT_BYTES
    assert run("build", "ok.toml", "-o", "ok.pdf").exit_code == 0
    write("big.toml", body + b"#" * (MAX_INPUT_BYTES - len(body)) + b"\n")
    result = run("build", "big.toml")
    assert result.exit_code == 1
    assert result.output.strip() == (
        "Error: big.toml: too large for a program file (1,048,577 bytes; the limit is 1 MiB): "
        "check that this is the right file")


def test_reading_stops_past_the_limit_even_when_the_size_is_unknown() -> None:
    """A file whose size stat cannot tell (here /proc, size 0) is read only to limit + 1."""
    status = Path("/proc/self/status")
    if not status.exists():
        pytest.skip("needs /proc")
    assert len(read_limited(status, limit=1 << 16)) > 16
    with pytest.raises(InputError, match=r"too large for a file \(over the limit of 16 bytes"):
        read_limited(status, limit=16)


# --- 4. Ctrl-C: one line, exit 130, nothing left behind ---------------------------------


def big_program(folder: Path) -> Path:
    """A program of every built-in exercise with long notes: seconds of rendering."""
    from rxprint.library.loader import builtin_library

    note = ("Keep your back flat and breathe out as you lift. " * 100)[:4900]
    text = f'notes = "{note}"\n[patient]\nname = "{SECRET}"\n'
    for ident in sorted(builtin_library().exercises):
        text += f'[[exercises]]\nid = "{ident}"\nnote = "{note}"\n'
    path = folder / "big.toml"
    path.write_text(text, encoding="utf-8")
    return path


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a running process (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@pytest.fixture
def interrupt(tmp_path: Path) -> Iterator[Callable[[float], tuple[int, str]]]:
    """Start ``rxprint build big.toml -o out.pdf``, send it SIGINT (a real signal) once it
    has used ``cpu`` seconds of CPU time, and return its exit status and stderr."""
    if not RXPRINT.exists() or not Path("/proc/self/stat").exists():
        pytest.skip("needs the installed rxprint command and /proc")
    big_program(tmp_path)
    procs: list[subprocess.Popen[bytes]] = []

    def run(cpu: float) -> tuple[int, str]:
        proc = subprocess.Popen([str(RXPRINT), "build", "big.toml", "-o", "out.pdf"],
                                cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                preexec_fn=default_signals())
        procs.append(proc)
        deadline = time.monotonic() + 120
        while cpu_seconds(proc.pid) < cpu:
            assert proc.poll() is None, "rxprint finished before it could be interrupted"
            assert time.monotonic() < deadline
            time.sleep(0.002)
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=60)
        return proc.returncode, err.decode()

    yield run
    for proc in procs:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


@pytest.mark.parametrize("cpu", [0.06, 0.9], ids=["during-start-up-imports", "while-rendering"])
def test_ctrl_c_exits_130_with_one_line(cpu: float, tmp_path: Path,
                                        interrupt: Callable[[float], tuple[int, str]]) -> None:
    status, stderr = interrupt(cpu)
    assert "Traceback" not in stderr and "KeyboardInterrupt" not in stderr
    assert stderr == "Interrupted.\n"
    assert status == 130
    assert sorted(p.name for p in tmp_path.iterdir()) == ["big.toml"]


def test_the_entry_point_module_is_light() -> None:
    """So that main(), which handles Ctrl-C, runs before any heavy import."""
    code = ("import sys, rxprint.cli; print(sorted(m for m in ('click', 'reportlab', 'PIL', "
            "'pluggy', 'importlib.metadata') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "[]"


@pytest.mark.usefixtures("sigint_raises")
def test_ctrl_c_while_writing_finishes_the_file_then_stops(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """SIGINT arriving between the temporary file and the rename is held back until the
    file is in place: never a temporary file left, never a partial file."""
    target = tmp_path / "a.pdf"
    target.write_bytes(b"old")
    real_fsync = os.fsync

    def interrupted_fsync(fd: int) -> None:
        # to the main thread, as Ctrl-C reaches rxprint's one thread: a test process may
        # have others (pytest-xdist's), which would take a signal sent to the process
        signal.pthread_kill(threading.main_thread().ident or 0, signal.SIGINT)
        real_fsync(fd)

    monkeypatch.setattr("os.fsync", interrupted_fsync)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(target, b"new", overwrite=True)
    assert target.read_bytes() == b"new"
    assert leftovers(tmp_path) == []


def test_an_interrupt_raised_while_writing_leaves_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "a.pdf"
    target.write_bytes(b"old")

    def interrupted(fd: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("os.fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(target, b"new", overwrite=True)
    assert target.read_bytes() == b"old"
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("args", [["list"], ["programs"], ["show", "quad-set"],
                                  ["plugins"]], ids=["list", "programs", "show", "plugins"])
def test_text_output_to_a_full_disk_or_a_closed_pipe(args: list[str], tmp_path: Path) -> None:
    """The text commands: a full disk is one clear line; a reader that left (`| head`)
    ends the command quietly, as other command-line tools do."""
    with open("/dev/full", "wb") as full:
        proc = rxprint(*args, cwd=tmp_path, stdout=full)
    assert proc.returncode == 1
    assert one_error_line(proc.stderr) == (
        "Error: could not write the output: no space left on device")
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        proc = rxprint(*args, cwd=tmp_path, stdout=write_end)
    finally:
        os.close(write_end)
    assert proc.returncode == 1
    assert proc.stderr == b""


def test_an_output_folder_that_is_a_file_is_named_as_such(tmp_path: Path) -> None:
    (tmp_path / "afile").write_text("x")
    proc = rxprint(*BUILD, "-o", "afile/out.pdf", cwd=tmp_path)
    assert proc.returncode == 1
    assert "afile is not a folder" in one_error_line(proc.stderr)


def test_a_fifo_named_like_a_plugin_is_refused_without_blocking(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RXPRINT_PLUGINS", "x")  # the one folder plugin
    folder = tmp_path / "plugins"
    folder.mkdir()
    os.mkfifo(folder / "x.py")
    proc = rxprint("--plugins-dir", str(folder), "layouts", cwd=tmp_path, timeout=30)
    assert proc.returncode == 1
    assert "x.py: is a named pipe (FIFO), not a regular file" in one_error_line(proc.stderr)


@pytest.mark.parametrize(("output", "message"), [
    ("", "an empty name"), (" ", "an empty name"), ("x.pdf/", "ends in a slash"),
    ("sub/ ", "is not a file name")])
def test_an_output_that_is_not_a_file_name_is_refused(output: str, message: str,
                                                      tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    proc = rxprint(*BUILD, "-o", output, cwd=tmp_path)
    assert proc.returncode in (1, 2)
    assert message in proc.stderr.decode()
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["sub"]


def test_validate_that_checks_nothing_fails(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    proc = rxprint("validate", "empty", cwd=tmp_path)
    assert proc.returncode == 1
    assert "no .toml files found" in one_error_line(proc.stderr)


def test_toml_nested_too_deeply_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "deep.toml").write_text("x = " + "[" * 1000 + "]" * 1000 + "\n")
    proc = rxprint("validate", "deep.toml", cwd=tmp_path)
    assert proc.returncode == 1
    assert "nested too deeply" in proc.stderr.decode()
    assert "internal error" not in proc.stderr.decode()
