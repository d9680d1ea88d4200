"""Checking the objects plugins register (exercises, education sections, standard
programs) with the checks their files get.

An object is turned into its file form, field by field and without losing anything
(``picture`` as a ``[picture]`` table, every entry's note), and that table goes through
the same ``parse_*`` functions as a TOML file, so a registered object is accepted exactly
when the same file would be. Wrong types (a ``str`` where a tuple is expected, a
``dict`` instead of a ``Dosage``) reach the checker as they are and are reported, never
coerced. ``images`` cannot be checked like a file's (an object has no folder): they must
be absolute paths of existing regular PNG or JPEG files, not symbolic links.
Problems name the plugin, the object's kind and id, and the field.
"""

from __future__ import annotations

import stat
from dataclasses import fields, is_dataclass, replace
from pathlib import Path
from typing import Any, Literal

from rxprint.errors import Problem, describe
from rxprint.figures.props import PropSpec
from rxprint.figures.spec import CueSpec, FrameSpec, Picture
from rxprint.files.tomlfile import LineIndex, TomlDocument
from rxprint.library.dosage import Dosage, dosage_table
from rxprint.library.model import (
    EducationSection,
    Exercise,
    PhaseRequest,
    ProgramEntry,
    StandardProgram,
    Translation,
)
from rxprint.library.schema import MAX_IMAGES, parse_education, parse_exercise, parse_program

Kind = Literal["exercise", "education", "program"]
Entry = Exercise | EducationSection | StandardProgram
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg")
_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff")


def _seq(value: object) -> object:
    """A tuple or list as a list (the file form); anything else as it is, to be reported."""
    return list(value) if isinstance(value, tuple | list) else value


def _frame_table(frame: object) -> object:
    if not isinstance(frame, FrameSpec):
        return frame
    table: dict[str, Any] = {"posture": frame.posture}
    if frame.mark is not None:
        table["mark"] = frame.mark
    if frame.targets is not None:
        table["targets"] = _seq(frame.targets)
    for joint in frame.joints:
        if not (isinstance(joint, tuple) and len(joint) == 2 and isinstance(joint[0], str)):
            raise ValueError(f"frame joint {describe(joint)} is not a (name, degrees) pair")
        name, value = joint
        side, dot, side_joint = name.partition(".")
        if dot:
            table.setdefault(side, {})[side_joint] = value
        else:
            table[name] = value
    return table


def _prop_table(prop: object) -> object:
    if not isinstance(prop, PropSpec):
        return prop
    table: dict[str, Any] = {"kind": prop.kind}
    if prop.at is not None:
        table["at"] = prop.at
    if prop.to is not None:
        table["to"] = prop.to
    return table


def _cue_table(cue: object) -> object:
    if not isinstance(cue, CueSpec):
        return cue
    table: dict[str, Any] = {"at": cue.at, "direction": cue.direction, "place": cue.place,
                             "both": cue.both}
    if cue.frame:
        table["frame"] = cue.frame
    if cue.about is not None:
        table["about"] = cue.about
    return table


def _items(value: object, convert: Any) -> object:
    return [convert(v) for v in value] if isinstance(value, tuple | list) else value


def picture_table(picture: Picture) -> dict[str, Any]:
    """A :class:`Picture` as its ``[picture]`` table (parses back to an equal Picture)."""
    table: dict[str, Any] = {"view": picture.view, "tilt": picture.tilt,
                             "flip": picture.flip, "overlay": picture.overlay,
                             "still": picture.still,
                             "frames": _items(picture.frames, _frame_table)}
    if picture.targets:
        table["targets"] = _seq(picture.targets)
    if picture.arrow is not None:
        table["arrow"] = picture.arrow
    if picture.props:
        table["props"] = _items(picture.props, _prop_table)
    if picture.cues:
        table["cues"] = _items(picture.cues, _cue_table)
    return table


def _dosage(value: object) -> object:
    return dosage_table(value) if isinstance(value, Dosage) else value


def _entry_table(entry: object) -> object:
    if not isinstance(entry, ProgramEntry):
        return entry
    table: dict[str, Any] = {"id": entry.id}
    dosage = _dosage(entry.dosage)
    if isinstance(dosage, dict):
        table.update(dosage)
    else:
        table["dosage"] = dosage  # not a field of an entry: reported as unknown
    if entry.note is not None:
        table["note"] = entry.note  # standard programs have no notes: reported
    if entry.video is not None:
        table["video"] = entry.video
    return table


def _translations_table(value: object) -> object:
    """``translations`` as its ``[translations.LANG]`` tables (anything but a sequence of
    Translation objects as it is, to be reported)."""
    if not isinstance(value, tuple | list) or not all(isinstance(t, Translation)
                                                      for t in value):
        return value
    tables: dict[str, Any] = {}
    for t in value:
        table: dict[str, Any] = {name: _seq(text) for name, text in t.text}
        if t.source is not None:
            table["source"] = t.source
        tables[t.language] = table
    return tables


def _phase_table(phase: object) -> object:
    if not isinstance(phase, PhaseRequest):
        return phase
    table: dict[str, Any] = {"title": phase.title, "weeks": phase.weeks,
                             "exercises": _items(phase.entries, _entry_table)}
    if phase.omit:
        table["omit"] = list(phase.omit)
    return table


def object_table(item: Entry) -> dict[str, Any]:
    """Every field of ``item`` but ``images`` and ``path`` in its file form."""
    skip = {"path", "images", "picture", "dosage", "entries", "translations", "phases"}
    assert is_dataclass(item)
    table: dict[str, Any] = {f.name: _seq(getattr(item, f.name)) for f in fields(item)
                             if f.name not in skip}
    for optional in ("easier", "harder"):  # None: not written in the file
        if optional in table and table[optional] is None:
            del table[optional]
    if isinstance(item, Exercise):
        table["dosage"] = _dosage(item.dosage)
        if item.picture is not None:
            table["picture"] = (picture_table(item.picture) if isinstance(item.picture, Picture)
                                else item.picture)
    if isinstance(item, StandardProgram):
        table["exercises"] = _items(item.entries, _entry_table)
        if item.phases:
            table["phases"] = _items(item.phases, _phase_table)
    translations = getattr(item, "translations", ())
    if translations:
        table["translations"] = _translations_table(translations)
    return table


def _image_problem(value: object) -> str | None:
    """Why ``value`` is not an acceptable image of an exercise object, or None."""
    if not isinstance(value, Path | str):
        return f"expected a pathlib.Path, got {describe(value)}"
    path = Path(value)
    if not path.is_absolute() or ".." in path.parts:
        return (f"{describe(str(path))} must be an absolute path without .. (an exercise "
                "object has no folder to be relative to): use Path(__file__).parent / ...")
    if path.suffix.lower() not in IMAGE_SUFFIXES:
        return f"{describe(str(path))}: only .png, .jpg and .jpeg images are accepted"
    try:
        info = path.lstat()
    except FileNotFoundError:
        return f"{describe(str(path))}: image file not found"
    except OSError as exc:
        return f"{describe(str(path))}: cannot read it ({exc.strerror})"
    if stat.S_ISLNK(info.st_mode):
        return f"{describe(str(path))} is a symbolic link: give the file it points to"
    if not stat.S_ISREG(info.st_mode):
        return f"{describe(str(path))} is not a regular file"
    try:
        with path.open("rb") as handle:
            head = handle.read(8)
    except OSError as exc:
        return f"{describe(str(path))}: cannot read it ({exc.strerror})"
    if not any(head.startswith(magic) for magic in _MAGIC):
        return f"{describe(str(path))} is not a PNG or JPEG file"
    return None


def _check_images(doc: TomlDocument, images: object,
                  problems: list[Problem]) -> tuple[Path, ...]:
    if not isinstance(images, tuple | list):
        problems.append(doc.problem("images", "expected a tuple of pathlib.Path, got "
                                              + describe(images)))
        return ()
    if len(images) > MAX_IMAGES:
        problems.append(doc.problem("images", f"has {len(images)} entries, at most "
                                              f"{MAX_IMAGES}"))
    checked: list[Path] = []
    for i, value in enumerate(images, start=1):
        problem = _image_problem(value)
        if problem is not None:
            problems.append(doc.problem(f"images[{i}]", problem))
        else:
            checked.append(Path(str(value)))
    return tuple(checked)


def check_object(item: Entry, kind: Kind, origin: str,
                 problems: list[Problem]) -> Entry | None:
    """``item`` checked as its file would be, or None (with problems added).

    ``origin`` names the plugin and hook (``"clinic 1.0 (register_exercises)"``). The
    object returned is the checked one; its ``path`` names the plugin and the object
    (there is no file), so later messages about it (a duplicate id) say where it came
    from.
    """
    where = Path(f"<plugin {origin}: {kind} {describe(getattr(item, 'id', None))}>")
    start = len(problems)
    images: tuple[Path, ...] = ()
    checked: Entry | None
    doc = TomlDocument(path=where, data={}, index=LineIndex())
    try:
        doc = TomlDocument(path=where, data=object_table(item), index=LineIndex())
        if kind == "exercise":
            assert isinstance(item, Exercise)
            checked = parse_exercise(doc, problems)
            images = _check_images(doc, item.images, problems)
        elif kind == "education":
            checked = parse_education(doc, problems)
        else:
            checked = parse_program(doc, problems)
    except ValueError as exc:  # an object too malformed to turn into a table
        problems.append(doc.problem(None, str(exc)))
        return None
    if checked is None or len(problems) > start:
        return None
    if isinstance(checked, Exercise):
        return replace(checked, images=images)
    return checked
