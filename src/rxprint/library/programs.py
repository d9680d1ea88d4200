"""Program files and resolution: from what a therapist asked for to a complete program.

``read_program_file`` checks a program file and returns a :class:`ProgramRequest` that
carries what is wrong with it; ``resolve`` applies it to a standard program (if any) and
the library, giving the :class:`Program` that the handout renders, or one error listing
every problem: the file's own (a wrong type, an unknown field) and unknown ids together.
Both ``rxprint build`` and ``rxprint validate`` go this way.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from rxprint.errors import InputError, Msg, Problem, ValidationError, quotable, shown
from rxprint.files.fields import (
    LIST_EXERCISES,
    LIST_PROGRAMS,
    Fields,
    did_you_mean,
    too_long,
    unknown,
)
from rxprint.files.textsafety import clean_text, one_line
from rxprint.files.tomlfile import LineIndex, TomlDocument, load_toml
from rxprint.library.dosage import Dosage
from rxprint.library.loader import Library
from rxprint.library.model import (
    Item,
    Phase,
    PhaseRequest,
    Program,
    ProgramEntry,
    ProgramRequest,
)
from rxprint.library.paper import parse_paper
from rxprint.library.reissue import FORMAT
from rxprint.library.schema import MAX_NOTE, parse_entries, parse_phases
from rxprint.library.translations import parse_language

PROGRAM_FILE_FIELDS = ("template", "date", "clinician", "notes", "title", "patient",
                       "exercises", "omit", "education", "language", "large_print", "log",
                       "branding", "layout", "paper", "pictures", "format", "made_by",
                       "phases")

PATIENT_FIELDS = ("name",)
# Limits of the texts a therapist writes for one patient, the same in a program file and
# on the command line. Page 1's facts and every page's header have room for a name of
# 200 characters; 5,000 characters of notes are about a page and a half.
MAX_NAME = 200  # patient.name, --patient; clinician, --clinician
MAX_TITLE = 120
MAX_NOTES = MAX_NOTE  # notes, and each exercise's note


def _parse_date(value: object) -> dt.date:
    """The visit date. A wrong one is never quoted: a date is patient data (a birth
    date in the wrong column), and so may be any text here."""
    if isinstance(value, dt.datetime):
        raise ValueError(Msg("date.time", "give a date without a time, like 2026-11-21"))
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ValueError(Msg("date.expected", "expected a date like 2026-11-21, got {got}",
                         got=shown(value, "date")))


def parse_program_file(doc: TomlDocument) -> ProgramRequest:
    """Check a program file. Values that pass are kept; the problems found are carried in
    the request's ``problems``, for :func:`resolve` to report with unknown ids at once."""
    problems: list[Problem] = []
    f = Fields(doc, doc.data, problems)
    f.only(PROGRAM_FILE_FIELDS)
    template = f.slug("template", required=False)
    date = f.parsed("date", _parse_date)
    # patient data: a wrong value is described, never quoted
    clinician = f.text("clinician", required=False, max_len=MAX_NAME, sensitive=True)
    notes = f.text("notes", required=False, max_len=MAX_NOTES, sensitive=True)
    title = f.text("title", required=False, max_len=MAX_TITLE, sensitive=True)
    patient_name = None
    patient = f.table_of("patient", sensitive=True, example='name = "..."')
    if patient is not None:
        patient.only(PATIENT_FIELDS)
        patient_name = patient.text("name", required=False, max_len=MAX_NAME)
    entries = parse_entries(f, allow_note=True) or ()
    omit = f.slug_list("omit") or ()
    education = f.slug_list("education") or ()
    language = f.parsed("language", parse_language)
    large_print = f.boolean("large_print")
    log = f.boolean("log")
    fmt = f.number("format", 1, 1_000_000)
    if fmt is not None and fmt != FORMAT:
        f.error("format", Msg("format.later", "this file is in format {found}, made by a "
                              "later rxprint (this one reads format {ours}): build it with "
                              "that version", found=f"{fmt:g}", ours=FORMAT))
    f.text("made_by", required=False, max_len=80)  # which rxprint attached it: a note
    paper = f.parsed("paper", parse_paper)
    phases = parse_phases(f, allow_note=True)
    return ProgramRequest(template=template, date=date, clinician=clinician, notes=notes,
                          title=title, patient_name=patient_name, entries=entries,
                          omit=omit, education=education, path=doc.path,
                          problems=tuple(problems), language=language,
                          large_print=large_print, log=log,
                          branding=f.slug("branding", required=False),
                          layout=f.slug("layout", required=False), paper=paper,
                          pictures=f.boolean("pictures"), phases=phases)


def read_program_file(path: Path) -> ProgramRequest:
    """Read and check a program file (see :func:`parse_program_file`); a file that cannot
    be read or parsed as TOML is an InputError."""
    return parse_program_file(load_toml(path, "program file"))


def resolve(request: ProgramRequest, library: Library, today: dt.date, *,
            phases: bool = True) -> Program:
    """Turn a request into a complete program; report every problem at once: those the
    program file had (``request.problems``) and every unknown id. ``phases=False``: the
    program as it starts, before any phase (its own and its template's left out).

    Start with the template's entries, drop ``omit``, then each entry either overrides the
    dosage fields it sets on the template entry of the same id, or is appended. Dosage
    falls back to the template entry, then to the exercise's default.
    """
    problems: list[Problem] = list(request.problems)
    path = request.path
    index: list[LineIndex] = []  # the file's lines are mapped only when a problem needs one

    def problem(field_path: str, message: str) -> None:
        if field_path.startswith("--") or path is None:  # came from a command-line flag
            problems.append(Problem(message, field=field_path))
            return
        if not index:
            index.append(load_toml(path).index)
        line = index[0].line_of(field_path)
        problems.append(Problem(message, path=path, line=line, field=field_path))

    template = None
    template_field = "--template" if request.template_from_flag else "template"
    if request.template is not None:
        if request.template in library.programs:
            template = library.programs[request.template]
        else:
            problem(template_field, unknown("standard program", request.template,
                                            library.programs, LIST_PROGRAMS))

    entries: dict[str, ProgramEntry] = {}
    if template is not None:
        entries = {e.id: e for e in template.entries}
    # Omitted ids are checked against the template only when it is known: with a wrong
    # template every omitted id would be reported again.
    template_unusable = template is None and (
        request.template is not None or any(p.field == "template" for p in request.problems))
    for i, ident in enumerate(request.omit, start=1):
        if ident in entries:
            del entries[ident]
        elif not template_unusable:
            where = (Msg("omit.template", 'the template "{id}"', id=template.id) if template
                     else Msg("omit.no_template", "the program (no template)"))
            what = (f'"{ident}"' if quotable(ident, "id")
                    else Msg("omit.hidden", "this id (not shown)"))
            problem(f"omit[{i}]", Msg("omit.not_in", "{what} is not in {where}, so it cannot "
                                      "be omitted{hint}", what=what, where=where,
                                      hint=did_you_mean(ident, entries)))
    for entry in request.entries:
        if entry.id not in library.exercises:
            problem(f"{entry.field}.id" if entry.field.startswith("exercises[") else entry.field,
                    unknown("exercise", entry.id, library.exercises,
                            LIST_EXERCISES))
            continue
        base = entries.get(entry.id)
        if base is None:
            entries[entry.id] = entry
        else:
            entries[entry.id] = replace(base, dosage=entry.dosage.over(base.dosage),
                                        note=entry.note if entry.note is not None else base.note,
                                        video=entry.video or base.video)
    education_ids = list(template.education) if template else []
    for i, ident in enumerate(request.education, start=1):
        if ident not in library.education:
            problem(f"education[{i}]", unknown("education section", ident,
                                               library.education))
        elif ident not in education_ids:
            education_ids.append(ident)
    stages = request.phases or (template.phases if template else ()) if phases else ()
    found, entries = _resolve_phases(stages, entries, library, problem)
    if problems:
        raise ValidationError(problems, Msg("program.cannot", "the program cannot be built"))
    if not entries:
        raise InputError(Msg("program.empty", "the program has no exercises: name a "
                             "--template, add exercises with -e ID, or list [[exercises]] "
                             "in the program file"))
    items = tuple(linked(Item(exercise=library.exercises[e.id],
                              dosage=e.dosage.over(library.exercises[e.id].dosage),
                              note=_clean(e.note),
                              video=e.video or library.exercises[e.id].video), library)
                  for e in entries.values())
    return Program(date=request.date or today, items=items, phases=found,
                   education=tuple(library.education[i] for i in education_ids),
                   patient_name=_single_line(request.patient_name),
                   clinician=_single_line(request.clinician),
                   notes=_clean(request.notes), title=_single_line(request.title),
                   template=template)


def _resolve_phases(requested: tuple[PhaseRequest, ...], entries: dict[str, ProgramEntry],
                    library: Library, problem: Callable[[str, str], None]
                    ) -> tuple[tuple[Phase, ...], dict[str, ProgramEntry]]:
    """The phases, and every exercise of any of them in the order they first appear
    (with its first phase's dosage, its note and video from any). The first phase
    starts from the program's own exercises, each later one from the phase before;
    each adds exercises, changes dosages (the fields it sets) and stops exercises
    (``omit``). A program file's phases replace its standard program's."""
    if not requested:
        return (), entries
    current = dict(entries)
    every: dict[str, ProgramEntry] = {}
    phases: list[Phase] = []
    for ph in requested:
        for i, ident in enumerate(ph.omit, start=1):
            if ident in current:
                del current[ident]
            else:
                what = (f'"{ident}"' if quotable(ident, "id")
                        else Msg("omit.hidden", "this id (not shown)"))
                problem(f"{ph.field}.omit[{i}]", Msg(
                    "omit.phase", "{what} is not in this phase (it is not in the one "
                    "before){hint}", what=what, hint=did_you_mean(ident, current)))
        for e in ph.entries:
            if e.id not in library.exercises:
                problem(f"{e.field}.id", unknown("exercise", e.id, library.exercises,
                                                 LIST_EXERCISES))
                continue
            base = current.get(e.id)
            current[e.id] = e if base is None else replace(
                base, dosage=e.dosage.over(base.dosage),
                note=e.note if e.note is not None else base.note,
                video=e.video or base.video)
        for ident, e in current.items():
            first = every.get(ident)
            every[ident] = e if first is None else replace(
                first, note=first.note if first.note is not None else e.note,
                video=first.video or e.video)
        phases.append(Phase(title=_single_line(ph.title) or ph.title, weeks=ph.weeks,
                            doses=tuple((ident, e.dosage.over(library.exercises[ident].dosage))
                                        for ident, e in current.items()
                                        if ident in library.exercises)))
    return tuple(phases), every


def linked(item: Item, library: Library) -> Item:
    """``item`` with the exercises its exercise's ``easier`` and ``harder`` ids name
    (None for an id the library lacks: a checked library has none)."""
    ex = item.exercise
    return replace(item,
                   easier=library.exercises.get(ex.easier) if ex.easier else None,
                   harder=library.exercises.get(ex.harder) if ex.harder else None)


def _single_line(text: str | None) -> str | None:
    """A name or title as it prints: one line, nothing invisible; None when nothing
    printable is left (a name of spaces or zero-width characters is no name: the handout
    then has a line to write one in)."""
    return (one_line(text) or None) if text is not None else None


def _clean(text: str | None) -> str | None:
    """Free text (notes) with its line breaks; None when nothing printable is left."""
    if text is None:
        return None
    cleaned = clean_text(text).strip()
    return cleaned or None


def with_flags(request: ProgramRequest, *, template: str | None = None,
               patient_name: str | None = None, clinician: str | None = None,
               date: dt.date | None = None, exercises: tuple[str, ...] = (),
               language: str | None = None, large_print: bool | None = None,
               log: bool | None = None) -> ProgramRequest:
    """Command-line flags override the program file; ``-e`` ids are appended. A flag's
    text over its limit (the same as in a program file) is one of the request's problems,
    reported by :func:`resolve` with the others."""
    added = tuple(ProgramEntry(id=i, dosage=Dosage(), field="--exercise") for i in exercises)
    problems = list(request.problems)
    for flag, value in (("--patient", patient_name), ("--clinician", clinician)):
        if value is not None and len(value.strip()) > MAX_NAME:
            problems.append(Problem(too_long(len(value.strip()), MAX_NAME), field=flag))
    return replace(
        request,
        problems=tuple(problems),
        template=template if template is not None else request.template,
        template_from_flag=template is not None or request.template_from_flag,
        patient_name=patient_name if patient_name is not None else request.patient_name,
        clinician=clinician if clinician is not None else request.clinician,
        date=date if date is not None else request.date,
        entries=request.entries + added,
        language=language if language is not None else request.language,
        large_print=large_print if large_print is not None else request.large_print,
        log=log if log is not None else request.log,
    )
