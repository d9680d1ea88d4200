"""Fonts: registered with ReportLab once per process, and per-character fallback.

The handout font is Atkinson Hyperlegible (made for low-vision readers). It lacks some
scripts (Greek, Cyrillic, Vietnamese letters such as "ễ"), so text is split into runs and
each character Atkinson lacks is set in Noto Sans. A character neither font has is
printed as "?" and counted, so the caller can warn without quoting patient text.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path

import fontpkg_atkinson_hyperlegible as atkinson
import fontpkg_noto_sans as noto

from .render_setup import pdfmetrics, ttfonts
from .textsafety import clean_text, escape

BODY = "RxSans"
BOLD = "RxSans-Bold"
ITALIC = "RxSans-Italic"
BOLD_ITALIC = "RxSans-BoldItalic"
FALLBACK = "RxFallback"
FALLBACK_ITALIC = "RxFallback-Italic"
MISSING = "?"

_ATKINSON = {
    BODY: "AtkinsonHyperlegible-Regular.ttf",
    BOLD: "AtkinsonHyperlegible-Bold.ttf",
    ITALIC: "AtkinsonHyperlegible-Italic.ttf",
    BOLD_ITALIC: "AtkinsonHyperlegible-BoldItalic.ttf",
}
# Noto Sans ships as a variable font; ReportLab uses its default (regular) instance.
_NOTO = {FALLBACK: "NotoSans[wdth,wght].ttf", FALLBACK_ITALIC: "NotoSans-Italic[wdth,wght].ttf"}


@dataclass(frozen=True)
class FontSet:
    """The registered fonts and which characters each covers."""

    primary: frozenset[int]
    fallback: frozenset[int]


@functools.cache
def fonts() -> FontSet:
    """Register the handout fonts (once per process) and return their coverage."""
    primary: frozenset[int] = frozenset()
    fallback: frozenset[int] = frozenset()
    for name, file in _ATKINSON.items():
        font = ttfonts.TTFont(name, str(Path(atkinson.ROOT) / "files" / file))
        pdfmetrics.registerFont(font)
        if name == BODY:
            primary = frozenset(font.face.charToGlyph)
    for name, file in _NOTO.items():
        font = ttfonts.TTFont(name, str(Path(noto.ROOT) / "files" / file))
        pdfmetrics.registerFont(font)
        if name == FALLBACK:
            fallback = frozenset(font.face.charToGlyph)
    pdfmetrics.registerFontFamily(BODY, normal=BODY, bold=BOLD, italic=ITALIC,
                                  boldItalic=BOLD_ITALIC)
    pdfmetrics.registerFontFamily(FALLBACK, normal=FALLBACK, bold=FALLBACK,
                                  italic=FALLBACK_ITALIC, boldItalic=FALLBACK_ITALIC)
    return FontSet(primary=primary, fallback=fallback)


@dataclass
class GlyphReport:
    """Characters that no handout font has, counted (never quoted: they may be patient
    data)."""

    missing: int = 0
    fallback: int = 0
    seen: set[int] = field(default_factory=set)


def markup(text: str, report: GlyphReport | None = None) -> str:
    """Untrusted text as safe Paragraph markup: cleaned, escaped, line breaks as <br/>,
    characters the main font lacks wrapped in the fallback font."""
    cover = fonts()
    out: list[str] = []
    run: list[str] = []
    run_fallback = False

    def flush() -> None:
        if run:
            chunk = escape("".join(run))
            out.append(f'<font face="{FALLBACK}">{chunk}</font>' if run_fallback else chunk)
            run.clear()

    for ch in clean_text(text):
        if ch == "\n":
            flush()
            out.append("<br/>")
            continue
        code = ord(ch)
        if code in cover.primary or ch == " ":
            use_fallback = False
        elif code in cover.fallback:
            use_fallback = True
            if report is not None:
                report.fallback += 1
        else:
            if report is not None:
                report.missing += 1
                report.seen.add(code)
            ch, use_fallback = MISSING, False
        if use_fallback != run_fallback:
            flush()
            run_fallback = use_fallback
        run.append(ch)
    flush()
    return "".join(out)
