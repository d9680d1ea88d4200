"""The built-in exercise library, education sections and standard programs."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rxprint.library.loader import builtin_dir
from rxprint.plugins.hookspecs import hookimpl

if TYPE_CHECKING:
    from rxprint.plugins.registry import ExerciseRegister, ProgramRegister


@hookimpl
def register_exercises(register: ExerciseRegister) -> None:
    register(builtin_dir())


@hookimpl
def register_programs(register: ProgramRegister) -> None:
    register(builtin_dir() / "programs")
