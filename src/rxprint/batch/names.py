"""File names for a batch's handouts: from a name template, safe on every file system,
and never two rows' handouts in one file."""

from __future__ import annotations

import datetime as dt
import re
import string
import unicodedata
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from rxprint.batch.jobs import Job
from rxprint.files.textsafety import clean_text

NAME_FIELDS = ("patient", "template", "date", "row", "file")
DEFAULT_NAMES = {"roster": "{row}-{template}", "files": "{file}", "programs": "{template}"}
MAX_NAME_BYTES = 150  # of the file name's stem; every file system allows 255
CLASH_SHOWN = 3  # rows a clash message names; the rest are counted

_UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]')
_RESERVED = {"con", "prn", "aux", "nul", "conin$", "conout$",
             *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10)),
             *(f"com{c}" for c in "¹²³"), *(f"lpt{c}" for c in "¹²³")}


def safe_name(text: str) -> str:
    """``text`` as a file name's stem that is safe on every file system: no folder
    separators or characters Windows forbids, no control or invisible characters (format
    characters, fillers such as U+3164, variation selectors: what the handout drops too),
    no leading or trailing dots and spaces, not a Windows device name (CON, NUL, COM1...),
    at most :data:`MAX_NAME_BYTES` bytes. Empty when nothing usable is left."""
    text = clean_text(text)  # NFC; control and invisible characters dropped
    text = "".join(" " if unicodedata.category(c) in ("Zs", "Zl", "Zp") else c for c in text)
    text = _UNSAFE.sub("-", text)
    text = " ".join(text.split())
    text = text.strip(" .-")
    encoded = text.encode()
    if len(encoded) > MAX_NAME_BYTES:
        text = encoded[:MAX_NAME_BYTES].decode(errors="ignore").rstrip(" .-")
    if text.split(".")[0].strip().casefold() in _RESERVED:
        text = "_" + text
    return text


def check_name_template(template: str) -> None:
    """A name template uses only ``{patient}``, ``{template}``, ``{date}``, ``{row}`` and
    ``{file}``; anything else is a ValueError saying which."""
    try:
        parts = list(string.Formatter().parse(template))
    except ValueError as exc:
        raise ValueError(f"{template!r} is not a name template ({exc}); use fields like "
                         "{row}-{template}") from None
    for _, name, spec, conversion in parts:
        if name is None:
            continue
        if name not in NAME_FIELDS:
            raise ValueError(f"unknown field {{{name}}} in the name template; use "
                             + ", ".join(f"{{{n}}}" for n in NAME_FIELDS))
        if spec or conversion:
            raise ValueError(f"{{{name}}}: formats and conversions are not supported")


def output_name(template: str, job: Job, today: dt.date) -> tuple[str, bool]:
    """The file name ``template`` gives ``job`` (always ending in .pdf), and whether it may
    be reported (False when it is made from the patient's name)."""
    request = job.request
    values = {
        "patient": request.patient_name or "",
        "template": request.template or "program",
        "date": (request.date or today).isoformat(),
        "row": f"{job.row:04d}" if job.row is not None else f"{job.number:04d}",
        "file": Path(job.file).stem if job.file else "",
    }
    uses_patient = any(name == "patient" for _, name, _, _ in string.Formatter().parse(template))
    stem = template.format(**{k: safe_name(v) for k, v in values.items()})
    if stem.lower().endswith(".pdf"):
        stem = stem[:-4]
    stem = safe_name(stem)
    if not stem:  # an empty patient name and a template of {patient} only, say
        stem = safe_name(job.label) or f"{job.number:04d}"
    return stem + ".pdf", not uses_patient


def _clash_key(name: str) -> str:
    """Names that one file system or another takes for the same file: case and Unicode
    form ignored."""
    return unicodedata.normalize("NFC", name).casefold()


def _listed(labels: Sequence[str]) -> str:
    shown = ", ".join(labels[:CLASH_SHOWN])
    rest = len(labels) - CLASH_SHOWN
    return shown + (f" and {rest:,} more row{'s' if rest != 1 else ''}" if rest > 0 else "")


def assign_names(jobs: Sequence[Job], template: str, today: dt.date) -> list[Job]:
    """Give every job its file name. Jobs whose names clash (the same file, also where a
    file system ignores case or Unicode form) all fail: the first of each group names a
    few of the others and counts the rest, the others point to it (so messages grow with
    the rows, not their square)."""
    named: list[Job] = []
    for job in jobs:
        if job.error is not None:
            named.append(job)
        elif job.name:  # a roster's output column
            stem = safe_name(job.name[:-4] if job.name.lower().endswith(".pdf") else job.name)
            named.append(replace(job, name=(stem or safe_name(job.label)) + ".pdf",
                                 show_name=False))
        else:
            name, show = output_name(template, job, today)
            named.append(replace(job, name=name, show_name=show))
    groups: dict[str, list[int]] = {}
    for i, job in enumerate(named):
        if job.error is None:
            groups.setdefault(_clash_key(job.name), []).append(i)
    for indices in groups.values():
        if len(indices) < 2:
            continue
        first = named[indices[0]]
        others = [named[j].label for j in indices[1:]]
        named[indices[0]] = replace(first, error=(
            f"its output file would be the same as that of {_listed(others)}: a batch never "
            "overwrites its own handouts; give the rows different names (an output column, "
            "or --name with {row})"))
        for j in indices[1:]:
            named[j] = replace(named[j], error=(
                f"its output file would be the same as that of {first.label} (see there)"))
    return named
