"""rxprint: printed home exercise programs.

Plugins import from :mod:`rxprint.api` (and :mod:`rxprint.layout` for layouts); every
other module is private. Importing the package itself is cheap, so the console script
reaches ``rxprint.cli.main``, which handles Ctrl-C, before any heavy import.

``__version__`` is the one place the version is written: the package's metadata takes it
from here when it is built (``[tool.hatch.version]`` in pyproject.toml), so reading it
costs no look-up of installed distributions (``importlib.metadata`` alone takes longer to
import than many a command runs).
"""

from __future__ import annotations

__all__ = ["__version__"]

__version__ = "0.1.0"
