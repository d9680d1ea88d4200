"""Browsing the library: ``rxprint list``, ``show``, ``programs`` and ``languages``.

Each answers in the language ``--lang`` names (labels from its catalog, library text from
its translations, English where a translation is missing). Library text comes from files
and plugins, unchecked for what a terminal would act on
(an escape sequence in a plugin's title): everything printed goes through
:func:`rxprint.runtime.failures.printable` (JSON through :func:`json_text`), so such characters
show escaped instead of acting.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from rxprint.cli.completion import complete_any, complete_branding
from rxprint.cli.context import get_app
from rxprint.cli.params import lang_option
from rxprint.errors import InputError, Problem
from rxprint.language.messages import Catalog, catalog
from rxprint.library.model import CATEGORIES, EducationSection, Exercise, StandardProgram
from rxprint.runtime.failures import printable

if TYPE_CHECKING:
    from rxprint.app import App
    from rxprint.library.dosage import Dosage
    from rxprint.library.loader import Library


class Browser:
    """The library as one language shows it: its catalog, and entries translated."""

    def __init__(self, app: App, language: str | None) -> None:
        self.language = app.check_language(language or app.config.language or "en")
        self.catalog = app.catalog(self.language)
        self.lib = app.library
        self._extra = app.extra_translations(self.language)

    def __call__(self, entry: Any) -> Any:
        """``entry`` (an exercise, section or program) in this language."""
        from rxprint.library.translations import localize

        return localize(entry, self.language, self._extra)

    def t(self, key: str) -> str:
        return self.catalog.t(f"browse.{key}")


def dosage_json(d: Dosage, c: Catalog | None = None) -> dict[str, Any]:
    """A dosage as structured JSON, plus its wording (in ``c``'s language; English)."""
    f = d.frequency
    return {
        "sets": d.sets,
        "reps": None if d.reps is None else {"low": d.reps.low, "high": d.reps.high},
        "hold_seconds": d.hold,
        "duration_seconds": d.duration,
        "side": None if d.side is None else d.side.value,
        "frequency": None if f is None else {
            "times": f.times, "period": f.period.value,
            "every_other_day": f.every_other_day, "interval_minutes": f.interval_minutes},
        "text": (c or catalog("en")).dosage(d),
    }


def exercise_json(e: Exercise, lib: Library | None = None,
                  c: Catalog | None = None) -> dict[str, Any]:
    """An exercise as JSON; with ``lib``, also its progression chain (ids, easiest
    first)."""
    data = {"id": e.id, "title": e.title, "category": e.category,
            "regions": list(e.regions), "targets": list(e.targets),
            "equipment": list(e.equipment), "position": e.position, "purpose": e.purpose,
            "steps": list(e.steps), "cues": list(e.cues), "cautions": list(e.cautions),
            "sources": list(e.sources), "dosage": dosage_json(e.dosage, c),
            "drawing": e.picture is not None, "images": [p.name for p in e.images],
            "easier": e.easier, "harder": e.harder}
    if lib is not None:
        data["progression"] = [x.id for x in lib.progression(e.id)]
    return data


def progression_line(e: Exercise, b: Browser) -> str | None:
    """"Progression: A -> B (this one) -> C", easiest first; None when ``e`` is linked to
    no easier or harder exercise."""
    chain = [b(x) for x in b.lib.progression(e.id)]
    if len(chain) < 2:
        return None
    return f"{b.t('progression')}: " + " -> ".join(
        f"{x.title} ({b.t('this_one')})" if x.id == e.id else x.title for x in chain)


def education_json(s: EducationSection) -> dict[str, Any]:
    return {"id": s.id, "title": s.title, "kind": "education",
            "paragraphs": list(s.paragraphs), "bullets": list(s.bullets),
            "sources": list(s.sources)}


def program_json(p: StandardProgram, b: Browser) -> dict[str, Any]:
    return {"id": p.id, "title": p.title, "description": p.description,
            "education": list(p.education), "sources": list(p.sources),
            "exercises": [{"id": e.id, "title": b(b.lib.exercises[e.id]).title,
                           "dosage": dosage_json(e.dosage.over(b.lib.exercises[e.id].dosage),
                                                 b.catalog)}
                          for e in p.entries]}


def json_text(data: Any) -> str:
    """``data`` as JSON: readable (not ASCII-only), but with every character a terminal
    would act on (C1 controls, bidi overrides...) written as a ``\\uXXXX`` escape, which
    reads back as the same text. (JSON escapes C0 controls itself.)"""
    text = json.dumps(data, indent=2, ensure_ascii=False)
    if text.isprintable():
        return text
    # outside strings there is only JSON's own layout: line breaks and spaces
    return "".join(ch if ch == "\n" or printable(ch) == ch else json.dumps(ch)[1:-1]
                   for ch in text)


def echo(text: str = "") -> None:
    """Print library text: control and bidi characters escaped, line breaks kept."""
    click.echo(printable(text))


def echo_json(data: Any) -> None:
    click.echo(json_text(data))


def echo_table(rows: Sequence[tuple[str, ...]]) -> None:
    rows = [tuple(printable(cell, keep="") for cell in row) for row in rows]
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]) - 1)]
    for row in rows:
        cells = [cell.ljust(w) for cell, w in zip(row, widths, strict=False)]
        click.echo("  ".join([*cells, row[-1]]).rstrip())


@click.command("list")
@click.option("--category", type=click.Choice(CATEGORIES), help="Only this category.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@lang_option("The language of titles and dosages (default: the configuration's, else en).")
@click.pass_context
def list_command(ctx: click.Context, category: str | None, as_json: bool,
                 language: str | None) -> None:
    """List the exercises in the library, with their default dosage."""
    b = Browser(get_app(ctx), language)
    exercises = [b(e) for e in b.lib.exercises.values() if category in (None, e.category)]
    exercises.sort(key=lambda e: (CATEGORIES.index(e.category), e.id))
    if as_json:
        echo_json([exercise_json(e, c=b.catalog) for e in exercises])
        return
    c = b.catalog
    rows = [(b.t("id"), b.t("category"), b.t("title"), b.t("default_dosage"))]
    rows += [(e.id, e.category, e.title, c.dosage(e.dosage, separator=", "))
             for e in exercises]
    echo_table(rows)


def write_png(ctx: click.Context, e: Exercise, target: Path, width: int, branding: str | None,
              force: bool, source: Path | None = None) -> None:
    """The exercise's drawing as a PNG file, in the branding's accent colour (``source``:
    the exercise file it was read from, when not from the library)."""
    from rxprint.figures.png import picture_png  # the drawing (and Pillow): only here
    from rxprint.files.output import check_output, is_stdout, write_output
    from rxprint.library.branding import parse_colour

    if e.picture is None:
        raise InputError(f'exercise "{e.id}" has no drawing (no [picture] table in '
                         f"{e.path or 'its definition'}); see docs/pictures.md")
    app = get_app(ctx)
    inputs = app.input_files()
    if source is not None:
        inputs[source] = "the exercise file"
    check_output(target, overwrite=force, inputs=inputs)
    accent = parse_colour(app.choose(branding=branding).branding.accent)
    # a library drawing, no patient data: readable by others as the umask allows
    write_output(target, picture_png(e.picture, accent, width), overwrite=force,
                 what="the picture", inputs=inputs, private=False)
    if not is_stdout(target):
        click.echo(printable(f"Wrote {target} ({width} pixels wide)", keep=""), err=True)


@click.command("show")
@click.argument("ident", metavar="ID", shell_complete=complete_any)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option("--png", "png", type=click.Path(path_type=Path), metavar="FILE",
              help="Write the exercise's drawing to FILE ('-' for standard output) as a PNG "
                   "image instead.")
@click.option("--width", type=click.IntRange(200, 4000), default=1200, show_default=True,
              help="Width of the PNG in pixels.")
@click.option("--branding", metavar="NAME", shell_complete=complete_branding,
              help="Whose accent colour highlights the target area in the PNG.")
@click.option("--force", is_flag=True, help="Replace the PNG file if it exists.")
@lang_option("The language to show it in (default: the configuration's, else en).")
@click.pass_context
def show_command(ctx: click.Context, ident: str, as_json: bool, png: Path | None, width: int,
                 branding: str | None, force: bool, language: str | None) -> None:
    """Show one exercise (or education section) in full, or save its drawing.

    \b
    ID may also be an exercise file (ID.toml) with --png: its drawing, before a plugin
    registers it.

    \b
    Examples:
      rxprint show quad-set
      rxprint show quad-set --png quad-set.png
      rxprint show my-exercises/oak-heel-raise.toml --png drawing.png
    """
    if ident.lower().endswith(".toml"):
        if png is None:
            raise click.UsageError("an exercise file (ID.toml) is shown with --png FILE (its "
                                   "drawing); `rxprint validate FILE` checks it")
        path = Path(ident)
        write_png(ctx, _exercise_file(path), png, width, branding, force, source=path)
        return
    lib = get_app(ctx).library
    if png is not None:
        write_png(ctx, lib.exercise(ident), png, width, branding, force)
        return
    b = Browser(get_app(ctx), language)
    if ident in lib.education and ident not in lib.exercises:
        section = b(lib.education[ident])
        if as_json:
            echo_json(education_json(section))
            return
        echo(f"{section.title}  [{section.id}, {b.t('education')}]\n")
        for paragraph in section.paragraphs:
            echo(click.wrap_text(paragraph, 88) + "\n")
        for bullet in section.bullets:
            echo(f"  - {bullet}")
        echo(f"\n{b.t('sources')}: {', '.join(section.sources)}")
        return
    e = b(lib.exercise(ident))
    if as_json:
        echo_json(exercise_json(e, lib, b.catalog))
        return
    c = b.catalog
    echo(f"{e.title}  [{e.id}, {e.category}]\n")
    echo(f"{b.t('dosage')}: {c.dosage(e.dosage, separator=', ')}")
    if b.language == "en":  # the library's index terms are English words
        echo(f"Regions: {', '.join(e.regions)}")
        echo(f"Targets: {', '.join(e.targets)}")
        echo(f"Equipment: {', '.join(e.equipment) or 'none'}")
    echo(f"{b.t('position')}: {e.position}\n")
    echo(click.wrap_text(f"{b.t('purpose')}: {e.purpose}", 88, subsequent_indent="  "))
    echo(f"\n{b.t('steps')}:")
    for i, step in enumerate(e.steps, start=1):
        echo(click.wrap_text(step, 88, initial_indent=f"  {i}. ", subsequent_indent="     "))
    for heading, items in ((b.t("tips"), e.cues), (b.t("stop_if"), e.cautions)):
        if items:
            echo(f"\n{heading}:")
            for item in items:
                echo(click.wrap_text(item, 88, initial_indent="  - ",
                                     subsequent_indent="    "))
    chain = progression_line(e, b)
    if chain is not None:
        echo("\n" + click.wrap_text(chain, 88, subsequent_indent="  "))
    echo(f"\n{b.t('sources')}: {', '.join(e.sources)}")


@click.command("programs")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@lang_option("The language of the titles (default: the configuration's, else en).")
@click.pass_context
def programs_command(ctx: click.Context, as_json: bool, language: str | None) -> None:
    """List the standard programs (templates for --template)."""
    b = Browser(get_app(ctx), language)
    programs = sorted((b(p) for p in b.lib.programs.values()), key=lambda p: p.id)
    if as_json:
        echo_json([program_json(p, b) for p in programs])
        return
    rows = [(b.t("id"), b.t("exercises"), b.t("title"))]
    rows += [(p.id, str(len(p.entries)), p.title) for p in programs]
    echo_table(rows)


@click.command("languages")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def languages_command(ctx: click.Context, as_json: bool) -> None:
    """List the languages handouts can be printed in, and how much of the library each
    one translates (what is missing prints in English)."""
    from rxprint.language.messages import english_name
    from rxprint.library.translations import missing_fields

    app = get_app(ctx)
    lib = app.library
    entries: list[Exercise | EducationSection | StandardProgram] = [
        *lib.exercises.values(), *lib.education.values(), *lib.programs.values()]
    found: list[dict[str, Any]] = []
    rows = [("CODE", "LANGUAGE", "OWN NAME", "FROM", "LIBRARY TRANSLATED", "MESSAGES")]
    for code, origin in app.languages.items():
        extra = app.extra_translations(code)
        whole = sum(1 for e in entries if not missing_fields(e, code, extra))
        c = app.catalog(code)
        found.append({"language": code, "name": english_name(code), "own_name": c.name,
                      "from": origin, "translated": whole, "entries": len(entries),
                      "missing_messages": list(c.missing)})
        rows.append((code, english_name(code), c.name, origin, f"{whole} of {len(entries)}",
                     "complete" if not c.missing
                     else f"{len(c.missing)} messages in English"))
    if as_json:
        echo_json(found)
        return
    echo_table(rows)


def _exercise_file(path: Path) -> Exercise:
    """An exercise file read and checked on its own, not registered in the library (to
    look at its drawing while writing it)."""
    from rxprint.errors import ValidationError
    from rxprint.files.tomlfile import load_toml
    from rxprint.library.schema import parse_exercise

    doc = load_toml(path, "exercise file")
    problems: list[Problem] = []
    exercise = parse_exercise(doc, problems)
    if problems or exercise is None:
        raise ValidationError(problems, "the exercise file has errors")
    return exercise
