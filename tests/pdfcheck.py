"""PDF validity for the test suite: every PDF a test reads is checked.

The checks live in :func:`rxprint.testing.check_pdf` so that plugin authors'
``build_handout`` gets them too; here they always run in full (pypdf and pikepdf, both
in the ``test`` extra: nothing outside pip). Each PDF's bytes are checked once per test
process, however many tests read them.
"""

from __future__ import annotations

import io
from collections.abc import Iterable

from pypdf import PdfReader

from rxprint.testing import PdfCheckError, _page_texts, check_pdf


def assert_valid_pdf(data: bytes, *, secrets: Iterable[str] = (),
                     allowed_hosts: Iterable[str] = ()) -> None:
    """Fail the test (AssertionError) unless ``data`` passes every check."""
    check_pdf(data, secrets=secrets, allowed_hosts=allowed_hosts, tools="require")


def checked_reader(data: bytes) -> PdfReader:
    """A pypdf reader over ``data``, after :func:`assert_valid_pdf`."""
    assert_valid_pdf(data)
    return PdfReader(io.BytesIO(data))


def checked_texts(data: bytes) -> list[str]:
    """Each page's text, after :func:`assert_valid_pdf` (which read it: extracted once)."""
    assert_valid_pdf(data)
    return _page_texts(data)


__all__ = ["PdfCheckError", "assert_valid_pdf", "checked_reader", "checked_texts"]
