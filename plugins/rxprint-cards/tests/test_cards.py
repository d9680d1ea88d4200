from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from rxprint.api import builtin_exercise
from rxprint.testing import build_handout

ONLY_US = {"RXPRINT_PLUGINS": "cards"}


def standard_programs() -> dict[str, list[str]]:
    """rxprint's standard programs, id -> exercise ids, as `rxprint programs --json` lists
    them (the command is the public way to ask)."""
    beside = Path(sys.executable).with_name("rxprint")
    command = str(beside) if beside.exists() else shutil.which("rxprint")
    assert command, "the rxprint command is not installed"
    proc = subprocess.run([command, "programs", "--json"], capture_output=True, text=True,
                          env={**os.environ, **ONLY_US}, timeout=120, check=True)
    return {p["id"]: [e["id"] for e in p["exercises"]] for p in json.loads(proc.stdout)}


def test_one_exercise_per_half_page() -> None:
    handout = build_handout("--template", "hip-flexor-back-pain", "--layout", "cards",
                            "--patient", "Jane Doe", env=ONLY_US)
    # a title card, five exercise cards, then education and safety cards
    assert handout.page_count >= 4
    assert "Your Home Exercise Program" in handout.page(0)
    assert "1. Hip flexor stretch lying at the edge of the bed" in handout.page(0)
    assert "2. " in handout.page(1) and "3. " in handout.page(1)
    for i in range(handout.page_count - 1):
        assert "cut here" in handout.page(i)
    # the adherence log last, on a page of its own: nothing to cut there
    last = handout.page(handout.page_count - 1)
    assert "Your exercise log" in last and "cut here" not in last


def test_every_exercise_with_its_picture_stays_on_its_own_card() -> None:
    """Two cards a page, the title card first: exercise n is on page n // 2, whole (a
    card that overflowed would push every later exercise down)."""
    programs = standard_programs()
    assert len(programs) >= 5
    for template, ids in sorted(programs.items()):
        handout = build_handout("--template", template, "--layout", "cards", env=ONLY_US)
        for n, ident in enumerate(ids, start=1):
            exercise = builtin_exercise(ident)
            page = handout.page(n // 2)
            assert f"{n}. {exercise.title}" in page, (template, n)
            assert " ".join(exercise.cautions[-1].split()) in page, (template, n)


LINKED = '''
from dataclasses import replace

from rxprint.api import builtin_exercise, hookimpl


@hookimpl
def register_exercises(register):
    # a copy of each exercise of a standard program (SOURCES, its ids), each linked to
    # the next as "harder", so every card carries a "Too hard? Try: ...  Too easy?
    # Next: ..." line
    ids = [f"linked-{n}" for n in range(len(SOURCES))]
    for n, source in enumerate(SOURCES):
        register(replace(builtin_exercise(source), id=ids[n],
                         easier=ids[n - 1] if n else None,
                         harder=ids[n + 1] if n + 1 < len(ids) else None))
'''


def test_cards_with_easier_and_harder_lines_stay_whole(tmp_path: Path) -> None:
    """The line naming the easier and harder exercises fits on each card of every
    standard program, with the rest of the exercise."""
    for template, ids in sorted(standard_programs().items()):
        plugin = LINKED.replace("SOURCES", repr(ids))
        (tmp_path / "linked.py").write_text(plugin, encoding="utf-8")
        count = len(ids)
        args = [a for n in range(count) for a in ("-e", f"linked-{n}")]
        handout = build_handout(*args, "--layout", "cards",
                                env={"RXPRINT_PLUGINS": "cards,linked",
                                     "RXPRINT_PLUGINS_DIR": str(tmp_path)})
        for n, ident in enumerate(ids, start=1):
            page = " ".join(handout.page(n // 2).split())
            assert f"{n}. {builtin_exercise(ident).title}" in page, (template, n)
            if n > 1:
                assert f"(exercise {n - 1})." in page, (template, n)
            if n < count:
                assert f"(exercise {n + 1})." in page, (template, n)
