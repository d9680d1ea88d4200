"""Batch export: many handouts in one run, from a CSV roster, a folder of program files or
every standard program.

The steps, each a function: the input becomes :class:`Job` s (one per row, file or
program: what to build and the file name it goes to, decided here so that clashes are
found before any work); :func:`run` makes the handouts, in this process or in worker
processes that each load the plugins, library and fonts once; each job goes through the
same steps and the same error boundary as ``rxprint build`` and ends as an
:class:`Outcome`, which is all the summary and the report ever see: a row number or file
name, an output name, a status, a message, seconds. Never a patient's name or notes.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import multiprocessing
import os
import re
import signal
import string
import threading
import time
import traceback
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

from .app import App
from .boundary import failure_message
from .config import Config
from .dosage import Dosage
from .errors import InputError, Interrupted, Problem, RxprintError
from .model import ProgramEntry, ProgramRequest
from .output import write_atomic
from .paper import PAPERS
from .plugins import PluginOptions
from .programs import MAX_NAME, MAX_NOTES, read_program_file
from .tomlfile import read_limited
from .validate import did_you_mean, too_long

ROSTER_COLUMNS = ("patient", "template", "clinician", "date", "layout", "paper", "notes",
                  "output", "exercises")
"""The columns a roster may have, in any order (names are matched ignoring case, spaces
and ``_``/``-``: "Output name" is ``output``, "Extra exercises" is ``exercises``)."""
_ALIASES = {"outputname": "output", "extraexercises": "exercises", "exerciseids": "exercises",
            "patientname": "patient"}
MAX_ROSTER_BYTES = 32 * 1024 * 1024
NAME_FIELDS = ("patient", "template", "date", "row", "file")
DEFAULT_NAMES = {"roster": "{row}-{template}", "files": "{file}", "programs": "{template}"}
MAX_NAME_BYTES = 150  # of the file name's stem; every file system allows 255

Status = Literal["done", "skipped", "failed"]


@dataclass(frozen=True)
class Job:
    """One handout to make. Plain data, so it can be sent to a worker process.

    ``label`` names the job in every message ("row 5", "visit.toml", a program id): never
    patient data. ``name`` is the output file's name in the output folder; ``show_name``
    is False when it is made from patient data (the patient field or a roster's output
    column), and the report then leaves it out. ``error`` makes the job fail as it is
    (a bad row, a name clash) without building anything."""

    number: int
    label: str
    request: ProgramRequest = field(default_factory=ProgramRequest)
    layout: str | None = None
    paper: str | None = None
    name: str = ""
    show_name: bool = True
    error: str | None = None
    row: int | None = None
    file: str | None = None


@dataclass(frozen=True)
class Outcome:
    """What became of a job: all that the summary, the progress and the report see."""

    number: int
    label: str
    status: Status
    output: str | None  # the file name, or None when it holds patient data
    error: str | None = None
    seconds: float = 0.0
    pages: int | None = None
    row: int | None = None
    file: str | None = None

    def record(self) -> dict[str, object]:
        """The report's record: no patient data (see :class:`Job`)."""
        return {"row": self.row, "file": self.file, "output": self.output,
                "status": self.status, "error": self.error,
                "seconds": round(self.seconds, 3), "pages": self.pages}


@dataclass(frozen=True)
class Settings:
    """What applies to every job: the command's options."""

    out_dir: Path
    force: bool = False
    branding: str | None = None
    layout: str | None = None
    paper: str | None = None
    pictures: bool = True
    today: dt.date = field(default_factory=dt.date.today)
    debug: bool = False


# --- file names -------------------------------------------------------------------------

_UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]')
_RESERVED = {"con", "prn", "aux", "nul", "conin$", "conout$",
             *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10)),
             *(f"com{c}" for c in "¹²³"), *(f"lpt{c}" for c in "¹²³")}


def safe_name(text: str) -> str:
    """``text`` as a file name's stem that is safe on every file system: no folder
    separators or characters Windows forbids, no control or invisible characters, no
    leading or trailing dots and spaces, not a Windows device name (CON, NUL, COM1...),
    at most :data:`MAX_NAME_BYTES` bytes. Empty when nothing usable is left."""
    text = unicodedata.normalize("NFC", text)
    text = "".join(" " if unicodedata.category(c) in ("Zs", "Zl", "Zp") else
                   "" if unicodedata.category(c) in ("Cc", "Cf", "Co", "Cn", "Cs") and
                   c not in "\t\n\r" else c for c in text)
    text = _UNSAFE.sub("-", text)
    text = " ".join(text.split())
    text = text.strip(" .-")
    encoded = text.encode()
    if len(encoded) > MAX_NAME_BYTES:
        text = encoded[:MAX_NAME_BYTES].decode(errors="ignore").rstrip(" .-")
    if text.split(".")[0].strip().casefold() in _RESERVED:
        text = "_" + text
    return text


def check_name_template(template: str) -> None:
    """A name template uses only ``{patient}``, ``{template}``, ``{date}``, ``{row}`` and
    ``{file}``; anything else is a ValueError saying which."""
    try:
        parts = list(string.Formatter().parse(template))
    except ValueError as exc:
        raise ValueError(f"{template!r} is not a name template ({exc}); use fields like "
                         "{row}-{template}") from None
    for _, name, spec, conversion in parts:
        if name is None:
            continue
        if name not in NAME_FIELDS:
            raise ValueError(f"unknown field {{{name}}} in the name template; use "
                             + ", ".join(f"{{{n}}}" for n in NAME_FIELDS))
        if spec or conversion:
            raise ValueError(f"{{{name}}}: formats and conversions are not supported")


def output_name(template: str, job: Job, today: dt.date) -> tuple[str, bool]:
    """The file name ``template`` gives ``job`` (always ending in .pdf), and whether it may
    be reported (False when it is made from the patient's name)."""
    request = job.request
    values = {
        "patient": request.patient_name or "",
        "template": request.template or "program",
        "date": (request.date or today).isoformat(),
        "row": f"{job.row:04d}" if job.row is not None else f"{job.number:04d}",
        "file": Path(job.file).stem if job.file else "",
    }
    uses_patient = any(name == "patient" for _, name, _, _ in string.Formatter().parse(template))
    stem = template.format(**{k: safe_name(v) for k, v in values.items()})
    if stem.lower().endswith(".pdf"):
        stem = stem[:-4]
    stem = safe_name(stem)
    if not stem:  # an empty patient name and a template of {patient} only, say
        stem = safe_name(job.label) or f"{job.number:04d}"
    return stem + ".pdf", not uses_patient


def assign_names(jobs: Sequence[Job], template: str, today: dt.date) -> list[Job]:
    """Give every job its file name; jobs whose names clash (the same file, also where a
    file system ignores case or Unicode form) fail, each naming the others."""
    named: list[Job] = []
    for job in jobs:
        if job.error is not None:
            named.append(job)
            continue
        if job.name:  # a roster's output column
            stem = safe_name(job.name[:-4] if job.name.lower().endswith(".pdf") else job.name)
            name = (stem or safe_name(job.label)) + ".pdf"
            named.append(replace(job, name=name, show_name=False))
        else:
            name, show = output_name(template, job, today)
            named.append(replace(job, name=name, show_name=show))
    owners: dict[str, list[int]] = {}
    for i, job in enumerate(named):
        if job.error is None:
            owners.setdefault(unicodedata.normalize("NFC", job.name).casefold(), []).append(i)
    for indices in owners.values():
        if len(indices) < 2:
            continue
        for i in indices:
            others = ", ".join(named[j].label for j in indices if j != i)
            named[i] = replace(named[i], error=(
                f"its output file would be the same as that of {others}: a batch never "
                "overwrites its own handouts; give the rows different names (an output "
                "column, or --name with {row})"))
    return named


# --- inputs -----------------------------------------------------------------------------

def _column(name: str) -> str:
    key = re.sub(r"[\s_\-]+", "", name.strip().lower())
    return _ALIASES.get(key, key)


def read_roster(path: Path) -> list[Job]:
    """The jobs of a CSV roster (UTF-8, with or without BOM; any line ends; quoted commas
    and line breaks). A problem with the file itself (not a regular file, too large, not
    UTF-8, unknown columns) is an InputError for the whole roster; a problem in one row
    makes that row's job fail. Rows are numbered as a spreadsheet shows them: the header
    is row 1."""
    data = read_limited(path, "roster", MAX_ROSTER_BYTES)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(Problem(f"is not UTF-8 text (byte {exc.start + 1}); save it as "
                                 '"CSV UTF-8" from your spreadsheet', path=path)) from None
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise InputError(Problem(f"is not a valid CSV file ({exc})", path=path)) from None
    if not rows or not any(cell.strip() for cell in rows[0]):
        raise InputError(Problem("has no header row; the first row names the columns: "
                                 + ", ".join(ROSTER_COLUMNS), path=path))
    header = [_column(c) for c in rows[0]]
    unknown = [raw.strip() for raw, c in zip(rows[0], header, strict=True)
               if c not in ROSTER_COLUMNS]
    if unknown:
        hints = "".join(did_you_mean(_column(u), ROSTER_COLUMNS) for u in unknown[:1])
        raise InputError(Problem(
            f"unknown column{'s' if len(unknown) > 1 else ''} "
            + ", ".join(f'"{u}"' for u in unknown) + f"{hints}; the columns are "
            + ", ".join(ROSTER_COLUMNS), path=path, line=1))
    seen = {c for c in header if header.count(c) > 1}
    if seen:
        raise InputError(Problem(f"the column {sorted(seen)[0]!r} appears twice", path=path,
                                 line=1))
    jobs: list[Job] = []
    for offset, cells in enumerate(rows[1:]):
        if not any(cell.strip() for cell in cells):
            continue  # a blank line
        row = offset + 2
        jobs.append(_row_job(len(jobs) + 1, row, header, cells))
    return jobs


def _row_job(number: int, row: int, header: list[str], cells: list[str]) -> Job:
    label = f"row {row}"
    if len(cells) > len(header):
        return Job(number, label, row=row, error=f"has {len(cells)} cells but the header "
                   f"names {len(header)} columns (a comma in a value needs quotes)")
    values = {c: cells[i].strip() for i, c in enumerate(header) if i < len(cells)}
    problems: list[str] = []
    # patient data (patient, clinician, notes, date, output): never quoted in a message
    date = None
    if values.get("date"):
        try:
            date = dt.date.fromisoformat(values["date"])
        except ValueError:
            problems.append("date: not a date like 2026-11-21")
    for column, limit in (("patient", MAX_NAME), ("clinician", MAX_NAME),
                          ("notes", MAX_NOTES)):
        if len(values.get(column, "")) > limit:
            problems.append(f"{column}: {too_long(len(values[column]), limit)}")
    paper = values.get("paper", "").lower() or None
    if paper is not None and paper not in PAPERS:
        problems.append(f'paper: "{values["paper"][:20]}" is not a paper size: use '
                        + " or ".join(sorted(PAPERS)))
    template = values.get("template") or None
    exercises = tuple(i for i in re.split(r"[\s,;]+", values.get("exercises", "")) if i)
    if template is None and not exercises:
        problems.append("nothing to build: give a template or exercises")
    if problems:
        return Job(number, label, row=row, error="; ".join(problems))
    request = ProgramRequest(
        template=template, date=date,
        clinician=values.get("clinician") or None, notes=values.get("notes") or None,
        patient_name=values.get("patient") or None,
        entries=tuple(ProgramEntry(id=i, dosage=Dosage(), field="exercises")
                      for i in exercises))
    return Job(number, label, request=request, layout=values.get("layout") or None,
               paper=paper, name=values.get("output", ""), row=row)


def program_file_jobs(folder: Path) -> list[Job]:
    """One job per ``*.toml`` file in ``folder`` (not its subfolders), in name order. A
    file that cannot be read fails its own job."""
    try:
        paths = sorted(p for p in folder.iterdir() if p.suffix.lower() == ".toml")
    except OSError as exc:
        raise InputError(Problem(f"cannot list the folder ({exc.strerror})",
                                 path=folder)) from None
    jobs: list[Job] = []
    for number, path in enumerate(paths, start=1):
        try:
            jobs.append(Job(number, path.name, request=read_program_file(path),
                            file=path.name))
        except RxprintError as exc:
            jobs.append(Job(number, path.name, file=path.name, error=failure_message(exc)))
    return jobs


def standard_program_jobs(app: App) -> list[Job]:
    """Every standard program (built-in and plugins') as a generic handout: no patient."""
    return [Job(number, ident, request=ProgramRequest(template=ident))
            for number, ident in enumerate(sorted(app.library.programs), start=1)]


class BatchInterrupted(Interrupted):
    """Ctrl-C stopped the batch; ``outcomes`` are those of the jobs that finished."""

    def __init__(self, outcomes: list[Outcome]) -> None:
        super().__init__()
        self.outcomes = outcomes


# --- making handouts --------------------------------------------------------------------

def make(app: App, job: Job, settings: Settings) -> Outcome:
    """Build one job's handout and write it, through the same steps as ``rxprint build``;
    every error becomes the job's failure (Ctrl-C is not an error: it stops the batch)."""
    start = time.perf_counter()
    shown = job.name if job.show_name and job.name else None

    def outcome(status: Status, error: str | None = None, pages: int | None = None) -> Outcome:
        return Outcome(job.number, job.label, status, shown, error,
                       time.perf_counter() - start, pages, job.row, job.file)

    if job.error is not None:
        return outcome("failed", job.error)
    target = settings.out_dir / job.name
    if not settings.force and os.path.lexists(target):
        return outcome("skipped", "already there; --force replaces it")
    try:
        choice = app.choose(branding=settings.branding, layout=job.layout or settings.layout,
                            paper=job.paper or settings.paper)
        program = app.program(job.request, settings.today, choice)
        result = app.render(program, choice, pictures=settings.pictures)
        write_atomic(target, result.pdf, overwrite=settings.force)
    except (Interrupted, KeyboardInterrupt):
        raise
    except Exception as exc:
        if settings.debug:
            traceback.print_exc()
        return outcome("failed", failure_message(exc))
    return outcome("done", pages=result.pages)


@dataclass(frozen=True)
class WorkerSpec:
    """What a worker process needs to make its own App: plain data (a pickled App would
    carry plugin modules that a spawned process cannot import)."""

    config: Config
    options: PluginOptions
    settings: Settings


_worker: tuple[App, Settings] | None = None
_worker_error: str | None = None


def _init_worker(spec: WorkerSpec) -> None:
    """Once per worker: ignore Ctrl-C (the main process stops the pool), load the
    plugins, library, fonts and layouts."""
    global _worker, _worker_error
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _watch_parent()
    try:
        app = App(spec.config, spec.options)
        app.choose(branding=spec.settings.branding, layout=spec.settings.layout,
                   paper=spec.settings.paper)
        _worker = (app, spec.settings)
    except Exception as exc:  # reported by every job of this worker
        _worker_error = failure_message(exc)


def _watch_parent() -> None:
    """End this worker when the main process is gone (``kill -9``): otherwise it would wait
    for work forever. It sends itself SIGTERM, which a handout being written holds back
    until its file is complete or removed; so the watching thread blocks the held signals
    itself, or they would be delivered to it, unheld."""
    parent = os.getppid()

    def watch() -> None:
        if hasattr(signal, "pthread_sigmask"):
            signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM,
                                                      signal.SIGHUP})
        while os.getppid() == parent:
            time.sleep(0.5)
        os.kill(os.getpid(), signal.SIGTERM)

    threading.Thread(target=watch, name="rxprint-parent-watch", daemon=True).start()


def _work(job: Job) -> Outcome:
    if _worker is None:
        return Outcome(job.number, job.label, "failed", None,
                       _worker_error or "the worker process did not start", 0.0, None,
                       job.row, job.file)
    app, settings = _worker
    return make(app, job, settings)


def worker_count(requested: int | None) -> int:
    """-j: the CPUs this process may use, by default."""
    if requested is not None:
        return max(1, requested)
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def run(app: App, jobs: Sequence[Job], settings: Settings, *, workers: int = 1,
        start_method: str | None = None,
        progress: Callable[[Outcome], None] | None = None) -> list[Outcome]:
    """Make every job's handout; the outcomes in job order. With ``workers`` > 1 the jobs
    are shared among that many processes (``start_method``: fork, spawn or forkserver;
    None is the platform's default). Ctrl-C (:class:`Interrupted`) stops the workers and
    is raised again, with the outcomes so far in its ``outcomes``."""
    outcomes: dict[int, Outcome] = {}
    try:
        for outcome in _outcomes(app, jobs, settings, workers, start_method):
            outcomes[outcome.number] = outcome
            if progress is not None:
                progress(outcome)
    except (Interrupted, KeyboardInterrupt) as exc:
        raise BatchInterrupted([outcomes[k] for k in sorted(outcomes)]) from exc
    return [outcomes[k] for k in sorted(outcomes)]


def _outcomes(app: App, jobs: Sequence[Job], settings: Settings, workers: int,
              start_method: str | None) -> Iterator[Outcome]:
    # Jobs that fail or are skipped as they are need no worker.
    todo = []
    for job in jobs:
        if job.error is not None or (not settings.force and
                                     os.path.lexists(settings.out_dir / job.name)):
            yield make(app, job, settings)
        else:
            todo.append(job)
    workers = min(workers, len(todo))
    if workers <= 1:
        for job in todo:
            yield make(app, job, settings)
        return
    context = multiprocessing.get_context(start_method)
    spec = WorkerSpec(app.config, app.options, settings)
    pool = context.Pool(workers, initializer=_init_worker, initargs=(spec,))
    try:
        yield from pool.imap_unordered(_work, todo, chunksize=1)
        pool.close()
    except BaseException:
        # Ctrl-C or an error here: stop the workers now. A worker writing a handout holds
        # SIGTERM back until its file is renamed or removed (rxprint.output).
        pool.terminate()
        raise
    finally:
        with contextlib.suppress(Exception):
            pool.join()
