"""What a batch makes handouts from: a CSV roster, a folder of program files, or every
standard program. Each becomes a list of :class:`~rxprint.batch.jobs.Job` s.

Any cell of a roster may hold a patient's name (columns get mapped wrong in real
clinics), so a message quotes a cell only when it has the shape of what was expected (an
id: lowercase letters, digits and hyphens; a paper name); otherwise it names the column,
the row and the form expected.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

from rxprint.batch.jobs import Job
from rxprint.errors import InputError, Problem, RxprintError, quotable
from rxprint.files.fields import did_you_mean, too_long
from rxprint.files.tomlfile import read_limited
from rxprint.library.dosage import Dosage
from rxprint.library.model import ProgramEntry, ProgramRequest
from rxprint.library.paper import PAPERS
from rxprint.library.programs import MAX_NAME, MAX_NOTES, read_program_file
from rxprint.library.translations import check_language
from rxprint.runtime.failures import failure_message

if TYPE_CHECKING:
    from rxprint.app import App

ROSTER_COLUMNS = ("patient", "template", "clinician", "date", "layout", "paper", "language",
                  "large_print", "notes",
                  "output", "exercises")
"""The columns a roster may have, in any order (names are matched ignoring case, spaces
and ``_``/``-``: "Output name" is ``output``, "Extra exercises" is ``exercises``)."""
_ALIASES = {"outputname": "output", "extraexercises": "exercises", "exerciseids": "exercises",
            "patientname": "patient", "largeprint": "large_print", "lang": "language"}
MAX_ROSTER_BYTES = 32 * 1024 * 1024
# Paper names a cell may be quoted as: ISO sizes and the usual American names.
_PAPER_SHAPE = re.compile(r"^(?:[abc]\d{1,2}|letter|legal|tabloid|ledger|executive|statement|"
                          r"folio|half-letter|junior-legal)$")
_ID_FORM = "lowercase letters, digits and hyphens"


def _column(name: str) -> str:
    key = re.sub(r"[\s_\-]+", "", name.strip().lower())
    return _ALIASES.get(key, key)


def _header(cells: list[str], path: Path) -> list[str]:
    """The roster's columns from its first row, or an InputError that quotes a cell only
    when it is a near miss of a column name (a cell that names no column may be data)."""
    expected = ", ".join(ROSTER_COLUMNS)
    header = [_column(c) for c in cells]
    if not any(c in ROSTER_COLUMNS for c in header):
        raise InputError(Problem(
            "the first row is not a header: none of its cells names a column. Add a first "
            f"row that names the columns, from: {expected}", path=path, line=1))
    unknown = []
    for position, column in enumerate(header, start=1):
        if column in ROSTER_COLUMNS:
            continue
        hint = did_you_mean(column, ROSTER_COLUMNS) if len(column) <= 30 else ""
        unknown.append(f'column {position} "{cells[position - 1].strip()}"{hint}' if hint
                       else f"column {position}")
    if unknown:
        raise InputError(Problem(
            f"unknown column{'s' if len(unknown) > 1 else ''}: {', '.join(unknown[:10])}"
            + (f" and {len(unknown) - 10:,} more" if len(unknown) > 10 else "")
            + f"; the columns are {expected}", path=path, line=1))
    repeated = [c for c, n in Counter(header).items() if n > 1]
    if repeated:
        first = repeated[0]
        at = [str(i) for i, c in enumerate(header, start=1) if c == first][:2]
        raise InputError(Problem(f"the column {first!r} appears more than once (columns "
                                 f"{' and '.join(at)}); keep one", path=path, line=1))
    return header


def read_roster(path: Path) -> list[Job]:
    """The jobs of a CSV roster (UTF-8, with or without BOM; any line ends; quoted commas
    and line breaks). A problem with the file itself (not a regular file, too large, not
    UTF-8, no header, unknown columns) is an InputError for the whole roster; a problem in
    one row makes that row's job fail. Rows are numbered as a spreadsheet shows them: the
    header is row 1."""
    data = read_limited(path, "roster", MAX_ROSTER_BYTES)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(Problem(f"is not UTF-8 text (byte {exc.start + 1}); save it as "
                                 '"CSV UTF-8" from your spreadsheet', path=path)) from None
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise InputError(Problem(f"is not a valid CSV file ({exc})", path=path)) from None
    if not rows or not any(cell.strip() for cell in rows[0]):
        raise InputError(Problem("has no header row; the first row names the columns: "
                                 + ", ".join(ROSTER_COLUMNS), path=path))
    header = _header(rows[0], path)
    jobs: list[Job] = []
    for offset, cells in enumerate(rows[1:]):
        if not any(cell.strip() for cell in cells):
            continue  # a blank line
        jobs.append(_row_job(len(jobs) + 1, offset + 2, header, cells))
    return jobs


def _id_problem(column: str, value: str, example: str) -> str | None:
    """A cell that must be an id: None when it has an id's shape (an unknown id is found,
    and quoted, when the row is built), else a message that does not quote it."""
    if quotable(value, "id"):
        return None
    return f"{column}: not an id ({_ID_FORM}, like {example})"


def _quoted(value: str) -> str:
    """``: "xx"`` for a value short and plain enough to be a code (never patient data)."""
    return f': "{value}"' if len(value) <= 8 and value.isascii() and value.isalpha() else ""


_YES = {"yes": True, "true": True, "1": True, "no": False, "false": False, "0": False}


def _yes_no(value: str) -> bool | str | None:
    """A yes/no cell: True, False, None (empty), or "bad"."""
    value = value.strip().lower()
    if not value:
        return None
    return _YES.get(value, "bad")


def _row_job(number: int, row: int, header: list[str], cells: list[str]) -> Job:
    label = f"row {row}"
    if len(cells) > len(header):
        return Job(number, label, row=row, error=f"has {len(cells)} cells but the header "
                   f"names {len(header)} columns (a comma in a value needs quotes)")
    values = {c: cells[i].strip() for i, c in enumerate(header) if i < len(cells)}
    problems: list[str] = []
    # patient data (patient, clinician, notes, date, output): never quoted in a message
    date = None
    if values.get("date"):
        try:
            date = dt.date.fromisoformat(values["date"])
        except ValueError:
            problems.append("date: not a date like 2026-11-21")
    for column, limit in (("patient", MAX_NAME), ("clinician", MAX_NAME),
                          ("notes", MAX_NOTES)):
        if len(values.get(column, "")) > limit:
            problems.append(f"{column}: {too_long(len(values[column]), limit)}")
    paper = values.get("paper", "").lower() or None
    if paper is not None and paper not in PAPERS:
        shown = f'"{paper}" is not a paper size rxprint prints' if _PAPER_SHAPE.match(paper) \
            else "not a paper size"
        problems.append(f"paper: {shown}: use " + " or ".join(sorted(PAPERS)))
    language = values.get("language", "").lower() or None
    if language is not None and check_language(language) is not None:
        problems.append(f"language: not a language code (like es or en){_quoted(language)}")
    large_print = _yes_no(values.get("large_print", ""))
    if large_print == "bad":
        problems.append("large_print: use yes or no (or true, false, 1, 0)")
    template = values.get("template") or None
    if template is not None:
        problems.append(_id_problem("template", template, "hip-flexor-back-pain") or "")
    layout = values.get("layout") or None
    if layout is not None:
        problems.append(_id_problem("layout", layout, "compact") or "")
    exercises = tuple(i for i in re.split(r"[\s,;]+", values.get("exercises", "")) if i)
    bad = [n for n, ident in enumerate(exercises, start=1)
           if _id_problem("exercises", ident, "") is not None]
    if bad:
        problems.append(f"exercises: item {bad[0]} is not an exercise id ({_ID_FORM}, like "
                        "quad-set; separate ids with spaces, commas or semicolons)")
    if template is None and not exercises:
        problems.append("nothing to build: give a template or exercises")
    problems = [p for p in problems if p]
    if problems:
        return Job(number, label, row=row, error="; ".join(problems))
    request = ProgramRequest(
        template=template, date=date,
        clinician=values.get("clinician") or None, notes=values.get("notes") or None,
        patient_name=values.get("patient") or None,
        entries=tuple(ProgramEntry(id=i, dosage=Dosage(), field="exercises")
                      for i in exercises),
        language=language, large_print=large_print if isinstance(large_print, bool) else None)
    return Job(number, label, request=request, layout=layout, paper=paper,
               name=values.get("output", ""), row=row)


def program_file_jobs(folder: Path) -> list[Job]:
    """One job per ``*.toml`` file in ``folder`` (not its subfolders), in name order. A
    file that cannot be read fails its own job."""
    try:
        paths = sorted(p for p in folder.iterdir() if p.suffix.lower() == ".toml")
    except OSError as exc:
        raise InputError(Problem(f"cannot list the folder ({exc.strerror})",
                                 path=folder)) from None
    jobs: list[Job] = []
    for number, path in enumerate(paths, start=1):
        try:
            jobs.append(Job(number, path.name, request=read_program_file(path),
                            file=path.name))
        except RxprintError as exc:
            jobs.append(Job(number, path.name, file=path.name, error=failure_message(exc)))
    return jobs


def standard_program_jobs(app: App) -> list[Job]:
    """Every standard program (built-in and plugins') as a generic handout: no patient."""
    return [Job(number, ident, request=ProgramRequest(template=ident))
            for number, ident in enumerate(sorted(app.library.programs), start=1)]
