"""Making one job's handout, through the same steps and error boundary as
``rxprint build``: choose, resolve, render, write.

It is split in two so that a worker can hold back SIGTERM from the moment it writes a
handout until it has reported it (:func:`commit`): a handout on disk is always one the
main process counts. :func:`prepare` does the rest, and decides whether a handout that
is already there may be kept (resuming a run): only when its fingerprint says it was
made from the same input (:mod:`rxprint.render.fingerprint`).
"""

from __future__ import annotations

import errno
import os
import time
import traceback
from dataclasses import dataclass, replace
from pathlib import Path

from rxprint.app import App
from rxprint.batch.jobs import Job, Outcome, Settings
from rxprint.errors import OutputError
from rxprint.files.output import check_target, write_atomic
from rxprint.render.fingerprint import read_fingerprint
from rxprint.runtime.failures import failure_message
from rxprint.runtime.interrupt import is_real

# Write errors after which no other handout can be written either: stop the batch.
_STOPPING_ERRORS = {errno.ENOSPC: "the disk is full", errno.EDQUOT: "the disk quota is used up",
                    errno.EROFS: "the output folder's file system is read-only"}


@dataclass(frozen=True)
class Ready:
    """A rendered handout, waiting to be written."""

    job: Job
    target: Path
    pdf: bytes
    pages: int
    warnings: tuple[str, ...]
    started: float


def _failure(job: Job, exc: BaseException, settings: Settings, started: float) -> Outcome:
    if settings.debug:
        traceback.print_exc()
    stop = _STOPPING_ERRORS.get(exc.errno or 0) if isinstance(exc, OutputError) else None
    return Outcome.of(job, "failed", failure_message(exc), stop=stop,
                      seconds=time.perf_counter() - started)


def prepare(app: App, job: Job, settings: Settings) -> Ready | Outcome:
    """Everything but writing: the job's handout rendered (:class:`Ready`), or its outcome
    when there is nothing to write (it failed, or its handout is already there and was
    made from the same input). Every error becomes the job's failure, whatever a plugin
    raised; only a real interrupt of this process passes."""
    started = time.perf_counter()
    if job.error is not None:
        return Outcome.of(job, "failed", job.error)
    target = settings.out_dir / job.name
    if os.path.islink(target):
        return Outcome.of(job, "failed", f"{job.shown_name}: is a symbolic link; a batch "
                          "writes only plain files into its folder, never through a link "
                          "(it may lead to another patient's handout, or out of the "
                          "folder): remove the link")
    try:
        request = job.request
        if request.clinician is None and settings.clinician is not None:
            request = replace(request, clinician=settings.clinician)
        request = replace(request, language=request.language or settings.language,
                          large_print=(request.large_print if request.large_print is not None
                                       else settings.large_print),
                          log=request.log if request.log is not None else settings.log)
        prepared = app.prepare(request, settings.today, branding=settings.branding,
                               layout=job.layout or request.layout or settings.layout,
                               paper=job.paper or request.paper or settings.paper,
                               pictures=settings.pictures)
        file_id = app.fingerprint(prepared.program, prepared.choice,
                                  pictures=prepared.pictures, attachment=prepared.attachment)
        if not settings.force and os.path.isfile(target):
            return _existing(job, target, file_id, started)
        # a folder, device or link to nothing there fails now, before rendering
        check_target(target, overwrite=settings.force, inputs=dict(settings.inputs),
                     shown=job.shown_name)
        result = app.handout(prepared, strict=settings.strict, file_id=file_id)
    except BaseException as exc:
        if is_real(exc):
            raise
        return _failure(job, exc, settings, started)
    return Ready(job, target, result.pdf, result.pages, tuple(result.warnings()), started)


def _existing(job: Job, target: Path, file_id: bytes, started: float) -> Outcome:
    """A handout is already where this job's goes (no --force): kept if it was made from
    this job's input, else the job fails (it may be another patient's)."""
    seconds = time.perf_counter() - started
    found = read_fingerprint(target)
    if found == file_id:
        return Outcome.of(job, "skipped", "already there, made from the same input",
                          seconds=seconds)
    what = ("is not a whole handout made by rxprint" if found is None else
            "was made from other input (another patient, program, option or rxprint "
            "version)")
    return Outcome.of(job, "failed", f"{job.shown_name}: already exists and {what}; it is "
                      "kept: use --force to replace it, or another output folder",
                      seconds=seconds)


def commit(ready: Ready, settings: Settings) -> Outcome:
    """Write the handout atomically (never over one of the run's inputs); its outcome."""
    job = ready.job
    try:
        write_atomic(ready.target, ready.pdf, overwrite=settings.force,
                     inputs=dict(settings.inputs), shown=job.shown_name, links=False)
    except BaseException as exc:
        if is_real(exc):
            raise
        return _failure(job, exc, settings, ready.started)
    return Outcome.of(job, "done", pages=ready.pages, warnings=ready.warnings,
                      seconds=time.perf_counter() - ready.started)


def make(app: App, job: Job, settings: Settings) -> Outcome:
    """:func:`prepare` and :func:`commit` in one (in this process)."""
    prepared = prepare(app, job, settings)
    return prepared if isinstance(prepared, Outcome) else commit(prepared, settings)
