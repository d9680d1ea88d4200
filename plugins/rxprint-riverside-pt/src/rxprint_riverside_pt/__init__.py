"""Riverside Physical Therapy: an example rxprint plugin for a (fictional) clinic.

It shows every kind of clinic customisation: branding with a logo, two exercises with
the clinic's own photos, a standard program, and house rules applied to every handout.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from rxprint.api import (
    Branding,
    BrandingRegister,
    ExerciseRegister,
    Program,
    ProgramContext,
    ProgramRegister,
    RxprintError,
    hookimpl,
)

HERE = Path(__file__).parent
BRANDING_NAME = "riverside-pt"
MAX_EXERCISES = 8
PHONE = "(555) 010-4477"

BRANDING = Branding(
    clinic_name="Riverside Physical Therapy",
    logo=HERE / "assets" / "logo.png",
    accent="#164A60",
    accent_light="#E3F0F4",
    address="120 River Road, Springfield",
    phone=PHONE,
    website="riverside-pt.example",
    footer_text="Questions about your program? Call us at " + PHONE + ".",
    disclaimer="Riverside Physical Therapy: for the named patient only; not a diagnosis.",
)


@hookimpl
def register_branding(register: BrandingRegister) -> None:
    register(BRANDING_NAME, BRANDING)


@hookimpl
def register_exercises(register: ExerciseRegister) -> None:
    register(HERE / "exercises")


@hookimpl
def register_programs(register: ProgramRegister) -> None:
    register(HERE / "programs")


@hookimpl
def adjust_program(program: Program, context: ProgramContext) -> Program | None:
    """House rules for Riverside's handouts: at most eight exercises, and the notes end
    with how to reach the clinic. Only when Riverside's branding is active: a handout made
    with another branding (``--branding default``) is none of Riverside's business.

    A handout may have no patient and no notes (``rxprint batch --all-programs``, or
    ``build --template`` without ``--patient``): the rules need neither."""
    if context.branding != BRANDING_NAME:
        return None
    if len(program.items) > MAX_EXERCISES:
        raise RxprintError(
            f"Riverside house rule: at most {MAX_EXERCISES} exercises per handout "
            f"(this one has {len(program.items)}); split it into two handouts")
    line = f"Questions? Call Riverside at {PHONE}."
    notes = f"{program.notes}\n\n{line}" if program.notes else line
    return replace(program, notes=notes)
