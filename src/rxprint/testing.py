"""Helpers for testing rxprint plugins (and rxprint): build a handout, read its text.

    from rxprint.testing import build_handout

    def test_my_branding():
        handout = build_handout("--template", "my-program", "--patient", "Ann Lee")
        assert "My Clinic" in handout.page(0)

Needs pypdf and pikepdf (``pip install 'rxprint[test]'``), nothing outside Python. Every
handout ``build_handout`` makes is checked with :func:`check_pdf` (a valid PDF by qpdf's
own checks, through pikepdf; fonts embedded; nothing active; no patient data in the
metadata).
"""

from __future__ import annotations

import hashlib
import io
import os
import re
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
FONT_FILES = ("/FontFile", "/FontFile2", "/FontFile3")
TOOLS = ("auto", "require", "none")


@dataclass(frozen=True)
class _Scan:
    """What one PDF's bytes say, whoever asks: the problems found whatever the secrets and
    allowed hosts are, and what those are checked against (links, metadata texts)."""

    problems: tuple[str, ...]
    uris: tuple[str, ...] = ()
    metadata: tuple[tuple[str, str], ...] = ()  # (where, text): Info fields and XMP
    texts: tuple[str, ...] | None = None  # each page's text, when pypdf could read it


# A test suite reads the same PDF many times (a module's handout, page by page): each
# one's bytes are scanned once per process, keyed by their SHA-256 and the checker used.
_SCANS: dict[tuple[str, bool], _Scan] = {}
_SCANS_KEPT = 1024


def _use_pikepdf(tools: str) -> bool:
    if tools not in TOOLS:
        raise ValueError(f"tools must be one of {', '.join(TOOLS)}, not {tools!r}")
    if tools == "none":
        return False
    try:
        import pikepdf  # noqa: F401
    except ImportError:
        if tools == "require" or os.environ.get("CI") == "true":
            raise PdfCheckError("pikepdf is not installed (pip install 'rxprint[test]'); "
                                "CI checks every PDF with it") from None
        warnings.warn("pikepdf not installed: PDFs get pypdf-only checks "
                      "(pip install 'rxprint[test]')", stacklevel=3)
        return False
    return True


def check_pdf(data: bytes, *, secrets: Iterable[str] = (), allowed_hosts: Iterable[str] = (),
              tools: str = "auto") -> None:
    """Raise :class:`PdfCheckError` unless ``data`` is a clean rxprint PDF.

    - qpdf's checks pass (pikepdf, qpdf's own library: the file opens without repair,
      and ``Pdf.check_pdf_syntax``, what ``qpdf --check`` does, finds nothing, not even
      a warning); it is not encrypted; pypdf reads every object in strict mode;
    - every font is embedded (a FontFile, FontFile2 or FontFile3 in its descriptor, for
      every font of every page, form, pattern, Type 3 font and annotation appearance);
    - nothing active: no JavaScript, OpenAction, additional actions, Launch, embedded
      files, and no URI link to a host other than ``allowed_hosts``;
    - the document information holds only title, creator, producer and dates (the empty
      fields ReportLab writes aside), and no ``secrets`` (patient name, notes) appear in it
      or in an XMP metadata stream.

    Each PDF is read once per process: the same bytes checked again reuse what was found.

    ``tools`` (the checker beside pypdf, which was once the qpdf and pdffonts programs
    and is now pikepdf): ``"auto"`` uses pikepdf when installed (and warns when not,
    except under ``CI=true``, where a missing pikepdf is an error); ``"require"`` always
    needs it; ``"none"`` checks with pypdf alone.
    """
    scan = _scanned(data, _use_pikepdf(tools))
    problems = list(scan.problems)
    hosts = set(allowed_hosts)
    for uri in scan.uris:
        if (urlsplit(uri).hostname or "") not in hosts:
            problems.append(f"link to a foreign host: {uri[:100]}")
    for secret in (s for s in secrets if s):
        problems += [f"{where} holds {secret!r}" for where, text in scan.metadata
                     if secret in text]
    if problems:
        raise PdfCheckError("invalid PDF:\n  " + "\n  ".join(problems))


def _scanned(data: bytes, pike: bool) -> _Scan:
    key = (hashlib.sha256(data).hexdigest(), pike)
    scan = _SCANS.get(key)
    if scan is None:
        scan = _scan(data, pike)
        if len(_SCANS) >= _SCANS_KEPT:
            _SCANS.clear()
        _SCANS[key] = scan
    return scan


def _page_texts(data: bytes) -> list[str]:
    """Each page's text (pypdf's ``extract_text``) of a PDF that passed :func:`check_pdf`
    in this process: the check's own strict reading, so that each PDF is read once."""
    for pike in (True, False):
        scan = _SCANS.get((hashlib.sha256(data).hexdigest(), pike))
        if scan is not None and scan.texts is not None:
            return list(scan.texts)
    from pypdf import PdfReader

    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages]


def _scan(data: bytes, pike: bool) -> _Scan:
    problems = _pikepdf_problems(data) if pike else []
    uris: list[str] = []
    metadata: list[tuple[str, str]] = []
    texts: list[str] | None = None
    try:
        texts = _pypdf_scan(data, problems, uris, metadata)
    except Exception as exc:  # strict pypdf refuses the file
        problems.append(f"pypdf (strict) cannot read it: {type(exc).__name__}: {exc}"[:400])
    return _Scan(tuple(problems), tuple(uris), tuple(metadata),
                 None if texts is None else tuple(texts))


def _program_problems(data: bytes) -> list[str]:
    """What is wrong with the attached program: it must be a program file of format 1."""
    import tomllib

    try:
        program = tomllib.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        return [f"the attached program is not a TOML file: {exc}"[:200]]
    if program.get("format") != 1:
        return ["the attached program has no format = 1"]
    return []


def _pikepdf_problems(data: bytes) -> list[str]:
    """qpdf's view, through pikepdf: structure, encryption, embedded files, fonts."""
    import pikepdf

    def clean(message: str) -> str:  # qpdf names its input: "stream <_io.BytesIO ...>: "
        return re.sub(r"stream <[^>]*>:?\s*", "", message)

    try:
        pdf = pikepdf.Pdf.open(io.BytesIO(data), attempt_recovery=False)
    except pikepdf.PasswordError:
        return ["encrypted: it needs a password to open"]
    except Exception as exc:  # qpdf refuses it, or could read it only by repairing it
        return [f"qpdf cannot open it without repair: {clean(str(exc))}"[:400]]
    problems: list[str] = []
    with pdf:
        try:
            problems += [f"qpdf --check: {clean(p)}"[:400] for p in pdf.check_pdf_syntax()]
            if pdf.is_encrypted:
                problems.append("encrypted")
            attached = dict(pdf.attachments)
            if set(attached) - {PROGRAM_ATTACHMENT} or len(attached) > 1:
                problems.append(f"embedded files: {len(attached)} ({', '.join(attached)})"
                                if set(attached) != {PROGRAM_ATTACHMENT} else
                                "embedded files: more than rxprint's program")
            elif attached:
                problems += _program_problems(
                    attached[PROGRAM_ATTACHMENT].get_file().read_bytes())
            problems += _font_problems(pdf)
        except Exception as exc:  # a damaged object qpdf finds while walking
            problems.append(f"qpdf: {type(exc).__name__}: {clean(str(exc))}"[:400])
    return problems


def _font_problems(pdf: Any) -> list[str]:
    """Every font reached from a page (through its resources, forms, patterns, Type 3
    fonts and annotation appearances) that is not embedded, as ``pdffonts`` shows them."""
    import pikepdf

    problems: list[str] = []
    seen: set[tuple[int, int]] = set()

    def first_visit(obj: Any) -> bool:
        if not obj.is_indirect:
            return True
        if obj.objgen in seen:
            return False
        seen.add(obj.objgen)
        return True

    def resources(res: Any) -> None:
        if not isinstance(res, pikepdf.Dictionary) or not first_visit(res):
            return
        for font in (res.get("/Font") or {}).values():
            if isinstance(font, pikepdf.Dictionary) and first_visit(font):
                check_font(font)
        for key in ("/XObject", "/Pattern"):
            for obj in (res.get(key) or {}).values():
                if isinstance(obj, pikepdf.Stream | pikepdf.Dictionary) and first_visit(obj):
                    resources(obj.get("/Resources"))

    def check_font(font: Any) -> None:
        if font.get("/Subtype") == "/Type3":  # glyphs drawn by the PDF itself
            resources(font.get("/Resources"))
            return
        described = font
        if font.get("/Subtype") == "/Type0":
            descendants = font.get("/DescendantFonts") or []
            described = descendants[0] if len(descendants) else font
        descriptor = described.get("/FontDescriptor")
        if not isinstance(descriptor, pikepdf.Dictionary) or not any(
                k in descriptor for k in FONT_FILES):
            problems.append(f"font not embedded: {font.get('/BaseFont')}")

    def appearances(ap: Any) -> None:
        if isinstance(ap, pikepdf.Stream):
            if first_visit(ap):
                resources(ap.get("/Resources"))
        elif isinstance(ap, pikepdf.Dictionary):
            for value in ap.values():
                appearances(value)

    for page in pdf.pages:
        resources(page.obj.get("/Resources"))
        for annot in page.obj.get("/Annots") or []:
            if annot.get("/Subtype") == "/FileAttachment":
                problems.append("embedded file: a file attachment annotation")
            appearances(annot.get("/AP"))
    return problems


PROGRAM_ATTACHMENT = "rxprint-program.toml"


def _program_attachment(reader: Any) -> tuple[Any, Any]:
    """The catalog's ``/Names`` dictionary and the embedded file stream of rxprint's own
    attachment (the program, for ``rxprint extract``) when the document's embedded files
    are exactly that one; else (None, None), and any embedded file is a problem."""
    try:
        names = reader.trailer["/Root"].get_object().get("/Names")
        names = names.get_object() if names is not None else None
        tree = names["/EmbeddedFiles"].get_object() if names is not None else None
        pairs = tree["/Names"] if tree is not None and set(tree) == {"/Names"} else None
        if pairs is None or len(pairs) != 2 or str(pairs[0]) != PROGRAM_ATTACHMENT:
            return None, None
        stream = pairs[1].get_object()["/EF"]["/F"].get_object()
        return names, stream
    except (KeyError, TypeError, AttributeError):
        return None, None


def _pypdf_scan(data: bytes, problems: list[str], uris: list[str],
                metadata: list[tuple[str, str]]) -> list[str]:
    """Read every object with pypdf in strict mode: the problems it finds, the links and
    metadata texts for :func:`check_pdf`; each page's text."""
    from pypdf import PdfReader
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

    reader = PdfReader(io.BytesIO(data), strict=True)
    texts = [page.extract_text() or "" for page in reader.pages]
    program = _program_attachment(reader)  # the one attachment allowed: rxprint's own
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
                if (name == "/EmbeddedFiles" and obj is program[0]) or (
                        name == "/Type" and obj is program[1]):
                    pass  # the program rxprint attaches (rxprint extract), and only it
                elif name in ACTIVE_NAMES or (isinstance(value, NameObject)
                                              and value in ACTIVE_NAMES):
                    problems.append(f"active content: {name} {value}"[:200])
                if name == "/URI":
                    uris.append(str(value))
                stack.append(value)
            if obj.get("/Type") == "/Font" and "/FontDescriptor" in obj:
                fonts.append(obj)
            if obj.get("/Type") == "/Metadata" and hasattr(obj, "get_data"):
                metadata.append(("XMP metadata", obj.get_data().decode("utf-8", "replace")))
        elif isinstance(obj, ArrayObject):
            stack.extend(obj)
    for font in fonts:
        desc: Any = font["/FontDescriptor"].get_object()
        if not any(k in desc for k in FONT_FILES):
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
        metadata.append((f"metadata {name}", text))
    return texts


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
    """A handout's text, page by page (read once: a PDF :func:`check_pdf` has read in
    this process gives the text it found)."""
    from pypdf import PdfReader

    return Handout(pdf, _page_texts(pdf), output, PdfReader(io.BytesIO(pdf)))


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
