"""``rxprint batch``: many handouts into a folder, from a roster, program files, or every
standard program. The work is in :mod:`rxprint.batch`; this is the command line."""

from __future__ import annotations

import datetime as dt
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import click

from .. import __version__
from ..errors import OutputError
from .context import get_app
from .params import branding_option, layout_option, paper_option


@click.command("batch")
@click.argument("source", required=False,
                type=click.Path(path_type=Path, exists=True, dir_okay=True, file_okay=True))
@click.option("--all-programs", is_flag=True,
              help="Every standard program (built-in and plugins), without a patient name.")
@click.option("-o", "--output-dir", "out_dir", required=True, metavar="DIR",
              type=click.Path(path_type=Path, file_okay=False),
              help="The folder for the handouts (created if missing).")
@click.option("-j", "--jobs", "jobs", type=click.IntRange(min=1), metavar="N",
              help="Worker processes (default: the number of CPUs).")
@click.option("--name", "name_template", metavar="TEMPLATE",
              help="File names from {patient}, {template}, {date}, {row}, {file}. Default: "
                   "{row}-{template} for a roster, {file} for program files, {template} "
                   "for --all-programs.")
@click.option("--report", type=click.Path(path_type=Path, dir_okay=False), metavar="FILE",
              help="Also write a JSON report: one record per handout, no patient data.")
@click.option("--date", type=click.DateTime(formats=["%Y-%m-%d"]), metavar="YYYY-MM-DD",
              help="The date for rows and files that give none. Default: today.")
@paper_option("Paper size, unless a row gives one.")
@layout_option("Layout, unless a row gives one.")
@branding_option()
@click.option("--no-pictures", "no_pictures", is_flag=True,
              help="Leave out the drawings and photos.")
@click.option("--force", is_flag=True,
              help="Replace handouts (and the report) that exist; without it they are "
                   "skipped, so a run again finishes only what is missing.")
@click.option("--start-method", type=click.Choice(["fork", "spawn", "forkserver"]),
              help="How worker processes start (default: the platform's).")
@click.pass_context
def batch_command(ctx: click.Context, source: Path | None, all_programs: bool, out_dir: Path,
                  jobs: int | None, name_template: str | None, report: Path | None,
                  date: dt.datetime | None, paper: str | None, layout: str | None,
                  branding: str | None, no_pictures: bool, force: bool,
                  start_method: str | None) -> None:
    """Make many handouts at once, into the folder DIR.

    SOURCE is a CSV roster (one handout per row; columns: patient, template, clinician,
    date, layout, paper, notes, output, exercises) or a folder of program files; or give
    --all-programs. A bad row or file fails alone; the others go on.

    \b
    Examples:
      rxprint batch roster.csv -o handouts/ --report report.json
      rxprint batch visits/ -o handouts/ -j 2
      rxprint batch --all-programs -o binder/ --layout compact
    """
    from .. import batch  # ReportLab comes with it; only this command needs it

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
    settings = batch.Settings(
        out_dir=out_dir, force=force, branding=branding, layout=layout,
        paper=paper.lower() if paper else None, pictures=not no_pictures,
        today=date.date() if date else dt.date.today(),
        debug=bool(ctx.find_root().params.get("debug")))
    app.choose(branding=branding, layout=layout, paper=settings.paper)  # fail early
    if report is not None:
        from ..output import check_target

        check_target(report, overwrite=force)
    if source is None:
        items = batch.standard_program_jobs(app)
    elif kind == "files":
        items = batch.program_file_jobs(source)
    else:
        items = batch.read_roster(source)
    items = batch.assign_names(items, template, settings.today)
    _prepare_folder(out_dir)

    workers = min(batch.worker_count(jobs), max(1, len(items)))
    start = time.perf_counter()
    outcomes: list[batch.Outcome] = []
    try:
        with _progress(len(items)) as advance:
            outcomes = batch.run(app, items, settings, workers=workers,
                                 start_method=start_method, progress=advance)
    except batch.BatchInterrupted as stopped:
        _finish(stopped.outcomes, len(items), time.perf_counter() - start, workers, out_dir,
                report, force, interrupted=True)
        raise
    failed = _finish(outcomes, len(items), time.perf_counter() - start, workers, out_dir,
                     report, force, interrupted=False)
    if failed:
        ctx.exit(1)


def _prepare_folder(out_dir: Path) -> None:
    from ..output import remove_stale_temp_files

    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise OutputError(f"{out_dir}: exists and is not a folder; choose another "
                          "output folder") from None
    except OSError as exc:
        raise OutputError(f"{out_dir}: cannot create the folder ({exc.strerror})") from None
    removed = remove_stale_temp_files(out_dir)
    if removed:
        click.echo(f"Removed {removed} temporary file{'s' if removed != 1 else ''} left by "
                   "an interrupted run.", err=True)


class _progress:
    """Click's progress bar on stderr when it is a terminal; nothing otherwise. It shows
    counts only, never a name."""

    def __init__(self, total: int) -> None:
        self.bar = (click.progressbar(length=total, label="Handouts", file=sys.stderr,
                                      show_pos=True)
                    if total and sys.stderr.isatty() else None)

    def __enter__(self) -> _progress:
        if self.bar is not None:
            self.bar.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)

    def __call__(self, outcome: object) -> None:
        if self.bar is not None:
            self.bar.update(1)


def _finish(outcomes: Sequence[object], total: int, seconds: float, workers: int,
            out_dir: Path, report: Path | None, force: bool, *, interrupted: bool) -> int:
    """Print the summary (and the failures, by row or file), write the report; return the
    number of failures."""
    from ..batch import Outcome
    from ..output import write_atomic

    done = [o for o in outcomes if isinstance(o, Outcome)]
    counts = {s: sum(1 for o in done if o.status == s) for s in ("done", "skipped", "failed")}
    for o in done:
        if o.status == "failed":
            click.echo(f"Failed: {o.label}: {o.error}", err=True)
    left = total - len(done)
    click.echo(f"Batch: {counts['done']} done, {counts['skipped']} skipped (already there), "
               f"{counts['failed']} failed"
               + (f", {left} not started (interrupted)" if interrupted else "")
               + f", in {seconds:.1f} s with {workers} worker{'s' if workers != 1 else ''}; "
               f"handouts in {out_dir}", err=True)
    if report is not None:
        data = {"rxprint": __version__, "output_dir": str(out_dir), "interrupted": interrupted,
                "summary": {**counts, "not_started": left, "seconds": round(seconds, 3),
                            "workers": workers},
                "items": [o.record() for o in done]}
        write_atomic(report, (json.dumps(data, indent=2) + "\n").encode(), overwrite=force,
                     what="the report")
    return counts["failed"]
