"""Parameter types shared by the commands."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import click

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
