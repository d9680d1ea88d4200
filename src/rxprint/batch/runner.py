"""Running a batch's jobs in worker processes that may die, hang, or be interrupted.

The main process hands one job at a time to each worker over its own pipe and waits for
any worker's answer, any worker's end, or the next deadline, whichever comes first:

- **A worker dies** (``kill -9``, the out-of-memory killer, a plugin calling
  ``os._exit``, a crash in a C extension): its job fails ("the worker process stopped
  unexpectedly"), a new worker takes the rest.
- **A job takes longer than the timeout** (a plugin hook that never returns): the
  worker is stopped (SIGTERM, then SIGKILL after :data:`GRACE` seconds) and replaced;
  the job fails.
- **The disk fills up**: no new job starts; those running finish; the rest are counted
  as not started.
- **Ctrl-C, SIGTERM or SIGHUP** (an :class:`~rxprint.interrupt.Interrupted` in the main
  process): the workers are stopped, and :class:`BatchInterrupted` carries the outcomes
  of every job that ended.

A worker holds SIGTERM back from the moment it starts writing a handout until it has
sent its outcome (:func:`~rxprint.output.signals_held`), and the main process reads what
every stopped worker sent before it ended; so every handout on disk is counted. Should
a worker be killed outright (SIGKILL) in that window, its handout is found by comparing
the file with what was there before the job, and counted too. Temporary files of
workers that were killed are removed.

Workers are made from plain data (:class:`WorkerSpec`: the configuration, plugin options
and settings), never a pickled App, so plugins from a ``--plugins-dir`` work with every
start method. Each loads the plugins, library and fonts once, ignores Ctrl-C and SIGHUP
(the main process decides), writes nothing to standard output (which may carry the
report) and, without ``--debug``, nothing to standard error.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from typing import Any

from .. import interrupt
from ..app import App
from ..boundary import failure_message
from ..config import Config
from ..interrupt import Interrupted
from ..logs import LogRoute, route_logs
from ..output import remove_stale_temp_files, signals_held
from ..plugins import PluginOptions
from .jobs import Job, Outcome, Settings
from .make import commit, prepare

GRACE = 3.0  # seconds a stopped worker has to finish writing, before it is killed
_STOP_SIGNALS = tuple(getattr(signal, n) for n in ("SIGINT", "SIGTERM", "SIGHUP")
                      if hasattr(signal, n))


@dataclass(frozen=True)
class WorkerSpec:
    """What a worker process needs to make its own App: plain data (a pickled App would
    carry plugin modules that a spawned process cannot import)."""

    config: Config
    options: PluginOptions
    settings: Settings
    images: Any = None  # the main process's prepared images (rxprint.images.snapshot)


@dataclass(frozen=True)
class RunResult:
    """The outcomes in job order, and why the run stopped early (the disk is full)."""

    outcomes: list[Outcome]
    stopped: str | None = None


class BatchInterrupted(Interrupted):
    """Ctrl-C, SIGTERM or SIGHUP stopped the batch; ``outcomes`` are those of the jobs
    that ended (every handout written among them)."""

    def __init__(self, outcomes: list[Outcome], signum: int = signal.SIGINT) -> None:
        super().__init__(signum)
        self.outcomes = outcomes


def worker_count(requested: int | None) -> int:
    """-j: the CPUs this process may use, by default."""
    if requested is not None:
        return max(1, requested)
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def run(app: App, jobs: Sequence[Job], settings: Settings, *, workers: int = 1,
        start_method: str | None = None, images: Any = None,
        progress: Callable[[Outcome], None] | None = None) -> RunResult:
    """Make every job's handout in ``workers`` worker processes (``start_method``: fork,
    spawn or forkserver; None is the platform's default). Jobs that fail as they are
    need no worker. Raises :class:`BatchInterrupted` on Ctrl-C, SIGTERM or SIGHUP."""
    runner = _Runner(settings, progress)
    todo = []
    for job in jobs:
        if job.error is not None:
            runner.record(Outcome.of(job, "failed", job.error))
        else:
            todo.append(job)
    if todo:
        spec = WorkerSpec(app.config, app.options, settings, images)
        runner.work(todo, spec, min(workers, len(todo)),
                    multiprocessing.get_context(start_method))
    return RunResult([runner.outcomes[k] for k in sorted(runner.outcomes)], runner.stopped)


# --- the main process ---------------------------------------------------------------------

_FileState = tuple[int, int, int] | None


def _state(path: os.PathLike[str]) -> _FileState:
    """What is at ``path`` (following links), to tell later whether a job wrote it."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_ino, st.st_mtime_ns, st.st_size


@dataclass
class _Worker:
    process: BaseProcess
    conn: Connection
    job: Job | None = None
    sent: float = 0.0  # when the job was sent (time.monotonic)
    before: _FileState = None  # what was at the job's output before it was sent
    closed: bool = False  # told there is no more work


@dataclass
class _Runner:
    settings: Settings
    progress: Callable[[Outcome], None] | None
    outcomes: dict[int, Outcome] = field(default_factory=dict)
    stopped: str | None = None
    workers: list[_Worker] = field(default_factory=list)

    def record(self, outcome: Outcome) -> None:
        self.outcomes[outcome.number] = outcome
        if outcome.stop is not None and self.stopped is None:
            self.stopped = outcome.stop
        if self.progress is not None:
            self.progress(outcome)

    def work(self, jobs: Sequence[Job], spec: WorkerSpec, count: int,
             context: Any) -> None:
        pending = deque(jobs)
        try:
            while True:
                self._dispatch(pending, spec, count, context)
                busy = [w for w in self.workers if w.job is not None]
                if not busy:
                    break
                self._wait(busy)
            self._close_all()
        except Interrupted as exc:
            with _ignoring_stop_signals():
                self._stop_all()
            outcomes = [self.outcomes[k] for k in sorted(self.outcomes)]
            raise BatchInterrupted(outcomes, exc.signum) from exc
        except BaseException:
            with _ignoring_stop_signals():
                self._stop_all()
            raise

    def _dispatch(self, pending: deque[Job], spec: WorkerSpec, count: int,
                  context: Any) -> None:
        """Idle workers take the next jobs, new workers start for the rest (up to
        ``count``); with nothing left to do (or the batch stopping), idle workers end."""
        if self.stopped is None:
            for worker in self.workers:
                if worker.job is None and pending:
                    self._send(worker, pending.popleft())
            while len(self.workers) < count and pending:
                self._send(self._start(spec, context), pending.popleft())
        for worker in self.workers:
            if worker.job is None and not worker.closed and (not pending or self.stopped):
                self._close(worker)

    def _start(self, spec: WorkerSpec, context: Any) -> _Worker:
        ours, theirs = context.Pipe()
        process = context.Process(target=_worker_main, args=(theirs, spec), daemon=True,
                                  name="rxprint-batch-worker")
        process.start()
        theirs.close()
        worker = _Worker(process, ours)
        self.workers.append(worker)
        return worker

    def _send(self, worker: _Worker, job: Job) -> None:
        worker.job, worker.sent = job, time.monotonic()
        worker.before = _state(self.settings.out_dir / job.name)
        with contextlib.suppress(OSError):  # it died before taking the job: see _wait
            worker.conn.send(job)

    def _close(self, worker: _Worker) -> None:
        worker.closed = True
        with contextlib.suppress(OSError):
            worker.conn.send(None)

    def _wait(self, busy: list[_Worker]) -> None:
        """Wait for an answer, a worker's end or the first deadline, and act on each."""
        deadline = min(w.sent for w in busy) + self.settings.timeout
        waiting: list[Any] = [w.conn for w in busy] + [w.process.sentinel for w in busy]
        ready = set(wait(waiting, timeout=max(0.0, deadline - time.monotonic())))
        for worker in busy:
            if worker.conn in ready:
                self._receive(worker)
            elif worker.process.sentinel in ready:
                self._lost(worker, self._death(worker))
        now = time.monotonic()
        for worker in busy:
            if worker.job is not None and now >= worker.sent + self.settings.timeout:
                self._stop(worker)
                self._lost(worker, f"did not finish within {self.settings.timeout:g} s "
                                   "(--timeout); its worker process was stopped and "
                                   "replaced, and the others went on")

    def _receive(self, worker: _Worker) -> None:
        try:
            outcome = worker.conn.recv()
        except (EOFError, OSError):  # it ended without answering
            worker.process.join(GRACE)
            self._lost(worker, self._death(worker))
            return
        if isinstance(outcome, Outcome):
            worker.job = None
            self.record(outcome)

    @staticmethod
    def _death(worker: _Worker) -> str:
        worker.process.join(GRACE)
        code = worker.process.exitcode
        how = (f"killed by {signal.Signals(-code).name}" if code is not None and code < 0
               and -code in signal.valid_signals() else f"exit status {code}")
        return (f"the worker process stopped unexpectedly ({how}) while making this "
                "handout; the others went on. A plugin may have ended the process, or "
                "the system ran out of memory")

    def _lost(self, worker: _Worker, reason: str) -> None:
        """``worker`` is gone (or stopped) with its job unanswered: read what it sent
        before it ended; else the job fails, unless its handout is on disk (written
        whole, then the worker was killed before it could say so)."""
        self._drain(worker)
        job = worker.job
        if job is not None:
            worker.job = None
            self.record(self._unanswered(job, worker.before, reason))
        self._forget(worker)

    def _unanswered(self, job: Job, before: _FileState, reason: str) -> Outcome:
        after = _state(self.settings.out_dir / job.name)
        if after is not None and after != before:
            return Outcome.of(job, "done", warnings=(
                "its worker stopped before reporting it; the handout was written whole",))
        return Outcome.of(job, "failed", reason)

    def _drain(self, worker: _Worker) -> None:
        """Record every outcome ``worker`` sent before it ended."""
        with contextlib.suppress(EOFError, OSError):
            while worker.conn.poll(0):
                outcome = worker.conn.recv()
                if isinstance(outcome, Outcome) and worker.job is not None \
                        and outcome.number == worker.job.number:
                    worker.job = None
                    self.record(outcome)

    def _forget(self, worker: _Worker) -> None:
        if worker.process.is_alive():
            self._stop(worker)
        worker.conn.close()
        self.workers.remove(worker)
        remove_stale_temp_files(self.settings.out_dir)  # a killed worker's, if any

    @staticmethod
    def _stop(worker: _Worker) -> None:
        """SIGTERM (a worker writing a handout finishes it first), then SIGKILL."""
        process = worker.process
        if process.is_alive():
            process.terminate()
            process.join(GRACE)
        if process.is_alive():
            process.kill()
            process.join(GRACE)

    def _close_all(self) -> None:
        """No more work: every worker is told so and ends."""
        for worker in list(self.workers):
            if not worker.closed:
                self._close(worker)
        for worker in list(self.workers):
            worker.process.join(GRACE)
            self._forget(worker)

    def _stop_all(self) -> None:
        """Stop every worker at once, then count what they finished."""
        for worker in self.workers:
            if worker.process.is_alive():
                worker.process.terminate()
        deadline = time.monotonic() + GRACE
        for worker in self.workers:
            worker.process.join(max(0.0, deadline - time.monotonic()))
        for worker in list(self.workers):
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join(GRACE)
            self._drain(worker)
            job = worker.job
            if job is not None:  # interrupted: not failed, just not made (unless it was)
                worker.job = None
                outcome = self._unanswered(job, worker.before, "")
                if outcome.status == "done":
                    self.record(outcome)
            self._forget(worker)


@contextlib.contextmanager
def _ignoring_stop_signals() -> Iterator[None]:
    """While the workers are being stopped and counted, a second Ctrl-C waits."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {s: signal.signal(s, signal.SIG_IGN) for s in _STOP_SIGNALS}
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)


# --- a worker process ---------------------------------------------------------------------

def _settle(debug: bool) -> LogRoute:
    """A worker's signals and output: Ctrl-C and SIGHUP go to the whole process group, and
    the main process decides (it stops the workers with SIGTERM, whose default action
    ends a worker, held back while a handout is written); standard output may be the
    report, so it goes nowhere; standard error too, unless --debug."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for name, action in (("SIGHUP", signal.SIG_IGN), ("SIGTERM", signal.SIG_DFL),
                         ("SIGXFSZ", signal.SIG_IGN)):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), action)
    interrupt.reset()
    devnull = os.open(os.devnull, os.O_WRONLY)
    for fd in (1,) if debug else (1, 2):
        os.dup2(devnull, fd)
    os.close(devnull)
    return route_logs(debug)


def _watch_parent() -> None:
    """End this worker when the main process is gone (``kill -9``): otherwise it would wait
    for work forever. It sends itself SIGTERM, which a handout being written holds back
    until its file is complete or removed; so the watching thread blocks the held signals
    itself, or they would be delivered to it, unheld. A worker still there after
    :data:`GRACE` seconds (a plugin ignores SIGTERM) is killed."""
    parent = os.getppid()

    def watch() -> None:
        if hasattr(signal, "pthread_sigmask"):
            signal.pthread_sigmask(signal.SIG_BLOCK, set(_STOP_SIGNALS))
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
            from ..images import seed

            seed(spec.images)
        app = App(spec.config, spec.options)
        settings = spec.settings
        app.choose(branding=settings.branding, layout=settings.layout, paper=settings.paper)
    except BaseException as exc:  # a plugin's, whatever it is: no signal is real here
        return None, failure_message(exc)
    return app, None


def _worker_main(conn: Connection, spec: WorkerSpec) -> None:
    logs = _settle(spec.settings.debug)
    _watch_parent()
    app, error = _load(spec)
    settings = spec.settings
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            break
        if job is None:
            break
        logged = logs.count
        if app is None:
            outcome: Outcome = Outcome.of(job, "failed", error)
        else:
            prepared = prepare(app, job, settings)
            if not isinstance(prepared, Outcome):
                with signals_held():  # SIGTERM waits until the handout is reported
                    outcome = commit(prepared, settings)
                    if not _answer(conn, outcome, logs.count - logged):
                        break
                continue
            outcome = prepared
        if not _answer(conn, outcome, logs.count - logged):
            break
    conn.close()


def _answer(conn: Connection, outcome: Outcome, logged: int) -> bool:
    """Send ``outcome`` (with the log records its job gave); False when the main process
    is gone."""
    try:
        conn.send(replace(outcome, logged=logged) if logged else outcome)
    except OSError:
        return False
    return True
