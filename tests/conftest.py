"""Shared fixtures: running the CLI, and reading PDFs back as a person would check them."""

from __future__ import annotations

import datetime as dt
import io
import re
import signal
import textwrap
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from pypdf import PdfReader

from rxprint.cli import cli
from rxprint.library.loader import Library, builtin_library
from rxprint.testing import _page_texts

from .pdfcheck import assert_valid_pdf

TODAY = dt.date(2026, 11, 21)


@dataclass
class Pdf:
    """A PDF read back: pages' text, page sizes, fonts, metadata. Every PDF read this way
    is first checked (tests/pdfcheck.py: qpdf's checks through pikepdf, strict pypdf,
    embedded fonts, nothing active, no patient data in the metadata)."""

    data: bytes

    def __post_init__(self) -> None:
        assert_valid_pdf(self.data)
        self.reader = PdfReader(io.BytesIO(self.data))
        self._texts: list[str] | None = None

    @property
    def pages(self) -> int:
        return len(self.reader.pages)

    def text(self, page: int) -> str:
        return self.texts()[page]

    def texts(self) -> list[str]:
        """Each page's text, extracted once (by the check's own strict reading)."""
        if self._texts is None:
            self._texts = _page_texts(self.data)
        return list(self._texts)

    def flat(self, page: int | None = None) -> str:
        """Text with all whitespace folded to single spaces (lines rewrap in a PDF)."""
        text = " ".join(self.texts()) if page is None else self.text(page)
        return re.sub(r"\s+", " ", text)

    def size(self, page: int = 0) -> tuple[float, float]:
        box = self.reader.pages[page].mediabox
        return float(box.width), float(box.height)

    def fonts(self) -> dict[str, dict[str, Any]]:
        """BaseFont name -> font dictionary, for every font used on any page."""
        found: dict[str, dict[str, Any]] = {}
        for page in self.reader.pages:
            resources = page.get("/Resources") or {}
            for font in (resources.get("/Font") or {}).values():
                font = font.get_object()
                found[str(font["/BaseFont"])] = font
        return found

    @property
    def metadata(self) -> dict[str, str]:
        meta: dict[str, Any] = dict(self.reader.metadata or {})
        return {str(k): str(v) for k, v in meta.items()}


# The signals a test sends to an rxprint process (rxprint.runtime.interrupt.STOP_SIGNALS).
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


def default_signals(then: Callable[[], None] | None = None) -> Callable[[], None]:
    """A ``preexec_fn`` for every child process a test may send a signal to: SIGINT,
    SIGTERM and SIGHUP back to their default action in the child, whatever the tests
    inherited. A shell starts a background job (``pytest &``) with SIGINT ignored, nohup
    ignores SIGHUP, and an ignored signal stays ignored across exec: rxprint keeps it
    ignored (as it should), so the child would not stop and the test would fail.
    ``then``: more to set up in the child (a resource limit)."""

    def preexec() -> None:
        for signum in STOP_SIGNALS:
            signal.signal(signum, signal.SIG_DFL)
        if then is not None:
            then()

    return preexec


@pytest.fixture
def sigint_raises() -> Iterator[None]:
    """For a test that sends SIGINT to its own process: Python's KeyboardInterrupt
    handler, also where the tests run with SIGINT ignored (a background job)."""
    old = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, old)


@pytest.fixture(autouse=True)
def _no_installed_plugins(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Core tests see rxprint alone: installed plugins (the examples are installed for
    their own tests) are switched off, and no user configuration is read."""
    monkeypatch.setenv("RXPRINT_PLUGINS", "")
    for name in ("RXPRINT_DISABLE_PLUGINS", "RXPRINT_PLUGINS_DIR", "RXPRINT_CONFIG",
                 "RXPRINT_TRACE_HOOKS", "RXPRINT_DEBUG", "RXPRINT_PAPER"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "user-config"))


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def run(runner: CliRunner, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> Callable[..., Result]:
    """Run ``rxprint ARGS`` in a fresh working folder (tmp_path)."""
    monkeypatch.chdir(tmp_path)

    def invoke(*args: str, input: str | None = None) -> Result:
        return runner.invoke(cli, list(args), input=input, catch_exceptions=False)

    return invoke


@pytest.fixture
def library() -> Library:
    return builtin_library()


@pytest.fixture
def write(tmp_path: Path) -> Callable[[str, str | bytes], Path]:
    """Write a file into tmp_path and return its path."""

    def _write(name: str, content: str | bytes) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return path

    return _write


EXAMPLE_PROGRAM = '''\
template = "hip-flexor-back-pain"   # optional: start from a standard program
date = 2026-11-21                   # optional, default today
clinician = "Sam Lee, PT, DPT"
notes = "Do these after your evening walk."
[patient]
name = "Jane Doe"
[[exercises]]
id = "supine-hip-flexor-stretch"
hold = "3 min"
side = "each"
frequency = "2x daily"
note = "Rest your foot on a stool if the stretch is strong."
[[exercises]]
id = "quad-set"
sets = 3
reps = 10
hold = "5 s"
'''


@pytest.fixture
def plugins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[[str, str], Path]:
    """Write loose plugin files into a plugins folder and load only those."""
    folder = tmp_path / "plugins"
    folder.mkdir()
    monkeypatch.setenv("RXPRINT_PLUGINS_DIR", str(folder))
    names: list[str] = []

    def add(name: str, code: str) -> Path:
        path = folder / f"{name}.py"
        path.write_text(textwrap.dedent(code), encoding="utf-8")
        names.append(name)
        monkeypatch.setenv("RXPRINT_PLUGINS", ",".join(names))
        return path

    return add


def built(run: Callable[..., Result], *args: str) -> Pdf:
    """``rxprint build ARGS -o out.pdf --force`` in the working folder, read back."""
    result = run("build", *args, "-o", "out.pdf", "--force")
    assert result.exit_code == 0, result.output
    return Pdf(Path("out.pdf").read_bytes())
