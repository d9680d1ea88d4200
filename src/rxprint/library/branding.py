"""Branding: what makes a handout a clinic's own.

Colours are checked here (``#RRGGBB`` only) and never handed raw to ReportLab's colour
parser. A logo must be a file when the branding is registered; it is read, checked and
normalised with Pillow (see :mod:`rxprint.files.images`) when the branding is chosen for a
handout, before any rendering, so commands that print nothing (``list``, ``--help``) never
decode it.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

from rxprint.errors import InputError
from rxprint.files.images import PreparedImage, prepare_image

_HEX = re.compile(r"^#([0-9a-fA-F]{6})$")
LOGO_MAX_W_PT = 2.0 * 72  # the logo's box in the header
LOGO_MAX_H_PT = 0.5 * 72
# The name under which the configuration file's [branding] table is offered; plugins
# cannot register a branding by this name.
CONFIG_BRANDING_NAME = "config"


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

    def check_fields(self) -> list[tuple[str, str]]:
        """Every problem with the fields (not the logo file), as (field, message)."""
        problems = []
        for name in ("accent", "accent_light"):
            value = getattr(self, name)
            if value is None and name == "accent_light":
                continue
            try:
                parse_colour(value)
            except ValueError as exc:
                problems.append((name, str(exc)))
        for name in ("clinic_name", "address", "phone", "website", "footer_text",
                     "disclaimer", "font"):
            value = getattr(self, name)
            if value is not None and (not isinstance(value, str) or not value.strip()):
                problems.append((name, f"expected non-empty text or None, got {value!r}"))
            elif isinstance(value, str) and len(value) > 300:
                problems.append((name, f"too long ({len(value)} characters, at most 300)"))
        if self.logo is not None and not isinstance(self.logo, Path):
            problems.append(("logo", f"expected a pathlib.Path, got {self.logo!r}"))
        return problems

    def check(self) -> list[str]:
        """Every problem with the fields (not the logo file), as messages."""
        return [f"{name}: {message}" for name, message in self.check_fields()]

    def prepared_logo(self) -> PreparedImage | None:
        """The logo, checked and scaled for print (cached per process)."""
        if self.logo is None:
            return None
        return prepare_image(self.logo, LOGO_MAX_W_PT, LOGO_MAX_H_PT, dpi=300)

    @property
    def has_identity(self) -> bool:
        """A clinic name, logo or contact to print at the top of page 1."""
        return bool(self.clinic_name or self.logo or self.contact_line)

    @property
    def contact_line(self) -> str | None:
        parts = [p for p in (self.address, self.phone, self.website) if p]
        return " · ".join(parts) if parts else None


def check_branding(branding: Branding, fonts: Collection[str]) -> list[tuple[str, str]]:
    """Everything wrong with a branding's fields, as (field, message): its fields, its font
    (among ``fonts``, the registered families) and that its logo is a file. The one check
    for plugin brandings and the configuration's; :func:`check_logo` reads the logo."""
    problems = branding.check_fields()
    if branding.font is not None and branding.font not in fonts:
        problems.append(("font", f"no font family {branding.font!r} is registered "
                                 f"(registered: {', '.join(sorted(fonts)) or 'none'})"))
    logo = branding.logo
    if logo is not None and not any(name == "logo" for name, _ in problems):
        if not logo.exists():
            problems.append(("logo", f"{logo}: image file not found"))
        elif not logo.is_file():
            problems.append(("logo", f"{logo}: is not a file"))
    return problems


def check_logo(branding: Branding) -> str | None:
    """What is wrong with the logo, read and normalised with Pillow as it will be printed
    (cached per process), or None."""
    try:
        branding.prepared_logo()
    except InputError as exc:
        return str(exc.problem)
    return None


DEFAULT_BRANDING = Branding()
