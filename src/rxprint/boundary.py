"""The one error boundary's wording, shared by ``rxprint build`` (through the CLI group)
and each item of ``rxprint batch``: an error becomes one message that never quotes patient
data. Nothing here prints or exits."""

from __future__ import annotations

from . import __version__
from .errors import RxprintError, ValidationError


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
