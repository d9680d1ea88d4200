"""``rxprint serve``: the web page, for building a handout in a browser."""

from __future__ import annotations

import click

from rxprint.cli.context import get_app
from rxprint.errors import RxprintError

WEB_MODULES = ("flask", "waitress", "pypdfium2")


def check_web_extra() -> None:
    """The page's packages are installed, else an error saying what to install."""
    import importlib.util

    missing = [name for name in WEB_MODULES if importlib.util.find_spec(name) is None]
    if missing:
        raise RxprintError(f"rxprint serve needs {', '.join(missing)} (not installed): "
                           "pip install 'rxprint[web]'")


@click.command("serve")
@click.option("--port", type=click.IntRange(0, 65535), default=8750, show_default=True,
              help="The port to serve on (0: any free port).")
@click.option("--host", metavar="ADDRESS", default=None,
              help="Serve on this address instead of 127.0.0.1 (this computer only). "
                   "Anyone who can reach the address and has the printed key sees the "
                   "page: use only on a network you trust.")
@click.option("--open", "open_browser", is_flag=True, help="Open the page in the browser.")
@click.pass_context
def serve_command(ctx: click.Context, port: int, host: str | None, open_browser: bool) -> None:
    """Build handouts in your browser: a page on this computer, with nothing stored.

    Prints the page's address (with a key for this session); Ctrl-C stops it.

    \b
    Examples:
      rxprint serve --open
      rxprint serve --port 9000
    """
    check_web_extra()
    from rxprint.web.server import LOOPBACK_HOST, serve

    app = get_app(ctx)
    app.library  # noqa: B018  the library and plugins load (and fail) before serving
    if host is not None and host not in (LOOPBACK_HOST, "localhost", "::1"):
        click.echo(f"Warning: serving on {host}, not only this computer: anyone who can "
                   "reach it and has the key sees patients' programs. Use a trusted "
                   "network only.", err=True)
    serve(app, host=host or LOOPBACK_HOST, port=port, open_browser=open_browser,
          say=lambda line: click.echo(line, err=True))
