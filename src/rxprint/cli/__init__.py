"""The ``rxprint`` command. ``main`` is the console-script entry point.

This module is deliberately light (``gc``, ``signal`` and ``sys`` only): it is what the console
script imports, so ``main`` is already running, with its Ctrl-C handling, when the heavy
imports (Click, ReportLab, Pillow, pluggy, the plugins) start inside it. The command group
itself, the one error boundary, is in :mod:`rxprint.cli.group`; ``from rxprint.cli import
cli`` still works.

Ctrl-C anywhere after that (imports, loading plugins, rendering, writing) ends with the one
line ``Interrupted.`` on stderr and exit status 130, never a traceback (SIGTERM and SIGHUP
alike: ``Stopped (SIGTERM).``, exit 143 and 129); the output module
removes its temporary file (or finishes the rename) first. What remains: a Ctrl-C during the
interpreter's own start-up or the console script's first lines (``import re, sys``), before
this module is reached, is Python's.
"""

from __future__ import annotations

import gc
import signal
import sys

from rxprint.runtime.interrupt import (  # light: signal only
    SIGNAL_NAMES,
    STOP_SIGNALS,
    Interrupted,
    install,
)

TYPE_CHECKING = False  # not `typing`: this import must stay cheap
if TYPE_CHECKING:
    from typing import Any

    from rxprint.cli.group import cli

__all__ = ["Interrupted", "cli", "main"]


def _setup_signals() -> None:
    # Ctrl-C, SIGTERM (kill, a service manager) and SIGHUP (the terminal closed) raise
    # Interrupted, so each ends like Ctrl-C: files finished or removed, a batch's summary
    # and report written. A signal ignored when we started (nohup, a background job)
    # stays ignored.
    install()
    # Over a file size limit (ulimit -f), a write must fail with EFBIG, reported as an
    # error, instead of the process being killed silently by SIGXFSZ.
    if hasattr(signal, "SIGXFSZ"):
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)


def _exit_interrupted(signum: int) -> None:
    for number in STOP_SIGNALS:  # a second signal while exiting
        signal.signal(number, signal.SIG_IGN)
    try:
        sys.stderr.write("Interrupted.\n" if signum == signal.SIGINT else
                         f"Stopped ({SIGNAL_NAMES.get(signum, f'signal {signum}')}).\n")
        sys.stderr.flush()
    except (OSError, ValueError):  # SIGHUP: the terminal may be gone
        pass
    sys.exit(128 + signum)


def _ignore_late_signals() -> None:
    """The command has ended: a signal now would only cut the interpreter's shutdown short
    (Python gives the signals their default action back for it)."""
    for number in STOP_SIGNALS:
        signal.signal(number, signal.SIG_IGN)


def main() -> None:
    """Console-script entry point."""
    try:
        _setup_signals()
        gc.disable()  # importing makes objects that stay, not garbage: no collection meanwhile
        try:
            from rxprint.cli import context
            from rxprint.cli.group import cli as group  # the heavy imports, inside the try
        finally:
            gc.enable()
        context.standalone = True  # one command in this process (see context.startup)
        group.main(prog_name="rxprint")
    except Interrupted as exc:
        _exit_interrupted(exc.signum)
    except KeyboardInterrupt:
        _exit_interrupted(signal.SIGINT)
    except SystemExit:  # Click's way of ending every command
        _ignore_late_signals()
        raise
    except BaseException as exc:
        signum = _wrapped_interrupt(exc)
        if signum is None:
            raise
        _exit_interrupted(signum)


def _wrapped_interrupt(exc: BaseException) -> int | None:
    """The signal of an interrupt that Python wrapped in another exception while a module
    was imported (3.11 wraps an exception from ``__set_name__``, a ``cached_property``'s
    for one, in a RuntimeError), or None."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, Interrupted):
            return current.signum
        if isinstance(current, KeyboardInterrupt):
            return int(signal.SIGINT)
        current = current.__cause__ or current.__context__
    return None


def __getattr__(name: str) -> Any:
    if name == "cli":
        from rxprint.cli.group import cli as group

        return group
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


if __name__ == "__main__":  # pragma: no cover
    main()
