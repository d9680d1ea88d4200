"""Helpers for testing rxprint plugins (and rxprint): build a handout, read its text.

    from rxprint.testing import build_handout

    def test_my_branding():
        handout = build_handout("--template", "my-program", "--patient", "Ann Lee")
        assert "My Clinic" in handout.page(0)

Needs pypdf (``pip install 'rxprint[test]'``).
"""

from __future__ import annotations

import io
import re
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from click.testing import CliRunner


@dataclass
class Handout:
    """A built handout: its bytes, its text per page, and the command's output."""

    pdf: bytes
    pages: list[str]
    output: str = ""
    _reader: Any = field(default=None, repr=False)

    def page(self, index: int) -> str:
        """Page ``index`` (0-based) with whitespace folded to single spaces."""
        return re.sub(r"\s+", " ", self.pages[index])

    @property
    def text(self) -> str:
        """All pages' text, whitespace folded."""
        return re.sub(r"\s+", " ", " ".join(self.pages))

    @property
    def page_count(self) -> int:
        return len(self.pages)

    def image_count(self) -> int:
        """Image objects embedded in the PDF (each distinct image counts once)."""
        seen: set[int] = set()
        for page in self._reader.pages:
            xobjects = (page.get("/Resources") or {}).get("/XObject") or {}
            for ref in xobjects.values():
                obj = ref.get_object()
                if obj.get("/Subtype") == "/Image":
                    seen.add(ref.idnum if hasattr(ref, "idnum") else id(obj))
        return len(seen)


def read_handout(pdf: bytes, output: str = "") -> Handout:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    return Handout(pdf, [p.extract_text() or "" for p in reader.pages], output, reader)


def build_handout(*args: str, program: str | None = None,
                  env: Mapping[str, str] | None = None) -> Handout:
    """Run ``rxprint build ARGS`` in a temporary folder and read the handout back.

    ``program``: the text of a program file, passed as the first argument. ``env``:
    extra environment (``RXPRINT_PLUGINS`` to choose plugins, for example). Raises
    AssertionError with the command's output when it fails.
    """
    from .cli import cli

    runner = CliRunner()
    with tempfile.TemporaryDirectory(prefix="rxprint-test-") as folder:
        argv = ["build"]
        if program is not None:
            program_file = Path(folder) / "program.toml"
            program_file.write_text(program, encoding="utf-8")
            argv.append(str(program_file))
        out = Path(folder) / "handout.pdf"
        argv += [*args, "-o", str(out)]
        result = runner.invoke(cli, argv, env=dict(env or {}), catch_exceptions=False)
        if result.exit_code != 0:
            raise AssertionError(f"rxprint build failed ({result.exit_code}):\n"
                                 f"{result.output}")
        data = out.read_bytes()
    return read_handout(data, result.output)


__all__ = ["Handout", "build_handout", "read_handout"]
