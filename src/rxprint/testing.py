"""Helpers for testing rxprint plugins (and rxprint): build a handout, read its text.

    from rxprint.testing import build_handout

    def test_my_branding():
        handout = build_handout("--template", "my-program", "--patient", "Ann Lee")
        assert "My Clinic" in handout.page(0)

Needs pypdf (``pip install 'rxprint[test]'``). Every handout ``build_handout`` makes is
checked with :func:`check_pdf` (valid PDF, fonts embedded, nothing active, no patient data
in the metadata); ``qpdf`` and ``pdffonts`` (poppler-utils) are used when installed.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import tempfile
import warnings
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from click.testing import CliRunner


class PdfCheckError(AssertionError):
    """A PDF failed :func:`check_pdf`."""


# Names that make a PDF do something when opened or clicked, or carry other files.
ACTIVE_NAMES = frozenset({
    "/JavaScript", "/JS", "/OpenAction", "/AA", "/Launch", "/EmbeddedFile",
    "/EmbeddedFiles", "/SubmitForm", "/ImportData", "/RichMedia", "/GoToR", "/GoToE",
})
# The document information rxprint writes: a title, its creator, ReportLab's producer line
# and the dates. ReportLab also always writes these as empty values (allowed only empty).
INFO_KEYS = frozenset({"/Title", "/Creator", "/Producer", "/CreationDate", "/ModDate"})
INFO_EMPTY_KEYS = frozenset({"/Author", "/Subject", "/Keywords", "/Trapped"})


def _tool(name: str, tools: str) -> str | None:
    found = shutil.which(name)
    if found is None and (tools == "require" or os.environ.get("CI") == "true"):
        raise PdfCheckError(f"{name} is not installed (apt-get install qpdf poppler-utils); "
                            "CI checks every PDF with it")
    if found is None and tools == "auto":
        warnings.warn(f"{name} not installed: PDFs get pypdf-only checks", stacklevel=3)
    return found


def check_pdf(data: bytes, *, secrets: Iterable[str] = (), allowed_hosts: Iterable[str] = (),
              tools: str = "auto") -> None:
    """Raise :class:`PdfCheckError` unless ``data`` is a clean rxprint PDF.

    - ``qpdf --check`` passes, and pypdf reads every object in strict mode;
    - every font is embedded (``pdffonts``; without it, each font has a FontFile);
    - nothing active: no JavaScript, OpenAction, additional actions, Launch, embedded
      files, and no URI link to a host other than ``allowed_hosts``;
    - the document information holds only title, creator, producer and dates (the empty
      fields ReportLab writes aside), and no ``secrets`` (patient name, notes) appear in it
      or in an XMP metadata stream.

    ``tools``: ``"auto"`` uses qpdf and pdffonts when installed (and warns when not,
    except under ``CI=true``, where a missing tool is an error); ``"require"`` always
    needs them; ``"none"`` checks with pypdf alone.
    """
    from pypdf import PdfReader
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

    problems: list[str] = []
    secrets = [s for s in secrets if s]
    use = {name: (_tool(name, tools) if tools != "none" else None)
           for name in ("qpdf", "pdffonts")}
    if any(use.values()):
        with tempfile.TemporaryDirectory(prefix="rxprint-pdfcheck-") as folder:
            path = Path(folder) / "check.pdf"
            path.write_bytes(data)
            if use["qpdf"]:
                proc = subprocess.run([use["qpdf"], "--check", str(path)],
                                      capture_output=True, text=True, timeout=120)
                if proc.returncode != 0:  # 3 = warnings, 2 = errors
                    problems.append(f"qpdf --check failed ({proc.returncode}): "
                                    f"{(proc.stdout + proc.stderr).strip()[-800:]}")
            if use["pdffonts"]:
                proc = subprocess.run([use["pdffonts"], str(path)],
                                      capture_output=True, text=True, timeout=120)
                if proc.returncode != 0:
                    problems.append(f"pdffonts failed: {proc.stderr.strip()[-400:]}")
                for line in proc.stdout.splitlines()[2:]:
                    cols = line.split()
                    # name type... encoding emb sub uni object ID: emb is 5th from the end
                    if len(cols) >= 7 and cols[-5] != "yes":
                        problems.append(f"font not embedded: {line.strip()}")

    try:
        reader = PdfReader(io.BytesIO(data), strict=True)
        for page in reader.pages:
            page.extract_text()
        seen: set[tuple[int, int]] = set()
        fonts: list[DictionaryObject] = []
        stack: list[Any] = [reader.trailer]
        while stack:
            obj = stack.pop()
            if isinstance(obj, IndirectObject):
                key = (obj.idnum, obj.generation)
                if key in seen:
                    continue
                seen.add(key)
                stack.append(obj.get_object())
            elif isinstance(obj, DictionaryObject):
                for name, value in obj.items():
                    if name in ACTIVE_NAMES or (isinstance(value, NameObject)
                                                and value in ACTIVE_NAMES):
                        problems.append(f"active content: {name} {value}"[:200])
                    if name == "/URI":
                        host = urlsplit(str(value)).hostname or ""
                        if host not in set(allowed_hosts):
                            problems.append(f"link to a foreign host: {str(value)[:100]}")
                    stack.append(value)
                if obj.get("/Type") == "/Font" and "/FontDescriptor" in obj:
                    fonts.append(obj)
                if obj.get("/Type") == "/Metadata" and secrets and hasattr(obj, "get_data"):
                    xmp = obj.get_data().decode("utf-8", "replace")
                    problems += [f"XMP metadata holds {s!r}" for s in secrets if s in xmp]
            elif isinstance(obj, ArrayObject):
                stack.extend(obj)
        for font in fonts:
            desc: Any = font["/FontDescriptor"].get_object()
            if not any(k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                problems.append(f"font not embedded: {font.get('/BaseFont')}")
        info_ref = reader.trailer.get("/Info")
        info: Any = info_ref.get_object() if info_ref is not None else {}
        for name, value in info.items():
            text = str(value)
            if name in INFO_EMPTY_KEYS:
                if text not in ("", "/False", "/True", "/Unknown"):
                    problems.append(f"metadata {name} is not empty: {text[:60]!r}")
            elif name not in INFO_KEYS:
                problems.append(f"unexpected metadata field {name}")
            problems += [f"metadata {name} holds {s!r}" for s in secrets if s in text]
    except PdfCheckError:
        raise
    except Exception as exc:  # strict pypdf refuses the file
        problems.append(f"pypdf (strict) cannot read it: {type(exc).__name__}: {exc}"[:400])
    if problems:
        raise PdfCheckError("invalid PDF:\n  " + "\n  ".join(problems))


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
    from rxprint.cli import cli

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
    check_pdf(data)
    return read_handout(data, result.output)


__all__ = ["Handout", "PdfCheckError", "build_handout", "check_pdf", "read_handout"]
