"""The built-in exercise library, education sections and standard programs."""

from __future__ import annotations

from rxprint.library.loader import builtin_dir
from rxprint.plugins.hookspecs import hookimpl
from rxprint.plugins.manager import ExerciseRegister, ProgramRegister


@hookimpl
def register_exercises(register: ExerciseRegister) -> None:
    register(builtin_dir())


@hookimpl
def register_programs(register: ProgramRegister) -> None:
    register(builtin_dir() / "programs")
