"""Shell completion for ids (exercise, standard program)."""

from __future__ import annotations

import click
from click.shell_completion import CompletionItem

from ..errors import RxprintError
from ..library import Library, builtin_library


def _library() -> Library | None:
    try:
        return builtin_library()
    except RxprintError:
        return None


def complete_exercise(ctx: click.Context, param: click.Parameter,
                      incomplete: str) -> list[CompletionItem]:
    lib = _library()
    if lib is None:
        return []
    return [CompletionItem(i, help=e.title) for i, e in sorted(lib.exercises.items())
            if i.startswith(incomplete)]


def complete_program(ctx: click.Context, param: click.Parameter,
                     incomplete: str) -> list[CompletionItem]:
    lib = _library()
    if lib is None:
        return []
    return [CompletionItem(i, help=p.title) for i, p in sorted(lib.programs.items())
            if i.startswith(incomplete)]


def complete_any(ctx: click.Context, param: click.Parameter,
                 incomplete: str) -> list[CompletionItem]:
    lib = _library()
    if lib is None:
        return []
    ids = {**{i: e.title for i, e in lib.exercises.items()},
           **{i: s.title for i, s in lib.education.items()}}
    return [CompletionItem(i, help=t) for i, t in sorted(ids.items()) if i.startswith(incomplete)]
