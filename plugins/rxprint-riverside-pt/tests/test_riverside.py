"""The Riverside plugin's own tests, written with rxprint.testing as any clinic would."""

from __future__ import annotations

import pytest

from rxprint.testing import build_handout

ONLY_US = {"RXPRINT_PLUGINS": "riverside-pt"}


def test_branding_is_on_every_page() -> None:
    handout = build_handout("--template", "riverside-return-to-walking",
                            "--patient", "Jane Doe", env=ONLY_US)
    for i in range(handout.page_count):
        page = handout.page(i)
        assert "Riverside Physical Therapy" in page
        assert "120 River Road, Springfield" in page
        assert "Questions about your program? Call us at (555) 010-4477." in page
        assert "for the named patient only" in page


def test_program_uses_our_exercises_with_photos() -> None:
    handout = build_handout("--template", "riverside-return-to-walking", env=ONLY_US)
    assert "Step-up onto a low step" in handout.text
    assert "Calf stretch at the wall" in handout.text
    assert handout.image_count() == 3  # logo, two photos: each embedded once


def test_house_rule_adds_the_phone_line_and_limits_exercises() -> None:
    handout = build_handout("-e", "quad-set", env=ONLY_US)
    assert "Questions? Call Riverside at (555) 010-4477." in handout.page(0)
    many = [a for i in ("quad-set", "glute-bridge", "wall-sit", "mini-squat", "sit-to-stand",
                        "straight-leg-raise", "long-arc-quad", "prone-hip-extension",
                        "standing-hip-extension") for a in ("-e", i)]
    with pytest.raises(AssertionError, match="Riverside house rule: at most 8 exercises"):
        build_handout(*many, env=ONLY_US)


def test_house_rules_apply_only_with_our_branding() -> None:
    many = [a for i in ("quad-set", "glute-bridge", "wall-sit", "mini-squat", "sit-to-stand",
                        "straight-leg-raise", "long-arc-quad", "prone-hip-extension",
                        "standing-hip-extension") for a in ("-e", i)]
    handout = build_handout(*many, "--branding", "default", env=ONLY_US)
    assert "Riverside" not in handout.text and "010-4477" not in handout.text


def test_house_rules_hold_for_a_handout_without_a_patient() -> None:
    """`rxprint batch --all-programs` and `build --template` without --patient give
    adjust_program a program with no patient and no notes: the phone line still comes."""
    handout = build_handout("--template", "riverside-return-to-walking", env=ONLY_US)
    assert "Questions? Call Riverside at (555) 010-4477." in handout.page(0)


def test_our_exercises_and_program_print_in_spanish() -> None:
    """Our own files carry [translations.es] tables: a Spanish handout has no English of
    ours (but the branding's own footer lines, which are our text as we wrote them)."""
    handout = build_handout("--template", "riverside-return-to-walking", "--lang", "es",
                            "--strict", env=ONLY_US)
    assert "Subir a un escalón bajo" in handout.text
    assert "Step-up onto a low step" not in handout.text
    assert "Calf stretch at the wall" not in handout.text
