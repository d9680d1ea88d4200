"""What every request must show before the page answers, and what every answer says.

The page serves health information on the therapist's own machine, so:

- **Host**: only the names and address it serves on (``127.0.0.1:PORT``, ``localhost:PORT``,
  ``[::1]:PORT``, and ``--host``'s): a page of another site that a DNS trick points at
  127.0.0.1 sends its own name, and is refused (DNS rebinding).
- **A session key**: ``rxprint serve`` prints the address with a key (``?key=...``); the
  first visit trades it for a cookie (HttpOnly, SameSite=Strict) and every request
  needs that cookie: another user of the machine, or a page that guesses the port,
  has neither.
- **Origin**: a request that changes or makes anything (every POST) must come from the
  page itself (its Origin header, the browser's Sec-Fetch-Site, and the key again in the
  form).
- **Headers**: a content security policy with no inline scripts and nothing from
  elsewhere, no framing, no referrer, nothing cached, and no CORS header ever.
"""

from __future__ import annotations

import hmac
from collections.abc import Iterable

COOKIE = "rxprint-key"
KEY_FIELD = "key"

HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"),
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-store",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}

LOOPBACK = ("127.0.0.1", "localhost", "[::1]")


def allowed_hosts(port: int, extra: Iterable[str] = ()) -> frozenset[str]:
    """The Host headers the page answers: the loopback names and ``extra`` (``--host``),
    each with the port."""
    names = [*LOOPBACK, *(f"[{h}]" if ":" in h and not h.startswith("[") else h
                          for h in extra)]
    return frozenset(f"{name}:{port}".lower() for name in names)


def same(given: str | None, key: str) -> bool:
    """Whether ``given`` is the session key (compared in constant time)."""
    return given is not None and hmac.compare_digest(given.encode(), key.encode())


def host_problem(host: str | None, hosts: frozenset[str]) -> str | None:
    if host is None or host.lower() not in hosts:
        return ("This page answers only at the address rxprint serve printed "
                "(the Host of this request is another).")
    return None


def origin_problem(origin: str | None, fetch_site: str | None,
                   hosts: frozenset[str]) -> str | None:
    """A POST must say it comes from the page: its Origin is one of the page's hosts.
    The page sends no referrer, so a browser sends its own form's Origin as "null": that
    is taken only with the browser's word that the request is the page's own
    (``Sec-Fetch-Site: same-origin``, a header no page can set)."""
    if fetch_site is not None and fetch_site not in ("same-origin", "none"):
        return "This request comes from another site: refused."
    if origin == "null" and fetch_site == "same-origin":
        return None
    if origin is None or origin == "null":
        return "This request does not say where it comes from (no Origin): refused."
    scheme, _, rest = origin.partition("://")
    if scheme != "http" or rest.lower() not in hosts:
        return "This request comes from another site: refused."
    return None
