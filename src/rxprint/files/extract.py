"""Reading back the program file rxprint attaches to every handout (see
:mod:`rxprint.library.reissue`), through pikepdf (``pip install 'rxprint[encrypt]'``)."""

from __future__ import annotations

import io
from pathlib import Path

from rxprint.errors import InputError, Problem
from rxprint.files.encrypt import check_available
from rxprint.files.tomlfile import read_limited

ATTACHMENT = "rxprint-program.toml"  # the program's name in the PDF, its one attachment
MAX_HANDOUT_BYTES = 256 * 1024 * 1024


def attached_program(path: Path, password: str | None = None) -> bytes:
    """The program file attached to the handout at ``path``, or an InputError that says
    why there is none: not a PDF, damaged, password-protected, or not made by rxprint."""
    check_available()
    import pikepdf

    data = read_limited(path, "handout", limit=MAX_HANDOUT_BYTES)
    try:
        pdf = pikepdf.open(io.BytesIO(data), password=password or "")
    except pikepdf.PasswordError:
        what = ("the password is not this handout's" if password else
                "it is password-protected: give its password with --password-file FILE")
        raise InputError(Problem(f"cannot open the handout: {what}", path=path)) from None
    except pikepdf.PdfError:
        raise InputError(Problem("not a PDF, or a damaged one: rxprint cannot read it",
                                 path=path)) from None
    with pdf:
        attached = pdf.attachments.get(ATTACHMENT)
        if attached is None:
            raise InputError(Problem("has no program attached: it was not made by rxprint "
                                     "(or by a version before 0.1), so there is nothing to "
                                     "extract", path=path))
        try:
            text: bytes = attached.get_file().read_bytes()
            text.decode("utf-8")
        except (pikepdf.PdfError, UnicodeDecodeError):
            raise InputError(Problem("its attached program is damaged: rxprint cannot read "
                                     "it", path=path)) from None
    return text
