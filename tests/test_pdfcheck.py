"""The PDF checks themselves (rxprint.testing.check_pdf, run on every PDF the tests read):
each one catches what it is there for. A real handout passes; the same handout changed
in one way, with pikepdf, fails with a message that names the problem."""

from __future__ import annotations

import datetime as dt
import io
import zlib
from collections.abc import Callable

import pikepdf
import pytest
from reportlab.pdfgen import canvas

from rxprint.library.loader import builtin_library
from rxprint.library.model import ProgramRequest
from rxprint.library.programs import resolve, with_flags
from rxprint.render.handout import render_handout
from rxprint.testing import PdfCheckError, check_pdf

from .pdfcheck import assert_valid_pdf


@pytest.fixture(scope="module")
def handout() -> bytes:
    request = with_flags(ProgramRequest(patient_name="Jane Doe"), exercises=("quad-set",))
    program = resolve(request, builtin_library(), dt.date(2026, 11, 21))
    return render_handout(program).pdf


def changed(data: bytes, change: Callable[[pikepdf.Pdf], None], **save: object) -> bytes:
    """``data`` opened with pikepdf, changed, and saved again."""
    with pikepdf.Pdf.open(io.BytesIO(data)) as pdf:
        change(pdf)
        out = io.BytesIO()
        pdf.save(out, **save)  # type: ignore[arg-type]
        return out.getvalue()


def problems(data: bytes, **kwargs: object) -> str:
    with pytest.raises(PdfCheckError) as caught:
        check_pdf(data, tools="require", **kwargs)  # type: ignore[arg-type]
    return str(caught.value)


def test_a_handout_passes_also_when_saved_again_by_pikepdf(handout: bytes) -> None:
    assert_valid_pdf(handout, secrets=["Jane Doe"])
    assert_valid_pdf(changed(handout, lambda pdf: None), secrets=["Jane Doe"])


def test_javascript_and_open_actions(handout: bytes) -> None:
    def add(pdf: pikepdf.Pdf) -> None:
        pdf.Root.OpenAction = pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS="app.alert(1)")

    found = problems(changed(handout, add))
    assert "active content: /OpenAction" in found
    assert "/JavaScript" in found


def test_links_to_foreign_hosts(handout: bytes) -> None:
    def link(pdf: pikepdf.Pdf) -> None:
        annot = pdf.make_indirect(pikepdf.Dictionary(
            Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Link, Rect=[0, 0, 10, 10],
            A=pikepdf.Dictionary(S=pikepdf.Name.URI, URI="https://evil.example/x")))
        pdf.pages[0].obj.Annots = pdf.make_indirect(pikepdf.Array([annot]))

    linked = changed(handout, link)
    assert "link to a foreign host: https://evil.example/x" in problems(linked)
    check_pdf(linked, allowed_hosts=["evil.example"], tools="require")


def test_embedded_files(handout: bytes) -> None:
    def attach(pdf: pikepdf.Pdf) -> None:
        pdf.attachments["notes.txt"] = pikepdf.AttachedFileSpec(pdf, b"Jane Doe")

    found = problems(changed(handout, attach))
    assert "embedded files: 1" in found
    assert "active content: /EmbeddedFiles" in found


def test_encryption(handout: bytes) -> None:
    locked = changed(handout, lambda pdf: None,
                     encryption=pikepdf.Encryption(owner="owner", user=""))
    assert "encrypted" in problems(locked)
    secret = changed(handout, lambda pdf: None,
                     encryption=pikepdf.Encryption(owner="owner", user="user"))
    assert "encrypted: it needs a password to open" in problems(secret)


def test_fonts_not_embedded(handout: bytes) -> None:
    def strip(pdf: pikepdf.Pdf) -> None:
        for font in pdf.pages[0].Resources.Font.values():
            if "/FontDescriptor" in font:
                for key in ("/FontFile", "/FontFile2", "/FontFile3"):
                    if key in font.FontDescriptor:
                        del font.FontDescriptor[key]

    assert "font not embedded: /" in problems(changed(handout, strip))
    # a standard font with no descriptor at all (pdffonts says "emb: no")
    plain = io.BytesIO()
    page = canvas.Canvas(plain, invariant=True)
    page.drawString(72, 72, "Helvetica is not embedded")
    page.save()
    assert "font not embedded: /Helvetica" in problems(plain.getvalue())


def test_a_damaged_file(handout: bytes) -> None:
    cut = handout[: handout.rindex(b"startxref")]
    assert "qpdf cannot open it without repair" in problems(cut)


def test_a_damaged_stream_or_page(handout: bytes) -> None:
    def damage(pdf: pikepdf.Pdf) -> None:  # not Flate data, though it says so
        pdf.pages[0].obj.Contents = pdf.make_stream(b"not Flate data",
                                                    Filter=pikepdf.Name.FlateDecode)

    def unclosed(pdf: pikepdf.Pdf) -> None:  # a string that never ends
        pdf.pages[0].obj.Contents = pdf.make_stream(
            zlib.compress(b"BT /F1 12 Tf (hi) Tj ET (unclosed"),
            Filter=pikepdf.Name.FlateDecode)

    keep = {"stream_decode_level": pikepdf.StreamDecodeLevel.none}
    assert "error decoding stream data" in problems(changed(handout, damage, **keep))
    assert "EOF while reading token" in problems(changed(handout, unclosed, **keep))


def test_metadata_holds_only_the_title_creator_producer_and_dates(handout: bytes) -> None:
    def author(pdf: pikepdf.Pdf) -> None:
        pdf.docinfo["/Author"] = "Sam Lee"
        pdf.docinfo["/Patient"] = "someone"

    found = problems(changed(handout, author))
    assert "metadata /Author is not empty: 'Sam Lee'" in found
    assert "unexpected metadata field /Patient" in found


def test_secrets_in_the_info_or_xmp_metadata(handout: bytes) -> None:
    def title(pdf: pikepdf.Pdf) -> None:
        pdf.docinfo["/Title"] = "Home Exercise Program for Jane Doe"

    def xmp(pdf: pikepdf.Pdf) -> None:
        with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
            meta["dc:description"] = "for Jane Doe"

    titled = changed(handout, title)
    assert "metadata /Title holds 'Jane Doe'" in problems(titled, secrets=["Jane Doe"])
    check_pdf(titled, secrets=["Ann Lee"], tools="require")
    # the second check of the same bytes reuses the first one's reading, not its verdict
    assert "metadata /Title holds 'Jane Doe'" in problems(titled, secrets=["Jane Doe"])
    assert "XMP metadata holds 'Jane Doe'" in problems(changed(handout, xmp),
                                                        secrets=["Jane Doe"])


def test_tools_is_checked(handout: bytes) -> None:
    check_pdf(handout, tools="none")
    with pytest.raises(ValueError, match="tools must be one of auto, require, none"):
        check_pdf(handout, tools="qpdf")
