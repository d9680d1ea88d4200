"""Python's logging, routed through rxprint's boundary.

A plugin may log (``logging.getLogger(__name__).warning("patient %s", name)``); with no
handler set up, Python's last-resort handler would print the record, patient details and
all, on standard error. :func:`route_logs` gives the root logger rxprint's handler: it
counts the records and shows none of them (the CLI then prints one neutral line saying how
many there were), or with ``--debug`` shows them. The CLI group calls it for every
command; ``rxprint batch`` calls it in each worker process too.
"""

from __future__ import annotations

import contextlib
import logging
import sys

from rxprint.runtime.failures import printable

_FORMAT = "%(levelname)s %(name)s: %(message)s"


class _Counted(logging.Handler):
    """Counts the records it is given; shows none of them."""

    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


class _Shown(_Counted):
    """Shows each record on standard error (the one in use when it is emitted, so that
    a test's captured stream gets it), with its level and logger."""

    def __init__(self) -> None:
        super().__init__()
        self.setFormatter(logging.Formatter(_FORMAT))

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1
        try:
            sys.stderr.write(printable(self.format(record)) + "\n")
        except Exception:  # a plugin's bad format arguments: logging's own report
            self.handleError(record)


def not_shown(count: int) -> str | None:
    """The line that says ``count`` log records were not shown, or None for none."""
    if count == 0:
        return None
    return (f"Warning: {count} log message{'s' if count != 1 else ''} from a plugin or a "
            "library not shown (they may hold patient details); --debug shows them")


class LogRoute:
    """The handler :func:`route_logs` installed: how many records it was given, and the
    line that says so."""

    def __init__(self, handler: _Counted, debug: bool) -> None:
        self.handler = handler
        self.debug = debug

    @property
    def count(self) -> int:
        """The log records given so far (shown or not)."""
        return self.handler.count

    def summary(self) -> str | None:
        """One neutral line about the records that were not shown, or None (none, or
        --debug showed them): never their text, which may hold patient details."""
        return None if self.debug else not_shown(self.count)

    def close(self) -> None:
        """Take the handler off the root logger again."""
        logging.getLogger().removeHandler(self.handler)


def route_logs(debug: bool) -> LogRoute:
    """Route every log record (a plugin's, a library's) through rxprint: counted and not
    shown, or with ``debug`` shown on standard error. Replaces a route set up before in
    this process (one per command; a worker's lasts as long as the worker)."""
    root = logging.getLogger()
    for old in list(root.handlers):
        if isinstance(old, _Counted):
            root.removeHandler(old)
    handler: _Counted = _Shown() if debug else _Counted()
    root.addHandler(handler)
    return LogRoute(handler, debug)


def report(route: LogRoute) -> None:
    """Print :meth:`LogRoute.summary` on standard error, if there is one. The route stays:
    a record logged later (at exit) is counted, not shown."""
    line = route.summary()
    if line is not None:
        with contextlib.suppress(OSError, ValueError):
            sys.stderr.write(line + "\n")
