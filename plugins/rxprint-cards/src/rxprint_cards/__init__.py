"""rxprint-cards: a layout with one exercise per half page and a cut line between, so a
patient can cut the handout into cards and put one on the fridge.

This module stays light (no ReportLab): rxprint imports every plugin for ``--help`` and
``list``, and asks for layouts only when it renders. The layout itself is in
:mod:`rxprint_cards.layout`, imported inside the hook.
"""

from __future__ import annotations

from rxprint.api import LayoutRegister, hookimpl


@hookimpl
def register_layouts(register: LayoutRegister) -> None:
    from .layout import CardsLayout

    register("cards", CardsLayout(), description="one exercise per half page, cut line")
