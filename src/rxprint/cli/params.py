"""Parameter types and options shared by the commands."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from rxprint.cli.completion import complete_branding, complete_layout
from rxprint.library.paper import PAPERS

if TYPE_CHECKING:  # click's ParamType is generic only in recent releases
    _ParamType = click.ParamType[Path]
else:
    _ParamType = click.ParamType


class OutputPath(_ParamType):
    """An output file (or ``-``): a name, not a folder. ``''``, blanks and a path ending
    in a slash are usage errors (pathlib would quietly drop the slash)."""

    name = "FILE"

    def convert(self, value: object, param: click.Parameter | None,
                ctx: click.Context | None) -> Path:
        if isinstance(value, Path):
            return value
        text = str(value)
        if not text.strip():
            self.fail("an empty name; give a file name, e.g. -o handout.pdf", param, ctx)
        if text.endswith(("/", os.sep)):
            self.fail(f"{text!r} ends in a slash (a folder); give a file name, e.g. "
                      f"{text}handout.pdf", param, ctx)
        return Path(text)


OUTPUT = OutputPath()


_F = TypeVar("_F", bound=Callable[..., Any])


def paper_option(help: str = "Paper size (default: the configuration's, else letter).",
                 ) -> Callable[[_F], _F]:
    """``--paper letter|a4`` (any case; also ``RXPRINT_PAPER``)."""
    return click.option("--paper", type=click.Choice(sorted(PAPERS), case_sensitive=False),
                        envvar="RXPRINT_PAPER", help=help)


def layout_option(help: str = "Layout: classic (default), compact, or one a plugin adds.",
                  ) -> Callable[[_F], _F]:
    """``--layout NAME``, completed from the registered layouts."""
    return click.option("--layout", metavar="NAME", shell_complete=complete_layout, help=help)


def branding_option(help: str = "Which branding, when plugins offer several.",
                    ) -> Callable[[_F], _F]:
    """``--branding NAME``, completed from the registered brandings."""
    return click.option("--branding", metavar="NAME", shell_complete=complete_branding,
                        help=help)


def lang_option(help: str = "The handout's language: en, es, or one a plugin adds "
                            "(`rxprint languages`). Default: the program file's, else the "
                            "configuration's, else en.") -> Callable[[_F], _F]:
    """``--lang CODE`` (any case)."""
    return click.option("--lang", "language", metavar="CODE", callback=_lower, help=help)


def _lower(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    return value.strip().lower() if value is not None else None


def large_print_option() -> Callable[[_F], _F]:
    """``--large-print/--standard-print``: None when neither is given."""
    return click.option("--large-print/--standard-print", "large_print", default=None,
                        help="Large print: 16 pt text, larger pictures and tick boxes, one "
                             "exercise per page (default: the program file's, else the "
                             "configuration's, else standard).")


def log_option() -> Callable[[_F], _F]:
    """``--log/--no-log``: None when neither is given."""
    return click.option("--log/--no-log", "log", default=None,
                        help="The adherence log, a last page to tick each day's exercises "
                             "and rate pain for two weeks (default: the program file's, "
                             "else the configuration's, else on).")


def strict_option() -> Callable[[_F], _F]:
    return click.option("--strict", is_flag=True,
                        help="Fail instead of printing English where a translation is "
                             "missing.")
