"""Registers an exercise whose id the built-in library already has."""

from dataclasses import replace

from rxprint import hookimpl
from rxprint.library import builtin_dir
from rxprint.schema import parse_exercise
from rxprint.tomlfile import load_toml


@hookimpl
def register_exercises(register):
    quad = parse_exercise(load_toml(builtin_dir() / "strengthening" / "quad-set.toml"), [])
    register(replace(quad, title="Another quad set"))
