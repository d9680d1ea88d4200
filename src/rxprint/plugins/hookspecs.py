"""The rxprint hooks: the public contract between rxprint and its plugins.

A plugin is a module (or an instance: not a class) with functions marked
``@rxprint.api.hookimpl`` whose names are hook names below. Every hook is optional.
``register_*`` hooks receive a ``register`` callback: rxprint checks what is registered
and remembers which plugin registered it, so errors can name the plugin. Hooks are called
through pluggy, in a fixed order: the built-in plugins first, then installed plugins by
name, then ``--plugins-dir`` files by name; ``tryfirst``/``trylast``, wrappers
(``wrapper=True``) and implementations taking only some of the arguments work as pluggy
documents. An exception a hook raises stops the run, naming the plugin and the hook; its
message is shown for every hook but ``adjust_program``, which sees patient data. See
``docs/plugins.md``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    import click

    from rxprint.library.model import Program
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

hookspec = pluggy.HookspecMarker("rxprint")
hookimpl = pluggy.HookimplMarker("rxprint")


@hookspec
def register_exercises(register: ExerciseRegister) -> None:
    """Add exercises and education sections to the library.

    Called once per run, when the library is first needed.

    :param register: ``register(source, *, override=False)``. ``source`` is a folder laid
        out like rxprint's own ``exercises/`` (exercise TOML files anywhere, education
        sections under ``education/``; a ``programs/`` folder in it is ignored here), or
        an :class:`rxprint.api.Exercise` or :class:`rxprint.api.EducationSection` (see
        :func:`rxprint.api.builtin_exercise`). An id that is already defined is an error
        unless ``override=True``, which replaces the earlier definition on purpose.
        (:class:`rxprint.api.ExerciseRegister`)
    :return: nothing; use ``register``.
    """


@hookspec
def register_programs(register: ProgramRegister) -> None:
    """Add standard programs (the templates for ``--template``).

    Called once per run, after every plugin's ``register_exercises``.

    :param register: ``register(source, *, override=False)``. ``source`` is a folder of
        standard program TOML files, one such file, or an
        :class:`rxprint.api.StandardProgram`. Programs may name exercises from any
        plugin. (:class:`rxprint.api.ProgramRegister`)
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
        :class:`rxprint.api.Branding`. Its fields are checked then, and that its logo is
        a file; the logo is read when the branding is chosen for a handout.
        (:class:`rxprint.api.BrandingRegister`)
    :return: nothing; use ``register``.
    """


@hookspec
def register_layouts(register: LayoutRegister) -> None:
    """Add handout layouts, selectable with ``--layout NAME``.

    Called once per run, when a command first needs the layouts (one that renders, or
    ``rxprint layouts``).

    :param register: ``register(name, layout, *, description="")``; ``layout`` is an
        instance of a subclass of :class:`rxprint.layout.Layout`: it gets an
        :class:`rxprint.layout.LayoutRequest` (the resolved program, branding, paper,
        message catalog...) and returns the story and page templates.
        (:class:`rxprint.api.LayoutRegister`)
    :return: nothing; use ``register``.
    """


@hookspec
def register_fonts(register: FontRegister) -> None:
    """Add font families that a branding can name in its ``font`` field.

    Called once per run, before brandings are checked.

    :param register: ``register(family, regular, *, bold=None, italic=None,
        bold_italic=None)`` with :class:`pathlib.Path` objects of TrueType files;
        missing styles fall back to ``regular``. The files are checked then (they exist,
        are at most 32 MB, are TrueType); they are loaded when a branding that names the
        family is chosen for a handout. (:class:`rxprint.api.FontRegister`)
    :return: nothing; use ``register``.
    """


@hookspec
def register_languages(register: LanguageRegister) -> None:
    """Add a language for handouts (``--lang CODE``), or translations into one.

    Called once per run, after the library is complete.

    :param register: ``register(language, *, catalog=None, translations=None)``
        (:class:`rxprint.api.LanguageRegister`). ``language`` is an ISO 639 code that
        Babel knows ("fr", "pt"): its dates and plural rules come from Babel.
        ``catalog``: a :class:`pathlib.Path` to the language's message catalog, a TOML
        file with the keys of rxprint's English one (``rxprint/language/locales/en.toml``;
        required for a language rxprint does not ship; a message it lacks prints in
        English, with a warning). ``translations``: a folder of ``<id>.toml`` files, each
        the translation of the library entry with that id (built-in or a plugin's), with
        the fields of a ``[translations.LANG]`` table (``docs/schema.md``). A plugin's own
        exercises can instead carry ``[translations.LANG]`` tables in their files.
    :return: nothing; use ``register``.
    """


@hookspec
def register_videos(register: VideoRegister) -> None:
    """Give exercises (built-in or any plugin's) a link to a video of your own.

    Called once per run, after the library is complete.

    :param register: ``register(exercise_id, url)`` (:class:`rxprint.api.VideoRegister`):
        ``url`` an ``https://`` link. The handout prints it as a QR code with the link
        beside it. A program file's ``video`` for an exercise comes first; yours comes
        before the exercise's own ``video``.
    :return: nothing; use ``register``.
    """


@hookspec
def adjust_program(program: Program, context: ProgramContext) -> Program | None:
    """Change a resolved program just before it is rendered (house rules, notes).

    Called for every handout, implementation after implementation in pluggy's order
    (``tryfirst``/``trylast`` included), each getting the program the previous one
    returned. A wrapper (``wrapper=True``) runs around that chain: it gets the program the
    chain starts with and, from its ``yield``, a list with the program the chain made
    (empty when no implementation changed it); the last program of the list it returns is
    the one rendered. Raise :class:`rxprint.api.RxprintError` to refuse the program with a
    message for the user (for example "at most 8 exercises"): it is shown as it is, so it
    must not contain patient data; any other exception shows only its type. Check
    ``context.branding`` to apply house rules only to handouts with the clinic's own
    branding.

    :param program: the resolved :class:`rxprint.api.Program`; it is immutable, so
        return a changed copy (``dataclasses.replace``).
    :param context: an :class:`rxprint.api.ProgramContext`: the active branding name,
        layout name and paper.
    :return: the changed program, or None to leave it as it is.
    """


@hookspec
def register_commands(cli: click.Group) -> None:
    """Add commands to the ``rxprint`` command line.

    Called when the command line is built.

    :param cli: the ``rxprint`` Click group (:class:`click.Group`); use
        ``@cli.command()``. An exception a command raises when it runs names the plugin
        and shows only its type (a command may see patient data).
    :return: nothing.
    """


