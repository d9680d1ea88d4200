"""``rxprint plugins``: which plugins are loaded, their versions and hooks."""

from __future__ import annotations

import json

import click

from .context import get_app


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
        click.echo(json.dumps(rows, indent=2))
        return
    for row in rows:
        version = f" {row['version']}" if row["version"] else ""
        click.echo(f"{row['name']}{version} ({row['kind']}): {', '.join(row['hooks'])}")
