"""rxprint: printed home exercise programs.

Plugins import from :mod:`rxprint.api` (and :mod:`rxprint.layout` for layouts); every
other module is private. Importing the package itself is cheap (``__version__`` is looked
up on first use), so the console script reaches ``rxprint.cli.main``, which handles
Ctrl-C, before any heavy import.
"""

from __future__ import annotations

TYPE_CHECKING = False  # not `typing`: this import must stay cheap
if TYPE_CHECKING:
    __version__: str

__all__ = ["__version__"]


def __getattr__(name: str) -> str:
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            value = version("rxprint")
        except PackageNotFoundError:  # pragma: no cover - running from a bare source tree
            value = "0.0.0+unknown"
        globals()["__version__"] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
