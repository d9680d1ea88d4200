"""The plain-text chart note of what was issued, for the clinical record."""

from __future__ import annotations

from dataclasses import replace

from rxprint.files.textsafety import one_line
from rxprint.language.messages import Catalog
from rxprint.library.model import Program


def chart_note(program: Program, catalog: Catalog, *, file_name: str | None = None,
               pages: int | None = None) -> str:
    """The chart note, one fact a line. Every text from the program (which a plugin may
    have changed) is put on one line and cleaned of control, bidi and invisible
    characters: a name cannot start a line of its own or send codes to the terminal."""
    c = catalog
    program = _cleaned(program)
    lines = [c.t("summary.heading", date=program.date.isoformat())]
    lines.append(c.t("summary.patient", name=program.patient_name) if program.patient_name
                 else c.t("summary.no_patient"))
    if program.clinician:
        lines.append(c.t("summary.clinician", name=program.clinician))
    if program.template is not None:
        lines.append(c.t("summary.program", title=program.template.title,
                         id=program.template.id))
    lines.append(c.t("summary.exercises"))
    separator = c.t("summary.separator")
    for number, item in enumerate(program.items, start=1):
        if program.phases:  # the dosages are in each phase's list, below
            lines.append("  " + c.t("summary.item_phased", number=number,
                                    title=item.exercise.title, id=item.exercise.id))
        else:
            lines.append("  " + c.t("summary.item", number=number, title=item.exercise.title,
                                    id=item.exercise.id,
                                    dosage=c.dosage(item.dosage, separator=separator)))
        if item.note:
            lines.append("     " + c.t("summary.note", note=one_line(item.note)))
    numbers = {item.exercise.id: n for n, item in enumerate(program.items, start=1)}
    for phase in program.phases:  # each phase's exercises and dosages
        lines.append(c.t("summary.phase", title=one_line(phase.title),
                         weeks=c.n("handout.weeks", phase.weeks)))
        for ident, dosage in phase.doses:
            lines.append("  " + c.t("summary.phase_item", number=numbers[ident], id=ident,
                                    dosage=c.dosage(dosage, separator=separator)))
    if program.education:
        lines.append(c.t("summary.education",
                         titles="; ".join(s.title for s in program.education)))
    if program.notes:
        lines.append(c.t("summary.notes", notes=one_line(program.notes)))
    if file_name is not None and pages is not None:
        lines.append(c.n("summary.handout", pages, file=one_line(file_name)))
    return "\n".join(lines)


def _cleaned(program: Program) -> Program:
    def line(text: str | None) -> str | None:
        return (one_line(text) or None) if text is not None else None

    return replace(program, patient_name=line(program.patient_name),
                   clinician=line(program.clinician))
