"""Shell completion for ids (exercise, standard program, education section), layouts and
brandings, including those plugins add."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import click

from rxprint.cli.context import get_app
from rxprint.errors import RxprintError

if TYPE_CHECKING:  # imported when a completion is asked for, not by every command
    from click.shell_completion import CompletionItem

    from rxprint.plugins.registry import Registry

    Completer = Callable[[click.Context, click.Parameter, str], list[CompletionItem]]


def _completer(titles: Callable[[Registry], dict[str, str]]) -> Completer:
    """A completion callback offering the ids ``titles`` lists, with titles as help."""

    def complete(ctx: click.Context, param: click.Parameter,
                 incomplete: str) -> list[CompletionItem]:
        from click.shell_completion import CompletionItem

        try:
            ids = titles(get_app(ctx).registry)
        except RxprintError:
            return []
        return [CompletionItem(i, help=t) for i, t in sorted(ids.items())
                if i.startswith(incomplete)]

    return complete


complete_exercise = _completer(
    lambda reg: {i: e.title for i, e in reg.library.exercises.items()})
complete_program = _completer(
    lambda reg: {i: p.title for i, p in reg.library.programs.items()})
complete_any = _completer(
    lambda reg: {**{i: s.title for i, s in reg.library.education.items()},
                 **{i: e.title for i, e in reg.library.exercises.items()}})
complete_layout = _completer(lambda reg: {n: r.description for n, r in reg.layouts.items()})
complete_branding = _completer(lambda reg: {n: r.plugin for n, r in reg.brandings.items()})
