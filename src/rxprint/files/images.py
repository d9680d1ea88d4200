"""Images: every picture is checked and normalised with Pillow before ReportLab sees it.

Only PNG and JPEG are accepted. The file is fully decoded (a truncated file is an error),
turned upright by its EXIF orientation, scaled down to the resolution it is printed at,
converted to RGB (RGBA when it has transparency) and stripped of every piece of metadata
(EXIF, GPS, ICC, text chunks). Any failure to decode it, whatever Pillow raises, is an
:class:`~rxprint.errors.InputError` naming the file (never quoting Pillow's message, which
may carry bytes of the file).

Memory stays near one decoded copy of the file: a JPEG is decoded at 1/2, 1/4 or 1/8 scale
when that is still at least twice the size printed (``Image.draft``), and the image is
scaled down before its mode is converted and its metadata-free copy is made. An image
with transparency is reduced band by band, so Pillow's premultiplied copy is never made at
full size. Normal-size images come out exactly as when each step ran on the whole image.

Results are cached per process by file (path, modification time, size) and box, so a
logo used by every handout of a batch is decoded once; :func:`snapshot` and :func:`seed`
hand that cache to another process (a batch worker).
"""

from __future__ import annotations

import io
import math
import threading
import warnings
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from rxprint.errors import InputError, Problem

if TYPE_CHECKING:  # Pillow is imported when an image is prepared, not to list the library
    from PIL import Image

ACCEPTED_FORMATS = ("PNG", "JPEG")
MAX_PIXELS = 40_000_000  # a 40-megapixel photo; anything larger is refused
MAX_BYTES = 30 * 1024 * 1024
PRINT_DPI = 200
CACHE_SIZE = 256  # prepared images kept per process
REDUCING_GAP = 2.0  # as Image.thumbnail: reduce by whole factors to twice the size, then
# resample (and decode a JPEG at no less than twice the size)
_BAND_PIXELS = 1 << 20  # rows reduced at a time for an image with transparency
_SCALE_FIRST = ("L", "LA", "RGB", "RGBA")  # scaled before conversion (same pixels as
# converting first); other modes ("1", "P", "I;16", "CMYK") are converted first
_EXIF_ORIENTATION = 0x0112
_SWAPS_AXES = (5, 6, 7, 8)  # EXIF orientations stored on their side


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


# -- the per-process cache, and handing it to another process ------------------------------

_Key = tuple[str, int, int, int, int]  # resolved path, mtime_ns, size, max_w_px, max_h_px
CacheEntry = tuple[str, int, int, int, int, bytes, int, int, str]
"""One prepared image as plain data: its :data:`_Key`, then data, width, height, format."""

_cache: OrderedDict[_Key, PreparedImage] = OrderedDict()
_lock = threading.Lock()


def _cached(key: _Key) -> PreparedImage | None:
    with _lock:
        found = _cache.get(key)
        if found is not None:
            _cache.move_to_end(key)
        return found


def _remember(key: _Key, prepared: PreparedImage) -> None:
    with _lock:
        _cache[key] = prepared
        _cache.move_to_end(key)
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)


def snapshot() -> tuple[CacheEntry, ...]:
    """This process's prepared images as plain, picklable data (oldest first), for
    :func:`seed` in another process: a batch's main process prepares the logo once and
    hands it to its workers."""
    with _lock:
        return tuple((*key, p.data, p.width_px, p.height_px, p.format)
                     for key, p in _cache.items())


def seed(entries: Iterable[CacheEntry]) -> None:
    """Fill this process's cache with another's :func:`snapshot`: :func:`prepare_image` on
    the same file (same resolved path, modification time and size) for the same box then
    returns the prepared image without decoding it. A changed file misses and is decoded
    again. An entry that is not a snapshot's is a ValueError (nothing is added)."""
    checked = [_entry(entry) for entry in entries]
    for key, prepared in checked:
        _remember(key, prepared)


def _entry(entry: object) -> tuple[_Key, PreparedImage]:
    if not isinstance(entry, tuple) or len(entry) != 9:
        raise ValueError("not an entry of rxprint.files.images.snapshot()")
    path, mtime_ns, size, max_w, max_h, data, width, height, fmt = entry
    ints = (mtime_ns, size, max_w, max_h, width, height)
    if not (isinstance(path, str) and isinstance(data, bytes) and fmt in ACCEPTED_FORMATS
            and all(isinstance(n, int) and not isinstance(n, bool) for n in ints)
            and min(max_w, max_h, width, height) > 0):
        raise ValueError("not an entry of rxprint.files.images.snapshot()")
    return (path, mtime_ns, size, max_w, max_h), PreparedImage(data, width, height, fmt)


def clear_cache() -> None:
    """Forget every prepared image (tests; a long-lived process that wants the memory)."""
    with _lock:
        _cache.clear()


# -- preparing one image -------------------------------------------------------------------

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
    key = (str(path.resolve()), stat.st_mtime_ns, stat.st_size, max_w, max_h)
    prepared = _cached(key)
    if prepared is None:
        prepared = _prepare(path, max_w, max_h)
        _remember(key, prepared)
    return prepared


def _prepare(path: Path, max_w_px: int, max_h_px: int) -> PreparedImage:
    """Decode, check and clean the image (no cache)."""
    image = _clean(_flatten_mode(_decode(path, max_w_px, max_h_px)))
    out = io.BytesIO()
    if image.mode == "RGBA":
        image.save(out, format="PNG", optimize=False)
        fmt = "PNG"
    else:
        image.save(out, format="JPEG", quality=88, optimize=False, progressive=False)
        fmt = "JPEG"
    return PreparedImage(out.getvalue(), image.width, image.height, fmt)


def _decode(path: Path, max_w_px: int, max_h_px: int) -> Image.Image:
    """The image, decoded whole, upright and no larger than the box; every way the file
    can fail to decode is an InputError naming it."""
    from PIL import Image

    try:
        file = path.open("rb")
    except FileNotFoundError:
        raise InputError(Problem("image file not found", path=path)) from None
    except OSError as exc:
        raise InputError(Problem(f"cannot read it ({exc.strerror})", path=path)) from None
    with file, warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(file) as opened:
                _check_opened(opened, path)
                return _upright_and_small(opened, max_w_px, max_h_px)
        except InputError:
            raise
        # Pillow raises many types on hostile files (ValueError for an oversized text or
        # ICC chunk, SyntaxError, struct.error, EOFError, IndexError, OSError, MemoryError,
        # DecompressionBombError...): each is this file's problem, never a traceback.
        except Exception as exc:
            raise InputError(Problem(_decode_failure(exc), path=path)) from exc


def _check_opened(opened: Image.Image, path: Path) -> None:
    """Format and size, from the file's header (nothing decoded yet)."""
    if opened.format not in ACCEPTED_FORMATS:
        raise InputError(Problem(f"is a {opened.format} image; only PNG and JPEG are "
                                 "accepted", path=path))
    if opened.width * opened.height > MAX_PIXELS:
        raise InputError(Problem(
            f"is too large ({opened.width}x{opened.height} pixels, at most "
            f"{MAX_PIXELS // 1_000_000} megapixels); scale it down first", path=path))


def _decode_failure(exc: Exception) -> str:
    """What went wrong, by the type of Pillow's exception (its message is never quoted:
    it may carry bytes of the file)."""
    from PIL import Image, UnidentifiedImageError

    if isinstance(exc, UnidentifiedImageError):
        return "is not an image Pillow can read (expected PNG or JPEG)"
    if isinstance(exc, Image.DecompressionBombError | Image.DecompressionBombWarning):
        return "is too large to be a safe image (decompression bomb guard)"
    if isinstance(exc, MemoryError):
        return "is too large to decode in the memory available; scale it down first"
    if isinstance(exc, ValueError) and "MAX_TEXT" in str(exc):
        return ("holds text or colour-profile metadata (zTXt, iTXt or iCCP chunks) too "
                "large to read safely; save the image again without metadata (in an image "
                "editor: export it as PNG or JPEG without metadata or colour profile)")
    return (f"is damaged or truncated: Pillow could not decode it ({type(exc).__name__}); "
            "open it in an image editor and save it again as PNG or JPEG")


def _upright_and_small(opened: Image.Image, max_w: int, max_h: int) -> Image.Image:
    """Decode ``opened`` (a JPEG at reduced scale where it can), turn it by its EXIF
    orientation and scale it to fit ``max_w`` x ``max_h``."""
    orientation = opened.getexif().get(_EXIF_ORIENTATION)  # a PNG is decoded here
    turn = _transpose_method(orientation)
    crop: tuple[float, float, float, float] | None = None
    if opened.format == "JPEG":
        w, h = (max_h, max_w) if orientation in _SWAPS_AXES else (max_w, max_h)
        drafted = opened.draft(None, (int(w * REDUCING_GAP), int(h * REDUCING_GAP)))
        crop = drafted[1] if drafted is not None and turn is None else None
    opened.load()  # decode everything now: a truncated file fails here
    image: Image.Image = opened
    if turn is not None:  # a copy; large only for a rotated PNG (a JPEG is drafted)
        image = opened.transpose(turn)
        opened.close()
    if image.mode not in _SCALE_FIRST:
        image = _release(image, _flatten_mode(image))
    size = _fitted(image.size, (max_w, max_h))
    if size is None:
        return image
    return _release(image, _resize(image, size, crop))


def _release(old: Image.Image, new: Image.Image) -> Image.Image:
    """``new``, freeing ``old``'s pixels now rather than when the file is closed."""
    if new is not old:
        old.close()
    return new


def _transpose_method(orientation: object) -> Image.Transpose | None:
    from PIL import Image

    methods = {2: Image.Transpose.FLIP_LEFT_RIGHT, 3: Image.Transpose.ROTATE_180,
               4: Image.Transpose.FLIP_TOP_BOTTOM, 5: Image.Transpose.TRANSPOSE,
               6: Image.Transpose.ROTATE_270, 7: Image.Transpose.TRANSVERSE,
               8: Image.Transpose.ROTATE_90}
    return methods.get(orientation) if isinstance(orientation, int) else None


def _fitted(size: tuple[int, int], box: tuple[int, int]) -> tuple[int, int] | None:
    """The size ``Image.thumbnail(box)`` gives an image of ``size`` (its aspect kept), or
    None when it already fits."""
    width, height = size
    x, y = box
    if x >= width and y >= height:
        return None
    aspect = width / height
    if x / y >= aspect:
        return _nearest(y * aspect, lambda n: abs(aspect - n / y)), y
    return x, _nearest(x / aspect, lambda n: 0 if n == 0 else abs(aspect - x / n))


def _nearest(number: float, error: Callable[[int], float]) -> int:
    """The floor or the ceiling of ``number``, whichever ``error`` rates lower (as
    ``Image.thumbnail`` rounds); at least 1."""
    return max(min(math.floor(number), math.ceil(number), key=error), 1)


def _resize(image: Image.Image, size: tuple[int, int],
            crop: tuple[float, float, float, float] | None) -> Image.Image:
    """``image.resize(size, LANCZOS, box=crop, reducing_gap=REDUCING_GAP)``, the same
    pixels, but with transparency the whole-factor reduction is made band by band: Pillow
    would first make a premultiplied copy of the whole image."""
    from PIL import Image

    lanczos = Image.Resampling.LANCZOS
    factor = _reduce_factor(image.size, size)
    if image.mode not in ("LA", "RGBA") or crop is not None or factor == (1, 1):
        return image.resize(size, lanczos, box=crop, reducing_gap=REDUCING_GAP)
    premultiplied = "La" if image.mode == "LA" else "RGBa"
    reduced = _reduce_in_bands(image, premultiplied, factor)
    box = (0.0, 0.0, image.width / factor[0], image.height / factor[1])
    return reduced.resize(size, lanczos, box=box).convert(image.mode)


def _reduce_factor(size: tuple[int, int], target: tuple[int, int]) -> tuple[int, int]:
    """The whole factors ``Image.resize`` reduces by first (``reducing_gap``)."""
    return (int(size[0] / target[0] / REDUCING_GAP) or 1,
            int(size[1] / target[1] / REDUCING_GAP) or 1)


def _reduce_in_bands(image: Image.Image, mode: str, factor: tuple[int, int]) -> Image.Image:
    """``image.convert(mode).reduce(factor)``, converting a band of rows at a time (bands
    of whole factor rows: each output pixel averages the same block as on the whole)."""
    from PIL import Image

    fx, fy = factor
    width, height = image.size
    rows = fy * max(1, _BAND_PIXELS // (width * fy))
    out = Image.new(mode, (-(-width // fx), -(-height // fy)))
    for top in range(0, height, rows):
        band = image.crop((0, top, width, min(height, top + rows))).convert(mode)
        out.paste(band.reduce(factor), (0, top // fy))
    return out


def _flatten_mode(image: Image.Image) -> Image.Image:
    """RGB, or RGBA when the image has real transparency."""
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency"
                                                in image.info):
        rgba = image.convert("RGBA")
        alpha = rgba.getchannel("A")
        if alpha.getextrema() == (255, 255):
            return rgba.convert("RGB")
        return rgba
    # Adobe-style inverted CMYK JPEGs are read by Pillow already inverted back.
    return image.convert("RGB")


def _clean(image: Image.Image) -> Image.Image:
    """A copy with pixels only: no EXIF, GPS, ICC profile or text chunks."""
    from PIL import Image

    clean = Image.new(image.mode, image.size)
    clean.paste(image)
    return clean


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
