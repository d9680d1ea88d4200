"""Ctrl-C (and SIGTERM, SIGHUP) as rxprint raises them. Its own module with no imports,
so that the console script's entry point can use it before anything heavy is imported.

A *real* interrupt is one that :func:`on_signal` raised: the process was sent a signal.
Anything else that looks like one (a plugin raising ``Interrupted`` or
``KeyboardInterrupt`` itself) is an error of whoever raised it, and the plugin guards
contain it like any other exception (:func:`is_real`).
"""

SIGNAL_NAMES = {1: "SIGHUP", 2: "SIGINT", 15: "SIGTERM"}

_received: list[int] = []  # the signals on_signal has raised, in this process


class Interrupted(BaseException):
    """Ctrl-C (SIGINT), SIGTERM or SIGHUP: ``signum`` says which. A BaseException that is
    not KeyboardInterrupt, so that neither the error boundary's ``except Exception`` nor
    Click's own Ctrl-C handling ("Aborted!", exit 1) takes it on the way out to
    :func:`rxprint.cli.main`."""

    def __init__(self, signum: int = 2) -> None:
        super().__init__(signum)
        self.signum = signum

    @property
    def exit_status(self) -> int:
        """128 + the signal's number, as shells report a process stopped by it."""
        return 128 + self.signum


def on_signal(signum: int, frame: object) -> None:
    """The handler rxprint installs for SIGINT, SIGTERM and SIGHUP in the main process."""
    _received.append(signum)
    raise Interrupted(signum)


def received() -> int | None:
    """The first signal :func:`on_signal` raised in this process, if any."""
    return _received[0] if _received else None


def reset() -> None:
    """Forget the signals received (a forked worker starts with a copy of its parent's
    memory, not its signals)."""
    _received.clear()


def is_real(exc: BaseException) -> bool:
    """Whether ``exc`` is a real interrupt of this process (a signal rxprint's handler
    turned into an exception), not something a plugin raised to look like one."""
    return isinstance(exc, Interrupted | KeyboardInterrupt) and bool(_received)
