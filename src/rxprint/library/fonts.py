"""Font families a plugin registers (``register_fonts``): the files, and the checks that
need no font library (the files exist, are not too large and start like TrueType).

:mod:`rxprint.render.fonts` loads a family with ReportLab when a branding that names it is
chosen for a handout.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from rxprint.errors import RxprintError

MAX_FONT_BYTES = 32 * 1024 * 1024  # a plugin's font file; read whole by ReportLab
_TRUETYPE_MAGIC = (b"\x00\x01\x00\x00", b"true")


@dataclass(frozen=True)
class FontFamily:
    """TrueType files of one family; missing styles fall back to ``regular``."""

    name: str
    regular: Path
    bold: Path | None = None
    italic: Path | None = None
    bold_italic: Path | None = None

    def files(self) -> dict[str, Path]:
        return {
            self.name: self.regular,
            f"{self.name}-Bold": self.bold or self.regular,
            f"{self.name}-Italic": self.italic or self.regular,
            f"{self.name}-BoldItalic": self.bold_italic or self.bold or self.italic
            or self.regular,
        }


def check_font_files(family: FontFamily, owner: str) -> None:
    """Fail, naming ``owner`` (a plugin's label), if a file of ``family`` is missing,
    larger than :data:`MAX_FONT_BYTES` or not TrueType. Only the files' first bytes are
    read: registering plugins stays cheap."""
    for name, path in family.files().items():
        if not isinstance(path, Path) or not path.is_file():
            raise RxprintError(f"plugin {owner}: font {name}: file {path} not found")
        try:
            with path.open("rb") as f:
                size = os.fstat(f.fileno()).st_size
                magic = f.read(4)
        except OSError as exc:
            raise RxprintError(f"plugin {owner}: font {name}: cannot read {path} "
                               f"({exc.strerror})") from None
        if size > MAX_FONT_BYTES:
            raise RxprintError(f"plugin {owner}: font family {family.name}: "
                               f"{too_large(path, size)}")
        if magic not in _TRUETYPE_MAGIC:
            raise RxprintError(f"plugin {owner}: font family {family.name}: {path.name} is "
                               "not a TrueType font (.ttf with TrueType outlines)")


def too_large(path: Path, size: int) -> str:
    """Why a font file of ``size`` bytes is refused, and what to do instead."""
    return (f"{path} is {-(-size >> 20)} MB; a font file may be at most "
            f"{MAX_FONT_BYTES >> 20} MB (rxprint's own fonts are under 3 MB): register a "
            "smaller file, such as a subset of the font with only the scripts you need")
