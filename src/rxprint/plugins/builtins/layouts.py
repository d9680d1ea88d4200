"""The built-in layouts: classic (the default) and compact."""

from __future__ import annotations

from rxprint.plugins.hookspecs import hookimpl
from rxprint.plugins.manager import LayoutRegister


@hookimpl
def register_layouts(register: LayoutRegister) -> None:
    from rxprint.render.builtin_layouts import (  # ReportLab: only when layouts are used
        CLASSIC,
        COMPACT,
    )

    register("classic", CLASSIC,
             description="one exercise per row, steps beside pictures, tips and cautions")
    register("compact", COMPACT, description="two columns, smaller type, fewer pages")
