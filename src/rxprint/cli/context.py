"""The App of the current command-line run, made once from the group's options."""

from __future__ import annotations

from pathlib import Path

import click

from rxprint.app import App, app_for


def get_app(ctx: click.Context) -> App:
    root = ctx.find_root()
    app = root.meta.get("rxprint.app")
    if app is None:
        params = root.params
        app = app_for(params.get("config"), params.get("plugins_dir"), Path.cwd(),
                      debug=bool(params.get("debug")))
        root.meta["rxprint.app"] = app
    assert isinstance(app, App)
    return app
