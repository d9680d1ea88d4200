"""The built-in layouts keep their promises."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from rxprint.library import Library

from .conftest import Pdf

SIX = ["thigh-back-pain", "runner-hip-extension", "standing-posture-legs",
       "desk-worker-movement"]


@pytest.mark.parametrize("template", SIX)
@pytest.mark.parametrize(("pictures", "pages"), [(True, 3), (False, 2)])
def test_compact_fits_six_exercises_on_three_letter_pages_two_without_pictures(
        run: Callable[..., Result], tmp_path: Path, library: Library, template: str,
        pictures: bool, pages: int) -> None:
    assert len(library.programs[template].entries) == 6
    result = run("build", "--template", template, "--layout", "compact", "--patient",
                 "Jane Doe", "--clinician", "Sam Lee, PT", "-o", "c.pdf",
                 *([] if pictures else ["--no-pictures"]))
    assert result.exit_code == 0, result.output
    pdf = Pdf((tmp_path / "c.pdf").read_bytes())
    first_two = " ".join(pdf.flat(i) for i in range(pages))
    for entry in library.programs[template].entries:
        exercise = library.exercises[entry.id]
        for field in (exercise.title, exercise.purpose, exercise.position, *exercise.steps,
                      *exercise.cues, *exercise.cautions):
            assert " ".join(field.split()) in first_two, (entry.id, field)
    assert "When to contact your clinician" in pdf.flat()


def test_classic_is_the_default_and_compact_is_shorter(run: Callable[..., Result],
                                                        tmp_path: Path) -> None:
    run("build", "--template", "thigh-back-pain", "-o", "a.pdf")
    run("build", "--template", "thigh-back-pain", "--layout", "classic", "-o", "b.pdf")
    run("build", "--template", "thigh-back-pain", "--layout", "compact", "-o", "c.pdf")
    a, b, c = (Pdf((tmp_path / n).read_bytes()) for n in ("a.pdf", "b.pdf", "c.pdf"))
    assert a.data == b.data
    assert c.pages < a.pages
