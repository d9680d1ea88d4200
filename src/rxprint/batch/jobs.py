"""What a batch is made of: the jobs (one handout each), what became of each, and the
options that apply to all. Plain data, sent to and from worker processes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from rxprint.library.model import ProgramRequest

Status = Literal["done", "skipped", "failed"]


@dataclass(frozen=True)
class Job:
    """One handout to make.

    ``label`` names the job in every message ("row 5", "visit.toml", a program id): never
    patient data. ``name`` is the output file's name in the output folder; ``show_name``
    is False when it is made from patient data (the patient field or a roster's output
    column): then no message and no report names the file. ``error`` makes the job fail
    as it is (a bad row, a name clash) without building anything."""

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

    @property
    def shown_name(self) -> str:
        """The output file as messages name it: its name, or a neutral description when
        the name is made from patient data."""
        return self.name if self.show_name else "its file (name withheld)"


@dataclass(frozen=True)
class Outcome:
    """What became of a job: all that the summary, the progress and the report see.

    ``warnings``: what the handout's reader should know (characters printed as "?"),
    never quoting the text. ``stop``: why the whole batch must stop (the disk is full),
    or None. ``logged``: how many log records (a plugin's) the job gave, not shown
    without --debug."""

    number: int
    label: str
    status: Status
    output: str | None  # the file name, or None when it holds patient data or none was made
    error: str | None = None
    seconds: float = 0.0
    pages: int | None = None
    row: int | None = None
    file: str | None = None
    warnings: tuple[str, ...] = ()
    stop: str | None = None
    logged: int = 0
    template: str | None = None  # the standard program it was made from, once made

    @classmethod
    def of(cls, job: Job, status: Status, error: str | None = None, *, seconds: float = 0.0,
           pages: int | None = None, warnings: tuple[str, ...] = (),
           stop: str | None = None) -> Outcome:
        """The outcome of ``job``; the file is named only when it was made or kept, and
        its name holds no patient data."""
        shown = job.name if job.show_name and job.name and status != "failed" else None
        # a template id is recorded once the program resolved: then it names a standard
        # program (a roster's template column that named none may hold anything)
        template = job.request.template if status != "failed" else None
        return cls(job.number, job.label, status, shown, error, seconds, pages, job.row,
                   job.file, warnings, stop, template=template)

    def record(self) -> dict[str, object]:
        """The report's record: no patient data (see :class:`Job`)."""
        return {"row": self.row, "file": self.file, "output": self.output,
                "template": self.template, "status": self.status, "error": self.error,
                "warnings": list(self.warnings),
                "seconds": round(self.seconds, 3), "pages": self.pages}


DEFAULT_TIMEOUT = 120.0  # seconds a handout may take before its worker is stopped


@dataclass(frozen=True)
class Settings:
    """What applies to every job: the command's options. ``inputs``: the files the run
    reads (roster, program files, configuration, plugins, library), never written over."""

    out_dir: Path
    force: bool = False
    branding: str | None = None
    layout: str | None = None
    paper: str | None = None
    pictures: bool = True
    language: str | None = None  # for jobs whose row or file gives none
    large_print: bool | None = None  # likewise
    log: bool | None = None  # likewise
    strict: bool = False  # text that would print in English fails the job
    today: dt.date = field(default_factory=dt.date.today)
    clinician: str | None = None  # for jobs whose row or file gives none
    debug: bool = False
    timeout: float = DEFAULT_TIMEOUT
    inputs: tuple[tuple[Path, str], ...] = ()
