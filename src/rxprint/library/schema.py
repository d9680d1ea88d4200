"""The schemas of the library's files: exercise, education section, standard program.

Each ``parse_*`` function takes a parsed TOML document, checks every field (collecting all
problems) and returns the domain object, or ``None`` when there were problems.
See ``docs/schema.md`` for the formats.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rxprint.errors import Msg, Problem
from rxprint.figures.spec import Picture
from rxprint.files.fields import Fields
from rxprint.files.images import safe_relative_image
from rxprint.files.tomlfile import TomlDocument
from rxprint.library.dosage import DOSAGE_FIELDS, PARSERS, Dosage, dosage_table
from rxprint.library.model import (
    CATEGORIES,
    EducationSection,
    Exercise,
    PhaseRequest,
    ProgramEntry,
    StandardProgram,
)
from rxprint.library.pictures import parse_picture
from rxprint.library.translations import (
    EDUCATION_TEXT,
    EXERCISE_TEXT,
    PROGRAM_TEXT,
    parse_translations,
)

EXERCISE_FIELDS = ("id", "title", "category", "regions", "targets", "equipment", "position",
                   "purpose", "steps", "cues", "cautions", "sources", "dosage", "images",
                   "picture", "easier", "harder", "translations", "video")
MAX_IMAGES = 2
MAX_NOTE = 5000  # an exercise's note in a program file (and its notes: rxprint.library.programs)
EDUCATION_FIELDS = ("id", "title", "paragraphs", "bullets", "sources", "before",
                    "translations")
PROGRAM_FIELDS = ("id", "title", "description", "education", "sources", "exercises",
                  "translations", "phases")
PHASE_FIELDS = ("title", "weeks", "exercises", "omit")
MAX_PHASES = 6
MIN_PROGRAM_ENTRIES, MAX_PROGRAM_ENTRIES = 4, 8


MAX_VIDEO = 500  # characters of a video link


def parse_video(value: object) -> str:
    """A video link: https only (a printed code must not lead a patient to an unencrypted
    page), a host, no spaces; ValueError says what is wrong without quoting the value (a
    program file's link may carry a patient's details)."""
    from urllib.parse import urlsplit

    if not isinstance(value, str):
        raise ValueError(Msg("video.quotes", 'expected a link in quotes, like '
                             '"https://clinic.example/v/1"'))
    text = value.strip()
    if len(text) > MAX_VIDEO:
        raise ValueError(Msg("video.long", "a link of {n} characters; at most {most}",
                             n=len(text), most=MAX_VIDEO))
    if not text.lower().startswith("https://"):
        raise ValueError(Msg("video.https", "not an https:// link: a video link must start "
                             "with https:// (http and other kinds are refused)"))
    parts = urlsplit(text)
    if not parts.hostname or any(c.isspace() or not c.isprintable() for c in text):
        raise ValueError(Msg("video.whole", "not a whole link: it needs a host after "
                             "https:// and no spaces (write a space as %20)"))
    return text


def parse_dosage(f: Fields) -> Dosage:
    """The dosage fields of a table (unknown keys are reported by the caller)."""
    values = {name: f.parsed(name, PARSERS[name]) for name in DOSAGE_FIELDS}
    return Dosage(**values)


def check_file_id(doc: TomlDocument, f: Fields, ident: str | None) -> None:
    if ident is not None and doc.path.suffix == ".toml" and doc.path.stem != ident:
        f.error("id", f'id "{ident}" does not match the file name "{doc.path.name}": '
                      f'rename the file to "{ident}.toml" or change the id')


def parse_exercise(doc: TomlDocument, problems: list[Problem]) -> Exercise | None:
    start = len(problems)
    f = Fields(doc, doc.data, problems)
    f.only(EXERCISE_FIELDS)
    ident = f.slug("id")
    check_file_id(doc, f, ident)
    title = f.text("title", min_len=3, max_len=70)
    category = f.choice("category", CATEGORIES)
    regions = f.text_list("regions", min_items=1, max_items=8, max_len=40)
    targets = f.text_list("targets", min_items=1, max_items=8, max_len=60)
    equipment = f.text_list("equipment", max_items=8, max_len=40)
    position = f.text("position", max_len=120)
    purpose = f.text("purpose", max_len=400)
    steps = f.text_list("steps", min_items=2, max_items=10, max_len=300)
    cues = f.text_list("cues", required=False, max_items=6, max_len=200)
    cautions = f.text_list("cautions", min_items=1, max_items=6, max_len=250)
    sources = f.text_list("sources", min_items=1, max_items=10, max_len=120)
    images: tuple[Path, ...] = ()
    names = f.text_list("images", required=False, max_items=MAX_IMAGES, max_len=200)
    if names:
        found = []
        for i, name in enumerate(names, start=1):
            try:
                found.append(safe_relative_image(doc.path.parent, name))
            except ValueError as exc:
                f.error(f"images[{i}]", str(exc))
        images = tuple(found)
    easier = f.slug("easier", required=False)
    harder = f.slug("harder", required=False)
    for key, other in (("easier", easier), ("harder", harder)):
        if other is not None and other == ident:
            f.error(key, f'"{other}" is this exercise itself: name another exercise, or '
                         f"leave {key} out")
    if easier is not None and easier == harder and easier != ident:
        f.error("harder", f'"{harder}" is named as both easier and harder: an exercise '
                          "cannot be both; fix one of them")
    picture: Picture | None = None
    pic = f.table_of("picture")
    if pic is not None:
        picture = parse_picture(pic)
    dosage = Dosage()
    d = f.table_of("dosage", required=True)
    if d is not None:
        d.only(DOSAGE_FIELDS)
        dosage = parse_dosage(d)
        if dosage.is_empty():
            d.error(None, "the default dosage sets nothing: give at least one of "
                          + ", ".join(DOSAGE_FIELDS))
    translations = parse_translations(f, EXERCISE_TEXT)
    video = f.parsed("video", parse_video)
    if len(problems) > start:
        return None
    assert ident and title and category and regions and targets and position and purpose
    assert steps and cautions and sources and equipment is not None and cues is not None
    return Exercise(id=ident, title=title, category=category, regions=regions,
                    targets=targets, equipment=equipment, position=position,
                    purpose=purpose, steps=steps, cues=cues, cautions=cautions,
                    sources=sources, dosage=dosage, path=doc.path, images=images,
                    picture=picture, easier=easier, harder=harder,
                    translations=translations, video=video)


def parse_education(doc: TomlDocument, problems: list[Problem]) -> EducationSection | None:
    start = len(problems)
    f = Fields(doc, doc.data, problems)
    f.only(EDUCATION_FIELDS)
    ident = f.slug("id")
    check_file_id(doc, f, ident)
    title = f.text("title", min_len=3, max_len=70)
    paragraphs = f.text_list("paragraphs", min_items=1, max_items=4, max_len=700)
    bullets = f.text_list("bullets", required=False, max_items=8, max_len=250)
    sources = f.text_list("sources", min_items=1, max_items=10, max_len=120)
    before = f.choice("before", CATEGORIES, required=False)
    translations = parse_translations(f, EDUCATION_TEXT)
    if len(problems) > start:
        return None
    assert ident and title and paragraphs and sources and bullets is not None
    return EducationSection(id=ident, title=title, paragraphs=paragraphs, bullets=bullets,
                            sources=sources, path=doc.path, before=before,
                            translations=translations)


def parse_entries(f: Fields, *, allow_note: bool) -> tuple[ProgramEntry, ...] | None:
    """The ``[[exercises]]`` entries of a program; each id at most once."""
    tables = f.tables("exercises")
    if tables is None:
        return None
    allowed = ("id", *DOSAGE_FIELDS, *(("note",) if allow_note else ()), "video")
    entries: list[ProgramEntry] = []
    seen: dict[str, str] = {}
    for t in tables:
        t.only(allowed)
        ident = t.slug("id")
        dosage = parse_dosage(t)
        note = (t.text("note", required=False, max_len=MAX_NOTE, sensitive=True)
                if allow_note else None)
        video = t.parsed("video", parse_video)
        if ident is None:
            continue
        if ident in seen:
            t.error("id", Msg("entry.twice", '"{id}" is listed twice (first at {first}): '
                              "merge the two entries", id=ident, first=seen[ident]))
            continue
        seen[ident] = t.prefix
        entries.append(ProgramEntry(id=ident, dosage=dosage, note=note, field=t.prefix,
                                    video=video))
    return tuple(entries)


def parse_phases(f: Fields, *, allow_note: bool) -> tuple[PhaseRequest, ...]:
    """The ``[[phases]]`` tables: each a title, its weeks, and ``[[phases.exercises]]``
    entries (an exercise added, or its dosage changed) and ``omit`` (exercises stopped).
    A phase with a wrong title or weeks is kept (the problem is recorded), so that its
    exercises are checked too and every problem is reported at once."""
    tables = f.tables("phases") or []
    if len(tables) > MAX_PHASES:
        f.error("phases", f"has {len(tables)} phases, at most {MAX_PHASES}")
        return ()
    found: list[PhaseRequest] = []
    for t in tables:
        t.only(PHASE_FIELDS)
        title = t.text("title", max_len=80)
        weeks = t.number("weeks", 1, 52, required=True)
        if weeks is not None and weeks != int(weeks):
            t.error("weeks", Msg("phase.weeks", "a whole number of weeks, like 2"))
            weeks = None
        entries = parse_entries(t, allow_note=allow_note) or ()
        omit = t.slug_list("omit") or ()
        found.append(PhaseRequest(title=title or "", weeks=int(weeks or 1), entries=entries,
                                  omit=omit, field=t.prefix))
    return tuple(found)


def parse_program(doc: TomlDocument, problems: list[Problem]) -> StandardProgram | None:
    start = len(problems)
    f = Fields(doc, doc.data, problems)
    f.only(PROGRAM_FIELDS)
    ident = f.slug("id")
    check_file_id(doc, f, ident)
    title = f.text("title", min_len=3, max_len=70)
    description = f.text("description", max_len=400)
    education = f.slug_list("education")
    sources = f.text_list("sources", min_items=1, max_items=10, max_len=120)
    entries = parse_entries(f, allow_note=False)
    if entries is not None and not MIN_PROGRAM_ENTRIES <= len(entries) <= MAX_PROGRAM_ENTRIES:
        f.error("exercises", f"a standard program has {MIN_PROGRAM_ENTRIES} to "
                             f"{MAX_PROGRAM_ENTRIES} exercises, this one has {len(entries)}")
    translations = parse_translations(f, PROGRAM_TEXT)
    phases = parse_phases(f, allow_note=False)
    if len(problems) > start:
        return None
    assert ident and title and description and sources
    assert entries is not None and education is not None
    return StandardProgram(id=ident, title=title, description=description, entries=entries,
                           education=education, sources=sources, path=doc.path,
                           translations=translations, phases=phases)


def to_table(item: Exercise | EducationSection | StandardProgram) -> dict[str, Any]:
    """An entry back in its file form, so objects from plugins pass the file checks."""
    if isinstance(item, Exercise):
        return {"id": item.id, "title": item.title, "category": item.category,
                "regions": list(item.regions), "targets": list(item.targets),
                "equipment": list(item.equipment), "position": item.position,
                "purpose": item.purpose, "steps": list(item.steps), "cues": list(item.cues),
                "cautions": list(item.cautions), "sources": list(item.sources),
                "dosage": dosage_table(item.dosage),
                **{key: value for key, value in (("easier", item.easier),
                                                 ("harder", item.harder),
                                                 ("video", item.video))
                   if value is not None}}
    if isinstance(item, EducationSection):
        return {"id": item.id, "title": item.title, "paragraphs": list(item.paragraphs),
                "bullets": list(item.bullets), "sources": list(item.sources)}
    return {"id": item.id, "title": item.title, "description": item.description,
            "education": list(item.education), "sources": list(item.sources),
            "exercises": [{"id": e.id, **dosage_table(e.dosage)} for e in item.entries]}
