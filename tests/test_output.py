"""Atomic output: complete files or nothing; never a clobbered file without --force."""

from __future__ import annotations

from pathlib import Path

import pytest

from rxprint.errors import OutputError
from rxprint.files.output import write_atomic


def test_writes_and_leaves_no_temporary_files(tmp_path: Path) -> None:
    out = tmp_path / "a.pdf"
    write_atomic(out, b"%PDF-1.4 data", overwrite=False)
    assert out.read_bytes() == b"%PDF-1.4 data"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.pdf"]


def test_refuses_to_overwrite_without_permission(tmp_path: Path) -> None:
    out = tmp_path / "a.pdf"
    out.write_bytes(b"old")
    with pytest.raises(OutputError, match="already exists"):
        write_atomic(out, b"new", overwrite=False)
    assert out.read_bytes() == b"old"
    write_atomic(out, b"new", overwrite=True)
    assert out.read_bytes() == b"new"


def test_a_failed_write_leaves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "a.pdf"
    out.write_bytes(b"old")

    def disk_full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("os.fsync", disk_full)
    with pytest.raises(OutputError,
                       match=r"could not write the handout to .*a\.pdf: no space left on device"):
        write_atomic(out, b"new", overwrite=True)
    assert out.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.pdf"]
    with pytest.raises(OutputError):
        write_atomic(tmp_path / "b.pdf", b"new", overwrite=False)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.pdf"]


def test_a_name_that_appears_while_rendering_is_not_clobbered(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "a.pdf"
    real_link = __import__("os").link

    def racing_link(src: str, dst: Path) -> None:
        Path(dst).write_bytes(b"someone else's")
        real_link(src, dst)

    monkeypatch.setattr("os.link", racing_link)
    with pytest.raises(OutputError, match="already exists"):
        write_atomic(out, b"mine", overwrite=False)
    assert out.read_bytes() == b"someone else's"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.pdf"]
