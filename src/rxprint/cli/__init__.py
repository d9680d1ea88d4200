"""The ``rxprint`` command. ``main`` is the console-script entry point.

This module is deliberately light (``signal`` and ``sys`` only): it is what the console
script imports, so ``main`` is already running, with its Ctrl-C handling, when the heavy
imports (Click, ReportLab, Pillow, pluggy, the plugins) start inside it. The command group
itself, the one error boundary, is in :mod:`rxprint.cli.group`; ``from rxprint.cli import
cli`` still works.

Ctrl-C anywhere after that (imports, loading plugins, rendering, writing) ends with the one
line ``Interrupted.`` on stderr and exit status 130, never a traceback; the output module
removes its temporary file (or finishes the rename) first. What remains: a Ctrl-C during the
interpreter's own start-up or the console script's first lines (``import re, sys``), before
this module is reached, is Python's.
"""

from __future__ import annotations

import signal
import sys

from ..interrupt import Interrupted  # a module with no imports

TYPE_CHECKING = False  # not `typing`: this import must stay cheap
if TYPE_CHECKING:
    from types import FrameType
    from typing import Any

    from .group import cli

__all__ = ["Interrupted", "cli", "main"]

EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report it


def _on_sigint(signum: int, frame: FrameType | None) -> None:
    raise Interrupted


def _setup_signals() -> None:
    # Ctrl-C raises Interrupted, unless SIGINT was ignored when we started (nohup, a
    # background job): that is kept.
    if signal.getsignal(signal.SIGINT) is signal.default_int_handler:
        signal.signal(signal.SIGINT, _on_sigint)
    # Over a file size limit (ulimit -f), a write must fail with EFBIG, reported as an
    # error, instead of the process being killed silently by SIGXFSZ.
    if hasattr(signal, "SIGXFSZ"):
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)


def _exit_interrupted() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C while exiting
    try:
        sys.stderr.write("Interrupted.\n")
        sys.stderr.flush()
    except (OSError, ValueError):
        pass
    sys.exit(EXIT_INTERRUPTED)


def main() -> None:
    """Console-script entry point."""
    try:
        _setup_signals()
        from .group import cli as group  # the heavy imports, inside the try

        group.main(prog_name="rxprint")
    except (KeyboardInterrupt, Interrupted):
        _exit_interrupted()


def __getattr__(name: str) -> Any:
    if name == "cli":
        from .group import cli as group

        return group
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


if __name__ == "__main__":  # pragma: no cover
    main()
