"""rxprint: printed home exercise programs.

Plugins need one import: ``from rxprint import hookimpl``.

Importing the package itself is cheap (``__version__`` and ``hookimpl`` are looked up on
first use), so the console script reaches ``rxprint.cli.main``, which handles Ctrl-C,
before any heavy import.
"""

from __future__ import annotations

TYPE_CHECKING = False  # not `typing`: this import must stay cheap
if TYPE_CHECKING:
    from typing import Any

    from .hookspecs import hookimpl

    __version__: str

__all__ = ["__version__", "hookimpl"]


def __getattr__(name: str) -> Any:
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            value = version("rxprint")
        except PackageNotFoundError:  # pragma: no cover - running from a bare source tree
            value = "0.0.0+unknown"
        globals()["__version__"] = value
        return value
    if name == "hookimpl":
        from .hookspecs import hookimpl as marker

        globals()["hookimpl"] = marker
        return marker
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
