"""Re-issue: the program a handout was made from, as a program file to attach to it.

Every handout carries the resolved program (before plugins adjust it: they adjust it
again when it is built again) as a program file: ``rxprint extract HANDOUT.pdf -o
next.toml`` gives it back, and ``rxprint build next.toml`` makes the same handout, byte
for byte, with the same rxprint version and plugins. Each exercise is written with its
whole dosage, so nothing depends on the library's defaults staying the same; how it was
printed (branding, layout, paper, pictures, language, large print, log) is written too.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from rxprint import __version__
from rxprint.library.dosage import dosage_table
from rxprint.library.model import Program

FORMAT = 1  # the attached program file's format; a later one is refused, naming it


@dataclass(frozen=True)
class PrintSettings:
    """How a handout was printed, beyond what its program says."""

    branding: str
    layout: str
    paper: str
    pictures: bool = True


def _string(text: str) -> str:
    """A TOML basic string: quotes, backslashes and control characters escaped."""
    out = ['"']
    for ch in text:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    return _string(str(value))  # a date: written below as a TOML date instead


def _lines(pairs: Iterable[tuple[str, Any]]) -> list[str]:
    return [f"{key} = {_value(value)}" for key, value in pairs if value is not None]


def program_file(program: Program, settings: PrintSettings) -> str:
    """``program`` (resolved, not yet adjusted by plugins) as the text of a program file
    that builds the same handout."""
    head = [
        "# The program this handout was made from, attached to it by rxprint: "
        "`rxprint build` on this",
        "# file makes the same handout again. Edit the dosage to progress the program.",
        f"format = {FORMAT}",
        f"made_by = {_string(f'rxprint {__version__}')}",
        f"date = {program.date.isoformat()}",
    ]
    template = program.template
    head += _lines([
        ("template", template.id if template else None),
        ("title", program.title), ("clinician", program.clinician), ("notes", program.notes),
        ("language", program.language), ("large_print", program.large_print),
        ("log", program.log), ("branding", settings.branding), ("layout", settings.layout),
        ("paper", settings.paper), ("pictures", settings.pictures),
    ])
    # the first phase's exercises, with phases; else the program's
    ids = ([ident for ident, _ in program.phases[0].doses] if program.phases
           else [item.exercise.id for item in program.items])
    if template is not None:
        listed = {e.id for e in template.entries}
        # the template's exercises print in its order, those added after them: a program
        # in another order lists every exercise in its own (the template's all omitted)
        kept = [e.id for e in template.entries if e.id in ids]
        in_order = ids == kept + [i for i in ids if i not in listed]
        omitted = [e.id for e in template.entries if e.id not in ids or not in_order]
        if not in_order:
            head.append("# the exercises below, in the order they print (not the standard "
                        "program's):")
        if omitted:
            head.append(f"omit = {_value(omitted)}")
    head.append(f"education = {_value([s.id for s in program.education])}")
    body: list[str] = []
    if program.patient_name is not None:
        body += ["", "[patient]", f"name = {_string(program.patient_name)}"]
    if not program.phases:
        for item in program.items:
            body += ["", "[[exercises]]", f"id = {_string(item.exercise.id)}"]
            body += _lines([*dosage_table(item.dosage).items(), ("note", item.note),
                            ("video", item.video)])
        return "\n".join([*head, *body]) + "\n"
    # the first phase with every exercise's whole dosage; each later one with what it
    # changes only (a new exercise, another value of a dosage field, an exercise
    # stopped), so that a dosage changed in an earlier phase carries on into later ones
    items = {item.exercise.id: item for item in program.items}
    before: dict[str, dict[str, Any]] = {}
    for phase in program.phases:
        now = {ident: dosage_table(dosage) for ident, dosage in phase.doses}
        body += ["", "[[phases]]", f"title = {_string(phase.title)}",
                 f"weeks = {phase.weeks}"]
        stopped = [ident for ident in before if ident not in now]
        if stopped:
            body.append(f"omit = {_value(stopped)}")
        for ident, table in now.items():
            earlier = before.get(ident)
            changed = [(k, v) for k, v in table.items()
                       if earlier is None or earlier.get(k) != v]
            if earlier is not None and not changed:
                continue  # the same as in the phase before
            item = items[ident]
            body += ["", "[[phases.exercises]]", f"id = {_string(ident)}"]
            body += _lines([*changed,
                            ("note", item.note if earlier is None else None),
                            ("video", item.video if earlier is None else None)])
        before = now
    return "\n".join([*head, *body]) + "\n"
