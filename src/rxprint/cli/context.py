"""The App of the current command-line run, made once from the group's options; and how
a command's start-up is run in the ``rxprint`` process."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from rxprint.app import App

standalone = False
"""True in the ``rxprint`` process itself (set by :func:`rxprint.cli.main`): one command
runs in it, then it ends. False when the group is run in-process (tests, a caller)."""


def get_app(ctx: click.Context) -> App:
    from rxprint.app import App, app_for  # the core: imported by the commands that use it

    root = ctx.find_root()
    app = root.meta.get("rxprint.app")
    if app is None:
        params = root.params
        app = app_for(params.get("config"), params.get("plugins_dir"), Path.cwd(),
                      debug=bool(params.get("debug")))
        root.meta["rxprint.app"] = app
    assert isinstance(app, App)
    return app


def interface(ctx: click.Context) -> str:
    """The language the command line speaks (``RXPRINT_LANG``, else the configuration's
    ``interface_language`` once it was read, else English)."""
    import os

    from rxprint.language.interface import interface_language

    app = ctx.find_root().meta.get("rxprint.app")
    configured = app.config.interface_language if app is not None else None
    return interface_language(os.environ, configured)


def say(ctx: click.Context, text: str) -> str:
    """``text`` (a :class:`rxprint.errors.Msg`) in the interface language, else English."""
    from rxprint.language.interface import said

    return said(text, interface(ctx))


@contextlib.contextmanager
def startup() -> Iterator[None]:
    """Around what a command does before its work (importing the core and ReportLab,
    making the App, reading the library entries it uses), which makes objects that live
    until the process ends and next to no garbage. In the ``rxprint`` process the cyclic
    garbage collector pauses meanwhile, and what was made is then frozen
    (:func:`gc.freeze`): the collector never goes through it again, neither while the
    handout is made nor when the process ends. Run in-process, nothing changes."""
    if not standalone or not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.enable()
