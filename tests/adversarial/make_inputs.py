"""Inputs too big, binary or machine-specific to commit: made at test time, in tmp.

``make(kind, folder)`` writes the input named ``kind`` into ``folder`` and returns its file
name. Run as a script (``python tests/adversarial/make_inputs.py KIND DIR``) to look at one.
"""

from __future__ import annotations

import io
import os
import struct
import sys
import zlib
from collections.abc import Callable
from pathlib import Path

from PIL import Image

CANARY_NAME = "Quilla Zarnowski-Vex"
CANARY_NOTE = "canary note: violet heron 7731"
PROGRAM_HEAD = f'[patient]\nname = "{CANARY_NAME}"\n[[exercises]]\nid = "quad-set"\n'


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return (struct.pack(">I", len(data)) + kind + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))


def huge_png(folder: Path) -> str:
    """A real 20000 x 20000 PNG (1-bit, a few hundred KB): a decompression bomb."""
    side = 20_000
    row = b"\x00" + b"\x00" * (side // 8)
    comp = zlib.compressobj(9)
    parts = [comp.compress(row * 1000) for _ in range(side // 1000)]
    parts.append(comp.flush())
    ihdr = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    data = (b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", ihdr)
            + _png_chunk(b"IDAT", b"".join(parts)) + _png_chunk(b"IEND", b""))
    (folder / "huge.png").write_bytes(data)
    return "huge.png"


def _photo(mode: str = "RGB") -> Image.Image:
    image = Image.new("RGB", (64, 48), (200, 120, 40))
    for x in range(64):
        image.putpixel((x, x % 48), (20, 40, 200))
    return image.convert(mode)


def truncated_jpeg(folder: Path) -> str:
    buf = io.BytesIO()
    _photo().resize((400, 300)).save(buf, "JPEG", quality=90)
    (folder / "truncated.jpg").write_bytes(buf.getvalue()[: len(buf.getvalue()) // 2])
    return "truncated.jpg"


def text_as_png(folder: Path) -> str:
    (folder / "notes.png").write_text(f"{CANARY_NAME}\nnot a picture\n", encoding="utf-8")
    return "notes.png"


def gps_jpeg(folder: Path) -> str:
    """A JPEG whose EXIF carries GPS coordinates, a camera name and a description."""
    image = _photo()
    exif = image.getexif()
    exif[0x010F] = "SnoopCam"  # Make
    exif[0x010E] = "canary-exif-description"  # ImageDescription
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = (40.0, 26.0, 46.0)
    gps[3] = "W"
    gps[4] = (79.0, 58.0, 56.0)
    image.save(folder / "gps.jpg", "JPEG", exif=exif)
    return "gps.jpg"


def cmyk_jpeg(folder: Path) -> str:
    _photo("CMYK").save(folder / "cmyk.jpg", "JPEG")
    return "cmyk.jpg"


def palette_transparent_png(folder: Path) -> str:
    image = _photo().convert("P", palette=Image.Palette.ADAPTIVE, colors=8)
    image.save(folder / "palette.png", "PNG", transparency=0)
    return "palette.png"


def grey16_png(folder: Path) -> str:
    image = Image.new("I;16", (64, 48))
    for x in range(64):
        image.putpixel((x, x % 48), 60000)
    image.save(folder / "grey16.png", "PNG")
    return "grey16.png"


def animated_gif(folder: Path) -> str:
    frames = [_photo("P"), _photo("P").rotate(90)]
    frames[0].save(folder / "moving.gif", "GIF", save_all=True, append_images=frames[1:],
                   duration=100, loop=0)
    return "moving.gif"


def empty_png(folder: Path) -> str:
    (folder / "empty.png").write_bytes(b"")
    return "empty.png"


def secret_png_outside(folder: Path) -> str:
    """A good picture one folder up, for the ``..`` case."""
    _photo().save(folder.parent / "outside.png", "PNG")
    return "../outside.png"


def big_program(folder: Path) -> str:
    """A 50 MB program file (a valid program and 50 MB of comments)."""
    line = "# " + "x" * 1021 + "\n"
    with open(folder / "big.toml", "w", encoding="utf-8") as out:
        out.write(PROGRAM_HEAD)
        for _ in range(50 * 1024):
            out.write(line)
    return "big.toml"


def fifo(folder: Path) -> str:
    os.mkfifo(folder / "pipe.toml")
    return "pipe.toml"


def directory(folder: Path) -> str:
    (folder / "folder.toml").mkdir()
    return "folder.toml"


def long_note(folder: Path) -> str:
    words = " ".join(["stretch", "gently", "and", "breathe", "slowly"] * 1000)  # 5,000 words
    (folder / "long-note.toml").write_text(
        PROGRAM_HEAD + f'note = "{CANARY_NOTE} {words}"\n', encoding="utf-8")
    return "long-note.toml"


def long_word(folder: Path) -> str:
    (folder / "long-word.toml").write_text(
        PROGRAM_HEAD + f'note = "{CANARY_NOTE} {"w" * 3000}"\n', encoding="utf-8")
    return "long-word.toml"


def long_name(folder: Path) -> str:
    (folder / "long-name.toml").write_text(
        PROGRAM_HEAD.replace(CANARY_NAME, CANARY_NAME + " " + "Q" * 3000), encoding="utf-8")
    return "long-name.toml"


def many_clashes(folder: Path) -> str:
    """A roster of 3,000 rows that all name one program: with --name "{template}", one
    output file for all."""
    rows = "".join(f"Person {i},hip-flexor-back-pain\n" for i in range(3000))
    (folder / "clashes.csv").write_text(f"patient,template\n{CANARY_NAME},"
                                        f"hip-flexor-back-pain\n{rows}", encoding="utf-8")
    return "clashes.csv"


def repeated_header(folder: Path) -> str:
    """A roster whose header repeats one column 80,000 times (a quadratic check took a
    minute over it)."""
    (folder / "repeated.csv").write_text(",".join(["patient"] * 80_000)
                                         + f"\n{CANARY_NAME}\n", encoding="utf-8")
    return "repeated.csv"


MAKERS: dict[str, Callable[[Path], str]] = {
    name.replace("_", "-"): fn for name, fn in list(globals().items())
    if callable(fn) and getattr(fn, "__module__", None) == __name__
    and not name.startswith("_") and name != "make"
}


def make(kind: str, folder: Path) -> str:
    return MAKERS[kind](folder)


if __name__ == "__main__":  # pragma: no cover
    print(make(sys.argv[1], Path(sys.argv[2])))
