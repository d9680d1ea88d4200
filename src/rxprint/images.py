"""Images: every picture is checked and normalised with Pillow before ReportLab sees it.

Only PNG and JPEG are accepted. The file is fully decoded (a truncated file is an error),
turned upright by its EXIF orientation, converted to RGB (RGBA when it has transparency),
stripped of every piece of metadata (EXIF, GPS, ICC, text chunks) and scaled down to the
resolution it is printed at. Results are cached per process by file and size, so a logo
used by every handout of a batch is decoded once.
"""

from __future__ import annotations

import functools
import io
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import InputError, Problem

if TYPE_CHECKING:  # Pillow is imported when an image is prepared, not to list the library
    from PIL import Image

ACCEPTED_FORMATS = ("PNG", "JPEG")
MAX_PIXELS = 40_000_000  # a 40-megapixel photo; anything larger is refused
MAX_BYTES = 30 * 1024 * 1024
PRINT_DPI = 200


@dataclass(frozen=True)
class PreparedImage:
    """A clean image, encoded, ready to embed."""

    data: bytes  # PNG (with transparency) or JPEG bytes, no metadata
    width_px: int
    height_px: int
    format: str

    @property
    def aspect(self) -> float:
        return self.width_px / self.height_px


def _flatten_mode(image: Image.Image) -> Image.Image:
    """RGB, or RGBA when the image has real transparency."""
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency"
                                                in image.info):
        rgba = image.convert("RGBA")
        alpha = rgba.getchannel("A")
        if alpha.getextrema() == (255, 255):
            return rgba.convert("RGB")
        return rgba
    if image.mode == "CMYK":
        # Adobe-style inverted CMYK JPEGs are read by Pillow already inverted back.
        return image.convert("RGB")
    return image.convert("RGB")


def _clean(image: Image.Image) -> Image.Image:
    """A copy with pixels only: no EXIF, GPS, ICC profile or text chunks."""
    from PIL import Image

    clean = Image.new(image.mode, image.size)
    clean.paste(image)
    return clean


@functools.lru_cache(maxsize=256)
def _prepare_cached(path: Path, mtime_ns: int, size: int, max_w_px: int,
                    max_h_px: int) -> PreparedImage:
    return _prepare(path, max_w_px, max_h_px)


def _prepare(path: Path, max_w_px: int, max_h_px: int) -> PreparedImage:
    from PIL import Image, ImageOps, UnidentifiedImageError

    def fail(message: str) -> InputError:
        return InputError(Problem(message, path=path))

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as opened:
                if opened.format not in ACCEPTED_FORMATS:
                    raise fail(f"is a {opened.format} image; only PNG and JPEG are accepted")
                if opened.width * opened.height > MAX_PIXELS:
                    raise fail(f"is too large ({opened.width}x{opened.height} pixels, at most "
                               f"{MAX_PIXELS // 1_000_000} megapixels); scale it down first")
                opened.load()  # decode everything now: a truncated file fails here
                image = ImageOps.exif_transpose(opened)
    except InputError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise fail("is too large to be a safe image (decompression bomb guard)") from None
    except UnidentifiedImageError:
        raise fail("is not an image Pillow can read (expected PNG or JPEG)") from None
    except FileNotFoundError:
        raise fail("image file not found") from None
    except OSError as exc:
        raise fail(f"is damaged or truncated ({exc})") from None
    image = _clean(_flatten_mode(image))
    image.thumbnail((max_w_px, max_h_px), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    if image.mode == "RGBA":
        image.save(out, format="PNG", optimize=False)
        fmt = "PNG"
    else:
        image.save(out, format="JPEG", quality=88, optimize=False, progressive=False)
        fmt = "JPEG"
    return PreparedImage(out.getvalue(), image.width, image.height, fmt)


def prepare_image(path: Path, max_width_pt: float, max_height_pt: float,
                  dpi: int = PRINT_DPI) -> PreparedImage:
    """Check and normalise the image at ``path`` for printing within the given box."""
    try:
        stat = path.stat()
    except FileNotFoundError:
        raise InputError(Problem("image file not found", path=path)) from None
    except OSError as exc:
        raise InputError(Problem(f"cannot read it ({exc.strerror})", path=path)) from None
    if not path.is_file():
        raise InputError(Problem("is not a file", path=path))
    if stat.st_size > MAX_BYTES:
        raise InputError(Problem(f"is {stat.st_size // (1024 * 1024)} MB; images may be at "
                                 f"most {MAX_BYTES // (1024 * 1024)} MB", path=path))
    max_w = max(1, round(max_width_pt / 72 * dpi))
    max_h = max(1, round(max_height_pt / 72 * dpi))
    return _prepare_cached(path.resolve(), stat.st_mtime_ns, stat.st_size, max_w, max_h)


def safe_relative_image(folder: Path, name: str) -> Path:
    """``name`` resolved inside ``folder``; a path that leaves it is a ValueError."""
    candidate = Path(name)
    if candidate.is_absolute() or ".." in candidate.parts:
        raise ValueError(f'"{name}" must be a path inside the exercise\'s folder '
                         "(no absolute paths, no ..)")
    if candidate.suffix.lower() not in (".png", ".jpg", ".jpeg"):
        raise ValueError(f'"{name}": only .png, .jpg and .jpeg images are accepted')
    base = folder.resolve()
    resolved = (base / candidate).resolve()
    if not resolved.is_relative_to(base):
        raise ValueError(f'"{name}" leads outside the exercise\'s folder (a symbolic link?)')
    if not resolved.is_file():
        raise ValueError(f'"{name}": image file not found in {folder}')
    return resolved
