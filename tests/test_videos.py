"""Video links (issue 19): an exercise's, a program file entry's or a plugin's https link,
printed as a QR code that a phone reads back as the link (the page rendered at 150 dpi
and decoded, as a camera would see the paper), with the link beside it; anything but
https is refused with the field named."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pypdfium2
import pytest
import zxingcpp
from click.testing import Result

from rxprint.library.loader import builtin_library

from .conftest import built
from .test_plain_language import run_sizes

Run = Callable[..., Result]
QUAD = "https://clinic.example/v/quad-set"
BRIDGE = "https://riverside-pt.example/videos/hip-lift-glute-bridge?lang=en"


def decoded(path: Path, dpi: int = 150) -> list[list[str]]:
    """The QR codes of each page, as a phone would read them from the printed page."""
    found = []
    pdf = pypdfium2.PdfDocument(str(path))
    try:
        for page in pdf:
            image = page.render(scale=dpi / 72).to_pil()
            found.append(sorted(r.text for r in zxingcpp.read_barcodes(image)
                                if r.format == zxingcpp.BarcodeFormat.QRCode))
    finally:
        pdf.close()
    return found


def visit(write: Callable[..., Path], extra: str = "") -> Path:
    return write("visit.toml", f'date = 2026-11-21\n{extra}\n[[exercises]]\nid = "quad-set"\n'
                               f'video = "{QUAD}"\n[[exercises]]\nid = "glute-bridge"\n'
                               f'video = "{BRIDGE}"\n[[exercises]]\nid = "calf-stretch"\n')


@pytest.mark.parametrize("options", [(), ("--layout", "compact"), ("--large-print",),
                                     ("--lang", "es"), ("--no-pictures",)])
def test_a_video_prints_as_a_qr_code_that_reads_back_as_the_link(
        run: Run, write: Callable[..., Path], options: tuple[str, ...]) -> None:
    visit(write)
    pdf = built(run, "visit.toml", *options)
    codes = [code for page in decoded(Path("out.pdf")) for code in page]
    assert sorted(codes) == sorted([QUAD, BRIDGE])  # calf-stretch has none
    text = pdf.flat().replace(" ", "")
    assert "clinic.example/v/quad-set" in text  # the link to type, beside the code
    label = ("apunte la cámara" if "es" in options else "point your phone's camera")
    assert pdf.flat().count(label) == 2
    if "--large-print" in options:
        assert min(size for _, size in run_sizes(pdf)) >= 12 - 0.01


def test_the_qr_code_is_large_enough_to_scan(run: Run, write: Callable[..., Path]) -> None:
    """At 100 dpi (a phone camera held further away reads less) the codes still decode."""
    visit(write)
    built(run, "visit.toml")
    assert sorted(c for page in decoded(Path("out.pdf"), dpi=100) for c in page) == \
        sorted([QUAD, BRIDGE])


@pytest.mark.parametrize("link", ["http://clinic.example/v/1", "clinic.example/v/1",
                                  "https://", "https://clinic example/v", "ftp://x.example"])
def test_only_an_https_link_is_a_video(run: Run, write: Callable[..., Path], link: str) -> None:
    write("bad.toml", f'[[exercises]]\nid = "quad-set"\nvideo = "{link}"\n')
    result = run("build", "bad.toml", "-o", "x.pdf")
    assert result.exit_code == 1
    assert re.search(r"bad\.toml:3: exercises\[1\]\.video: not an? (https://|whole) link",
                     result.output), result.output
    if len(link) > 10:
        assert link not in result.output  # not quoted: it may carry a patient's details
    assert not Path("x.pdf").exists()


def test_a_library_exercise_may_carry_a_video_and_validate_checks_it(
        run: Run, tmp_path: Path) -> None:
    source = builtin_library().exercises["calf-stretch"].path
    assert source is not None
    good = tmp_path / "ex" / "calf-stretch.toml"
    good.parent.mkdir()
    text = source.read_text(encoding="utf-8")
    good.write_text(text.replace('category = "stretch"\n',
                                 'category = "stretch"\nvideo = "http://x.example/calf"\n', 1),
                    encoding="utf-8")
    result = run("validate", str(good))
    assert result.exit_code == 1 and "video: not an https:// link" in result.output


def test_a_plugins_bad_video_names_the_plugin(run: Run,
                                             plugins: Callable[[str, str], Path]) -> None:
    plugins("badvideos", '''
        from rxprint.api import hookimpl
        @hookimpl
        def register_videos(register):
            register("quad-set", "http://oak.example/v/quad")
    ''')
    result = run("build", "-e", "quad-set", "-o", "x.pdf")
    assert result.exit_code == 1
    assert "plugin badvideos" in result.output and "register_videos" in result.output
    assert "not an https:// link" in result.output



def test_a_plugins_video_for_an_unknown_exercise_is_an_error(
        run: Run, plugins: Callable[[str, str], Path]) -> None:
    plugins("unknownvideos", '''
        from rxprint.api import hookimpl
        @hookimpl
        def register_videos(register):
            register("no-such-exercise", "https://oak.example/v/x")
    ''')
    result = run("build", "-e", "quad-set", "-o", "x.pdf")
    assert result.exit_code == 1 and "no exercise 'no-such-exercise'" in result.output
