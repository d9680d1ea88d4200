"""Branding: what makes a handout a clinic's own.

Colours are checked here (``#RRGGBB`` only) and never handed raw to ReportLab's colour
parser. A logo is read, checked and normalised with Pillow when the branding is
registered (see :mod:`rxprint.images`), so a broken logo is found before any rendering.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .images import PreparedImage, prepare_image

_HEX = re.compile(r"^#([0-9a-fA-F]{6})$")
LOGO_MAX_W_PT = 2.0 * 72  # the logo's box in the header
LOGO_MAX_H_PT = 0.5 * 72


def parse_colour(value: object) -> tuple[float, float, float]:
    """A ``#RRGGBB`` colour as RGB fractions; anything else is a ValueError."""
    m = _HEX.match(value.strip()) if isinstance(value, str) else None
    if not m:
        raise ValueError(f'expected a colour like "#16658C", got {value!r}')
    h = m[1]
    return (int(h[0:2], 16) / 255, int(h[2:4], 16) / 255, int(h[4:6], 16) / 255)


@dataclass(frozen=True)
class Branding:
    """A clinic's branding. Every field is optional; ``None`` means rxprint's default.

    :param clinic_name: printed at the top left of every page.
    :param logo: a PNG or JPEG file, printed at the top left (at most 2 x 0.5 inches).
    :param accent: headings and rules, ``#RRGGBB``.
    :param accent_light: the tint behind dosage lines and education boxes, ``#RRGGBB``.
    :param address, phone, website: contact lines under the clinic name.
    :param footer_text: a line above the disclaimer in every footer.
    :param disclaimer: replaces rxprint's one-line disclaimer.
    :param font: a font family registered by a ``register_fonts`` hook.
    """

    clinic_name: str | None = None
    logo: Path | None = None
    accent: str = "#16658C"
    accent_light: str | None = None
    address: str | None = None
    phone: str | None = None
    website: str | None = None
    footer_text: str | None = None
    disclaimer: str | None = None
    font: str | None = None

    def check(self) -> list[str]:
        """Every problem with the fields (not the logo file), as messages."""
        problems = []
        for name in ("accent", "accent_light"):
            value = getattr(self, name)
            if value is None and name == "accent_light":
                continue
            try:
                parse_colour(value)
            except ValueError as exc:
                problems.append(f"{name}: {exc}")
        for name in ("clinic_name", "address", "phone", "website", "footer_text",
                     "disclaimer", "font"):
            value = getattr(self, name)
            if value is not None and (not isinstance(value, str) or not value.strip()):
                problems.append(f"{name}: expected non-empty text or None, got {value!r}")
            elif isinstance(value, str) and len(value) > 300:
                problems.append(f"{name}: too long ({len(value)} characters, at most 300)")
        if self.logo is not None and not isinstance(self.logo, Path):
            problems.append(f"logo: expected a pathlib.Path, got {self.logo!r}")
        return problems

    def prepared_logo(self) -> PreparedImage | None:
        """The logo, checked and scaled for print (cached per process)."""
        if self.logo is None:
            return None
        return prepare_image(self.logo, LOGO_MAX_W_PT, LOGO_MAX_H_PT, dpi=300)

    @property
    def contact_line(self) -> str | None:
        parts = [p for p in (self.address, self.phone, self.website) if p]
        return " · ".join(parts) if parts else None


DEFAULT_BRANDING = Branding()
