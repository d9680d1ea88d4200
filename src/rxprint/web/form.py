"""The page's form and the program file, one to the other.

The form's fields are named after the program file's keys (``patient.name``,
``exercises[2].reps``), so a problem the program file's checks find names the field it
belongs beside. This module only moves values between the two: every check is the program
file's own (:func:`rxprint.library.programs.parse_program_file`, then
:meth:`rxprint.app.App.prepare`), exactly as ``rxprint build`` makes them.

The exercise list on the page is complete and in its order: a program started from a
standard program lists every exercise (the template's all omitted, then listed in the
page's order), so moving one up or down prints it there.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from rxprint.errors import Problem
from rxprint.library.dosage import DOSAGE_FIELDS, Dosage, dosage_table
from rxprint.library.model import Item, Program

TEXT_FIELDS = ("patient.name", "clinician", "date", "title", "notes", "template",
               "language", "layout", "paper", "branding")
SWITCHES = ("large_print", "log", "pictures")
ROW_FIELDS = (*DOSAGE_FIELDS, "note", "video")
MAX_ROWS = 40  # more rows than any program has: the rest of a longer form is not read


@dataclass
class Row:
    """One exercise of the list: its id and its fields as typed (dosage text, note)."""

    id: str
    values: dict[str, str] = field(default_factory=dict)


@dataclass
class PageState:
    """What the form holds: the texts, the switches, the exercise rows in order, and a
    program file's own phases (kept as they are: the page edits the list they start from)."""

    texts: dict[str, str] = field(default_factory=dict)
    switches: dict[str, bool] = field(default_factory=dict)
    rows: list[Row] = field(default_factory=list)
    phases: list[Any] = field(default_factory=list)

    def text(self, name: str) -> str:
        return self.texts.get(name, "")

    @property
    def ids(self) -> list[str]:
        return [row.id for row in self.rows]


def read_form(form: Mapping[str, str]) -> PageState:
    """The state a submitted form holds (fields it does not have are empty)."""
    state = PageState(texts={name: form.get(name, "") for name in TEXT_FIELDS},
                      switches={name: form.get(name) == "on" for name in SWITCHES})
    for i in range(1, MAX_ROWS + 1):
        ident = form.get(f"exercises[{i}].id")
        if ident is None:
            break
        state.rows.append(Row(ident, {name: form.get(f"exercises[{i}].{name}", "")
                                      for name in ROW_FIELDS}))
    try:
        phases = json.loads(form.get("phases") or "[]")
    except (ValueError, RecursionError):  # not JSON, or nested past Python's stack
        phases = None
    state.phases = phases if isinstance(phases, list) else [{"title": "(unreadable)"}]
    return state


def program_data(state: PageState, template_ids: Iterable[str]) -> dict[str, Any]:
    """The program file the state stands for, as parsed TOML (``template_ids``: the
    exercises of the standard program it names, all omitted: the list is complete).
    Empty fields are left out, as a program file leaves out what it does not set."""
    data: dict[str, Any] = {}
    for name in TEXT_FIELDS:
        value = state.text(name).strip()
        if not value:
            continue
        if name == "patient.name":
            data["patient"] = {"name": value}
        else:
            data[name] = value
    data.update(state.switches)
    omit = list(template_ids)
    if omit:
        data["omit"] = omit
    if state.rows:
        data["exercises"] = [
            {"id": row.id, **{k: v.strip() for k, v in row.values.items() if v.strip()}}
            for row in state.rows]
    if state.phases:
        data["phases"] = state.phases
    return data


def dosage_texts(dosage: Dosage) -> dict[str, str]:
    """A dosage field by field as the page writes it: as a program file does ("" for a
    field it does not set)."""
    table = dosage_table(dosage)
    return {name: str(table.get(name, "")) for name in DOSAGE_FIELDS}


def row_values(item: Item) -> dict[str, str]:
    """An exercise's fields as the page shows them: its dosage as a program file writes
    it, its note and video link."""
    values = dosage_texts(item.dosage)
    values["note"] = item.note or ""
    values["video"] = item.video if item.video and item.video != item.exercise.video else ""
    return values


def state_of(program: Program, data: Mapping[str, Any], *,
             defaults: Mapping[str, str]) -> PageState:
    """The state of a program as it starts (resolved without its phases): its rows;
    the file's (``data``'s) own texts, switches and phases; ``defaults`` for how it
    prints where the file says nothing."""
    patient = data.get("patient")
    texts = {
        "patient.name": program.patient_name or "",
        "clinician": program.clinician or "",
        "date": program.date.isoformat(),
        "title": program.title or "",
        "notes": program.notes or "",
        "template": program.template.id if program.template else "",
        "language": program.language,
    }
    if not isinstance(patient, dict):
        texts["patient.name"] = ""
    for name in ("layout", "paper", "branding"):
        value = data.get(name)
        texts[name] = value if isinstance(value, str) else defaults.get(name, "")
    phases = data.get("phases")
    return PageState(
        texts=texts,
        switches={"large_print": program.large_print, "log": program.log,
                  "pictures": data.get("pictures") is not False},
        rows=[Row(item.exercise.id, row_values(item)) for item in program.items],
        phases=list(phases) if isinstance(phases, list) else [])


def blank_state(today: dt.date, defaults: Mapping[str, str],
                switches: Mapping[str, bool]) -> PageState:
    """A new program: today's date, the configuration's choices, no exercises."""
    texts = dict.fromkeys(TEXT_FIELDS, "")
    texts.update(defaults)
    texts["date"] = today.isoformat()
    return PageState(texts=texts, switches=dict(switches))


def field_names(state: PageState) -> set[str]:
    """Every field the page shows an error beside: the texts, the switches, each row
    (its own errors, as a listed-twice id) and each row's fields."""
    names = {*TEXT_FIELDS, *SWITCHES, "phases"}
    for i in range(1, len(state.rows) + 1):
        names.add(f"exercises[{i}]")
        names.update(f"exercises[{i}].{name}" for name in ROW_FIELDS)
    return names


def place(problems: Iterable[Problem], names: set[str]) -> tuple[dict[str, list[str]],
                                                                list[str]]:
    """Each problem beside the field it names (or the nearest enclosing one: a row's id
    beside its row, a phase's anything beside the phases), and those that name none."""
    by_field: dict[str, list[str]] = {}
    general: list[str] = []
    for problem in problems:
        where = _nearest(problem.field, names)
        if where is None:
            general.append(problem.message)
        else:
            by_field.setdefault(where, []).append(problem.message)
    return by_field, general


def _nearest(path: str | None, names: set[str]) -> str | None:
    if path is None:
        return None
    if path == "patient":
        return "patient.name"
    if path.endswith(".id") and path.startswith("exercises["):
        path = path[:-3]
    while path:
        if path in names:
            return path
        cut = max(path.rfind("."), path.rfind("["))
        if cut <= 0:
            return path.split("[")[0] if path.split("[")[0] in names else None
        path = path[:cut]
    return None
