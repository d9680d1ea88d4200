"""The layouts plugins register (the ``register_layouts`` hook), checked: each is an
:class:`rxprint.layout.Layout` under a name no other plugin took.

The hook is called when the layouts are first needed (by a command that renders, or
``rxprint layouts``): :class:`rxprint.plugins.registry.Registry` asks for them through the
loader :class:`rxprint.app.App` gives it (which calls :func:`build_layouts`).
This module stays light to import: a layout's code is imported by its plugin's hook.
"""

from __future__ import annotations

from typing import Any

from rxprint.plugins.manager import Plugins, wrong_type
from rxprint.plugins.registry import Registered, check_name
from rxprint.render.layout_base import Layout


def build_layouts(plugins: Plugins) -> dict[str, Registered]:
    """Call every ``register_layouts`` hook and check what comes back."""
    layouts: dict[str, Registered] = {}

    def layout(name: str, value: Any, *, description: str = "") -> None:
        info = plugins.caller("register_layouts")
        check_name(info, "layout", name, layouts, "cards")
        if not isinstance(value, Layout):
            raise wrong_type(info, "register_layouts", "an rxprint.layout.Layout", value)
        layouts[name] = Registered(value, info.name, description)
    plugins.hook.register_layouts(register=layout)
    return layouts
