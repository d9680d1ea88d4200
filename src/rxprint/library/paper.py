"""Paper sizes, in points (72 to the inch). No ReportLab import: the commands that do not
render (``--help``, ``list``, ``show``, ``programs``) and the configuration use this."""

from __future__ import annotations

INCH = 72.0
_MM = INCH / 2.54 * 0.1  # as ReportLab computes it, so the floats are the same

PAPERS: dict[str, tuple[float, float]] = {
    "letter": (8.5 * INCH, 11 * INCH),
    "a4": (210 * _MM, 297 * _MM),
}
