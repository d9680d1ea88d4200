"""docs/plugins.md's quick start is a working plugin: its files are extracted and run."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from .conftest import Pdf

DOCS = Path(__file__).parents[1] / "docs" / "plugins.md"
BLOCK = re.compile(r"```(?:python|toml) file=(?P<name>\S+)\n(?P<body>.*?)```", re.S)


def test_quick_start_plugin_from_the_docs_works(run: Callable[..., Result], tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    blocks = list(BLOCK.finditer(DOCS.read_text(encoding="utf-8")))
    assert len(blocks) == 2
    folder = tmp_path / "my-plugins"
    for block in blocks:
        path = folder / block["name"]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(block["body"], encoding="utf-8")
    monkeypatch.setenv("RXPRINT_PLUGINS", "oak_clinic")
    listing = run("--plugins-dir", str(folder), "plugins").output
    assert "oak_clinic (file): register_branding, register_exercises" in listing
    result = run("--plugins-dir", str(folder), "build", "-e", "oak-heel-raise", "-e",
                 "quad-set", "--patient", "Ann Lee", "-o", "oak.pdf")
    assert result.exit_code == 0, result.output
    pdf = Pdf((tmp_path / "oak.pdf").read_bytes())
    for i in range(pdf.pages):
        assert "Oak Street Physio" in pdf.flat(i)
        assert "14 Oak Street · 555-0199" in pdf.flat(i)
        assert "Call us at 555-0199 with any questions." in pdf.flat(i)
    assert "Heel raise at the counter" in pdf.flat()
