"""Branding: what makes a handout a clinic's own. Colours are checked here, never handed
raw to ReportLab's colour parser."""

from __future__ import annotations

import re
from dataclasses import dataclass

_HEX = re.compile(r"^#([0-9a-fA-F]{6})$")


def parse_colour(value: str) -> tuple[float, float, float]:
    """A ``#RRGGBB`` colour as RGB fractions; anything else is a ValueError."""
    m = _HEX.match(value.strip()) if isinstance(value, str) else None
    if not m:
        raise ValueError(f'expected a colour like "#16658C", got {value!r}')
    h = m[1]
    return (int(h[0:2], 16) / 255, int(h[2:4], 16) / 255, int(h[4:6], 16) / 255)


@dataclass(frozen=True)
class Branding:
    """The active branding. ``clinic_name`` None means the catalog's neutral default."""

    clinic_name: str | None = None
    accent: str = "#16658C"
    disclaimer: str | None = None

    def __post_init__(self) -> None:
        parse_colour(self.accent)


DEFAULT_BRANDING = Branding()
