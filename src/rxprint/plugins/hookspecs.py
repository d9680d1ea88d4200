"""The rxprint hooks: the public contract between rxprint and its plugins.

A plugin is a module (or object) with functions marked ``@rxprint.hookimpl`` whose names
are hook names below. Every hook is optional. ``register_*`` hooks receive a
``register`` callback: rxprint checks what is registered and remembers which plugin
registered it, so errors can name the plugin. Hooks are called through pluggy, in a fixed
order: the built-in plugins first, then installed plugins by name, then ``--plugins-dir``
files by name; ``tryfirst``/``trylast``, wrappers (``wrapper=True``) and implementations
taking only some of the arguments work as pluggy documents. See ``docs/plugins.md``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    import click

    from rxprint.library.model import Program
    from rxprint.plugins.manager import (
        BrandingRegister,
        ExerciseRegister,
        FontRegister,
        LayoutRegister,
        ProgramContext,
        ProgramRegister,
    )

hookspec = pluggy.HookspecMarker("rxprint")
hookimpl = pluggy.HookimplMarker("rxprint")


@hookspec
def register_exercises(register: ExerciseRegister) -> None:
    """Add exercises and education sections to the library.

    Called once per run, when the library is first needed.

    :param register: ``register(source, *, override=False)``. ``source`` is a folder laid
        out like rxprint's own ``exercises/`` (exercise TOML files anywhere, education
        sections under ``education/``; a ``programs/`` folder in it is ignored here), or
        an :class:`rxprint.model.Exercise` or :class:`rxprint.model.EducationSection`.
        An id that is already defined is an error unless ``override=True``, which
        replaces the earlier definition on purpose.
    :return: nothing; use ``register``.
    """


@hookspec
def register_programs(register: ProgramRegister) -> None:
    """Add standard programs (the templates for ``--template``).

    Called once per run, after every plugin's ``register_exercises``.

    :param register: ``register(source, *, override=False)``. ``source`` is a folder of
        standard program TOML files, one such file, or an
        :class:`rxprint.model.StandardProgram`. Programs may name exercises from any
        plugin.
    :return: nothing; use ``register``.
    """


@hookspec
def register_branding(register: BrandingRegister) -> None:
    """Offer a branding (clinic name, logo, colours, contact lines, footer, font).

    Called once per run. One branding is active: the one named by ``--branding`` or the
    configuration, else the configuration's ``[branding]`` table (offered as ``config``, a
    name plugins cannot use), else the only one a plugin offers, else rxprint's neutral
    default.

    :param register: ``register(name, branding)`` with a slug ``name`` and an
        :class:`rxprint.branding.Branding`. A logo path is read and checked then.
    :return: nothing; use ``register``.
    """


@hookspec
def register_layouts(register: LayoutRegister) -> None:
    """Add handout layouts, selectable with ``--layout NAME``.

    Called once per run.

    :param register: ``register(name, layout, *, description="")``; ``layout`` is an
        :class:`rxprint.layout.Layout`: it gets the resolved program, branding,
        paper and message catalog and returns the story and page templates.
    :return: nothing; use ``register``.
    """


@hookspec
def register_fonts(register: FontRegister) -> None:
    """Add font families that a branding can name in its ``font`` field.

    Called once per run, before brandings are checked.

    :param register: ``register(family, regular, *, bold=None, italic=None,
        bold_italic=None)`` with paths to TrueType files; missing styles fall back to
        ``regular``.
    :return: nothing; use ``register``.
    """


@hookspec
def adjust_program(program: Program, context: ProgramContext) -> Program | None:
    """Change a resolved program just before it is rendered (house rules, notes).

    Called for every handout, plugin after plugin, each getting the previous plugin's
    result. Raise :class:`rxprint.errors.RxprintError` to refuse the program with a
    message for the user (for example "at most 8 exercises"): it is shown as it is, so it
    must not contain patient data. Check ``context.branding`` to apply house rules only
    to handouts with the clinic's own branding.

    :param program: the resolved :class:`rxprint.model.Program`; it is immutable, so
        return a changed copy (``dataclasses.replace``).
    :param context: :class:`rxprint.plugins.ProgramContext`: the active branding name,
        layout name and paper.
    :return: the changed program, or None to leave it as it is.
    """


@hookspec
def register_commands(cli: click.Group) -> None:
    """Add commands to the ``rxprint`` command line.

    Called when the command line is built.

    :param cli: the ``rxprint`` Click group; use ``@cli.command()``.
    :return: nothing.
    """


