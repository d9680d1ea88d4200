"""Password protection (issue 19): --password-file encrypts the handout with AES-256
(R6), read back with pikepdf: the method, a wrong password refused, the right one opening
the same handout; the password never shown; a missing extra says what to install."""

from __future__ import annotations

import builtins
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from click.testing import Result
from pikepdf.models.encryption import EncryptionMethod

from .conftest import Pdf

Run = Callable[..., Result]
SECRET = "Correct horse battery staple 7"


def decrypted(path: Path, password: str) -> Pdf:
    with pikepdf.open(path, password=password) as pdf:
        out = io.BytesIO()
        pdf.save(out)
    return Pdf(out.getvalue())


def test_a_handout_is_encrypted_with_aes_256(run: Run, write: Callable[..., Path]) -> None:
    write("pw.txt", SECRET + "\n")
    result = run("build", "--template", "thigh-back-pain", "--patient", "Jane Doe",
                 "--password-file", "pw.txt", "-o", "locked.pdf")
    assert result.exit_code == 0, result.output
    assert "password-protected (AES-256)" in result.output
    assert SECRET not in result.output
    with pikepdf.open("locked.pdf", password=SECRET) as pdf:
        assert pdf.is_encrypted
        assert pdf.encryption.R == 6
        assert pdf.encryption.stream_method == EncryptionMethod.aesv3
        assert pdf.encryption.string_method == EncryptionMethod.aesv3
    for wrong in ("", "correct horse battery staple 7", SECRET + " "):
        with pytest.raises(pikepdf.PasswordError):
            pikepdf.open("locked.pdf", password=wrong)
    raw = Path("locked.pdf").read_bytes()
    assert b"Jane Doe" not in raw and SECRET.encode() not in raw
    # what it decrypts to is the handout: the same text as without a password
    plain = run("build", "--template", "thigh-back-pain", "--patient", "Jane Doe",
                "-o", "plain.pdf")
    assert plain.exit_code == 0
    opened = decrypted(Path("locked.pdf"), SECRET)
    assert opened.texts() == Pdf(Path("plain.pdf").read_bytes()).texts()
    assert "Jane Doe" in opened.flat()


def test_the_password_may_come_from_standard_input(run: Run) -> None:
    result = run("build", "-e", "quad-set", "--password-file", "-", "-o", "s.pdf",
                 input=SECRET + "\nnot this line\n")
    assert result.exit_code == 0, result.output
    assert "Thigh" in decrypted(Path("s.pdf"), SECRET).flat()


@pytest.mark.parametrize(("content", "message"), [
    ("", "the password file is empty"), ("\n\nlater\n", "the password file is empty"),
    ("x" * 128, "longer than 127 bytes"), (b"\xff\xfe", "not UTF-8 text")])
def test_a_bad_password_file_is_a_clear_error(run: Run, write: Callable[..., Path],
                                              content: str | bytes, message: str) -> None:
    write("pw.txt", content)
    result = run("build", "-e", "quad-set", "--password-file", "pw.txt", "-o", "x.pdf")
    assert result.exit_code == 1
    assert message in result.output and "pw.txt" in result.output
    assert "later" not in result.output and "xxxx" not in result.output
    assert not Path("x.pdf").exists()


def test_a_missing_password_file_and_no_password_option(run: Run) -> None:
    result = run("build", "-e", "quad-set", "--password-file", "nowhere.txt", "-o", "x.pdf")
    assert result.exit_code == 1 and "password file not found" in result.output
    assert "nowhere.txt" not in result.output  # a name given there may be the password
    usage = run("build", "-e", "quad-set", "--password", SECRET, "-o", "x.pdf")
    assert usage.exit_code == 2  # never on the command line
    assert not Path("x.pdf").exists()


def test_without_pikepdf_it_says_what_to_install(run: Run, write: Callable[..., Path],
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    real_import = builtins.__import__

    def no_pikepdf(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "pikepdf" or name.startswith("pikepdf."):
            raise ImportError("No module named 'pikepdf'")
        return real_import(name, *args, **kwargs)

    write("pw.txt", SECRET)
    monkeypatch.setattr(builtins, "__import__", no_pikepdf)
    result = run("build", "-e", "quad-set", "--password-file", "pw.txt", "-o", "x.pdf")
    assert result.exit_code == 1
    assert "pip install 'rxprint[encrypt]'" in result.output
    assert not Path("x.pdf").exists()
