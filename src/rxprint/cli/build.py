"""``rxprint build``: a program file and/or flags in, a PDF handout out."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from ..library import builtin_library
from ..messages import catalog
from ..model import ProgramRequest
from ..output import check_target, write_atomic
from ..programs import read_program_file, resolve, with_flags
from ..render.document import PAPERS
from ..render.handout import render_handout
from ..summary import chart_note
from .completion import complete_exercise, complete_program


def default_output(date: dt.date) -> Path:
    """A neutral name in the current folder: never the patient's name."""
    return Path(f"home-exercise-program-{date.isoformat()}.pdf")


@click.command("build")
@click.argument("program_file", required=False, type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path),
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
@click.option("--paper", type=click.Choice(sorted(PAPERS)), default="letter",
              envvar="RXPRINT_PAPER", show_default=True, help="Paper size.")
@click.option("--force", is_flag=True, help="Replace the output file if it exists.")
@click.option("--summary", is_flag=True,
              help="Also print a plain-text chart note of what was issued.")
def build_command(program_file: Path | None, output: Path | None, template: str | None,
                  patient: str | None, exercises: tuple[str, ...], clinician: str | None,
                  date: dt.datetime | None, paper: str, force: bool, summary: bool) -> None:
    """Build a PDF handout from PROGRAM_FILE and/or options.

    Options override the program file; -e adds exercises to it.

    \b
    Examples:
      rxprint build visit.toml -o jane.pdf
      rxprint build --template hip-flexor-back-pain --patient "Jane Doe" --clinician "Sam Lee, PT"
      rxprint build -e quad-set -e glute-bridge --patient "Jane Doe" --paper a4
    """
    if program_file is None and template is None and not exercises:
        raise click.UsageError("nothing to build: give a PROGRAM_FILE, --template ID or "
                               "-e ID (see `rxprint programs` and `rxprint list`)")
    today = dt.date.today()
    request = read_program_file(program_file) if program_file else ProgramRequest()
    request = with_flags(request, template=template, patient_name=patient,
                         clinician=clinician, date=date.date() if date else None,
                         exercises=exercises)
    program = resolve(request, builtin_library(), today)
    to_stdout = output is not None and str(output) == "-"
    target = output if output is not None else default_output(program.date)
    if not to_stdout:
        check_target(target, overwrite=force)
    result = render_handout(program, paper=paper)
    for warning in result.warnings():
        click.echo(f"Warning: {warning}", err=True)
    if to_stdout:
        sys.stdout.buffer.write(result.pdf)
        sys.stdout.buffer.flush()
    else:
        write_atomic(target, result.pdf, overwrite=force)
        click.echo(f"Wrote {target} ({result.pages} page{'s' if result.pages != 1 else ''})",
                   err=True)
    if summary:
        note = chart_note(program, catalog("en"),
                          file_name=None if to_stdout else target.name, pages=result.pages)
        click.echo(note, err=to_stdout)
