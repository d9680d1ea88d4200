"""Limits on what a logo, an exercise photo or a plugin's font file may cost.

A hostile image (an oversized text or colour-profile chunk, a broken header, anything
Pillow raises on) is a clear error naming the file and where it was named, never a
traceback; a 40-megapixel image is prepared near one decoded copy of it (a JPEG decoded at
reduced scale); the prepared images of one process can be handed to another; a font file
over the size limit is refused when the plugin registers it, before it is read.
"""

from __future__ import annotations

import io
import os
import pickle
import re
import struct
import subprocess
import sys
import textwrap
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from PIL import Image

from rxprint.errors import InputError, RxprintError
from rxprint.files import images
from rxprint.library.branding import LOGO_MAX_H_PT, LOGO_MAX_W_PT
from rxprint.library.fonts import MAX_FONT_BYTES, FontFamily
from rxprint.render.fonts import register

from .conftest import Pdf, built

Run = Callable[..., Result]
Plugins = Callable[[str, str], Path]

SECRET = b"canary-chunk-secret "  # text inside the hostile chunks: never in a message


# -- making images -------------------------------------------------------------------------

def _chunk(kind: bytes, data: bytes) -> bytes:
    return (struct.pack(">I", len(data)) + kind + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))


def _png(before_idat: bytes = b"", after_idat: bytes = b"", mode: str = "RGB") -> bytes:
    """A small real PNG with extra chunks before its image data and after it (these are
    read while the pixels are decoded)."""
    buf = io.BytesIO()
    Image.new(mode, (60, 20), 3).save(buf, "PNG")
    raw = buf.getvalue()
    after_ihdr = 8 + 25
    iend = raw.rindex(b"IEND") - 4
    return raw[:after_ihdr] + before_idat + raw[after_ihdr:iend] + after_idat + raw[iend:]


_BIG_TEXT = zlib.compress(SECRET * 150_000, 9)  # 3 MB of text, beyond MAX_TEXT_CHUNK
_ONE_MB = zlib.compress(SECRET * 52_000, 9)  # 1 MB: under MAX_TEXT_CHUNK, 70 are too many

OVERSIZED_METADATA = {
    "zTXt": _png(_chunk(b"zTXt", b"Comment\0\0" + _BIG_TEXT)),
    "zTXt-after-pixels": _png(after_idat=_chunk(b"zTXt", b"Comment\0\0" + _BIG_TEXT)),
    "iTXt": _png(_chunk(b"iTXt", b"Comment\0\1\0en\0Comment\0" + _BIG_TEXT)),
    "iCCP": _png(_chunk(b"iCCP", b"profile\0\0" + _BIG_TEXT)),
    "many-zTXt": _png(b"".join(_chunk(b"zTXt", b"C%d\0\0" % i + _ONE_MB)
                               for i in range(70))),
}


def _broken_pngs() -> dict[str, bytes]:
    """Files Pillow fails on with other exception types than OSError."""
    palette = _png(mode="P")
    idat = palette.index(b"IDAT") - 4
    return {
        "short-header": (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", b"\0\0\0\x10\0\0")
                         + _chunk(b"IEND", b"")),  # ValueError while opening
        "bad-profile-after-pixels": _png(after_idat=_chunk(b"iCCP", b"icc\0\x05xx")),
        # SyntaxError while decoding
        "long-transparency": palette[:idat] + _chunk(b"tRNS", b"\0" * 300) + palette[idat:],
        # ValueError while decoding
    }


def _logo_plugin(plugins: Plugins, logo: Path) -> None:
    plugins("brand", f"""
        from pathlib import Path
        from rxprint.api import hookimpl
        from rxprint.api import Branding
        @hookimpl
        def register_branding(register):
            register("brand-clinic", Branding(clinic_name="Oak Clinic",
                                              logo=Path({str(logo)!r})))
    """)


def _photo_plugin(plugins: Plugins, folder: Path, photo: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "clinic-photo.toml").write_text(textwrap.dedent(f'''\
        id = "clinic-photo"
        title = "Photo heel raise"
        category = "strengthening"
        regions = ["lower-leg"]
        targets = ["calf muscles"]
        equipment = ["counter"]
        position = "Standing at a kitchen counter"
        purpose = "Strong calves help you push off as you walk."
        steps = ["Stand with both hands on the counter.", "Rise slowly onto your toes."]
        cautions = ["Stop if you feel sharp pain."]
        sources = ["rxprint tests"]
        images = ["{photo}"]
        [dosage]
        sets = 2
        reps = 12
        '''), encoding="utf-8")
    plugins("photos", f"""
        from pathlib import Path
        from rxprint.api import hookimpl
        @hookimpl
        def register_exercises(register):
            register(Path({str(folder)!r}))
    """)


def _assert_clean_error(result: Result, *expected: str) -> None:
    assert result.exit_code == 1, result.output
    assert result.output.startswith("Error: "), result.output
    for text in expected:
        assert text in result.output, result.output
    assert "unexpected internal error" not in result.output
    assert "Traceback" not in result.output
    assert SECRET.decode().strip() not in result.output
    assert not Path("x.pdf").exists()


# -- 1. hostile files are clear errors -----------------------------------------------------

@pytest.mark.parametrize("kind", OVERSIZED_METADATA)
def test_plugin_logo_with_oversized_metadata_names_the_plugin_and_file(
        run: Run, plugins: Plugins, tmp_path: Path, kind: str) -> None:
    logo = tmp_path / "logo.png"
    logo.write_bytes(OVERSIZED_METADATA[kind])
    _logo_plugin(plugins, logo)
    result = run("build", "-e", "quad-set", "-o", "x.pdf")
    _assert_clean_error(result, "plugin brand", "branding 'brand-clinic': logo: ",
                        f"{logo}: holds text or colour-profile metadata",
                        "too large to read safely", "save the image again without metadata")


def test_config_logo_with_oversized_metadata_names_the_config_file_and_line(
        run: Run, tmp_path: Path) -> None:
    (tmp_path / "logo.png").write_bytes(OVERSIZED_METADATA["iCCP"])
    (tmp_path / "rxprint.toml").write_text(
        '[branding]\nclinic_name = "Oak Street Physio"\nlogo = "logo.png"\n', encoding="utf-8")
    result = run("build", "-e", "quad-set", "-o", "x.pdf")
    _assert_clean_error(result, f"{tmp_path / 'rxprint.toml'}:3: branding.logo: "
                                f"{(tmp_path / 'logo.png').resolve()}: holds text or "
                                "colour-profile metadata")


@pytest.mark.parametrize("kind", ["zTXt", *_broken_pngs()])
def test_hostile_exercise_photo_is_a_clear_error_naming_it(
        run: Run, plugins: Plugins, tmp_path: Path, kind: str) -> None:
    folder = tmp_path / "photo-exercises"
    folder.mkdir()
    data = OVERSIZED_METADATA.get(kind) or _broken_pngs()[kind]
    (folder / "photo.png").write_bytes(data)
    _photo_plugin(plugins, folder, "photo.png")
    result = run("build", "-e", "clinic-photo", "--patient", "Quilla Zarnowski-Vex",
                 "-o", "x.pdf")
    _assert_clean_error(result, f"{folder / 'photo.png'}: ")
    assert ("holds text or colour-profile metadata" in result.output if kind == "zTXt"
            else "is damaged or truncated: Pillow could not decode it" in result.output)
    assert "Quilla" not in result.output


@pytest.mark.parametrize("exc", [
    ValueError, SyntaxError, struct.error, EOFError, IndexError, TypeError, KeyError,
    zlib.error, RuntimeError, OSError, MemoryError, Image.DecompressionBombError,
], ids=lambda exc: exc.__name__)
def test_whatever_pillow_raises_while_decoding_is_an_input_error(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path, exc: type[Exception]) -> None:
    from PIL import ImageFile

    photo = tmp_path / f"photo-{exc.__name__}.png"
    Image.new("RGB", (60, 20)).save(photo)

    def hostile_load(self: object) -> None:
        raise exc("canary-chunk-secret in Pillow's message")

    monkeypatch.setattr(ImageFile.ImageFile, "load", hostile_load)
    with pytest.raises(InputError) as caught:
        images.prepare_image(photo, 100, 100)
    message = str(caught.value)
    assert message.startswith(f"{photo}: ")
    assert "canary" not in message  # Pillow's message is never quoted
    if exc is MemoryError:
        assert "too large to decode in the memory available" in message
    elif exc is Image.DecompressionBombError:
        assert "decompression bomb" in message
    else:
        assert f"Pillow could not decode it ({exc.__name__})" in message


# -- 2. a 40-megapixel image costs about one decoded copy -----------------------------------

BIG = (8000, 5000)  # 40 megapixels, the most accepted

# Linux carries a process's peak (ru_maxrss) across exec: a command started by pytest would
# start from pytest's peak. The image is prepared in a child forked from this small process.
MEASURE = """\
import os, resource, sys, traceback
from pathlib import Path
import PIL.Image, PIL.JpegImagePlugin, PIL.PngImagePlugin
from rxprint.library.branding import LOGO_MAX_H_PT, LOGO_MAX_W_PT
from rxprint.files.images import prepare_image
read, write = os.pipe()
pid = os.fork()
if pid == 0:
    code = 1
    try:
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        prepared = prepare_image(Path(sys.argv[1]), LOGO_MAX_W_PT, LOGO_MAX_H_PT, dpi=300)
        after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        os.write(write, f"{(after - before) // 1024} {before // 1024} {prepared.width_px} "
                        f"{prepared.height_px} {prepared.format}".encode())
        code = 0
    except BaseException:
        traceback.print_exc()
    finally:
        os._exit(code)
os.close(write)
status = os.waitpid(pid, 0)[1]
print(os.read(read, 1000).decode())
sys.exit(os.waitstatus_to_exitcode(status))
"""


def _big_png(path: Path, alpha: bool) -> None:
    """A real 8000 x 5000 PNG, written a row at a time (no 40-megapixel image in this
    process); with ``alpha``, its transparency runs from clear to opaque across it."""
    width, height = BIG
    channels = 4 if alpha else 3
    pixel = [bytes((x * 7 % 256, 90, 160, x * 255 // width)[:channels]) for x in range(width)]
    row = b"\x00" + b"".join(pixel)
    comp = zlib.compressobj(6)
    data = b"".join(comp.compress(row) for _ in range(height)) + comp.flush()
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 6 if alpha else 2, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", data)
                     + _chunk(b"IEND", b""))


def _big_jpeg(path: Path) -> None:
    Image.linear_gradient("L").resize(BIG).convert("RGB").save(path, quality=80)


@pytest.mark.skipif(sys.platform != "linux", reason="ru_maxrss is in KiB on Linux")
@pytest.mark.parametrize(("kind", "bound_mb", "fmt"), [
    ("png", 260, "JPEG"),  # +155 MB: one decoded copy is 160 MB (4 bytes a pixel); +611
    # when every step made its own full-size copy
    ("png-alpha", 260, "PNG"),  # +166 MB: no premultiplied full-size copy either
    ("jpeg", 100, "JPEG"),  # +13 MB: decoded at 1/8 scale (a full decode is 160 MB)
])
def test_a_40_megapixel_logo_is_prepared_within_a_memory_bound(
        tmp_path: Path, kind: str, bound_mb: int, fmt: str) -> None:
    logo = tmp_path / ("logo.jpg" if kind == "jpeg" else "logo.png")
    if kind == "jpeg":
        _big_jpeg(logo)
    else:
        _big_png(logo, alpha=kind == "png-alpha")
    proc = subprocess.run([sys.executable, "-c", MEASURE, str(logo)], capture_output=True,
                          text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr
    grew_mb, start_mb, width, height, got_format = proc.stdout.split()
    assert int(start_mb) < 150  # measured from a small process, not from pytest's peak
    assert int(grew_mb) < bound_mb, f"preparing it raised the peak by {grew_mb} MB"
    box = (round(LOGO_MAX_W_PT / 72 * 300), round(LOGO_MAX_H_PT / 72 * 300))
    assert (int(width), int(height)) == (box[1] * 8 // 5, box[1])  # fitted, aspect kept
    assert got_format == fmt


@pytest.mark.skipif(sys.platform != "linux", reason="ru_maxrss is in KiB on Linux")
def test_a_handout_with_a_40_megapixel_logo_stays_within_a_memory_bound(
        plugins: Plugins, tmp_path: Path) -> None:
    logo = tmp_path / "logo.png"
    _big_png(logo, alpha=True)
    _logo_plugin(plugins, logo)
    rxprint = str(Path(sys.executable).with_name("rxprint"))
    wrapper = ("import resource, subprocess, sys; "
               "code = subprocess.run(sys.argv[1:]).returncode; "
               "print(code, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024)")
    out = tmp_path / "out.pdf"
    proc = subprocess.run([sys.executable, "-c", wrapper, rxprint, "build", "-e", "quad-set",
                           "-o", str(out)], capture_output=True, text=True, timeout=180,
                          cwd=tmp_path, check=False)
    code, peak_mb = proc.stdout.split()
    assert code == "0", proc.stderr
    # 37 MB without a logo; 195 MB with this one (a decoded copy is 160 MB); 640 MB when
    # every step made its own full-size copy
    assert int(peak_mb) < 320, f"rxprint build peaked at {peak_mb} MB"
    pdf = Pdf(out.read_bytes())
    assert "Oak Clinic" in pdf.flat(0)
    (logo_obj,) = [obj for page in pdf.reader.pages
                   for ref in ((page.get("/Resources") or {}).get("/XObject") or {}).values()
                   if (obj := ref.get_object()).get("/Subtype") == "/Image"][:1]
    assert (int(logo_obj["/Width"]), int(logo_obj["/Height"])) == (240, 150)
    assert "/SMask" in logo_obj  # its transparency kept


# -- 3. handing prepared images to another process -------------------------------------------

def _no_decoding(path: Path, max_w: int, max_h: int) -> images.PreparedImage:
    raise AssertionError(f"decoded {path.name} ({max_w}x{max_h})")


def test_a_seeded_cache_prepares_the_same_file_without_decoding(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    logo = tmp_path / "logo.png"
    Image.new("RGBA", (900, 300), (20, 90, 120, 128)).save(logo)
    prepared = images.prepare_image(logo, LOGO_MAX_W_PT, LOGO_MAX_H_PT, dpi=300)
    data = pickle.dumps(images.snapshot())

    images.clear_cache()  # as in a fresh process
    monkeypatch.setattr(images, "_prepare", _no_decoding)
    with pytest.raises(AssertionError, match=r"decoded logo\.png"):
        images.prepare_image(logo, LOGO_MAX_W_PT, LOGO_MAX_H_PT, dpi=300)
    images.seed(pickle.loads(data))
    assert images.prepare_image(logo, LOGO_MAX_W_PT, LOGO_MAX_H_PT, dpi=300) == prepared
    # another box, or the file changed since: decoded again
    with pytest.raises(AssertionError, match=r"decoded logo\.png"):
        images.prepare_image(logo, 100, 100, dpi=300)
    os.utime(logo, ns=(1, 1))
    with pytest.raises(AssertionError, match=r"decoded logo\.png"):
        images.prepare_image(logo, LOGO_MAX_W_PT, LOGO_MAX_H_PT, dpi=300)


SEEDED_WORKER = """\
import pickle, sys
from pathlib import Path
from rxprint.files import images
from rxprint.library.branding import LOGO_MAX_H_PT, LOGO_MAX_W_PT
def no_decoding(*args):
    raise SystemExit("decoded in the worker")
images._prepare = no_decoding
if sys.argv[2] == "seed":
    images.seed(pickle.loads(Path(sys.argv[3]).read_bytes()))
prepared = images.prepare_image(Path(sys.argv[1]), LOGO_MAX_W_PT, LOGO_MAX_H_PT, dpi=300)
sys.stdout.buffer.write(prepared.data)
"""


def test_a_worker_process_seeded_with_the_snapshot_does_not_decode(tmp_path: Path) -> None:
    logo = tmp_path / "logo.jpg"
    Image.new("RGB", (1200, 400), (200, 30, 30)).save(logo)
    prepared = images.prepare_image(logo, LOGO_MAX_W_PT, LOGO_MAX_H_PT, dpi=300)
    snap = tmp_path / "snapshot.pickle"
    snap.write_bytes(pickle.dumps(images.snapshot()))

    def worker(mode: str) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run([sys.executable, "-c", SEEDED_WORKER, str(logo), mode,
                               str(snap)], capture_output=True, timeout=60, check=False)

    unseeded = worker("plain")
    assert unseeded.returncode == 1 and b"decoded in the worker" in unseeded.stderr
    seeded = worker("seed")
    assert seeded.returncode == 0, seeded.stderr
    assert seeded.stdout == prepared.data


@pytest.mark.parametrize("entry", [
    "not a tuple", ("/logo.png", 1, 2, 3), ("/logo.png", 1, 2, 600, 150, "text", 10, 10, "PNG"),
    ("/logo.png", 1, 2, 600, 150, b"x", 10, 10, "GIF"),
    ("/logo.png", 1, 2, 600, 150, b"x", 0, 10, "PNG"),
])
def test_seed_refuses_what_is_not_a_snapshot(entry: object) -> None:
    before = images.snapshot()
    with pytest.raises(ValueError, match=r"not an entry of rxprint\.files\.images\.snapshot"):
        images.seed([entry])  # type: ignore[list-item]
    assert images.snapshot() == before


# -- 4. a plugin's font file has a size limit ----------------------------------------------

def _big_font(path: Path) -> Path:
    """A sparse file over the limit whose first bytes say TrueType."""
    with path.open("wb") as f:
        f.write(b"\x00\x01\x00\x00")
        f.truncate(MAX_FONT_BYTES + 8 * 1024 * 1024)
    return path


def test_an_oversized_font_file_is_refused_when_the_plugin_registers_it(
        run: Run, plugins: Plugins, tmp_path: Path) -> None:
    font = _big_font(tmp_path / "Clinic-Regular.ttf")
    font_plugin(plugins, font)
    expected = (f"plugin fonts: font family clinic-sans: {font} is 40 MB; a font file may "
                "be at most 32 MB")
    for args in (["list"], ["build", "-e", "quad-set", "-o", "x.pdf"]):
        result = run(*args)
        assert result.exit_code == 1, result.output
        assert result.output.startswith("Error: ") and expected in result.output
        assert "Traceback" not in result.output
    assert not Path("x.pdf").exists()


def font_plugin(plugins: Plugins, regular: Path) -> None:
    """A plugin registering ``regular`` as the family clinic-sans, and a branding using
    it."""
    plugins("fonts", f"""
        from pathlib import Path
        from rxprint.api import hookimpl
        from rxprint.api import Branding
        @hookimpl
        def register_fonts(register):
            register("clinic-sans", Path({str(regular)!r}))
        @hookimpl
        def register_branding(register):
            register("fonted", Branding(clinic_name="Font Clinic", font="clinic-sans"))
    """)


def _bytes_read() -> int:
    """What this process has read so far (Linux: /proc/self/io)."""
    for line in Path("/proc/self/io").read_text(encoding="ascii").splitlines():
        if line.startswith("rchar:"):
            return int(line.split()[1])
    raise AssertionError("no rchar in /proc/self/io")


@pytest.mark.skipif(not Path("/proc/self/io").exists(), reason="needs /proc/self/io")
def test_registering_an_oversized_font_directly_fails_before_reading_it(
        tmp_path: Path) -> None:
    """A family no plugin check has seen (``render_handout(font=...)`` from Python)."""
    font = _big_font(tmp_path / "Direct-Regular.ttf")
    before = _bytes_read()
    with pytest.raises(RxprintError, match=re.escape(f"font family direct: {font} is 40 MB")):
        register(FontFamily("direct", font))
    assert _bytes_read() - before < 1 << 20


def test_a_normal_plugin_font_still_prints(run: Run, plugins: Plugins) -> None:
    import fontpkg_noto_sans

    regular = Path(fontpkg_noto_sans.ROOT) / "files" / "NotoSans[wdth,wght].ttf"
    font_plugin(plugins, regular)
    pdf = built(run, "-e", "quad-set")
    assert any("NotoSans" in name for name in pdf.fonts())
    assert "Font Clinic" in pdf.flat(0)
