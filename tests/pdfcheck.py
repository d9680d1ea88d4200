"""PDF validity for the test suite: every PDF a test reads is checked.

The checks live in :func:`rxprint.testing.check_pdf` so that plugin authors'
``build_handout`` gets them too; here they run with qpdf and pdffonts required whenever
they are installed or ``CI=true`` (CI installs them: ``.ci/run``). Without them, outside
CI, each test warns once per process (shown in pytest's summary) and pypdf checks alone.
"""

from __future__ import annotations

import io
import os
import shutil
from collections.abc import Iterable

from pypdf import PdfReader

from rxprint.testing import PdfCheckError, check_pdf

HAVE_TOOLS = bool(shutil.which("qpdf") and shutil.which("pdffonts"))
TOOLS = "require" if HAVE_TOOLS or os.environ.get("CI") == "true" else "auto"


def assert_valid_pdf(data: bytes, *, secrets: Iterable[str] = (),
                     allowed_hosts: Iterable[str] = ()) -> None:
    """Fail the test (AssertionError) unless ``data`` passes every check."""
    check_pdf(data, secrets=secrets, allowed_hosts=allowed_hosts, tools=TOOLS)




def checked_reader(data: bytes) -> PdfReader:
    """A pypdf reader over ``data``, after :func:`assert_valid_pdf`."""
    assert_valid_pdf(data)
    return PdfReader(io.BytesIO(data))


__all__ = ["HAVE_TOOLS", "PdfCheckError", "assert_valid_pdf", "checked_reader"]
