"""Turning untrusted text into safe ReportLab Paragraph markup.

Everything that reaches ReportLab (patient names, notes, library and plugin text) is data,
never markup: it is normalised, stripped of control characters, escaped, and only then
wrapped in the few tags rxprint itself writes (line breaks and font switches for glyph
fallback).
"""

from __future__ import annotations

import re
import unicodedata

# Invisible characters are dropped: every format character (Unicode category Cf: bidi
# marks, overrides and isolates, which can make printed text read differently from what
# was typed; zero-width spaces and joiners; the byte-order mark; soft hyphens; tags) and
# the other default-ignorable code points (variation selectors, fillers). ReportLab would
# print them as nothing, as a stray glyph, or as "?".
_INVISIBLE = frozenset(chr(c) for c in (
    0x034F,  # combining grapheme joiner
    0x115F, 0x1160, 0x3164, 0xFFA0,  # Hangul fillers
    0x2800,  # Braille pattern blank: prints as nothing, passes for a letter in a name
    0x17B4, 0x17B5,  # Khmer inherent vowels
    *range(0x180B, 0x1810),  # Mongolian variation selectors and vowel separator
    *range(0xFE00, 0xFE10),  # variation selectors
    *range(0xE0000, 0xE1000),  # tags and variation selectors supplement
))


def clean_text(text: str) -> str:
    """NFC-normalise, unify line breaks, turn tabs into spaces and drop control, format
    (zero-width, bidi) and other invisible characters.

    Line breaks are kept (as ``\\n``); nothing else invisible survives.
    """
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    out = []
    for ch in text:
        if ch == "\n":
            out.append(ch)
            continue
        cat = unicodedata.category(ch)
        if cat in ("Cc", "Cs", "Co", "Cn", "Cf") or ch in _INVISIBLE:
            continue
        if cat == "Zl" or cat == "Zp":
            out.append("\n")
            continue
        out.append(ch)
    return "".join(out)


def escape(text: str) -> str:
    """Escape the three characters that Paragraph markup gives meaning to."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


_SPACES = re.compile(r"[ \u00a0]{2,}")


def one_line(text: str) -> str:
    """Clean text for a single-line place (a header): line breaks become spaces."""
    return _SPACES.sub(" ", clean_text(text).replace("\n", " ")).strip()
