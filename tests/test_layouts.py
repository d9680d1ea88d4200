"""The built-in layouts keep their promises."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from rxprint.library.loader import Library

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


@pytest.mark.parametrize("paper", ["letter", "a4"])
@pytest.mark.parametrize("layout", ["classic", "compact"])
@pytest.mark.parametrize("pictures", [True, False], ids=["pictures", "text-only"])
def test_every_standard_program_lays_out_in_every_layout_and_paper(
        library: Library, paper: str, layout: str, pictures: bool) -> None:
    """Regression: compact on A4 once failed to split a block at a column's very foot."""
    import datetime as dt

    from rxprint.library.model import ProgramRequest
    from rxprint.library.programs import resolve, with_flags
    from rxprint.render.builtin_layouts import CLASSIC, COMPACT
    from rxprint.render.handout import render_handout

    for template in sorted(library.programs):
        program = resolve(with_flags(ProgramRequest(), template=template), library,
                          dt.date(2026, 11, 21))
        result = render_handout(program, layout=CLASSIC if layout == "classic" else COMPACT,
                                paper=paper, pictures=pictures)
        text = Pdf(result.pdf).flat()
        for item in program.items:
            assert item.exercise.steps[-1].split()[-1] in text
        assert 2 <= result.pages <= 8
