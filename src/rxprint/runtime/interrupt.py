"""Ctrl-C (and SIGTERM, SIGHUP) as rxprint handles them. A light module (``signal`` only),
so that the console script's entry point can use it before anything heavy is imported.

:func:`install` makes the three signals raise :class:`Interrupted` in the main process.
A *real* interrupt is one that :func:`on_signal` raised: the process was sent a signal.
Anything else that looks like one (a plugin raising ``Interrupted`` or
``KeyboardInterrupt`` itself) is an error of whoever raised it, and the plugin guards
contain it like any other exception (:func:`is_real`).

Some library code swallows every exception (a bare ``except:``), an Interrupted too:
:func:`check` raises it again before anything is written.

Inside :class:`deferred` (a batch's run, from its first handout to its report) the
handler only records the signal; the code there asks :meth:`deferred.pending` at points
where stopping is safe, and nothing is cut off half way (a message half read, a report
half written).
"""

from __future__ import annotations

import signal
import threading

SIGNAL_NAMES = {1: "SIGHUP", 2: "SIGINT", 15: "SIGTERM"}
STOP_SIGNALS = tuple(getattr(signal, n) for n in ("SIGINT", "SIGTERM", "SIGHUP")
                     if hasattr(signal, n))
"""The signals that stop rxprint as Ctrl-C does (those this platform has)."""

_received: list[int] = []  # every signal on_signal handled, in this process
_installed: set[int] = set()  # the signals install() gave on_signal
_deferring: list[deferred] = []


class Interrupted(BaseException):
    """Ctrl-C (SIGINT), SIGTERM or SIGHUP: ``signum`` says which. A BaseException that is
    not KeyboardInterrupt, so that neither the error boundary's ``except Exception`` nor
    Click's own Ctrl-C handling ("Aborted!", exit 1) takes it on the way out to
    :func:`rxprint.cli.main`."""

    def __init__(self, signum: int = 2) -> None:
        super().__init__(signum)
        self.signum = signum


def on_signal(signum: int, frame: object) -> None:
    """The handler rxprint installs for SIGINT, SIGTERM and SIGHUP in the main process:
    raises :class:`Interrupted`, or inside :class:`deferred` records the signal."""
    _received.append(signum)
    if _deferring:
        _deferring[-1].record(signum)
        return
    raise Interrupted(signum)


def install() -> None:
    """Give SIGINT, SIGTERM and SIGHUP :func:`on_signal`, unless one was ignored when
    rxprint started (``nohup``, a background job): that is kept. The command line does
    this once, first thing; rxprint used as a library leaves signals to its caller.
    Main thread only; it does nothing elsewhere."""
    if threading.current_thread() is not threading.main_thread():
        return
    for number in STOP_SIGNALS:
        if signal.getsignal(number) in (signal.default_int_handler, signal.SIG_DFL):
            signal.signal(number, on_signal)
            _installed.add(number)


def reinstall() -> None:
    """Put back the handlers :func:`install` gave, where something replaced them (a
    plugin's import or hook): rxprint's handling of Ctrl-C is not a plugin's to change.
    Does nothing where :func:`install` was not called."""
    if not _installed or threading.current_thread() is not threading.main_thread():
        return
    for number in _installed:
        if signal.getsignal(number) is not on_signal:
            signal.signal(number, on_signal)


class deferred:
    """A ``with`` block in which rxprint's signal handler records SIGINT, SIGTERM and
    SIGHUP instead of raising: :attr:`signum` is the first one received in the block.
    Entering it puts rxprint's handlers back (:func:`reinstall`)."""

    def __init__(self) -> None:
        self.signum: int | None = None

    def record(self, signum: int) -> None:
        if self.signum is None:
            self.signum = signum

    def pending(self) -> int | None:
        """The first signal received in the block, if any."""
        return self.signum

    def __enter__(self) -> deferred:
        reinstall()
        _deferring.append(self)
        return self

    def __exit__(self, *exc: object) -> None:
        _deferring.remove(self)


def check() -> None:
    """Raise :class:`Interrupted` if a signal was handled in this process and nothing
    stopped for it: some library code catches every exception (ReportLab has bare
    ``except:`` clauses in its text layout), so the one :func:`on_signal` raised may have
    been swallowed. Called before anything is written. Inside :class:`deferred` it does
    nothing (the code there asks for the signal itself)."""
    if _received and not _deferring:
        raise Interrupted(_received[0])


def reset() -> None:
    """Forget the signals received and the handlers installed (a forked worker starts
    with a copy of its parent's memory, not its signals or its handling of them)."""
    _received.clear()
    _installed.clear()
    _deferring.clear()


def is_real(exc: BaseException) -> bool:
    """Whether ``exc`` is a real interrupt of this process (a signal rxprint's handler
    turned into an exception), not something a plugin raised to look like one."""
    return isinstance(exc, Interrupted | KeyboardInterrupt) and bool(_received)
