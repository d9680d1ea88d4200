"""The one error boundary's wording, shared by ``rxprint build`` (through the CLI group)
and each item of ``rxprint batch``: an error becomes one message that never quotes patient
data, and shows no character that a terminal would act on. Nothing here prints or exits."""

from __future__ import annotations

import unicodedata

from rxprint import __version__
from rxprint.errors import RxprintError, ValidationError

# What a terminal acts on or hides: control characters (C0 but the line break, DEL, C1),
# format characters (bidi overrides and isolates, zero-width characters), line and
# paragraph separators, lone surrogates (undecodable bytes of a file name) and code points
# not yet assigned (tomorrow's format characters).
_HIDDEN = frozenset({"Cc", "Cf", "Cs", "Cn", "Zl", "Zp"})
_SHORT = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def _escaped(ch: str) -> str:
    code = ord(ch)
    if ch in _SHORT:
        return _SHORT[ch]
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def printable(text: str, *, keep: str = "\n") -> str:
    """``text`` as it may reach a terminal: every control, format (bidi, zero-width) and
    other invisible character written as an escape (``\\x1b``, ``\\u202e``, ``\\r``) so
    that it shows instead of acting. The characters in ``keep`` (the line breaks of a
    multi-line message) stay; ``keep=""`` escapes them too (a file name within a line)."""
    if text.isprintable():  # the usual case, quickly
        return text
    return "".join(_escaped(ch) if ch not in keep and unicodedata.category(ch) in _HIDDEN
                   else ch for ch in text)


def unexpected_message(exc: BaseException) -> str:
    """An unexpected error: its type only (its message may carry input text)."""
    return (f"unexpected internal error ({type(exc).__name__}). This is a bug in rxprint "
            f"{__version__}; run again with --debug to see the traceback and report it "
            "(remove patient details first).")


def failure_message(exc: BaseException) -> str:
    """One line for an item that failed: an rxprint error's own message (every problem of
    a validation error, joined), anything else as :func:`unexpected_message`."""
    if isinstance(exc, ValidationError):
        return "; ".join(str(p) for p in exc.problems)
    if isinstance(exc, RxprintError):
        return " ".join(str(exc).split())
    return unexpected_message(exc)
