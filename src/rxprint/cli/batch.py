"""``rxprint batch``: many handouts into a folder, from a roster, program files, or every
standard program. The work is in :mod:`rxprint.batch`; this is the command line."""

from __future__ import annotations

import contextlib
import datetime as dt
import math
import os
import sys
import time
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

from rxprint.batch.jobs import DEFAULT_TIMEOUT, Job, Outcome, Settings
from rxprint.cli.context import get_app, say
from rxprint.cli.params import (
    branding_option,
    lang_option,
    large_print_option,
    layout_option,
    log_option,
    paper_option,
    strict_option,
)
from rxprint.errors import OutputError
from rxprint.runtime import interrupt
from rxprint.runtime.failures import printable
from rxprint.runtime.interrupt import Interrupted

if TYPE_CHECKING:
    from rxprint.app import App


MAX_WORKERS = 64


def _clinician(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    from rxprint.library.programs import MAX_NAME

    if value is None or not value.strip():
        return None
    if len(value.strip()) > MAX_NAME:  # the same limit as a roster's clinician column
        raise click.BadParameter(f"is {len(value.strip())} characters long; at most "
                                 f"{MAX_NAME} are printed")
    return value.strip()


def _finite(ctx: click.Context, param: click.Parameter, value: float) -> float:
    if not math.isfinite(value):  # FloatRange lets "nan" through
        raise click.BadParameter("expected a number of seconds from 1 to 86400")
    return value


@click.command("batch")
@click.argument("source", required=False,
                type=click.Path(path_type=Path, exists=True, dir_okay=True, file_okay=True))
@click.option("--all-programs", is_flag=True,
              help="Every standard program (built-in and plugins), without a patient name.")
@click.option("-o", "--output-dir", "out_dir", required=True, metavar="DIR",
              type=click.Path(path_type=Path, file_okay=False),
              help="The folder for the handouts (created if missing).")
@click.option("-j", "--jobs", "jobs", type=click.IntRange(min=1, max=MAX_WORKERS),
              metavar="N", help="Worker processes (default: the number of CPUs).")
@click.option("--name", "name_template", metavar="TEMPLATE",
              help="File names from {patient}, {template}, {date}, {row}, {file}. Default: "
                   "{row}-{template} for a roster, {file} for program files, {template} "
                   "for --all-programs.")
@click.option("--report", type=click.Path(path_type=Path, dir_okay=False, allow_dash=True),
              metavar="FILE",
              help="Also write a JSON report (no patient data): one record per handout. "
                   "'-' writes it to standard output.")
@click.option("--date", type=click.DateTime(formats=["%Y-%m-%d"]), metavar="YYYY-MM-DD",
              help="The date for rows and files that give none. Default: today.")
@click.option("--clinician", metavar="NAME", callback=_clinician,
              help="Your name and credentials, for rows and files that give none (and "
                   "for every handout of --all-programs).")
@paper_option("Paper size, unless a row gives one.")
@layout_option("Layout, unless a row gives one.")
@branding_option()
@lang_option("Language, unless a row or file gives one (default: the configuration's, "
             "else en).")
@large_print_option()
@log_option()
@strict_option()
@click.option("--no-pictures", "no_pictures", is_flag=True,
              help="Leave out the drawings and photos.")
@click.option("--timeout", type=click.FloatRange(min=1, max=24 * 3600), metavar="SECONDS",
              default=DEFAULT_TIMEOUT, show_default=True, callback=_finite,
              help="How long one handout may take; then its row fails and the batch goes on.")
@click.option("--force", is_flag=True,
              help="Replace handouts (and the report) that exist. Without it, a handout "
                   "already there is kept if it was made from the same input (a run again "
                   "finishes only what is missing) and its row fails if not.")
@click.option("--start-method", type=click.Choice(["fork", "spawn", "forkserver"]),
              help="How worker processes start (default: the platform's).")
@click.pass_context
def batch_command(ctx: click.Context, source: Path | None, all_programs: bool, out_dir: Path,
                  jobs: int | None, name_template: str | None, report: Path | None,
                  date: dt.datetime | None, clinician: str | None, paper: str | None,
                  layout: str | None, branding: str | None, language: str | None,
                  large_print: bool | None, log: bool | None, strict: bool,
                  no_pictures: bool,
                  timeout: float, force: bool, start_method: str | None) -> None:
    """Make many handouts at once, into the folder DIR.

    SOURCE is a CSV roster (one handout per row; columns: patient, template, clinician,
    date, layout, paper, language, large_print, notes, output, exercises) or a folder of
    program files; or give --all-programs. A bad row or file fails alone; the others go
    on.

    With --all-programs each handout is a generic one: no patient name (plugins'
    adjust_program sees a program without one), the clinician from --clinician.

    \b
    Examples:
      rxprint batch roster.csv -o handouts/ --report report.json
      rxprint batch visits/ -o handouts/ -j 2
      rxprint batch --all-programs -o binder/ --layout compact
    """
    from rxprint import batch
    from rxprint.batch import folder

    if (source is None) == (not all_programs):
        raise click.UsageError("give either a SOURCE (a CSV roster or a folder of program "
                               "files) or --all-programs, not both")
    kind = "programs" if all_programs else "files" if source and source.is_dir() else "roster"
    template = name_template or batch.DEFAULT_NAMES[kind]
    try:
        batch.check_name_template(template)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--name") from None
    app = get_app(ctx)
    app.choose(branding=branding, layout=layout, paper=paper)  # fail early
    if language is not None:
        app.check_language(language)
    if source is None:
        items = batch.standard_program_jobs(app)
    elif kind == "files":
        items = batch.program_file_jobs(source)
    else:
        items = batch.read_roster(source)
    inputs = {**app.input_files(), **_source_files(source, items)}
    settings = Settings(
        out_dir=out_dir, force=force, branding=branding, layout=layout,
        paper=paper.lower() if paper else None, pictures=not no_pictures,
        language=language, large_print=large_print, log=log, strict=strict,
        today=date.date() if date else dt.date.today(), clinician=clinician,
        debug=bool(ctx.find_root().params.get("debug")), timeout=timeout,
        inputs=tuple(inputs.items()))
    items = batch.assign_names(items, template, settings.today)
    if report is not None:
        _check_report(report, out_dir, items, inputs, force=force)
    folder.create(out_dir)
    with folder.locked(out_dir) as lock:
        if lock.removed:
            _say(f"Removed {lock.removed} temporary file{'s' if lock.removed != 1 else ''} "
                 "left by an interrupted run.")
        with interrupt.deferred() as signals:  # from here on a signal stops the batch
            failed, stopped, signum = _run(app, items, settings, batch.worker_count(jobs),
                                           start_method, report, signals, lock.fd)
    if signum is not None:  # (one that came once every handout was made changes nothing)
        raise Interrupted(signum)  # Interrupted. / Stopped (SIGTERM).: 128 + N
    if failed or stopped:
        ctx.exit(1)


def _run(app: App, items: list[Job], settings: Settings, workers: int,
         start_method: str | None, report: Path | None, signals: interrupt.deferred,
         lock_fd: int | None) -> tuple[int, str | None, int | None]:
    """Make the handouts, then write the report and print the summary, whatever stopped
    the batch (signals are only recorded meanwhile: :class:`rxprint.runtime.interrupt.deferred`).
    Returns the number of failures, why the batch stopped early if it did, and the
    signal that stopped it."""
    from rxprint import batch
    from rxprint.files.images import snapshot

    workers = min(workers, sum(1 for job in items if job.error is None))
    start = time.perf_counter()
    signum: int | None = None  # a signal after the last handout changes nothing: all made
    with _progress(len(items)) as advance:
        try:
            result = batch.run(app, items, settings, workers=workers,
                               start_method=start_method, images=snapshot(),
                               progress=advance, stop=signals.pending,
                               close_fds=() if lock_fd is None else (lock_fd,))
            outcomes, stopped = result.outcomes, result.stopped
        except batch.BatchInterrupted as exc:
            outcomes, stopped, signum = exc.outcomes, _interruption(exc.signum), exc.signum
    failed = _finish(outcomes, len(items), time.perf_counter() - start, workers, settings,
                     report, stopped=stopped, interrupted=signum is not None)
    return failed, stopped, signum


def _interruption(signum: int) -> str:
    from rxprint.runtime.interrupt import SIGNAL_NAMES

    return "interrupted" if signum == 2 else f"stopped by {SIGNAL_NAMES.get(signum, signum)}"


def _source_files(source: Path | None, items: Sequence[Job]) -> dict[Path, str]:
    """The files the batch reads besides the App's: the roster, or each program file."""
    if source is None:
        return {}
    if not source.is_dir():
        return {source: "the roster"}
    return {source / j.file: "a program file of this batch" for j in items if j.file}


def _place(path: Path) -> tuple[str, str]:
    """Where a file is, as a file system that ignores case and Unicode form sees it."""
    resolved = Path(os.path.realpath(path))
    return str(resolved.parent), unicodedata.normalize("NFC", resolved.name).casefold()


def _check_report(report: Path, out_dir: Path, items: Sequence[Job],
                  inputs: dict[Path, str], *, force: bool) -> None:
    """The report must be writable and must not replace the output folder, a handout of
    this batch or one of its inputs; it may go into the output folder before that folder
    exists. All of this before any work: a batch never runs to fail at its report."""
    from rxprint.files.output import check_not_input, check_target, is_stdout, stdout_closed

    if is_stdout(report):
        if stdout_closed():
            raise OutputError("--report -: standard output is closed; give the report a "
                              "file name, --report FILE.json")
        return
    check_not_input(report, inputs, shown=f"--report {report}")
    place = _place(report)
    if place == _place(out_dir):
        raise OutputError(f"--report {report}: is the output folder; give the report a "
                          "file name, --report FILE.json")
    for job in items:
        if job.error is None and _place(out_dir / job.name) == place:
            raise OutputError(f"--report {report}: is the handout of {printable(job.label)}; "
                              "choose a report name that no handout of this batch has "
                              "(report.json, say)")
    if place[0] == str(Path(os.path.realpath(out_dir))) and not out_dir.exists():
        return  # made with the output folder
    check_target(report, overwrite=force)


def _say(line: str) -> None:
    """One line on stderr, escaped for the terminal (line breaks too: a file name cannot
    forge a line); lost quietly when stderr is gone (the terminal was closed: SIGHUP)."""
    with contextlib.suppress(OSError, ValueError):
        click.echo(printable(line, keep=""), err=True)


class _progress:
    """Click's progress bar on stderr when it is a terminal; nothing otherwise. It shows
    counts only, never a name."""

    def __init__(self, total: int) -> None:
        stream = sys.stderr  # None when rxprint was started with it closed (2>&-)
        self.bar = (click.progressbar(length=total, label="Handouts", file=stream,
                                      show_pos=True)
                    if total and stream is not None and stream.isatty() else None)

    def __enter__(self) -> _progress:
        if self.bar is not None:
            self.bar.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            with contextlib.suppress(OSError, ValueError):
                self.bar.__exit__(None, None, None)

    def __call__(self, outcome: object) -> None:
        if self.bar is not None:
            with contextlib.suppress(OSError, ValueError):
                self.bar.update(1)


def _finish(outcomes: Sequence[Outcome], total: int, seconds: float, workers: int,
            settings: Settings, report: Path | None, *, stopped: str | None,
            interrupted: bool) -> int:
    """Write the report (first: it is what remains when the terminal is gone), then print
    the warnings, the failures (by row or file) and the summary; return the number of
    failures. A report that cannot be written is an error after the summary."""
    from rxprint.batch import report as reports
    from rxprint.files.output import write_output
    from rxprint.runtime.logs import not_shown

    problem: OutputError | None = None
    if report is not None:
        data = reports.report_json(outcomes, total, seconds, workers, settings.out_dir,
                                   stopped, interrupted=interrupted,
                                   timeout=settings.timeout)
        try:
            write_output(report, data, overwrite=settings.force, what="the report",
                         inputs=dict(settings.inputs))
        except OutputError as exc:
            problem = exc
    for o in outcomes:
        for warning in o.warnings:
            _say(f"Warning: {o.label}: {warning}")
    logged = not_shown(sum(o.logged for o in outcomes)) if not settings.debug else None
    if logged is not None:
        _say(f"{logged} (in worker processes)")
    for o in outcomes:
        if o.status == "failed":
            _say(f"Failed: {o.label}: {o.error}")
    summary = reports.summary_line(outcomes, total, seconds, workers, settings.out_dir,
                                   stopped)
    ctx = click.get_current_context(silent=True)  # the interface language's
    _say(say(ctx, summary) if ctx is not None else summary)
    if problem is not None:
        raise problem
    return reports.counts(outcomes)["failed"]
