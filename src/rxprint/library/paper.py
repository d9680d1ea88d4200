"""Paper sizes, in points (72 to the inch). No ReportLab import: the commands that do not
render (``--help``, ``list``, ``show``, ``programs``) and the configuration use this."""

from __future__ import annotations

INCH = 72.0
_MM = INCH / 2.54 * 0.1  # as ReportLab computes it, so the floats are the same

PAPERS: dict[str, tuple[float, float]] = {
    "letter": (8.5 * INCH, 11 * INCH),
    "a4": (210 * _MM, 297 * _MM),
}


def parse_paper(value: object) -> str:
    """A paper size from a file, in any case ("A4" is "a4"); ValueError names the sizes."""
    from rxprint.errors import Msg, shown
    from rxprint.files.fields import did_you_mean

    text = value.strip().lower() if isinstance(value, str) else None
    if text in PAPERS:
        return text
    hint = did_you_mean(text, PAPERS) if text else ""
    raise ValueError(Msg("paper.unknown", "{value} is not a paper size: use one of "
                         "{papers}{hint}", value=shown(value, "paper"),
                         papers=", ".join(sorted(PAPERS)), hint=hint))
