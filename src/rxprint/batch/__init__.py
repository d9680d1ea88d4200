"""Batch export: many handouts in one run, from a CSV roster, a folder of program files or
every standard program.

The steps, a module each: :mod:`~rxprint.batch.sources` turns the input into
:class:`~rxprint.batch.jobs.Job` s (one per row, file or program);
:mod:`~rxprint.batch.names` gives each its file name (clashes are found before any
work); :mod:`~rxprint.batch.runner` makes the handouts in worker processes
(:mod:`~rxprint.batch.worker`, talked to through :mod:`~rxprint.batch.channel`) that may
die, hang or be interrupted, each job through the same steps and error boundary as
``rxprint build`` (:mod:`~rxprint.batch.make`); each ends as an
:class:`~rxprint.batch.jobs.Outcome`, which is all that the summary and the report
(:mod:`~rxprint.batch.report`) ever see: a row number or file name, an output name, a
status, a message, seconds. Never a patient's name or notes. :mod:`~rxprint.batch.folder`
creates and locks the output folder.
"""

from __future__ import annotations

from rxprint.batch.jobs import DEFAULT_TIMEOUT, Job, Outcome, Settings, Status
from rxprint.batch.make import make
from rxprint.batch.names import (
    DEFAULT_NAMES,
    MAX_NAME_BYTES,
    NAME_FIELDS,
    assign_names,
    check_name_template,
    output_name,
    safe_name,
)
from rxprint.batch.runner import BatchInterrupted, RunResult, run, worker_count
from rxprint.batch.sources import (
    MAX_ROSTER_BYTES,
    ROSTER_COLUMNS,
    program_file_jobs,
    read_roster,
    standard_program_jobs,
)
from rxprint.batch.worker import WorkerSpec

__all__ = [
    "DEFAULT_NAMES",
    "DEFAULT_TIMEOUT",
    "MAX_NAME_BYTES",
    "MAX_ROSTER_BYTES",
    "NAME_FIELDS",
    "ROSTER_COLUMNS",
    "BatchInterrupted",
    "Job",
    "Outcome",
    "RunResult",
    "Settings",
    "Status",
    "WorkerSpec",
    "assign_names",
    "check_name_template",
    "make",
    "output_name",
    "program_file_jobs",
    "read_roster",
    "run",
    "safe_name",
    "standard_program_jobs",
    "worker_count",
]
