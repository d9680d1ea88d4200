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
    from rxprint.library.loader import builtin_library

    library = builtin_library()
    for template, program in sorted(library.programs.items()):
        handout = build_handout("--template", template, "--layout", "cards", env=ONLY_US)
        for n, entry in enumerate(program.entries, start=1):
            exercise = library.exercises[entry.id]
            page = handout.page(n // 2)
            assert f"{n}. {exercise.title}" in page, (template, n)
            assert " ".join(exercise.cautions[-1].split()) in page, (template, n)



LINKED = '''
from dataclasses import replace

from rxprint.api import hookimpl
from rxprint.library.loader import builtin_library


@hookimpl
def register_exercises(register):
    # a copy of each exercise of the standard program PROGRAM, each linked to the next
    # as "harder", so every card carries a "Too hard? Try: ...  Too easy? Next: ..." line
    library = builtin_library()
    entries = library.programs[PROGRAM].entries
    ids = [f"linked-{n}" for n in range(len(entries))]
    for n, entry in enumerate(entries):
        register(replace(library.exercises[entry.id], id=ids[n],
                         easier=ids[n - 1] if n else None,
                         harder=ids[n + 1] if n + 1 < len(ids) else None))
'''


def test_cards_with_easier_and_harder_lines_stay_whole(tmp_path) -> None:
    """The line naming the easier and harder exercises fits on each card of every
    standard program, with the rest of the exercise."""
    from rxprint.library.loader import builtin_library

    library = builtin_library()
    for template, program in sorted(library.programs.items()):
        plugin = LINKED.replace("PROGRAM", repr(template))
        (tmp_path / "linked.py").write_text(plugin, encoding="utf-8")
        count = len(program.entries)
        args = [a for n in range(count) for a in ("-e", f"linked-{n}")]
        handout = build_handout(*args, "--layout", "cards",
                                env={"RXPRINT_PLUGINS": "cards,linked",
                                     "RXPRINT_PLUGINS_DIR": str(tmp_path)})
        for n, entry in enumerate(program.entries, start=1):
            page = " ".join(handout.page(n // 2).split())
            exercise = library.exercises[entry.id]
            assert f"{n}. {exercise.title}" in page, (template, n)
            if n > 1:
                assert f"(exercise {n - 1})." in page, (template, n)
            if n < count:
                assert f"(exercise {n + 1})." in page, (template, n)
