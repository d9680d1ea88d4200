"""The message catalog: every user-facing word of the handout, and how dosage and dates
are said. Catalogs are TOML files, one per language: rxprint's own in
``rxprint/language/locales/`` (English and Spanish), a plugin's wherever it registers
them (``register_languages``). Each is loaded once per process.

Plural forms and dates come from Babel (the CLDR rules and month names of every
language), except in English, whose catalog spells its two plural forms and months out
(the same words, tested; English handouts then need not import Babel). A catalog that
lacks messages gets the English ones, and says which (:attr:`Catalog.missing`).
"""

from __future__ import annotations

import datetime as dt
import functools
import string
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rxprint.errors import Problem, RxprintError
from rxprint.library.dosage import Dosage, Frequency, Period, Reps, Side, side_contradicted

LOCALES = Path(__file__).with_name("locales")  # rxprint's own catalogs, in the package
#: The languages rxprint ships, with their catalogs and library translations.
SHIPPED = ("en", "es")
# messages a catalog need not have: how dates are said (Babel's, unless spelt out)
_OPTIONAL = ("dates", "language", "name", "dosage.switch_pattern", "interface")


@dataclass(frozen=True)
class Catalog:
    """The messages of one language. ``missing``: the messages this language's file
    lacks, filled in from English."""

    language: str
    data: dict[str, Any]
    missing: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        """The language's own name ("Español")."""
        return str(self.data.get("name", self.language))

    def _lookup(self, key: str) -> Any:
        node: Any = self.data
        for part in key.split("."):
            if not isinstance(node, dict) or part not in node:
                raise KeyError(f"message {key!r} is missing from the {self.language} catalog")
            node = node[part]
        return node

    def t(self, key: str, **values: object) -> str:
        """The message ``key`` with its placeholders filled."""
        text = self._lookup(key)
        if not isinstance(text, str):
            raise KeyError(f"message {key!r} is not a plain text")
        return text.format(**values) if values else text

    def n(self, key: str, count: int, **values: object) -> str:
        """A plural message: the form that fits ``count`` by the language's plural rules
        (exposed as ``{n}``); "other" when the catalog lacks that form."""
        forms = self._lookup(key)
        form = forms.get(plural_form(self.language, count)) or forms["other"]
        return str(form).format(n=count, **values)

    def items(self, key: str) -> list[str]:
        value = self._lookup(key)
        if not isinstance(value, list):
            raise KeyError(f"message {key!r} is not a list")
        return [str(v) for v in value]

    # -- how things are said -------------------------------------------------------------

    def date(self, day: dt.date) -> str:
        """The date in words ("November 21, 2026", "21 de noviembre de 2026")."""
        if "dates" not in self.data:
            from babel.dates import format_date

            return str(format_date(day, format="long", locale=self.language))
        month = self.items("dates.months")[day.month - 1]
        return self.t("dates.format", month=month, day=day.day, year=day.year)

    def weekday(self, day: dt.date) -> str:
        """The day of the week, abbreviated ("Mon", "lun")."""
        if "dates" not in self.data:
            from babel.dates import format_date

            return str(format_date(day, "EEE", locale=self.language))
        return self.items("dates.weekdays")[day.weekday()]

    def time(self, seconds: int) -> str:
        minutes, secs = divmod(seconds, 60)
        if minutes and secs:
            return self.t("dosage.time_join", minutes=self.n("dosage.minutes", minutes),
                          seconds=self.n("dosage.seconds", secs))
        if minutes:
            return self.n("dosage.minutes", minutes)
        return self.n("dosage.seconds", secs)

    def _reps(self, reps: Reps, form: str) -> str:
        """Repetitions as said after "N sets of" (form "") or on their own ("alone",
        "after_hold")."""
        if reps.is_range:
            key = f"dosage.rep_range_{form}" if form else "dosage.rep_range"
            return self.t(key, low=reps.low, high=reps.high)
        return self.n(f"dosage.reps_{form}", reps.low) if form else str(reps.low)

    def frequency(self, f: Frequency) -> str:
        if f.interval_minutes is not None:
            hours, minutes = divmod(f.interval_minutes, 60)
            if not minutes:  # "every 2 hours", never "every 120 minutes"
                return self.n("dosage.every_hours", hours)
            return self.t("dosage.every_minutes", time=self.time(f.interval_minutes * 60))
        if f.every_other_day:
            return self.t("dosage.every_other_day")
        unit = "day" if f.period is Period.DAY else "week"
        if f.days:
            if f.times_high is not None:
                return self.t("dosage.days_range_a_week", low=f.times, high=f.times_high)
            return self.n("dosage.days_a_week", f.times)
        if f.times_high is not None:
            return self.t(f"dosage.times_range_a_{unit}", low=f.times, high=f.times_high)
        if f.times == 1:
            return self.t(f"dosage.once_a_{unit}")
        if f.times == 2:
            return self.t(f"dosage.twice_a_{unit}")
        return self.t(f"dosage.times_a_{unit}", n=f.times)

    def side(self, side: Side) -> str:
        """Which side; left or right says "only", so the patient does not do both."""
        return self.t(f"dosage.side_{side.value}")

    def side_only_note(self, d: Dosage, steps: Sequence[str]) -> str | None:
        """"Do this on your right side only.": for under the steps of an exercise whose
        steps say to switch to the other side when the dosage is for one side only; None
        when no such note is needed. The steps themselves (clinical text) stay as written."""
        pattern = self.data.get("dosage", {}).get("switch_pattern")
        side = side_contradicted(d, steps, pattern)
        return None if side is None else self.t(f"dosage.only_{side.value}_note")

    def dosage_parts(self, d: Dosage) -> list[str]:
        """The dosage in words, one phrase per aspect, in reading order."""
        parts: list[str] = []
        hold = self.t("dosage.hold", time=self.time(d.hold)) if d.hold is not None else None
        if d.sets is not None and d.reps is not None:
            parts.append(self.t("dosage.sets_of_reps", sets=self.n("dosage.sets", d.sets),
                                reps=self._reps(d.reps, "")))
        elif d.sets is not None:
            parts.append(self.n("dosage.sets", d.sets))
        elif d.reps is not None and hold is not None:
            # "hold 30 seconds · 3 times": how a stretch is usually said
            parts += [hold, self._reps(d.reps, "after_hold")]
            hold = None
        elif d.reps is not None:
            parts.append(self._reps(d.reps, "alone"))
        if hold is not None:
            parts.append(hold)
        if d.duration is not None:
            parts.append(self.t("dosage.duration", time=self.time(d.duration)))
        if d.frequency is not None:
            parts.append(self.frequency(d.frequency))
        if d.side is not None:
            parts.append(self.side(d.side))
        return parts

    def dosage(self, d: Dosage, separator: str | None = None) -> str:
        parts = self.dosage_parts(d)
        if not parts:
            return self.t("handout.as_directed")
        return (separator if separator is not None else self.t("dosage.separator")).join(parts)


def plural_form(language: str, count: int) -> str:
    """The CLDR plural category of ``count`` in ``language``: "one", "many", "other"..."""
    if language == "en":
        return "one" if count == 1 else "other"
    return str(_locale(language).plural_form(count))


@functools.cache
def _locale(language: str) -> Any:
    from babel import Locale

    return Locale.parse(language)


def english_name(language: str) -> str:
    """The language's name in English ("Spanish"), for messages in rxprint's interface
    language: an English message never carries a word of another language."""
    if language == "en":
        return "English"
    return str(_locale(language).get_display_name("en") or language)


def language_name(code: str, language: str) -> str:
    """``code``'s name in ``language`` ("inglés" for "en" in Spanish), from the CLDR data;
    the code itself where Babel does not know it (a plugin's language)."""
    if not known_to_babel(code) or not known_to_babel(language):
        return code
    return str(_locale(code).get_display_name(language) or code)


def known_to_babel(language: str) -> bool:
    """Whether Babel has the dates and plural rules of ``language``."""
    from babel import UnknownLocaleError

    try:
        _locale(language)
    except (UnknownLocaleError, ValueError):
        return False
    return True


def _keys(data: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """Every message of a catalog by its dotted key (a plural table is one message)."""
    out: dict[str, Any] = {}
    for key, value in data.items():
        dotted = f"{prefix}{key}"
        if isinstance(value, dict) and "other" not in value:
            out.update(_keys(value, dotted + "."))
        else:
            out[dotted] = value
    return out


def _optional(key: str) -> bool:
    return any(key == o or key.startswith(o + ".") for o in _OPTIONAL)


def placeholders(value: Any) -> set[str]:
    """The ``{names}`` a message (its every form) fills in; ValueError for a broken one."""
    texts = (value if isinstance(value, list) else list(value.values())
             if isinstance(value, dict) else [value])
    return {name for text in texts for _, name, _, _ in string.Formatter().parse(str(text))
            if name}


def _fits(value: Any, english: Any) -> bool:
    """Whether a message can stand for the English one: the same shape (a text, a list,
    a plural table) and the same placeholders (the code fills in the English ones)."""
    if type(value) is not type(english):
        return False
    if isinstance(value, dict) and "other" not in value:
        return False
    try:
        return placeholders(value) == placeholders(english)
    except ValueError:  # an unclosed brace
        return False


def missing_messages(data: dict[str, Any]) -> list[str]:
    """The messages of the English catalog that ``data`` lacks, or has in another shape
    (a text for a list, a plural table without "other") or with other placeholders (a
    misspelt ``{pagina}``): each prints in English."""
    english = _keys(catalog("en").data)
    theirs = _keys(data)
    return [key for key, value in english.items() if not _optional(key)
            and (key not in theirs or not _fits(theirs[key], value))]


def unknown_messages(data: dict[str, Any]) -> list[str]:
    """The keys of ``data`` the English catalog does not have (a misspelt ``titel``)."""
    english = _keys(catalog("en").data)
    return [key for key in _keys(data) if key not in english and not _optional(key)]


def _filled(data: dict[str, Any], missing: Sequence[str]) -> dict[str, Any]:
    """``data`` with the English text of each ``missing`` message."""
    english = catalog("en")
    out: dict[str, Any] = {k: (dict(v) if isinstance(v, dict) else v) for k, v in data.items()}
    for key in missing:
        node = out
        *parents, last = key.split(".")
        for part in parents:
            child = node.get(part)
            node[part] = child = dict(child) if isinstance(child, dict) else {}
            node = child
        node[last] = english._lookup(key)
    return out


@functools.cache
def load_catalog(language: str, path: Path | None = None) -> Catalog:
    """The catalog of ``language`` from ``path`` (None: rxprint's own), with English for
    the messages it lacks. Loaded once per process."""
    ref = path if path is not None else LOCALES / f"{language}.toml"
    try:
        data = tomllib.loads(ref.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise RxprintError(f'no message catalog for language "{language}"') from None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise RxprintError(f"{ref}: cannot read this message catalog: {exc}") from None
    if language == "en" and path is None:
        return Catalog(language=language, data=data)
    missing = missing_messages(data)
    return Catalog(language=language, data=_filled(data, missing) if missing else data,
                   missing=tuple(missing))


def catalog(language: str = "en") -> Catalog:
    """rxprint's own catalog for ``language`` (see :data:`SHIPPED`)."""
    return load_catalog(language)


def catalog_problems(path: Path, language: str) -> list[Problem]:
    """A plugin's message catalog checked for ``rxprint validate``, as warnings: the
    messages it lacks or gets wrong (they print in English) and the keys the English
    catalog does not have (misspelt, so never used)."""
    from rxprint.files.tomlfile import load_toml

    doc = load_toml(path, "message catalog")
    found: list[Problem] = []
    if doc.data.get("language", language) != language:
        found.append(doc.problem("language", f'says "{doc.data.get("language")}", but the '
                                             f'plugin registers it for "{language}"'))
    if "name" not in doc.data:
        found.append(doc.problem(None, 'no name = "...": the language\'s own name (as '
                                       '"Español"), shown in rxprint languages and warnings'))
    english = _keys(catalog("en").data)
    theirs = _keys(doc.data)
    for key in missing_messages(doc.data):
        names = ", ".join("{" + n + "}" for n in sorted(placeholders(english[key])))
        what = ("missing" if key not in theirs else
                f"other placeholders than the English's ({names or 'none'})"
                if type(theirs[key]) is type(english[key]) else "another kind of message")
        found.append(doc.problem(key, f"{what}: printed in English") if key in theirs
                     else doc.problem(None, f"{key}: {what}: printed in English"))
    for key in unknown_messages(doc.data):
        found.append(doc.problem(key, "not a message of the English catalog (misspelt?): "
                                      "never used"))
    return found
