"""The ``rxprint`` command: a thin layer over the core.

This is the one error boundary: the core raises :class:`~rxprint.errors.RxprintError`;
here it becomes ``Error: ...`` on stderr and exit status 1 (usage errors exit 2, as Click
does). Tracebacks only with ``--debug`` or ``RXPRINT_DEBUG=1``.
"""

from __future__ import annotations

from typing import Any

import click

from .. import __version__
from ..errors import RxprintError
from .browse import list_command, programs_command, show_command
from .build import build_command
from .check import validate_command

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


class RxprintGroup(click.Group):
    """Turns rxprint errors (and unexpected ones) into clear messages without tracebacks."""

    def invoke(self, ctx: click.Context) -> Any:
        debug = bool(ctx.params.get("debug"))
        try:
            return super().invoke(ctx)
        except RxprintError as exc:
            if debug:
                raise
            raise click.ClickException(str(exc)) from None
        except (click.ClickException, click.exceptions.Exit, click.Abort, KeyboardInterrupt):
            raise
        except Exception as exc:
            if debug:
                raise
            # The message of an unexpected error may carry input text, so only its type
            # is shown.
            raise click.ClickException(
                f"unexpected internal error ({type(exc).__name__}). This is a bug in "
                f"rxprint {__version__}; run again with --debug to see the traceback and "
                "report it (remove patient details first)."
            ) from None


@click.group(cls=RxprintGroup, context_settings=CONTEXT_SETTINGS)
@click.version_option(__version__, "--version", prog_name="rxprint")
@click.option("--debug", is_flag=True, envvar="RXPRINT_DEBUG",
              help="Show tracebacks on errors (also RXPRINT_DEBUG=1).")
def cli(debug: bool) -> None:
    """Print home exercise programs: clear, personal PDF handouts for patients.

    \b
    Examples:
      rxprint programs                                   # the standard programs
      rxprint build --template hip-flexor-back-pain --patient "Jane Doe" -o jane.pdf
      rxprint build visit.toml --summary                 # from a program file
      rxprint list --category stretch                    # browse the library
      rxprint show supine-hip-flexor-stretch
    """


cli.add_command(build_command)
cli.add_command(list_command)
cli.add_command(show_command)
cli.add_command(programs_command)
cli.add_command(validate_command)


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="rxprint")


if __name__ == "__main__":  # pragma: no cover
    main()
