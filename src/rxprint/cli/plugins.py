"""``rxprint plugins`` and ``rxprint layouts``: which plugins are loaded, their versions
and hooks, and the layouts they provide."""

from __future__ import annotations

import click

from rxprint.app import DEFAULT_LAYOUT
from rxprint.cli.browse import echo_json, echo_table
from rxprint.cli.context import get_app
from rxprint.runtime.failures import printable


@click.command("plugins")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def plugins_command(ctx: click.Context, as_json: bool) -> None:
    """List the loaded plugins (built-in ones too) with version and hooks."""
    plugins = get_app(ctx).plugins
    rows = [{"name": info.name, "version": info.version, "kind": info.kind,
             "source": info.source, "hooks": plugins.hooks_of(info)}
            for info in plugins.infos]
    if as_json:
        echo_json(rows)
    else:
        for row in rows:
            version = f" {row['version']}" if row["version"] else ""
            click.echo(printable(f"{row['name']}{version} ({row['kind']}): "
                                 f"{', '.join(row['hooks'])}", keep=""))
    # what they register, checked: a plugin's missing exercise folder, a bad object or
    # branding is reported here too (after the list), as every other command reports it
    get_app(ctx).registry  # noqa: B018 (built, and checked, on first use)


@click.command("layouts")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def layouts_command(ctx: click.Context, as_json: bool) -> None:
    """List the layouts for --layout: name, description and the plugin that provides it.

    The default (the configuration's, else classic) is marked with *.
    """
    app = get_app(ctx)
    default = app.config.layout or DEFAULT_LAYOUT
    layouts = app.registry.layouts
    if as_json:
        echo_json([{"name": name, "description": r.description, "plugin": r.plugin,
                    "default": name == default} for name, r in layouts.items()])
        return
    rows = [("NAME", "PLUGIN", "DESCRIPTION")]
    rows += [(name + (" *" if name == default else ""), r.plugin, r.description)
             for name, r in layouts.items()]
    echo_table(rows)
