"""Fonts: registered with ReportLab once per process, and per-character fallback.

The default handout family is Atkinson Hyperlegible (made for low-vision readers). A
branding may name another family registered by a ``register_fonts`` hook. Either way,
text is split into runs and each character the family lacks is set in Noto Sans. A
character no font has is printed as "?" and counted, so the caller can warn without
quoting patient text.
"""

from __future__ import annotations

import functools
import hashlib
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import fontpkg_atkinson_hyperlegible as atkinson
import fontpkg_noto_sans as noto

from rxprint.errors import RxprintError
from rxprint.files.textsafety import clean_text, escape
from rxprint.library.fonts import MAX_FONT_BYTES, FontFamily, check_font_files, too_large

MISSING = "?"
_ATKINSON_DIR = Path(atkinson.ROOT) / "files"
_NOTO_DIR = Path(noto.ROOT) / "files"


# Noto Sans ships as a variable font; ReportLab uses its default (regular) instance.
DEFAULT_FAMILY = FontFamily(
    "rxsans",
    _ATKINSON_DIR / "AtkinsonHyperlegible-Regular.ttf",
    bold=_ATKINSON_DIR / "AtkinsonHyperlegible-Bold.ttf",
    italic=_ATKINSON_DIR / "AtkinsonHyperlegible-Italic.ttf",
    bold_italic=_ATKINSON_DIR / "AtkinsonHyperlegible-BoldItalic.ttf",
)
FALLBACK_FAMILY = FontFamily("rxfallback", _NOTO_DIR / "NotoSans[wdth,wght].ttf",
                             italic=_NOTO_DIR / "NotoSans-Italic[wdth,wght].ttf")


@dataclass(frozen=True)
class RegisteredFamily:
    """A family registered with ReportLab: its four font names and what it covers."""

    normal: str
    bold: str
    italic: str
    bold_italic: str
    coverage: frozenset[int]


def check_family(family: FontFamily, owner: str, *, load: bool = False) -> None:
    """Fail early, naming ``owner``, if a font file is missing, larger than
    :data:`MAX_FONT_BYTES` or not TrueType (:func:`rxprint.library.fonts.check_font_files`);
    with ``load`` the family is also loaded and registered with ReportLab, as it is
    before a handout that uses it."""
    check_font_files(family, owner)
    if not load:
        return
    try:
        register(family)
    except Exception as exc:
        raise RxprintError(f"plugin {owner}: font family {family.name}: not a usable "
                           f"TrueType font ({type(exc).__name__}: {exc})") from None


def _internal_name(family: FontFamily) -> str:
    """The name a family is registered under with ReportLab. ReportLab's font names are
    process-wide, so a plugin's family gets a name of its own derived from its files'
    bytes: two brandings naming the same family with different files never overwrite each
    other, and the same files always give the same name (and the same PDF bytes)."""
    if family in (DEFAULT_FAMILY, FALLBACK_FAMILY):
        return family.name
    digest = hashlib.sha256()
    for path in family.files().values():
        for block in _blocks(path, family.name):
            digest.update(block)
    return f"{family.name}-{digest.hexdigest()[:10]}"


def _blocks(path: Path, family: str) -> Iterator[bytes]:
    """The file's bytes, a block at a time; a file over the limit is an error before
    anything is read (for a family :func:`check_family` has not seen)."""
    with path.open("rb") as f:
        size = os.fstat(f.fileno()).st_size
        if size > MAX_FONT_BYTES:
            raise RxprintError(f"font family {family}: {too_large(path, size)}")
        while block := f.read(1 << 20):
            yield block


@functools.cache
def register(family: FontFamily) -> RegisteredFamily:
    """Register a family with ReportLab (once per process) and return its names."""
    from rxprint.render.rlsetup import pdfmetrics, ttfonts

    base = _internal_name(family)
    names = FontFamily(base, family.regular, family.bold, family.italic,
                       family.bold_italic).files()
    coverage: frozenset[int] = frozenset()
    for name, path in names.items():
        font = ttfonts.TTFont(name, str(path))
        pdfmetrics.registerFont(font)
        if name == base:
            coverage = frozenset(font.face.charToGlyph)
    normal, bold, italic, bold_italic = names
    pdfmetrics.registerFontFamily(normal, normal=normal, bold=bold, italic=italic,
                                  boldItalic=bold_italic)
    return RegisteredFamily(normal, bold, italic, bold_italic, coverage)


def default_family() -> RegisteredFamily:
    return register(DEFAULT_FAMILY)


def fallback_family() -> RegisteredFamily:
    return register(FALLBACK_FAMILY)


@dataclass
class GlyphReport:
    """Characters no handout font has, counted (never quoted: they may be patient data)."""

    missing: int = 0
    fallback: int = 0
    seen: set[int] = field(default_factory=set)


def markup(text: str, report: GlyphReport | None = None,
           family: RegisteredFamily | None = None) -> str:
    """Untrusted text as safe Paragraph markup: cleaned, escaped, line breaks as <br/>,
    characters the family lacks wrapped in the fallback font (counted in ``report``)."""
    out, missing, fallback, seen = _markup(text, family or default_family())
    if report is not None:
        report.missing += missing
        report.fallback += fallback
        report.seen.update(seen)
    return out


@functools.lru_cache(maxsize=8192)
def _markup(text: str, family: RegisteredFamily) -> tuple[str, int, int, frozenset[int]]:
    """:func:`markup` and its counts, once per process for each text (the library's text
    is marked up again for every handout of a batch)."""
    primary = family.coverage
    fallback: RegisteredFamily | None = None  # loaded for the first character it needs
    out: list[str] = []
    run: list[str] = []
    run_fallback = False
    missing = fallen_back = 0
    seen: set[int] = set()

    def flush() -> None:
        if run:
            chunk = escape("".join(run))
            out.append(f'<font face="{fallback.normal}">{chunk}</font>'
                       if run_fallback and fallback is not None else chunk)
            run.clear()

    for ch in clean_text(text):
        if ch == "\n":
            flush()
            out.append("<br/>")
            continue
        code = ord(ch)
        if code in primary or ch == " ":
            use_fallback = False
        elif (fallback := fallback or fallback_family()) and code in fallback.coverage:
            use_fallback = True
            fallen_back += 1
        else:
            missing += 1
            seen.add(code)
            ch, use_fallback = MISSING, False
        if use_fallback != run_fallback:
            flush()
            run_fallback = use_fallback
        run.append(ch)
    flush()
    return "".join(out), missing, fallen_back, frozenset(seen)
