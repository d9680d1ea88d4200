"""The handout a patient reads: plain-language limits on the library's text (as printed),
the type sizes read back from the PDF, and ``rxprint validate``'s warnings for a plugin's
entries that go past the limits."""

# ruff: noqa: E501 (WORDY: a TOML file written out, one field a line)

from __future__ import annotations

import statistics
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from rxprint.library.loader import Library
from rxprint.library.plain_language import (
    EDUCATION_WORDS,
    EXERCISE_WORDS,
    check_education,
    check_exercise,
    count_words,
    exercise_words,
    sentences,
)
from rxprint.render.handout import render_handout

from .conftest import Pdf
from .library_fixture import handout, make_program
from .page_checks import squeeze

Run = Callable[..., Result]
Writer = Callable[[str, str], Path]
PROGRAMS = ["desk-worker-movement", "hip-flexor-back-pain", "runner-hip-extension",
            "standing-posture-legs", "thigh-back-pain"]


def test_words_and_sentences_are_counted_as_a_reader_counts_them() -> None:
    assert count_words("Don't lock your knee: hold 30-second stretches, 2.5 times.") == 9
    assert sentences("Sit tall. Hold 30 s. Then relax!") == ["Sit tall.", "Hold 30 s.",
                                                             "Then relax!"]
    assert sentences("Breathe out as you lift") == ["Breathe out as you lift"]
    assert sentences('Say "stop." Then rest.') == ['Say "stop."', "Then rest."]


def test_the_checks_find_what_goes_past_a_limit(library: Library) -> None:
    from dataclasses import replace

    e = next(iter(library.exercises.values()))
    long_sentence = " ".join(["word"] * 21) + "."
    wordy = replace(e, purpose="It helps. It really helps.", steps=(long_sentence,) * 7,
                    cues=("Do 10 reps.",))
    fields = {f.field for f in check_exercise(wordy)}
    assert {"purpose", "steps", "", "steps[1]", "cues[1]"} <= fields
    messages = " ".join(f.message for f in check_exercise(wordy))
    assert "7 steps (at most 6)" in messages and '"reps"' in messages


def test_every_builtin_exercise_keeps_to_the_limits(library: Library) -> None:
    """Per exercise, as printed: why it helps in one sentence of at most 25 words; at most
    6 steps and 70 words of steps; at most 130 words in all; no sentence over 20 words;
    "repetitions" or "times", never "reps"."""
    found = [f"{e.id}: {f.field}: {f.message}" for e in library.exercises.values()
             for f in check_exercise(e)]
    assert not found, "\n".join(found)
    counts = [exercise_words(e) for e in library.exercises.values()]
    assert max(counts) <= EXERCISE_WORDS
    assert statistics.median(counts) <= 115  # most are well under the limit


def test_every_builtin_education_section_keeps_to_the_limits(library: Library) -> None:
    found = [f"{s.id}: {f.field}: {f.message}" for s in library.education.values()
             for f in check_education(s)]
    assert not found, "\n".join(found)
    assert EDUCATION_WORDS == 120


def test_sentences_are_short_on_average(library: Library) -> None:
    lengths = [count_words(s) for e in library.exercises.values()
               for text in (e.purpose, e.position, *e.steps, *e.cues, *e.cautions)
               for s in sentences(text)]
    assert statistics.mean(lengths) <= 12.5


@pytest.mark.parametrize("template", PROGRAMS)
def test_what_is_counted_is_what_is_printed(template: str) -> None:
    """Each exercise's why it helps, steps, tips and stop rules are in the handout read
    back, word for word (so the limits above hold for the page)."""
    pdf = handout(template, library="shipped")
    text = squeeze(pdf.flat())
    for item in make_program(template, library="shipped").items:
        e = item.exercise
        for part in (e.purpose, *e.steps, *e.cues, *e.cautions):
            assert squeeze(part) in text, (e.id, part)


# -- type sizes, read back -----------------------------------------------------------------


def run_sizes(pdf: Pdf) -> list[tuple[str, float]]:
    """(text, font size in points) of every text run of every page."""
    runs: list[tuple[str, float]] = []
    for page in pdf.reader.pages:
        def visit(text: str, cm: list[float], tm: list[float], font: object,
                  size: float) -> None:
            if text.strip():
                runs.append((text.strip(), size * abs(tm[3] or 1) * abs(cm[3] or 1)))
        page.extract_text(visitor_text=visit)
    return runs


@pytest.mark.parametrize(("layout", "body"), [("classic", 12.0), ("compact", 11.0)])
@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_body_text_is_large_and_nothing_is_tiny(layout: str, body: float,
                                                paper: str) -> None:
    """Steps, tips and stop rules print at the body size (12 pt classic, 11 pt compact);
    nothing on the page (footer, page pointer, disclaimer, header) under 9 pt."""
    for template in PROGRAMS:
        runs = run_sizes(handout(template, layout, paper, library="shipped"))
        assert min(size for _, size in runs) >= 9.0 - 0.01, template
        program = make_program(template, library="shipped")
        for item in program.items:
            first_words = " ".join(item.exercise.steps[0].split()[:3])
            sizes = [size for text, size in runs if text.startswith(first_words)]
            assert sizes and min(sizes) >= body - 0.01, (template, item.exercise.id, sizes)
        footer = [size for text, size in runs if "When to call your clinician" in text]
        assert footer and min(footer) >= 9.5 - 0.01


# -- rxprint validate warns on a plugin's entries ------------------------------------------

WORDY = '''\
id = "wordy-stretch"
title = "A wordy stretch"
category = "stretch"
regions = ["thigh"]
targets = ["quadriceps"]
equipment = []
position = "Standing"
purpose = "This stretch helps. It helps because your thigh muscles, when they are stiff, pull on your pelvis and your low back all day long."
steps = ["Stand tall.", "Bend your knee.", "Hold your ankle.", "Pull gently.", "Hold.", "Relax.", "Do 10 reps."]
cues = []
cautions = ["Stop if it hurts."]
sources = ["clinical practice"]

[dosage]
hold = "30 s"
reps = 3
'''


def test_validate_warns_but_passes_on_text_past_the_limits(run: Run, write: Writer) -> None:
    write("clinic/wordy-stretch.toml", WORDY)
    result = run("validate", "clinic")
    assert result.exit_code == 0, result.output
    out = result.output
    assert "OK: 1 file checked, no problems, 4 plain-language warnings." in out
    assert "warning: clinic/wordy-stretch.toml:8: purpose: 2 sentences, 24 words" in out
    assert "purpose: a sentence of 21 words (at most 20; split it)" in out
    assert "warning: clinic/wordy-stretch.toml:9: steps: 7 steps (at most 6)" in out
    assert ('warning: clinic/wordy-stretch.toml:9: steps[7]: "reps": say "repetitions'
            in out)


def test_the_builtin_library_validates_without_warnings(run: Run) -> None:
    from rxprint.library.loader import builtin_dir

    result = run("validate", str(builtin_dir()))
    assert result.exit_code == 0 and "warning" not in result.output, result.output


def test_the_docs_give_the_limits_as_guidance() -> None:
    docs = (Path(__file__).resolve().parents[1] / "docs" / "plugins.md").read_text()
    for phrase in ("at most 25 words", "at most 6 steps", "130 words", "20 words",
                   "120 words", "rxprint validate"):
        assert phrase in docs, phrase


def test_page_one_says_how_long_what_a_set_is_and_how_to_read_the_pictures() -> None:
    from rxprint.language.messages import catalog

    c = catalog("en")
    notes = [c.t("handout.glance_note"), c.t("handout.sets_note"),
             c.t("handout.pictures_note")]
    with_all = handout("thigh-back-pain", library="shipped")  # sets and drawings
    assert all(squeeze(n) in squeeze(with_all.flat(0)) for n in notes)
    # a tick and a cross are explained only where a drawing shows them
    marks = squeeze(c.t("handout.marks_note"))
    assert marks not in squeeze(with_all.flat())
    assert marks in squeeze(handout("standing-posture-legs", library="shipped").flat(0))
    bare = handout("thigh-back-pain", library="shipped", pictures=False)
    assert squeeze(notes[2]) not in squeeze(bare.flat())
    assert squeeze(notes[0]) in squeeze(bare.flat(0))
    # no dosage with sets: no word about sets
    program = make_program(exercises=("single-knee-hug", "calf-stretch-at-wall"))
    assert not any(item.dosage.sets and item.dosage.sets > 1 for item in program.items)
    holds = Pdf(render_handout(program).pdf)
    assert squeeze(notes[1]) not in squeeze(holds.flat())
    assert squeeze(notes[2]) in squeeze(holds.flat(0))
