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
