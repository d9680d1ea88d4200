"""Registers an exercise whose id the built-in library already has."""

from dataclasses import replace

from rxprint.api import hookimpl
from rxprint.files.tomlfile import load_toml
from rxprint.library.loader import builtin_dir
from rxprint.library.schema import parse_exercise


@hookimpl
def register_exercises(register):
    quad = parse_exercise(load_toml(builtin_dir() / "strengthening" / "quad-set.toml"), [])
    register(replace(quad, title="Another quad set"))
