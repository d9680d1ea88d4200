"""A batch's worker process: it loads the plugins, library and fonts once, says it is
ready, then makes each job the main process sends and answers with its outcome, until
it is told there is no more work (or its parent is gone).

Workers are made from plain data (:class:`WorkerSpec`: the configuration, plugin options
and settings), never a pickled App, so plugins from a ``--plugins-dir`` work with every
start method. A worker ignores Ctrl-C and SIGHUP (they reach the whole process group;
the main process decides) and ends on SIGTERM, which it holds back from the moment it
writes a handout until it has reported it; it puts that handling back whenever plugin
code may have changed it. It writes nothing to standard output (which may carry the
report) and, without ``--debug``, nothing to standard error; log records are counted
and the count sent with each outcome.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
import time
from dataclasses import dataclass, replace
from multiprocessing.connection import Connection
from typing import Any

from rxprint.app import App
from rxprint.batch.jobs import Outcome, Settings
from rxprint.batch.make import commit, prepare
from rxprint.config import Config
from rxprint.files.output import signals_held
from rxprint.plugins.manager import PluginOptions
from rxprint.runtime import interrupt
from rxprint.runtime.failures import failure_message
from rxprint.runtime.interrupt import STOP_SIGNALS
from rxprint.runtime.logs import LogRoute, route_logs

READY = "ready"  # what a worker says when it has loaded and waits for its first job
GRACE = 3.0  # seconds a worker left without its parent has to end after SIGTERM


@dataclass(frozen=True)
class WorkerSpec:
    """What a worker process needs to make its own App: plain data (a pickled App would
    carry plugin modules that a spawned process cannot import). ``close_fds``: file
    descriptors a forked worker must not keep (the output folder's lock)."""

    config: Config
    options: PluginOptions
    settings: Settings
    images: Any = None  # the main process's prepared images (rxprint.files.images.snapshot)
    close_fds: tuple[int, ...] = ()


def main(conn: Connection, spec: WorkerSpec) -> None:
    """The worker process's whole life."""
    logs = _settle(spec)
    _watch_parent()
    app, error = _load(spec)
    _own_signals()  # the plugins' imports may have changed them
    if _answer(conn, READY):
        _serve(conn, app, error, spec.settings, logs)
    conn.close()
    os._exit(0)  # not waiting for threads a plugin left running


def _own_signals() -> None:
    """Ctrl-C and SIGHUP ignored, SIGTERM's default action (the process ends), as set at
    the start and again after plugin code ran: a plugin's handler (a "graceful" SIGTERM
    handler calling sys.exit, Python's KeyboardInterrupt) would turn a stop into a failed
    row."""
    for name, action in (("SIGINT", signal.SIG_IGN), ("SIGHUP", signal.SIG_IGN),
                         ("SIGTERM", signal.SIG_DFL), ("SIGXFSZ", signal.SIG_IGN)):
        number = getattr(signal, name, None)
        if number is not None and signal.getsignal(number) != action:
            signal.signal(number, action)


def _settle(spec: WorkerSpec) -> LogRoute:
    """A worker's signals, files and output. The worker started with Ctrl-C and SIGHUP
    ignored and perhaps all three blocked (see the runner's ``_quiet_start``): they are
    unblocked once set. A forked worker closes the output folder's lock (its parent
    holds it)."""
    interrupt.reset()  # a forked copy of the main process's memory
    _own_signals()
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)
    for fd in spec.close_fds:
        with contextlib.suppress(OSError):
            os.close(fd)
    devnull = os.open(os.devnull, os.O_WRONLY)
    for fd in (1,) if spec.settings.debug else (1, 2):
        os.dup2(devnull, fd)
    os.close(devnull)
    return route_logs(spec.settings.debug)


def _watch_parent() -> None:
    """End this worker when the main process is gone (``kill -9``): otherwise it would wait
    for work forever. It sends itself SIGTERM, which a handout being written holds back
    until its file is complete or removed; so the watching thread blocks the held signals
    itself, or they would be delivered to it, unheld. A worker still there after
    :data:`GRACE` seconds (a plugin ignores SIGTERM) is killed."""
    parent = os.getppid()

    def watch() -> None:
        if hasattr(signal, "pthread_sigmask"):
            signal.pthread_sigmask(signal.SIG_BLOCK, set(STOP_SIGNALS))
        while os.getppid() == parent:
            time.sleep(0.5)
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(GRACE)
        os.kill(os.getpid(), signal.SIGKILL)

    threading.Thread(target=watch, name="rxprint-parent-watch", daemon=True).start()


def _load(spec: WorkerSpec) -> tuple[App | None, str | None]:
    """The worker's App, ready to render; or the error every job of this worker reports."""
    try:
        if spec.images is not None:
            from rxprint.files.images import seed

            seed(spec.images)
        app = App(spec.config, spec.options)
        settings = spec.settings
        app.choose(branding=settings.branding, layout=settings.layout, paper=settings.paper)
    except BaseException as exc:  # a plugin's, whatever it is: no signal is real here
        return None, failure_message(exc)
    return app, None


def _serve(conn: Connection, app: App | None, error: str | None, settings: Settings,
           logs: LogRoute) -> None:
    """Make each job the main process sends, until it says there are no more."""
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        logged = logs.count
        if app is None:
            outcome: Outcome = Outcome.of(job, "failed", error)
        else:
            prepared = prepare(app, job, settings)
            _own_signals()  # the hooks may have changed them
            if not isinstance(prepared, Outcome):
                with signals_held():  # SIGTERM waits until the handout is reported
                    outcome = commit(prepared, settings)
                    if not _answer(conn, _logged(outcome, logs.count - logged)):
                        return
                continue
            outcome = prepared
        if not _answer(conn, _logged(outcome, logs.count - logged)):
            return


def _logged(outcome: Outcome, count: int) -> Outcome:
    return replace(outcome, logged=count) if count else outcome


def _answer(conn: Connection, message: object) -> bool:
    """Send ``message``; False when the main process is gone."""
    try:
        conn.send(message)
    except OSError:
        return False
    return True
