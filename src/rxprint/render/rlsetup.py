"""The one place ReportLab is imported and hardened.

ReportLab's settings can be changed by environment variables and settings files. Its
colour parser can evaluate expressions and its URL fetching can reach the network; rxprint
needs neither. Importing this module sets the safe values and checks that they hold.
"""

from __future__ import annotations

from reportlab import rl_config
from reportlab.pdfbase import pdfmetrics, ttfonts

SAFE_SETTINGS: dict[str, object] = {
    "toColorCanUse": "rl_extended_literal_eval",
    "trustedHosts": None,
    "trustedSchemes": [],
}
# Not about safety: binary (Flate-compressed) streams instead of ASCII85 text. Encoding
# the embedded font subsets in ASCII85, in pure Python, was a tenth of a handout's time,
# and made the file a quarter larger.
SPEED_SETTINGS: dict[str, object] = {"useA85": 0}


def harden() -> None:
    """Set ReportLab's security-relevant settings and assert that they took effect."""
    for name, value in {**SAFE_SETTINGS, **SPEED_SETTINGS}.items():
        setattr(rl_config, name, value)
    for name, value in SAFE_SETTINGS.items():
        actual = getattr(rl_config, name)
        if actual != value:  # pragma: no cover - would mean ReportLab ignores the setting
            raise RuntimeError(f"ReportLab setting {name} is {actual!r}, expected {value!r}")


harden()

__all__ = ["harden", "pdfmetrics", "rl_config", "ttfonts"]
