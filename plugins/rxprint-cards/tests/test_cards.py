from __future__ import annotations

from rxprint.testing import build_handout

ONLY_US = {"RXPRINT_PLUGINS": "cards"}


def test_one_exercise_per_half_page() -> None:
    handout = build_handout("--template", "hip-flexor-back-pain", "--layout", "cards",
                            "--patient", "Jane Doe", env=ONLY_US)
    # a title card, five exercise cards, then education and safety cards
    assert handout.page_count >= 4
    assert "Your Home Exercise Program" in handout.page(0)
    assert "1. Hip flexor stretch lying at the edge of the bed" in handout.page(0)
    assert "2. " in handout.page(1) and "3. " in handout.page(1)
    for i in range(handout.page_count):
        assert "cut here" in handout.page(i)


def test_every_exercise_with_its_picture_stays_on_its_own_card() -> None:
    """Two cards a page, the title card first: exercise n is on page n // 2, whole (a
    card that overflowed would push every later exercise down)."""
    from rxprint.library import builtin_library

    library = builtin_library()
    for template, program in sorted(library.programs.items()):
        handout = build_handout("--template", template, "--layout", "cards", env=ONLY_US)
        for n, entry in enumerate(program.entries, start=1):
            exercise = library.exercises[entry.id]
            page = handout.page(n // 2)
            assert f"{n}. {exercise.title}" in page, (template, n)
            assert " ".join(exercise.cautions[-1].split()) in page, (template, n)
