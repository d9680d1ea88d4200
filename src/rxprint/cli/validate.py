"""``rxprint validate``: check files and list every problem."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from rxprint.cli.context import get_app
from rxprint.errors import InputError, Problem, ValidationError
from rxprint.library.validation import validate_paths


@click.command("validate")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.pass_context
def validate_command(ctx: click.Context, paths: tuple[Path, ...]) -> None:
    """Check exercise, education, standard program and program files (or folders of them).

    Every problem is listed with file, line and field; exit status 1 if there are any.
    Text past the plain-language limits (why it helps in one sentence of 25 words, at most
    6 steps of 70 words, 130 words an exercise, no sentence over 20 words; education:
    three messages, 120 words) is a warning: listed, exit status 0.

    \b
    Examples:
      rxprint validate visit.toml
      rxprint validate my-clinic/exercises/
    """
    report = validate_paths(paths, get_app(ctx).library, dt.date.today())
    if not report.files and not report.problems:
        # a check that checked nothing must not pass (a CI step pointed at the wrong place)
        raise InputError(Problem("no .toml files found to check; give program files or "
                                 "folders holding exercise, education or program files",
                                 path=paths[0] if len(paths) == 1 else None))
    for warning in report.warnings:
        click.echo(f"warning: {warning}", err=True)
    if report.problems:
        raise ValidationError(report.problems,
                              f"{report.files} file{'s' if report.files != 1 else ''} checked")
    warned = (f", {len(report.warnings)} plain-language warning"
              f"{'s' if len(report.warnings) != 1 else ''}" if report.warnings else "")
    click.echo(f"OK: {report.files} file{'s' if report.files != 1 else ''} checked, "
               f"no problems{warned}.")
