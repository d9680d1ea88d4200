"""Serving the page with waitress (a pure-Python WSGI server, threads, no C parts) until
Ctrl-C; a line per request on standard error, without queries or form contents."""

from __future__ import annotations

import errno
import sys
import threading
import webbrowser
from collections.abc import Callable

from rxprint.app import App
from rxprint.errors import RxprintError
from rxprint.runtime.interrupt import Interrupted
from rxprint.web.desk import Desk
from rxprint.web.guard import allowed_hosts
from rxprint.web.site import MAX_UPLOAD, create_site, new_key

LOOPBACK_HOST = "127.0.0.1"
THREADS = 4  # the page's images and scripts while a handout is made (one at a time)
# Nothing to disk: waitress writes a request body or an answer above these sizes to a
# temporary file; a body is refused above MAX_BODY before it is read (the page's own
# largest is a program file of 1 MiB), and no answer is large enough to spill.
MAX_BODY = MAX_UPLOAD + (64 << 10)
NEVER_SPILL = 1 << 40
WILDCARDS = ("0.0.0.0", "::", "")


def serve(app: App, *, host: str = LOOPBACK_HOST, port: int = 8750, open_browser: bool = False,
          say: Callable[[str], None]) -> None:
    """Serve the page until Ctrl-C (or SIGTERM); ``say`` prints a line for the user."""
    from waitress.server import create_server

    if host in WILDCARDS:
        raise RxprintError(f"--host {host!r} means every address of this computer: give the "
                           "one the other computers will use (e.g. --host 192.168.1.5); the "
                           "page answers only requests for the address it serves on")
    key = new_key()
    extra = [] if host in (LOOPBACK_HOST, "localhost") else [host]
    desk = Desk(app)
    # the server binds first: its port (0: any free one) is known before the site is made
    holder: list[Callable[..., object]] = []

    def application(environ: dict[str, object], start_response: Callable[..., object]
                    ) -> object:
        return holder[0](environ, start_response)

    try:
        server = create_server(application, host=host, port=port, threads=THREADS,
                               ident="rxprint", expose_tracebacks=False,
                               clear_untrusted_proxy_headers=True,
                               max_request_body_size=MAX_BODY, inbuf_overflow=NEVER_SPILL,
                               outbuf_overflow=NEVER_SPILL, channel_timeout=60)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise RxprintError(f"port {port} is in use on {host}: give another with "
                               "--port N (or --port 0 for any free port)") from None
        raise RxprintError(f"cannot serve on {host} port {port}: {exc.strerror}") from None
    actual = int(server.effective_port)
    hosts = allowed_hosts(actual, extra)
    holder.append(create_site(desk, key=key, hosts=hosts, port=actual,
                              log=lambda line: print(line, file=sys.stderr, flush=True)))
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown if host != 'localhost' else LOOPBACK_HOST}:{actual}/?key={key}"
    say(f"rxprint is serving the page at {url}")
    say("Open that address in your browser (it carries this session's key). "
        "Ctrl-C stops the server.")
    if open_browser:
        webbrowser.open(url)
    # The server's loop runs in a thread of its own: it catches every exception its
    # handlers raise (a bare except), so a Ctrl-C raised while it answers would be lost.
    # The main thread only waits, and takes the signal.
    loop = threading.Thread(target=server.run, name="rxprint-serve", daemon=True)
    try:
        loop.start()
        while loop.is_alive():
            loop.join(0.5)
    except (Interrupted, KeyboardInterrupt):
        say("Stopped.")
    finally:
        server.close()
        server.task_dispatcher.shutdown(timeout=2)
