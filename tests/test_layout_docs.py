"""docs/layouts.md documents the whole layout API, and its large-print example works."""

from __future__ import annotations

import dataclasses
import inspect
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

import rxprint.layout as api
from rxprint.library.loader import Library

from .conftest import Pdf

DOCS = Path(__file__).parents[1] / "docs" / "layouts.md"
BLOCK = re.compile(r"```(?:python|toml) file=(?P<name>\S+)\n(?P<body>.*?)```", re.S)
EXERCISES = ["quad-set", "glute-bridge", "supine-hip-flexor-stretch"]


def doc_text() -> str:
    return DOCS.read_text(encoding="utf-8")


def test_large_print_example_from_the_docs_builds_a_handout(
        run: Callable[..., Result], write: Callable[[str, str], Path], tmp_path: Path,
        library: Library, monkeypatch: pytest.MonkeyPatch) -> None:
    blocks = list(BLOCK.finditer(doc_text()))
    assert [b["name"] for b in blocks] == ["large_print.py"]
    write("my-plugins/large_print.py", blocks[0]["body"])
    folder = str(tmp_path / "my-plugins")
    monkeypatch.setenv("RXPRINT_PLUGINS", "large_print")
    listing = run("--plugins-dir", folder, "layouts").output
    assert re.search(r"^large-print\s+large_print\s+14 pt text", listing, re.M), listing
    args = [a for e in EXERCISES for a in ("-e", e)]
    result = run("--plugins-dir", folder, "build", *args, "--patient", "Ann Lee",
                 "--layout", "large-print", "-o", "large.pdf")
    assert result.exit_code == 0, result.output
    pdf = Pdf((tmp_path / "large.pdf").read_bytes())
    assert pdf.pages > 0
    text = pdf.flat()
    for exercise_id in EXERCISES:
        assert " ".join(library.exercises[exercise_id].title.split()) in text
    assert "When to contact your clinician" in text
    assert "Ann Lee" in pdf.flat(0)
    # larger type than classic: the same handout takes more pages
    result = run("build", *args, "--patient", "Ann Lee", "-o", "classic.pdf")
    assert result.exit_code == 0, result.output
    assert pdf.pages > Pdf((tmp_path / "classic.pdf").read_bytes()).pages


def documented(name: str, text: str) -> bool:
    """``name`` has an entry of its own: a line, table row, list item or heading that
    starts with it in code (``| `name` |``, ``- `builder.name(...)` ``, ``## `Name` ``)."""
    entry = rf"^(?:\||-|#+)?\s*`(?:builder\.|request\.)?{re.escape(name)}\b"
    return re.search(entry, text, re.M) is not None


def public_methods(cls: type) -> list[str]:
    return [n for n, _ in inspect.getmembers(cls, inspect.isfunction)
            if not n.startswith("_")]


def field_names(cls: type) -> list[str]:
    return [f.name for f in dataclasses.fields(cls)]


def test_the_layout_docs_cover_the_whole_api() -> None:
    names = {
        "rxprint.layout.__all__": list(api.__all__),
        "Layout": [*public_methods(api.Layout), "title_block"],
        "StoryBuilder": public_methods(api.StoryBuilder),
        "Styles": field_names(api.Styles),
        "ExerciseOptions": field_names(api.ExerciseOptions),
        "LayoutRequest": field_names(api.LayoutRequest),
        "PageGeometry": [*field_names(api.PageGeometry), "size", "body", "first_body",
                         "frame"],
        "DrawingShape": [*field_names(api.DrawingShape), "aspect", "size"],
    }
    assert len(names["StoryBuilder"]) >= 18 and len(names["Styles"]) >= 26
    text = doc_text()
    missing = {owner: [n for n in found if not documented(n, text)]
               for owner, found in names.items()}
    assert not {owner: found for owner, found in missing.items() if found}, missing
