"""``rxprint validate``: check files and list every problem."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from rxprint.cli.context import get_app
from rxprint.errors import InputError, Msg, Problem, ValidationError
from rxprint.language.messages import catalog_problems
from rxprint.library.validation import validate_paths


@click.command("validate")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--lang", "languages", metavar="CODE", multiple=True,
              help="Also report entries with no translation into this language (repeat "
                   "for more; the configuration's language is always checked).")
@click.pass_context
def validate_command(ctx: click.Context, paths: tuple[Path, ...],
                     languages: tuple[str, ...]) -> None:
    """Check exercise, education, standard program and program files (or folders of them).

    Every problem is listed with file, line and field; exit status 1 if there are any.
    Text past the plain-language limits (why it helps in one sentence of 25 words, at most
    6 steps of 70 words, 130 words an exercise, no sentence over 20 words; education:
    three messages, 120 words) is a warning: listed, exit status 0. So is a translation
    that is incomplete or stale (the English changed after it was made: the message gives
    the stamp to set once it is updated), or missing for a language --lang names. A
    plugin's message catalog and its folder of translations are checked too (give their
    paths): messages missing, misspelt or with other placeholders than the English.

    \b
    Examples:
      rxprint validate visit.toml
      rxprint validate my-clinic/exercises/
      rxprint validate my-clinic/exercises/ --lang es
    """
    app = get_app(ctx)
    required = {code.strip().lower() for code in languages}
    if app.config.language:
        required.add(app.config.language)
    for code in sorted(required):
        app.check_language(code)
    folders: dict[Path, str] = {}
    catalogs: dict[Path, str] = {}
    for code, registered in app.registry.languages.items():  # what plugins add
        folders.update({folder: code for folder in registered.value.translations})
        if registered.value.catalog is not None:
            catalogs[registered.value.catalog] = code
    report = validate_paths(paths, app.library, dt.date.today(), languages=sorted(required),
                            translation_folders=folders, catalogs=catalogs,
                            check_catalog=catalog_problems)
    if not report.files and not report.problems:
        # a check that checked nothing must not pass (a CI step pointed at the wrong place)
        raise InputError(Problem("no .toml files found to check; give program files or "
                                 "folders holding exercise, education or program files",
                                 path=paths[0] if len(paths) == 1 else None))
    for warning in (*report.warnings, *report.translation):
        click.echo(f"warning: {warning}", err=True)
    if report.problems:
        n = report.files
        raise ValidationError(report.problems, Msg("validate.one", "{n} file checked", n=n)
                              if n == 1 else Msg("validate.other", "{n} files checked", n=n))
    warned = "".join(f", {len(found)} {what} warning{'s' if len(found) != 1 else ''}"
                     for what, found in (("plain-language", report.warnings),
                                         ("translation", report.translation)) if found)
    click.echo(f"OK: {report.files} file{'s' if report.files != 1 else ''} checked, "
               f"no problems{warned}.")
