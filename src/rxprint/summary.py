"""The plain-text chart note of what was issued, for the clinical record."""

from __future__ import annotations

from .messages import Catalog
from .model import Program


def chart_note(program: Program, catalog: Catalog, *, file_name: str | None = None,
               pages: int | None = None) -> str:
    c = catalog
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
        lines.append("  " + c.t("summary.item", number=number, title=item.exercise.title,
                                id=item.exercise.id,
                                dosage=c.dosage(item.dosage, separator=separator)))
        if item.note:
            lines.append("     " + c.t("summary.note", note=" ".join(item.note.split())))
    if program.education:
        lines.append(c.t("summary.education",
                         titles="; ".join(s.title for s in program.education)))
    if program.notes:
        lines.append(c.t("summary.notes", notes=" ".join(program.notes.split())))
    if file_name is not None and pages is not None:
        lines.append(c.t("summary.handout", file=file_name, pages=pages))
    return "\n".join(lines)
