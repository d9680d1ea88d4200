"""rxprint: printed home exercise programs.

Plugins need one import: ``from rxprint import hookimpl``.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("rxprint")
except PackageNotFoundError:  # pragma: no cover - running from a bare source tree
    __version__ = "0.0.0+unknown"

from .hookspecs import hookimpl

__all__ = ["__version__", "hookimpl"]
