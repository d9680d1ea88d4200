"""The plugin API: every name a plugin needs, in one import.

    from rxprint.api import Exercise, hookimpl

Everything here (and in :mod:`rxprint.layout` for layouts, :mod:`rxprint.testing` for a
plugin's tests) is a public contract, documented field by field in ``docs/plugins.md``;
every other module of rxprint is private and may change without notice.
"""

from __future__ import annotations

from rxprint.errors import InputError, RxprintError, ValidationError
from rxprint.library.branding import Branding
from rxprint.library.dosage import Dosage, Frequency, Period, Reps, Side
from rxprint.library.model import (
    EducationSection,
    Exercise,
    Item,
    Program,
    ProgramEntry,
    StandardProgram,
)
from rxprint.plugins.hookspecs import hookimpl
from rxprint.plugins.manager import (
    BrandingRegister,
    ExerciseRegister,
    FontRegister,
    LayoutRegister,
    PluginError,
    ProgramContext,
    ProgramRegister,
)


def builtin_exercise(exercise_id: str) -> Exercise:
    """A copy of the built-in exercise ``exercise_id`` (its text, dosage and drawing), to
    register changed with ``dataclasses.replace`` (a new id, or ``override=True``).

    Raises :class:`RxprintError` naming the id when the built-in library has no such
    exercise."""
    from rxprint.files.fields import did_you_mean
    from rxprint.library.loader import builtin_library

    library = builtin_library()
    found = library.exercises.get(exercise_id)
    if found is None:
        raise RxprintError(f"no built-in exercise {exercise_id!r}"
                           f"{did_you_mean(exercise_id, library.exercises)}; "
                           "`rxprint list` shows them")
    return found


__all__ = [
    "Branding",
    "BrandingRegister",
    "Dosage",
    "EducationSection",
    "Exercise",
    "ExerciseRegister",
    "FontRegister",
    "Frequency",
    "InputError",
    "Item",
    "LayoutRegister",
    "Period",
    "PluginError",
    "Program",
    "ProgramContext",
    "ProgramEntry",
    "ProgramRegister",
    "Reps",
    "RxprintError",
    "Side",
    "StandardProgram",
    "ValidationError",
    "builtin_exercise",
    "hookimpl",
]
