"""Running a batch's jobs in worker processes (:mod:`rxprint.batch.worker`) that may die,
hang, or be interrupted; the main process's side.

Workers start up to ``-j``; one that has loaded says it is ready and gets a job, one job
at a time. The main process never blocks on a worker (its end of each pipe is
non-blocking: :mod:`rxprint.batch.channel`) and looks at every worker at least every
:data:`POLL` seconds:

- **A worker dies** (``kill -9``, the out-of-memory killer, a plugin calling
  ``os._exit``, a crash in a C extension): its job is tried once more in a new worker
  (the death may not be the job's doing: a plugin's thread may end the process between
  two jobs); if that worker dies too, the job fails ("the worker process stopped
  unexpectedly"). A death is seen even when a plugin's child process keeps the pipes.
- **A job takes longer than the timeout** (a plugin hook that never returns): the
  worker is stopped (SIGTERM, then SIGKILL after :data:`GRACE` seconds) and replaced;
  the job fails. A worker that has not loaded within :func:`load_limit` is stopped too,
  costing no job; three workers in a row that cannot start stop the batch. Time the
  batch spent suspended (Ctrl-Z) does not count.
- **The disk fills up**: no new job starts; those running finish; the rest are counted
  as not started.
- **Ctrl-C, SIGTERM or SIGHUP**: ``stop`` (:meth:`rxprint.runtime.interrupt.deferred.pending`)
  says so; the workers are stopped and :class:`BatchInterrupted` carries the outcomes of
  every job that ended. (Without ``stop``, an :class:`~rxprint.runtime.interrupt.Interrupted`
  raised in the loop is handled the same way.)

A worker holds SIGTERM back from writing a handout until it has reported it, and the
main process reads what every stopped worker sent before it ended; so every handout on
disk is counted. Should a worker be killed outright (SIGKILL) in that window, its
handout is found by comparing the file with what was there before the job, and counted
too. Rows a stopped worker answered with a failure count as not started (a plugin's
signal handler may have turned the stop into an error). Temporary files of workers that
were killed are removed.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import selectors
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from multiprocessing.process import BaseProcess
from typing import Any

from rxprint.app import App
from rxprint.batch.channel import Channel
from rxprint.batch.jobs import Job, Outcome, Settings
from rxprint.batch.worker import READY, WorkerSpec
from rxprint.batch.worker import main as worker_main
from rxprint.files.output import remove_stale_temp_files
from rxprint.runtime.interrupt import STOP_SIGNALS, Interrupted

GRACE = 3.0  # seconds a stopped worker has to finish writing, before it is killed
POLL = 0.2  # the main process looks at its workers at least this often (seconds)
SUSPENDED = 2.0  # a wake this much later than asked: the batch was suspended (Ctrl-Z)
TRIES = 2  # a job whose worker dies is tried this many times in all
START_FAILURES = 3  # workers in a row that die or hang while loading: the batch stops
LOAD_SECONDS = 10.0  # a worker loads in well under a second; ten is "stuck"


def load_limit(settings: Settings) -> float:
    """How long a worker may take to load (plugins, library, fonts) before it counts as
    stuck: the timeout, and at least :data:`LOAD_SECONDS` (loading is not a handout's
    time: a slow start on a busy machine costs no row)."""
    return max(settings.timeout, LOAD_SECONDS)


@dataclass(frozen=True)
class RunResult:
    """The outcomes in job order, and why the run stopped early (the disk is full), if
    it did."""

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
    """Make every job's handout in up to ``workers`` worker processes (``start_method``:
    fork, spawn or forkserver; None is the platform's default). Jobs that fail as they
    are need no worker. ``stop`` returns a signal's number when the batch must stop
    (Ctrl-C, SIGTERM, SIGHUP); then, as on :class:`~rxprint.runtime.interrupt.Interrupted`, the
    workers are stopped and :class:`BatchInterrupted` is raised with the outcomes so far.
    ``close_fds``: descriptors a forked worker closes (the output folder's lock)."""
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
    channel: Channel
    started: float  # when the process started (time.monotonic)
    ready: bool = False  # loaded, waiting for work
    job: Job | None = None
    since: float = 0.0  # when the job was sent: its timeout counts from there
    before: _FileState = None  # what was at the job's output before it was sent
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
    start_failures: int = 0

    def ordered(self) -> list[Outcome]:
        return [self.outcomes[k] for k in sorted(self.outcomes)]

    def record(self, outcome: Outcome) -> None:
        self.outcomes[outcome.number] = outcome
        if outcome.stop is not None and self.stopped is None:
            self.stopped = outcome.stop
        if self.progress is not None:
            with contextlib.suppress(Exception):  # a progress bar on a closed terminal
                self.progress(outcome)

    # -- the loop -----------------------------------------------------------------------

    def work(self, jobs: Sequence[Job], spec: WorkerSpec, count: int, context: Any) -> None:
        self.pending.extend(jobs)
        try:
            while True:
                signum = self.stop()
                if signum is not None:
                    raise Interrupted(signum)
                self._staff(spec, count, context)
                self._dispatch()
                if not self.workers:
                    break
                self._wait()
        except BaseException:
            self._end_all(terminate=True)
            raise

    def _wanted(self) -> bool:
        return bool(self.pending) and self.stopped is None

    def _staff(self, spec: WorkerSpec, count: int, context: Any) -> None:
        """Start workers while there is more to do than the workers at hand can take."""
        active = [w for w in self.workers if not w.closed]
        idle = sum(1 for w in active if w.job is None)
        while self._wanted() and len(active) < count and len(self.pending) > idle:
            worker = self._start(spec, context)
            active.append(worker)
            idle += 1

    def _dispatch(self) -> None:
        """Ready, idle workers take the next jobs; with nothing left to do (or the batch
        stopping), idle workers are told to end."""
        for worker in self.workers:
            if worker.job is None and not worker.closed:
                if worker.ready and self._wanted():
                    self._give(worker, self.pending.popleft())
                elif not self._wanted():
                    self._close(worker)

    def _start(self, spec: WorkerSpec, context: Any) -> _Worker:
        ours, theirs = context.Pipe()
        process = context.Process(target=worker_main, args=(theirs, spec), daemon=True,
                                  name="rxprint-batch-worker")
        with _quiet_start():
            process.start()
        theirs.close()
        worker = _Worker(process, Channel(ours), time.monotonic())
        self.workers.append(worker)
        return worker

    def _give(self, worker: _Worker, job: Job) -> None:
        worker.job, worker.since = job, time.monotonic()
        worker.before = _state(self.settings.out_dir / job.name)
        worker.channel.put(job)

    def _close(self, worker: _Worker) -> None:
        worker.closed = True
        if worker.ready:
            worker.channel.put(None)
        else:  # still loading: nothing to wait for
            worker.process.terminate()

    def _deadline(self, worker: _Worker) -> float:
        if worker.job is not None:
            return worker.since + self.settings.timeout
        if not worker.ready and not worker.closed:
            return worker.started + load_limit(self.settings)
        return float("inf")

    def _wait(self) -> None:
        """Wait (at most :data:`POLL` seconds, or to the first deadline) for messages,
        writable pipes and ends, then act on each worker."""
        now = time.monotonic()
        asked = max(0.0, min(POLL, min(self._deadline(w) for w in self.workers) - now))
        with selectors.DefaultSelector() as selector:
            for worker in self.workers:
                if not worker.channel.closed:
                    events = selectors.EVENT_READ | (
                        selectors.EVENT_WRITE if worker.channel.writing else 0)
                    selector.register(worker.channel.fd, events, worker)
            with contextlib.suppress(ValueError, OSError):  # a process already reaped
                for worker in self.workers:
                    selector.register(worker.process.sentinel, selectors.EVENT_READ)
            selector.select(asked)
        late = time.monotonic() - now - asked
        if late > SUSPENDED:  # the batch was stopped (Ctrl-Z): that time does not count
            for worker in self.workers:
                worker.since += late
                worker.started += late
        for worker in list(self.workers):
            self._look_at(worker)

    def _look_at(self, worker: _Worker) -> None:
        worker.channel.flush()
        for message in worker.channel.take():
            self._message(worker, message)
        if not worker.process.is_alive() or worker.channel.closed:
            self._ended(worker)
        elif time.monotonic() >= self._deadline(worker):
            self._overdue(worker)

    def _message(self, worker: _Worker, message: object) -> None:
        if message == READY:
            worker.ready = True
            self.start_failures = 0
        elif isinstance(message, Outcome) and worker.job is not None \
                and message.number == worker.job.number:
            worker.job = None
            if message.status == "failed" and self.stop() is not None:
                return  # stopping: the signal (SIGTERM to the group, say) may have reached
                # a plugin's handler in the worker and made the failure; not made, then
            self.record(message)

    # -- workers that end, hang, or are stopped -----------------------------------------

    def _ended(self, worker: _Worker) -> None:
        """``worker`` is gone (or its pipe is): what it was doing is lost."""
        _wait_ended([worker], GRACE)
        for message in worker.channel.take():
            self._message(worker, message)
        if not worker.ready and not worker.closed:
            self._start_failed(worker, "stopped while loading")
        job = worker.job
        if job is not None:
            worker.job = None
            tries = self.tries[job.number] = self.tries.get(job.number, 0) + 1
            outcome = self._unanswered(job, worker.before, _died(worker.process, tries))
            if tries < TRIES and outcome.status == "failed" and self.stopped is None:
                self.pending.appendleft(job)  # perhaps not this job's doing: once more
            else:
                self.record(outcome)
        self._forget(worker)

    def _overdue(self, worker: _Worker) -> None:
        """Past its deadline: a job that takes too long (it fails, unless it was
        finished while its worker was being stopped), or a worker that does not finish
        loading (it costs no job)."""
        loading = worker.job is None
        self._stop([worker])
        if loading:
            self._start_failed(worker, "took longer than "
                                       f"{load_limit(self.settings):g} s to load")
        elif worker.job is not None:
            job, worker.job = worker.job, None
            self.record(self._unanswered(job, worker.before, (
                f"did not finish within {self.settings.timeout:g} s (--timeout); its "
                "worker process was stopped and replaced, and the others went on")))
        self._forget(worker)

    def _start_failed(self, worker: _Worker, how: str) -> None:
        self.start_failures += 1
        if self.start_failures >= START_FAILURES and self.stopped is None:
            self.stopped = (f"no worker process could start: {START_FAILURES} in a row "
                            f"failed, the last {how}; see `rxprint plugins`, or run with "
                            "--debug")

    def _stop(self, workers: Sequence[_Worker]) -> None:
        """Stop ``workers`` (SIGTERM: a worker writing a handout finishes it first; then
        SIGKILL), and keep only what they finished: a row a stopped worker answered with
        a failure was not made, whatever it says (a plugin's signal handler may have
        turned the stop into an error)."""
        for worker in workers:
            if worker.process.is_alive():
                worker.process.terminate()
        for worker in _wait_ended(workers, GRACE):
            worker.process.kill()
        _wait_ended(workers, GRACE)
        for worker in workers:
            for message in worker.channel.take():
                if not (isinstance(message, Outcome) and message.status == "failed"):
                    self._message(worker, message)

    def _unanswered(self, job: Job, before: _FileState, reason: str) -> Outcome:
        """A job whose worker ended without answering: made after all if its handout is
        on disk (written whole, then the worker was killed before it could say so)."""
        after = _state(self.settings.out_dir / job.name)
        if after is not None and after != before:
            return Outcome.of(job, "done", warnings=(
                "its worker stopped before reporting it; the handout was written whole",))
        return Outcome.of(job, "failed", reason)

    def _forget(self, worker: _Worker) -> None:
        if worker.process.is_alive():
            self._stop([worker])
        worker.channel.close()
        with contextlib.suppress(ValueError):
            worker.process.close()
        self.workers.remove(worker)
        remove_stale_temp_files(self.settings.out_dir)  # a killed worker's, if any

    def _end_all(self, *, terminate: bool) -> None:
        """Every worker ends (stopped, when ``terminate``): what each finished is counted;
        a job still running is not made (unless its handout is on disk)."""
        if terminate:
            self._stop(self.workers)
        for worker in list(self.workers):
            job = worker.job
            if job is not None:
                worker.job = None
                outcome = self._unanswered(job, worker.before, "")
                if outcome.status == "done":
                    self.record(outcome)
            self._forget(worker)


def _wait_ended(workers: Sequence[_Worker], seconds: float) -> list[_Worker]:
    """Wait up to ``seconds`` for ``workers`` to end (asking the system, not a pipe a
    plugin's child may hold open); those still running."""
    deadline = time.monotonic() + seconds
    alive = [w for w in workers if w.process.is_alive()]
    while alive and time.monotonic() < deadline:
        time.sleep(0.02)
        alive = [w for w in alive if w.process.is_alive()]
    return alive


def _died(process: BaseProcess, tries: int) -> str:
    """How a worker ended, as its job's failure."""
    code = process.exitcode
    if code is not None and code < 0:
        try:
            how = f"killed by {signal.Signals(-code).name}"
        except ValueError:  # a real-time signal has no name
            how = f"killed by signal {-code}"
    else:
        how = f"exit status {code}"
    again = ", also when tried again in a new worker" if tries > 1 else ""
    return (f"the worker process stopped unexpectedly ({how}) while making this "
            f"handout{again}; the others went on. A plugin may have ended the process, or "
            "the system ran out of memory")


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
    mask = signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
    quiet = [s for s in STOP_SIGNALS if s != signal.SIGTERM]  # SIGTERM still stops it
    handlers = {s: signal.signal(s, signal.SIG_IGN) for s in quiet}
    try:
        yield
    finally:
        for number, handler in handlers.items():
            signal.signal(number, handler)
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
