"""The built-in layouts, classic (the default) and compact, registered through the public
hook like any plugin's (as the plugin ``rxprint.builtins.layouts``).

Every command imports this module when it loads the plugins: it stays light. The layouts
themselves (:mod:`rxprint.render.builtin_layouts`, and ReportLab with them) are imported
inside the hook, which is called only when a command renders.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rxprint.plugins.hookspecs import hookimpl

if TYPE_CHECKING:
    from rxprint.plugins.registry import LayoutRegister


@hookimpl
def register_layouts(register: LayoutRegister) -> None:
    from rxprint.render.builtin_layouts import CLASSIC, COMPACT

    register("classic", CLASSIC,
             description="one exercise per row, steps beside pictures, tips and cautions")
    register("compact", COMPACT, description="two columns, smaller type, fewer pages")
