"""``rxprint catalog``: the whole library with pictures, as a PDF for review."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from rxprint.cli.context import get_app
from rxprint.cli.params import OUTPUT, branding_option, lang_option, paper_option
from rxprint.files.output import check_output, is_stdout, write_output
from rxprint.library.model import CATEGORIES
from rxprint.runtime.failures import printable


@click.command("catalog")
@click.option("-o", "--output", type=OUTPUT, required=True,
              help="Where to write the PDF ('-' for standard output).")
@click.option("--category", type=click.Choice(CATEGORIES), help="Only this category.")
@paper_option()
@branding_option()
@lang_option("The catalog's language (default: the configuration's, else en).")
@click.option("--force", is_flag=True, help="Replace the output file if it exists.")
@click.pass_context
def catalog_command(ctx: click.Context, output: Path, category: str | None,
                    paper: str | None, branding: str | None, language: str | None,
                    force: bool) -> None:
    """The whole exercise library (built-in and plugins) as a PDF: each exercise's
    picture, id, title and default dosage, for clinics to review.

    \b
    Examples:
      rxprint catalog -o catalog.pdf
      rxprint catalog -o stretches.pdf --category stretch
      rxprint catalog -o catalogo.pdf --lang es
    """
    from rxprint.library.translations import localize
    from rxprint.render.catalog import render_catalog  # ReportLab: only when this command runs

    app = get_app(ctx)
    language = app.check_language(language or app.config.language or "en")
    extra = app.extra_translations(language)
    choice = app.choose(branding=branding, paper=paper)
    inputs = app.input_files()
    check_output(output, overwrite=force, inputs=inputs)
    library = app.library
    exercises = [localize(e, language, extra) for e in library.exercises.values()
                 if category in (None, e.category)]
    if not exercises:
        raise click.UsageError(f"no exercises in the category {category!r}")
    origins = {ident: plugin.split(" (")[0]
               for (kind, ident), plugin in library.origins.items()
               if kind == "exercise" and not plugin.startswith("rxprint.builtins")}
    result = render_catalog(exercises, date=dt.date.today(), paper=choice.paper,
                            branding=choice.branding, font=choice.font, origins=origins,
                            messages=app.catalog(language))
    # the library, no patient data: readable by others as the umask allows
    write_output(output, result.pdf, overwrite=force, what="the catalog",
                 inputs=inputs, private=False)
    if is_stdout(output):
        return
    click.echo(printable(f"Wrote {output} ({len(exercises)} exercises, {result.pages} page"
                         f"{'s' if result.pages != 1 else ''})", keep=""), err=True)
