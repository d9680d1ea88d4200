"""Running a batch's jobs in worker processes that may die, hang, or be interrupted.

The main process gives each worker one job at a time over its own pipe, and wakes at
least every :data:`POLL` seconds to act on what happened:

- **A worker dies** (``kill -9``, the out-of-memory killer, a plugin calling
  ``os._exit``, a crash in a C extension): its job is tried once more in a new worker
  (the death may not be the job's doing: a plugin's thread may end the process between
  two jobs); if that worker dies too, the job fails ("the worker process stopped
  unexpectedly"). New workers take the rest.
- **A job takes longer than the timeout** (a plugin hook that never returns): the
  worker is stopped (SIGTERM, then SIGKILL after :data:`GRACE` seconds) and replaced;
  the job fails. Time the batch spent suspended (Ctrl-Z) does not count.
- **The disk fills up**: no new job starts; those running finish; the rest are counted
  as not started.
- **Ctrl-C, SIGTERM or SIGHUP**: ``stop`` (:meth:`rxprint.interrupt.deferred.pending`)
  says so; the workers are stopped and :class:`BatchInterrupted` carries the outcomes of
  every job that ended. (Without ``stop``, an :class:`~rxprint.interrupt.Interrupted`
  raised anywhere in the loop is handled the same way.)

A worker holds SIGTERM back from the moment it starts writing a handout until it has
sent its outcome (:func:`~rxprint.output.signals_held`), and the main process reads what
every stopped worker sent before it ended; so every handout on disk is counted. Should
a worker be killed outright (SIGKILL) in that window, its handout is found by comparing
the file with what was there before the job, and counted too. Temporary files of
workers that were killed are removed.

A worker gets a job only when it is waiting for one (it says "ready" when it has loaded,
and answers every job), so sending never blocks on a worker that is stuck. Workers are
made from plain data (:class:`WorkerSpec`: the configuration, plugin options and
settings), never a pickled App, so plugins from a ``--plugins-dir`` work with every start
method. Each loads the plugins, library and fonts once, ignores Ctrl-C and SIGHUP (the
main process decides), writes nothing to standard output (which may carry the report)
and, without ``--debug``, nothing to standard error.
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
POLL = 0.2  # the main process looks at its workers at least this often (seconds)
SUSPENDED = 2.0  # a wake this much later than asked: the batch was suspended (Ctrl-Z)
TRIES = 2  # a job whose worker dies is tried this many times in all
READY = "ready"  # what a worker says when it has loaded and waits for its first job
_STOP_SIGNALS = tuple(getattr(signal, n) for n in ("SIGINT", "SIGTERM", "SIGHUP")
                      if hasattr(signal, n))


@dataclass(frozen=True)
class WorkerSpec:
    """What a worker process needs to make its own App: plain data (a pickled App would
    carry plugin modules that a spawned process cannot import). ``close_fds``: file
    descriptors a forked worker must not keep (the output folder's lock)."""

    config: Config
    options: PluginOptions
    settings: Settings
    images: Any = None  # the main process's prepared images (rxprint.images.snapshot)
    close_fds: tuple[int, ...] = ()


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
        progress: Callable[[Outcome], None] | None = None,
        stop: Callable[[], int | None] | None = None,
        close_fds: tuple[int, ...] = ()) -> RunResult:
    """Make every job's handout in ``workers`` worker processes (``start_method``: fork,
    spawn or forkserver; None is the platform's default). Jobs that fail as they are
    need no worker. ``stop`` returns a signal's number when the batch must stop (Ctrl-C,
    SIGTERM, SIGHUP); then, as on :class:`~rxprint.interrupt.Interrupted`, the workers
    are stopped and :class:`BatchInterrupted` is raised with the outcomes so far."""
    runner = _Runner(settings, progress, stop or (lambda: None))
    try:
        todo = []
        for job in jobs:
            if job.error is not None:
                runner.record(Outcome.of(job, "failed", job.error))
            else:
                todo.append(job)
        if todo:
            context = multiprocessing.get_context(start_method)
            fds = close_fds if context.get_start_method() == "fork" else ()
            spec = WorkerSpec(app.config, app.options, settings, images, fds)
            runner.work(todo, spec, min(workers, len(todo)), context)
    except Interrupted as exc:
        raise BatchInterrupted(runner.ordered(), exc.signum) from exc
    return RunResult(runner.ordered(), runner.stopped)


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
    since: float = 0.0  # when the job was given (time.monotonic): its deadline counts
    before: _FileState = None  # what was at the job's output before it was given
    ready: bool = False  # loaded, waiting for work
    sent: bool = False  # the job was sent (it is sent once the worker is ready)
    closed: bool = False  # told there is no more work


@dataclass
class _Runner:
    settings: Settings
    progress: Callable[[Outcome], None] | None
    stop: Callable[[], int | None]
    outcomes: dict[int, Outcome] = field(default_factory=dict)
    stopped: str | None = None
    workers: list[_Worker] = field(default_factory=list)
    tries: dict[int, int] = field(default_factory=dict)
    pending: deque[Job] = field(default_factory=deque)

    def ordered(self) -> list[Outcome]:
        return [self.outcomes[k] for k in sorted(self.outcomes)]

    def record(self, outcome: Outcome) -> None:
        self.outcomes[outcome.number] = outcome
        if outcome.stop is not None and self.stopped is None:
            self.stopped = outcome.stop
        if self.progress is not None:
            with contextlib.suppress(Exception):  # a progress bar on a closed terminal
                self.progress(outcome)

    def work(self, jobs: Sequence[Job], spec: WorkerSpec, count: int, context: Any) -> None:
        self.pending.extend(jobs)
        try:
            while True:
                signum = self.stop()
                if signum is not None:
                    raise Interrupted(signum)
                self._dispatch(spec, count, context)
                busy = [w for w in self.workers if w.job is not None]
                if not busy:
                    break
                self._wait(busy)
            self._close_all()
        except BaseException:
            self._stop_all()
            raise

    def _dispatch(self, spec: WorkerSpec, count: int, context: Any) -> None:
        """Idle workers take the next jobs, new workers start for the rest (up to
        ``count``); with nothing left to do (or the batch stopping), idle workers end."""
        if self.stopped is None:
            for worker in self.workers:
                if worker.job is None and not worker.closed and self.pending:
                    self._give(worker, self.pending.popleft())
            while self.pending and sum(not w.closed for w in self.workers) < count:
                self._give(self._start(spec, context), self.pending.popleft())
        for worker in self.workers:
            if worker.job is None and not worker.closed and \
                    (not self.pending or self.stopped):
                self._close(worker)

    def _start(self, spec: WorkerSpec, context: Any) -> _Worker:
        ours, theirs = context.Pipe()
        process = context.Process(target=_worker_main, args=(theirs, spec), daemon=True,
                                  name="rxprint-batch-worker")
        with _quiet_start():
            process.start()
        theirs.close()
        worker = _Worker(process, ours)
        self.workers.append(worker)
        return worker

    def _give(self, worker: _Worker, job: Job) -> None:
        worker.job, worker.since, worker.sent = job, time.monotonic(), False
        worker.before = _state(self.settings.out_dir / job.name)
        self._send(worker)

    def _send(self, worker: _Worker) -> None:
        """Send the worker its job, once it waits for one (so this never blocks)."""
        if worker.ready and worker.job is not None and not worker.sent:
            worker.sent = True
            with contextlib.suppress(OSError):  # it died meanwhile: see _wait
                worker.conn.send(worker.job)

    def _close(self, worker: _Worker) -> None:
        worker.closed = True
        if worker.ready:
            with contextlib.suppress(OSError):
                worker.conn.send(None)
        else:  # still loading: nothing to wait for
            worker.process.terminate()

    def _wait(self, busy: list[_Worker]) -> None:
        """Wait for an answer, a worker's end, the first deadline or :data:`POLL`, and
        act on each."""
        asked = min(POLL, max(0.0, min(w.since for w in busy) + self.settings.timeout
                              - time.monotonic()))
        started = time.monotonic()
        waiting: list[Any] = [w.conn for w in busy] + [w.process.sentinel for w in busy]
        ready = set(wait(waiting, timeout=asked))
        late = time.monotonic() - started - asked
        if late > SUSPENDED:  # the batch was stopped (Ctrl-Z): that time does not count
            for worker in busy:
                worker.since += late
        for worker in busy:
            if worker.conn in ready:
                self._receive(worker)
            elif worker.process.sentinel in ready or not worker.process.is_alive():
                # (a plugin's child process may hold the sentinel open: is_alive asks)
                self._lost(worker, died=True)
        now = time.monotonic()
        for worker in busy:
            if worker.job is not None and now >= worker.since + self.settings.timeout:
                self._stop(worker)
                self._lost(worker, died=False)

    def _receive(self, worker: _Worker) -> None:
        try:
            message = worker.conn.recv()
        except (EOFError, OSError):  # it ended without answering
            self._lost(worker, died=True)
            return
        if message == READY:
            worker.ready = True
            self._send(worker)
        elif isinstance(message, Outcome) and worker.job is not None \
                and message.number == worker.job.number:
            worker.job = None
            self.record(message)

    def _reason(self, worker: _Worker, *, died: bool, tries: int) -> str:
        """Why a job failed with its worker: a timeout, or how the worker ended."""
        if not died:
            return (f"did not finish within {self.settings.timeout:g} s (--timeout); its "
                    "worker process was stopped and replaced, and the others went on")
        worker.process.join(GRACE)
        code = worker.process.exitcode
        if code is not None and code < 0:
            try:
                how = f"killed by {signal.Signals(-code).name}"
            except ValueError:  # a real-time signal has no name
                how = f"killed by signal {-code}"
        else:
            how = f"exit status {code}"
        again = ", also when tried again in a new worker" if tries > 1 else ""
        return (f"the worker process stopped unexpectedly ({how}) while making this "
                f"handout{again}; the others went on. A plugin may have ended the "
                "process, or the system ran out of memory")

    def _lost(self, worker: _Worker, *, died: bool) -> None:
        """``worker`` is gone (``died``) or was stopped (a timeout) with its job
        unanswered: read what it sent before it ended. Else the job of a worker that died
        is tried once more in a new worker (its death may not be the job's doing), and
        then fails, unless its handout is on disk (written whole, then the worker was
        killed before it could say so)."""
        self._drain(worker)
        job = worker.job
        if job is not None:
            worker.job = None
            tries = self.tries.get(job.number, 0) + 1
            self.tries[job.number] = tries
            outcome = self._unanswered(job, worker.before,
                                       self._reason(worker, died=died, tries=tries))
            if died and tries < TRIES and outcome.status == "failed" and not self.stopped:
                self.pending.appendleft(job)
            else:
                self.record(outcome)
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
                message = worker.conn.recv()
                if isinstance(message, Outcome) and worker.job is not None \
                        and message.number == worker.job.number:
                    worker.job = None
                    self.record(message)

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

    def _end_all(self, *, terminate: bool) -> None:
        """Wait (together, at most :data:`GRACE` seconds) for every worker to end, after
        SIGTERM if ``terminate``; kill what is left; count what they finished."""
        for worker in self.workers:
            if terminate and worker.process.is_alive():
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
            if job is not None:  # stopped: not failed, just not made (unless it was)
                worker.job = None
                outcome = self._unanswered(job, worker.before, "")
                if outcome.status == "done":
                    self.record(outcome)
            self._forget(worker)

    def _close_all(self) -> None:
        """No more work: every worker is told so and ends."""
        for worker in self.workers:
            if not worker.closed:
                self._close(worker)
        self._end_all(terminate=False)

    def _stop_all(self) -> None:
        """Stop every worker at once, then count what they finished."""
        self._end_all(terminate=True)


@contextlib.contextmanager
def _quiet_start() -> Iterator[None]:
    """Start a worker with Ctrl-C and SIGHUP ignored, so that a spawned interpreter never
    turns them into a KeyboardInterrupt traceback while it imports (an ignored signal
    stays ignored across exec, and Python then installs no handler of its own); a worker
    sets its own handling first thing. Meanwhile this process holds the three back (a
    blocked signal is kept pending, not discarded) and gets them once its own handlers
    are back."""
    if not hasattr(signal, "pthread_sigmask") or \
            threading.current_thread() is not threading.main_thread():
        yield
        return
    mask = signal.pthread_sigmask(signal.SIG_BLOCK, _STOP_SIGNALS)
    quiet = [s for s in _STOP_SIGNALS if s != signal.SIGTERM]  # SIGTERM still stops it
    handlers = {s: signal.signal(s, signal.SIG_IGN) for s in quiet}
    try:
        yield
    finally:
        for number, handler in handlers.items():
            signal.signal(number, handler)
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)


# --- a worker process ---------------------------------------------------------------------

def _settle(spec: WorkerSpec) -> LogRoute:
    """A worker's signals, files and output. Ctrl-C and SIGHUP go to the whole process
    group, and the main process decides: it stops the workers with SIGTERM, whose default
    action ends a worker (held back while a handout is written). The worker started with
    the three blocked (see ``_start``): they are unblocked once set. Standard output may
    be the report, so it goes nowhere; standard error too, unless --debug. A forked
    worker closes the output folder's lock (its parent holds it)."""
    interrupt.reset()  # a forked copy of the main process's memory
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for name, action in (("SIGHUP", signal.SIG_IGN), ("SIGTERM", signal.SIG_DFL),
                         ("SIGXFSZ", signal.SIG_IGN)):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), action)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOP_SIGNALS)
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
    logs = _settle(spec)
    _watch_parent()
    app, error = _load(spec)
    if _answer(conn, READY):
        _serve(conn, app, error, spec.settings, logs)
    conn.close()
    os._exit(0)  # not waiting for threads a plugin left running


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
