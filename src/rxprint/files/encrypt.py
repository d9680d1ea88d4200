"""Password protection of a handout, for sending it by email: AES-256 encryption (the PDF
2.0 standard security handler, revision 6) through pikepdf, qpdf's library, an optional
part of rxprint (``pip install 'rxprint[encrypt]'``). ReportLab's own encryption is RC4,
which any laptop breaks.

The password comes from a file (or standard input), never from the command line, where
other users and the shell's history would see it. It is never shown, logged or kept.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path
from typing import TextIO

from rxprint.errors import InputError, Problem
from rxprint.files.tomlfile import read_limited

MAX_PASSWORD_BYTES = 127  # what revision 6 uses of a password (UTF-8)
INSTALL = "pip install 'rxprint[encrypt]'"


def read_password(source: Path, stdin: TextIO | None = None) -> str:
    """The password: the first line of the file ``source``, or of standard input for
    ``-``. An InputError (that never quotes it) when it is empty, too long or unreadable."""
    if str(source) == "-":
        line = (stdin or sys.stdin).readline()
        where = Problem("the password from standard input", field="--password-file")
    else:
        try:
            data = read_limited(source, "password file", limit=4096)
        except InputError as exc:  # its name is not shown: it may be the password itself
            problem = exc.problem
            raise InputError(Problem(
                problem.message.replace(str(source), "the password file"),
                field="--password-file")) from None
        try:
            line = data.decode("utf-8").splitlines()[0] if data.strip() else ""
        except UnicodeDecodeError:
            raise InputError(Problem("the password file is not UTF-8 text", path=source,
                                     field="--password-file")) from None
        where = Problem("the password file", path=source, field="--password-file")
    password = line.rstrip("\r\n")
    if not password.strip():
        raise InputError(Problem(f"{where.message} is empty: put the password on its first "
                                 "line", path=where.path, field=where.field))
    if len(password.encode("utf-8")) > MAX_PASSWORD_BYTES:
        raise InputError(Problem(f"{where.message}: the password is longer than "
                                 f"{MAX_PASSWORD_BYTES} bytes, the most a PDF uses",
                                 path=where.path, field=where.field))
    return password


def check_available() -> None:
    """An InputError saying what to install when pikepdf is missing."""
    try:
        import pikepdf  # noqa: F401
    except ImportError:
        raise InputError("--password-file needs pikepdf, an optional part of rxprint: "
                         f"{INSTALL}") from None


def encrypt_pdf(data: bytes, password: str) -> bytes:
    """``data`` (a PDF) encrypted with AES-256 (R6) under ``password`` (to open it; the
    same password gives full rights, so the patient may print it). The salts and
    initialisation vectors are random, as the standard requires: two encryptions of the
    same handout differ, while what they decrypt to is the same."""
    check_available()
    import pikepdf

    out = io.BytesIO()
    with pikepdf.open(io.BytesIO(data)) as pdf:
        pdf.save(out, encryption=pikepdf.Encryption(owner=password, user=password, R=6,
                                                    aes=True, metadata=True))
    return out.getvalue()
