"""Shell completion for ids (exercise, standard program, education section)."""

from __future__ import annotations

from collections.abc import Callable

import click
from click.shell_completion import CompletionItem

from ..errors import RxprintError
from ..library import Library, builtin_library

Completer = Callable[[click.Context, click.Parameter, str], list[CompletionItem]]


def _completer(titles: Callable[[Library], dict[str, str]]) -> Completer:
    """A completion callback offering the ids ``titles`` lists, with titles as help."""

    def complete(ctx: click.Context, param: click.Parameter,
                 incomplete: str) -> list[CompletionItem]:
        try:
            ids = titles(builtin_library())
        except RxprintError:
            return []
        return [CompletionItem(i, help=t) for i, t in sorted(ids.items())
                if i.startswith(incomplete)]

    return complete


complete_exercise = _completer(lambda lib: {i: e.title for i, e in lib.exercises.items()})
complete_program = _completer(lambda lib: {i: p.title for i, p in lib.programs.items()})
complete_any = _completer(lambda lib: {**{i: s.title for i, s in lib.education.items()},
                                       **{i: e.title for i, e in lib.exercises.items()}})
