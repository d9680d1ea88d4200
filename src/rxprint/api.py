"""The plugin API: every name a plugin needs, in one import.

    from rxprint.api import Exercise, hookimpl

Everything here (and in :mod:`rxprint.layout` for layouts, :mod:`rxprint.testing` for a
plugin's tests) is a public contract, documented field by field in ``docs/plugins.md``;
every other module of rxprint is private and may change without notice.

- ``hookimpl``: marks a plugin's hook functions;
- what a plugin registers or changes: :class:`Branding`, :class:`Exercise`,
  :class:`EducationSection`, :class:`StandardProgram` with its :class:`ProgramEntry`
  list, :class:`Program` with its :class:`Item` list, and the dosage types
  (:class:`Dosage`, :class:`Reps`, :class:`Side`, :class:`Frequency`, :class:`Period`);
- what the hooks receive, for type hints: the ``register`` callables
  (:class:`ExerciseRegister`, :class:`ProgramRegister`, :class:`BrandingRegister`,
  :class:`LayoutRegister`, :class:`FontRegister`, :class:`LanguageRegister`,
  :class:`VideoRegister`) and
  :class:`ProgramContext`;
- :class:`RxprintError`: raise it to refuse a program with a message for the user;
- :func:`builtin_exercise`: a built-in exercise, to register changed.
"""

from __future__ import annotations

from rxprint.errors import RxprintError
from rxprint.library.branding import Branding
from rxprint.library.dosage import Dosage, Frequency, Period, Reps, Side
from rxprint.library.model import (
    EducationSection,
    Exercise,
    Item,
    Phase,
    Program,
    ProgramEntry,
    StandardProgram,
    Translation,
)
from rxprint.plugins.hookspecs import hookimpl
from rxprint.plugins.manager import ProgramContext
from rxprint.plugins.registry import (
    BrandingRegister,
    ExerciseRegister,
    FontRegister,
    LanguageRegister,
    LayoutRegister,
    ProgramRegister,
    VideoRegister,
)


def builtin_exercise(exercise_id: str) -> Exercise:
    """The built-in exercise ``exercise_id`` (its text, dosage and drawing), to register
    changed with ``dataclasses.replace``: under a new id (then set ``easier`` and
    ``harder`` too: the original's links name the original), or under its own id with
    ``register(..., override=True)``.

    Only rxprint's own library is searched, not what plugins register. Raises
    :class:`RxprintError` naming the id (and the nearest ids) when it has no such
    exercise.
    """
    from rxprint.files.fields import did_you_mean
    from rxprint.library.loader import builtin_library

    exercises = builtin_library().exercises
    found = exercises.get(exercise_id) if isinstance(exercise_id, str) else None
    if found is None:
        shown = f'"{exercise_id}"' if isinstance(exercise_id, str) else repr(exercise_id)
        hint = did_you_mean(exercise_id, exercises) if isinstance(exercise_id, str) else ""
        raise RxprintError(f"builtin_exercise: rxprint has no built-in exercise {shown}"
                           f"{hint}; `rxprint list` shows them")
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
    "Item",
    "LanguageRegister",
    "LayoutRegister",
    "Period",
    "Phase",
    "Program",
    "ProgramContext",
    "ProgramEntry",
    "ProgramRegister",
    "Reps",
    "RxprintError",
    "Side",
    "StandardProgram",
    "Translation",
    "VideoRegister",
    "builtin_exercise",
    "hookimpl",
]
