"""The domain objects: exercises, education sections, programs. Plain frozen data."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from rxprint.errors import Problem
from rxprint.library.dosage import Dosage

CATEGORIES = ("stretch", "mobility", "strengthening", "self-massage", "posture")

if TYPE_CHECKING:  # the drawing is data here; only rendering imports the figures
    from rxprint.figures.spec import Picture

#: A translated text: one text, or a list of texts (steps, paragraphs).
TranslatedText = str | tuple[str, ...]


@dataclass(frozen=True)
class Translation:
    """One language's text for an exercise, education section or standard program: the
    ``[translations.LANG]`` table of its file.

    ``text`` pairs each translated field with its text (``("title", "Puente")``,
    ``("steps", ("...", "..."))``); a field left out prints in English (with a warning).
    ``source`` is the fingerprint of the English text the translation was made from
    (:func:`rxprint.library.translations.english_fingerprint`): when the English changes,
    ``rxprint validate`` reports the translation as stale. None: never stamped.
    """

    language: str
    text: tuple[tuple[str, TranslatedText], ...]
    source: str | None = None

    def get(self, field: str) -> TranslatedText | None:
        return next((value for name, value in self.text if name == field), None)


@dataclass(frozen=True)
class Exercise:
    id: str
    title: str
    category: str
    regions: tuple[str, ...]
    targets: tuple[str, ...]
    equipment: tuple[str, ...]
    position: str
    purpose: str
    steps: tuple[str, ...]
    cues: tuple[str, ...]
    cautions: tuple[str, ...]
    sources: tuple[str, ...]
    dosage: Dosage
    path: Path | None = None
    images: tuple[Path, ...] = ()  # checked, absolute paths of photos or pictures
    picture: Picture | None = None  # a line drawing described by poses
    easier: str | None = None  # the id of the next easier exercise (a regression)
    harder: str | None = None  # the id of the next harder exercise (a progression)
    translations: tuple[Translation, ...] = ()  # other languages' text, by language
    video: str | None = None  # an https:// link to a video of it (printed as a QR code)


@dataclass(frozen=True)
class EducationSection:
    id: str
    title: str
    paragraphs: tuple[str, ...]
    bullets: tuple[str, ...]
    sources: tuple[str, ...]
    path: Path | None = None
    # a category ("stretch"): the section prints just before the handout's first exercise
    # of it (how to stretch, before the first stretch); None: with the other sections
    before: str | None = None
    translations: tuple[Translation, ...] = ()


@dataclass(frozen=True)
class ProgramEntry:
    """One exercise of a standard program or program file, before resolution."""

    id: str
    dosage: Dosage
    note: str | None = None
    field: str = ""  # where it was written, e.g. "exercises[2]"
    video: str | None = None  # a video link for this patient (over the exercise's own)


@dataclass(frozen=True)
class StandardProgram:
    id: str
    title: str
    description: str
    entries: tuple[ProgramEntry, ...]
    education: tuple[str, ...]
    sources: tuple[str, ...]
    path: Path | None = None
    translations: tuple[Translation, ...] = ()
    phases: tuple[PhaseRequest, ...] = ()  # its stages (a program file's replace them)

    @property
    def phase_titles(self) -> tuple[str, ...]:
        """Its phases' titles (library text: a translation gives them too)."""
        return tuple(phase.title for phase in self.phases)


@dataclass(frozen=True)
class PhaseRequest:
    """One ``[[phases]]`` table of a program file, before resolution: the exercises it
    adds or changes the dosage of, and those it stops (``omit``)."""

    title: str
    weeks: int
    entries: tuple[ProgramEntry, ...] = ()
    omit: tuple[str, ...] = ()
    field: str = ""  # where it was written, e.g. "phases[2]"


@dataclass(frozen=True)
class Phase:
    """One stage of a resolved program ("Weeks 1-2: gentle start"): how many weeks it
    lasts and each of its exercises with its dosage in it, in the handout's order."""

    title: str
    weeks: int
    doses: tuple[tuple[str, Dosage], ...]  # (exercise id, its dosage in this phase)

    def dosage_of(self, exercise_id: str) -> Dosage | None:
        return next((d for ident, d in self.doses if ident == exercise_id), None)


@dataclass(frozen=True)
class ProgramRequest:
    """What a therapist asked for: a program file and/or CLI flags, not yet resolved.

    ``problems``: what is wrong in the program file. The request keeps every value that
    passed its checks, so that resolving it reports these together with unknown ids, all
    in one list.
    """

    template: str | None = None
    date: dt.date | None = None
    clinician: str | None = None
    notes: str | None = None
    title: str | None = None
    patient_name: str | None = None
    entries: tuple[ProgramEntry, ...] = ()
    omit: tuple[str, ...] = ()
    education: tuple[str, ...] = ()
    path: Path | None = None
    template_from_flag: bool = False
    problems: tuple[Problem, ...] = ()
    language: str | None = None  # the handout's language (None: the configuration's)
    large_print: bool | None = None  # None: the configuration's
    log: bool | None = None  # the adherence log page; None: the configuration's (on)
    # how to print it (a flag's value comes first, then these, then the configuration's)
    branding: str | None = None
    layout: str | None = None
    paper: str | None = None
    pictures: bool | None = None
    phases: tuple[PhaseRequest, ...] = ()


@dataclass(frozen=True)
class Item:
    """One exercise of a resolved program: the exercise, its final dosage, a note, and the
    exercises its ``easier`` and ``harder`` ids name (for "Too hard? Try: ...")."""

    exercise: Exercise
    dosage: Dosage
    note: str | None = None
    easier: Exercise | None = None  # the exercise ``exercise.easier`` names, looked up
    harder: Exercise | None = None  # the exercise ``exercise.harder`` names, looked up
    # the video link the handout prints as a QR code: the program entry's, else a
    # plugin's for this exercise (register_videos), else the exercise's own; None: none
    video: str | None = None


@dataclass(frozen=True)
class Program:
    """A resolved program: everything the handout needs, nothing left to look up."""

    date: dt.date
    items: tuple[Item, ...]
    education: tuple[EducationSection, ...] = ()
    patient_name: str | None = None
    clinician: str | None = None
    notes: str | None = None
    title: str | None = None
    template: StandardProgram | None = None
    # how it prints: the handout's language (its library text is translated when it is
    # rendered: rxprint.library.translations.localize_program) and large print
    language: str = "en"
    large_print: bool = False
    log: bool = True  # the adherence log page after the handout
    # the program's stages, in order (an exercise's dosage in each); () for none: then
    # every item's dosage is the program's. ``items`` is every exercise of any phase,
    # each once, in the order they first appear, with its first phase's dosage.
    phases: tuple[Phase, ...] = ()
