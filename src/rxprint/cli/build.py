"""``rxprint build``: a program file and/or flags in, a PDF handout out."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from rxprint.cli.completion import complete_exercise, complete_program
from rxprint.cli.context import get_app, say, startup
from rxprint.cli.params import (
    OUTPUT,
    branding_option,
    lang_option,
    large_print_option,
    layout_option,
    log_option,
    paper_option,
    strict_option,
)
from rxprint.errors import Msg


def default_output(date: dt.date) -> Path:
    """A neutral name in the current folder: never the patient's name."""
    return Path(f"home-exercise-program-{date.isoformat()}.pdf")


@click.command("build")
@click.argument("program_file", required=False, type=click.Path(path_type=Path))
@click.option("-o", "--output", type=OUTPUT,
              help="Where to write the PDF ('-' for standard output). "
                   "Default: home-exercise-program-DATE.pdf here.")
@click.option("--template", metavar="ID", shell_complete=complete_program,
              help="Start from a standard program (see `rxprint programs`).")
@click.option("--patient", metavar="NAME", help="The patient's name, printed on every page.")
@click.option("-e", "--exercise", "exercises", metavar="ID", multiple=True,
              shell_complete=complete_exercise,
              help="Add an exercise with its default dosage (repeat for more).")
@click.option("--clinician", metavar="NAME", help="Your name and credentials.")
@click.option("--date", type=click.DateTime(formats=["%Y-%m-%d"]), metavar="YYYY-MM-DD",
              help="The visit date. Default: the program file's date, else today.")
@paper_option()
@layout_option()
@branding_option()
@lang_option()
@large_print_option()
@log_option()
@strict_option()
@click.option("--no-pictures", "no_pictures", is_flag=True,
              help="Leave out the drawings and photos (a shorter, text-only handout).")
@click.option("--password-file", type=click.Path(path_type=Path, allow_dash=True),
              metavar="FILE",
              help="Protect the PDF with the password on FILE's first line ('-': read it "
                   "from standard input), AES-256; needs pip install 'rxprint[encrypt]'.")
@click.option("--force", is_flag=True, help="Replace the output file if it exists.")
@click.option("--summary", is_flag=True,
              help="Also print a plain-text chart note of what was issued.")
@click.pass_context
def build_command(ctx: click.Context, program_file: Path | None, output: Path | None,
                  template: str | None, patient: str | None, exercises: tuple[str, ...],
                  clinician: str | None, date: dt.datetime | None, paper: str | None,
                  layout: str | None, branding: str | None, language: str | None,
                  large_print: bool | None, log: bool | None, strict: bool,
                  no_pictures: bool, password_file: Path | None, force: bool,
                  summary: bool) -> None:
    """Build a PDF handout from PROGRAM_FILE and/or options.

    Options override the program file; -e adds exercises to it.

    \b
    Examples:
      rxprint build visit.toml -o jane.pdf
      rxprint build --template hip-flexor-back-pain --patient "Jane Doe" --clinician "Sam Lee, PT"
      rxprint build -e quad-set -e glute-bridge --patient "Jane Doe" --paper a4
      rxprint build visit.toml --layout compact --branding riverside-pt
      rxprint build --template thigh-back-pain --lang es --large-print
    """
    if program_file is None and template is None and not exercises:
        raise click.UsageError("nothing to build: give a PROGRAM_FILE, --template ID or "
                               "-e ID (see `rxprint programs` and `rxprint list`)")
    with startup():  # the core and ReportLab imported, the App made, the program resolved
        from rxprint.files.output import check_output, is_stdout, write_output
        from rxprint.library.model import ProgramRequest
        from rxprint.library.programs import read_program_file, with_flags
        from rxprint.runtime.failures import printable

        today = dt.date.today()
        app = get_app(ctx)
        request = read_program_file(program_file) if program_file else ProgramRequest()
        if language is not None:
            app.check_language(language)
        request = with_flags(request, template=template, patient_name=patient,
                             clinician=clinician, date=date.date() if date else None,
                             exercises=exercises, language=language,
                             large_print=large_print, log=log)
        # flags > the program file's (an extracted one says how it was printed) > config
        prepared = app.prepare(request, today, branding=branding, layout=layout,
                               paper=paper, pictures=not no_pictures)
        program = prepared.program
        target = output if output is not None else default_output(program.date)
        to_stdout = is_stdout(target)
        inputs = app.input_files()
        if program_file is not None:
            inputs[program_file] = "the program file"
        password = None
        if password_file is not None:  # read and checked before any work
            from rxprint.files.encrypt import check_available, read_password

            check_available()
            if str(password_file) != "-":
                inputs[password_file] = "the password file"
            password = read_password(password_file)
        check_output(target, overwrite=force, inputs=inputs)
    result = app.handout(prepared, strict=strict)
    for warning in result.warnings():
        # said in the interface language only when the warning itself can be
        line = (Msg("warning", "Warning: {warning}", warning=warning)
                if isinstance(warning, Msg) else f"Warning: {warning}")
        click.echo(printable(say(ctx, line)), err=True)
    pdf = result.pdf
    if password is not None:
        from rxprint.files.encrypt import encrypt_pdf

        pdf = encrypt_pdf(pdf, password)
    write_output(target, pdf, overwrite=force, inputs=inputs)
    if not to_stdout:
        locked = (Msg("wrote.locked", ", password-protected (AES-256)")
                  if password is not None else "")
        n = result.pages
        wrote = (Msg("wrote.one", "Wrote {target} ({n} page{locked})", target=str(target),
                     n=n, locked=locked) if n == 1 else
                 Msg("wrote.other", "Wrote {target} ({n} pages{locked})", target=str(target),
                     n=n, locked=locked))
        click.echo(printable(say(ctx, wrote)), err=True)
    if summary:
        from dataclasses import replace

        from rxprint.render.summary import chart_note

        # for the clinical record: in the record's language, whatever the handout's
        record = replace(program, language=app.config.record_language or "en")
        record, _ = app.localized(record)
        note = chart_note(record, app.catalog(record.language),
                          file_name=None if to_stdout else target.name, pages=result.pages)
        click.echo(note, err=to_stdout)
