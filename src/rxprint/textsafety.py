"""Turning untrusted text into safe ReportLab Paragraph markup.

Everything that reaches ReportLab (patient names, notes, library and plugin text) is data,
never markup: it is normalised, stripped of control characters, escaped, and only then
wrapped in the few tags rxprint itself writes (line breaks and font switches for glyph
fallback).
"""

from __future__ import annotations

import re
import unicodedata

# Bidirectional overrides and isolates can make printed text read differently from what was
# typed; zero-width and other format characters are invisible. They are all dropped.
_BIDI_AND_FORMAT = {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))}


def clean_text(text: str) -> str:
    """NFC-normalise, unify line breaks, turn tabs into spaces and drop control characters.

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
        if cat in ("Cc", "Cs", "Co", "Cn") or ch in _BIDI_AND_FORMAT:
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
