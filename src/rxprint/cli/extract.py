"""``rxprint extract``: the program a handout was made from, back as a program file."""

from __future__ import annotations

from pathlib import Path

import click

from rxprint.cli.context import get_app
from rxprint.cli.params import OUTPUT


@click.command("extract")
@click.argument("handout", type=click.Path(path_type=Path))
@click.option("-o", "--output", type=OUTPUT, required=True,
              help="Where to write the program file ('-' for standard output).")
@click.option("--password-file", type=click.Path(path_type=Path, allow_dash=True),
              metavar="FILE", help="The password of a password-protected handout, on "
                                   "FILE's first line ('-': standard input).")
@click.option("--force", is_flag=True, help="Replace the output file if it exists.")
@click.pass_context
def extract_command(ctx: click.Context, handout: Path, output: Path,
                    password_file: Path | None, force: bool) -> None:
    """Recover the program file a handout was made from: `rxprint build` on it makes the
    same handout again (with the same rxprint version and plugins). Change the dosage in
    it to progress the program at the next visit.

    \b
    Examples:
      rxprint extract last-visit.pdf -o next.toml
      rxprint extract emailed.pdf -o next.toml --password-file pw.txt
    Needs pikepdf: pip install 'rxprint[encrypt]'.
    """
    from rxprint.files.encrypt import read_password
    from rxprint.files.extract import attached_program
    from rxprint.files.output import check_output, is_stdout, write_output
    from rxprint.runtime.failures import printable

    inputs = {**get_app(ctx).input_files(), handout: "the handout"}
    if password_file is not None and str(password_file) != "-":
        inputs[password_file] = "the password file"
    check_output(output, overwrite=force, inputs=inputs)
    password = read_password(password_file) if password_file is not None else None
    text = attached_program(handout, password)
    # the program holds patient data: written for its owner only, like a handout
    write_output(output, text, overwrite=force, what="the program file", inputs=inputs)
    if not is_stdout(output):
        click.echo(printable(f"Wrote {output} (the program of {handout.name})", keep=""),
                   err=True)
