"""The built-in layouts: classic (the default) and compact."""

from __future__ import annotations

from ..hookspecs import hookimpl
from ..plugins import LayoutRegister


@hookimpl
def register_layouts(register: LayoutRegister) -> None:
    from ..render.layouts import CLASSIC, COMPACT  # ReportLab: only when layouts are used

    register("classic", CLASSIC,
             description="one exercise per row, steps beside pictures, tips and cautions")
    register("compact", COMPACT, description="two columns, smaller type, fewer pages")
