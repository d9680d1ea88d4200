"""Dosage: how many, how long, how often, which side, as structured values.

Text forms are parsed here once, in the shorthand therapists chart in ("10x", "1:30",
"BID", "2-3x/day", "q2h", "L"); what comes out is numbers and enums, so the handout can
say it in plain words in any language (see :mod:`rxprint.language.messages`). The accepted forms
are listed in one table, in docs/schema.md ("Dosage fields").

A wrong value is quoted in an error only when it looks like a dosage (see
:func:`rxprint.errors.shown`): "10 rpes", not "Jane Doe" from the wrong column.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields, replace
from enum import Enum
from typing import Any

from rxprint.errors import Msg, shown
from rxprint.files.fields import one_of, suggest

MAX_SETS = 20
MAX_REPS = 100
MAX_SECONDS = 3600
MIN_INTERVAL, MAX_INTERVAL = 10, 240  # minutes: "every 10 min" to "every 4 hours"
MAX_PER_DAY, MAX_PER_WEEK = 12, 14


class Side(Enum):
    LEFT = "left"
    RIGHT = "right"
    BOTH = "both"  # both legs together
    EACH = "each"  # one side, then the other

    @property
    def one_sided(self) -> bool:
        """Left or right only: the other side is not exercised."""
        return self in (Side.LEFT, Side.RIGHT)


class Period(Enum):
    DAY = "day"
    WEEK = "week"


@dataclass(frozen=True)
class Reps:
    low: int
    high: int

    @property
    def is_range(self) -> bool:
        return self.low != self.high


@dataclass(frozen=True)
class Frequency:
    """``times`` per ``period`` (up to ``times_high`` for a range such as "2-3x/day"; on
    ``times`` days of the week when ``days``); or every other day; or every
    ``interval_minutes``."""

    times: int = 1
    period: Period = Period.DAY
    every_other_day: bool = False
    interval_minutes: int | None = None
    times_high: int | None = None  # "2-3x/day": times=2, times_high=3
    days: bool = False  # "5 days a week": times=5, period=WEEK, days=True


@dataclass(frozen=True)
class Dosage:
    sets: int | None = None
    reps: Reps | None = None
    hold: int | None = None  # seconds
    duration: int | None = None  # seconds
    side: Side | None = None
    frequency: Frequency | None = None

    def over(self, base: Dosage) -> Dosage:
        """This dosage with every field it leaves unset taken from ``base``."""
        return replace(base, **{f.name: getattr(self, f.name) for f in fields(self)
                               if getattr(self, f.name) is not None})

    def is_empty(self) -> bool:
        return all(getattr(self, f.name) is None for f in fields(self))

    @property
    def only_side(self) -> Side | None:
        """LEFT or RIGHT when the prescription is for that side only, else None."""
        return self.side if self.side is not None and self.side.one_sided else None


DOSAGE_FIELDS = ("sets", "reps", "hold", "duration", "side", "frequency")

# Steps that send the patient to the other side ("Switch to the other leg.", "Turn onto
# your other side and repeat.", "then switch legs.") but not those that only mention it
# ("Keep the other leg straight."): these contradict a left- or right-only prescription.
_OTHER = r"\bother (?:leg|side|hip|knee|foot|arm|thigh)s?\b"
_MOVE = r"\b(?:switch|swap|change|repeat|turn)"
_SWITCHES = re.compile(
    rf"{_MOVE}\w*\b[^.;]*{_OTHER}|{_OTHER}[^.;]*\brepeat|"
    r"\b(?:switch|swap|change)\w*\s+(?:legs|sides)\b|"
    r"\b(?:repeat|switch|do)\b[^.;]*\b(?:each|both) (?:leg|side)s?\b", re.IGNORECASE)


def sends_to_other_side(steps: Iterable[str], pattern: str | None = None) -> bool:
    """Whether the steps tell the patient to repeat on, or switch to, the other side
    (``pattern``: how another language says it, a regular expression; None: English)."""
    found = _SWITCHES if pattern is None else _pattern(pattern)
    return any(found.search(step) for step in steps)


@functools.cache
def _pattern(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


def side_contradicted(dosage: Dosage, steps: Iterable[str],
                      pattern: str | None = None) -> Side | None:
    """The prescribed side when the dosage is for one side only and the exercise's steps
    say to switch to the other one (the handout then adds "Do this on your right side
    only." under the steps); else None."""
    side = dosage.only_side
    return side if side is not None and sends_to_other_side(steps, pattern) else None


# -- parsers: each takes a TOML value and returns a structured one or raises ValueError
# -- whose message names the accepted forms (and, for a near miss, the form meant).


def _got(value: Any) -> str:
    """A wrong value for a message: quoted when it looks like a dosage, else its kind."""
    return shown(value, "dosage")


def _norm(text: str) -> str:
    """Lowercase, one space between words, plain hyphens, no spaces around "/" or "-",
    no dots in abbreviations ("b.i.d." is "bid")."""
    text = text.strip().lower().replace("\u2013", "-").replace("\u2014", "-")
    text = re.sub(r"\s+", " ", text)
    text = re.sub(r" ?([/-]) ?", r"\1", text)
    return re.sub(r"(?<=[a-z])\.", "", text)


def _hint(text: str, forms: Sequence[str]) -> str:
    """' (did you mean "x"?)' for a near miss among ``forms`` (compared lowercased)."""
    by_lower = {f.lower(): f for f in forms}
    return one_of([by_lower[c] for c in suggest(text, by_lower, n=2)])


def _expected(what: str, value: Any, hint: str = "") -> ValueError:
    """'expected WHAT, got VALUE (did you mean ...?)' (``what``: a Msg of the forms)."""
    return ValueError(Msg("dosage.expected", "expected {what}, got {got}{hint}", what=what,
                          got=_got(value), hint=hint))


def _whole(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().isdecimal():
        return int(value.strip())
    return None


SETS_FORMS = Msg("dosage.sets_forms", "a whole number of sets from 1 to {most}",
                 most=MAX_SETS)  # 3 or "3 sets"


def parse_sets(value: Any) -> int:
    n = _whole(value)
    if n is None and isinstance(value, str):
        m = re.fullmatch(r"(\d+) ?sets?", _norm(value))
        n = int(m[1]) if m else None
    if n is None or not 1 <= n <= MAX_SETS:
        raise _expected(SETS_FORMS, value)
    return n


REPS_FORMS = Msg("dosage.reps_forms", 'a whole number of repetitions from 1 to {most}: 10, '
                 '"10 reps", "10x", "x10", "10 times", or a range "8-12" / "8 to 12"',
                 most=MAX_REPS)
_REP_UNIT = r"(?:reps?|repetitions?|times|x)"
_REP_COUNT = r"(\d+)(?:(?:-|\bto\b| to )(\d+))?"


def parse_reps(value: Any) -> Reps:
    n = _whole(value)
    if n is not None:
        if not 1 <= n <= MAX_REPS:
            raise _expected(REPS_FORMS, value)
        return Reps(n, n)
    if not isinstance(value, str):
        raise _expected(REPS_FORMS, value)
    text = _norm(value)
    text = re.sub(r"^repeat ", "", text)
    if text == "once":
        return Reps(1, 1)
    m = (re.fullmatch(rf"x ?{_REP_COUNT}", text)
         or re.fullmatch(rf"{_REP_COUNT}(?: ?{_REP_UNIT})?", text))
    if not m:
        word = re.fullmatch(r"[\dx -]*?([a-z]+)", text)
        hint = _hint(word[1], ["reps", "repetitions", "times"]) if word else ""
        raise _expected(REPS_FORMS, value, hint)
    low = int(m[1])
    high = int(m[2]) if m[2] else low
    if m[2] and not (1 <= low < high <= MAX_REPS):
        raise ValueError(Msg("dosage.range", 'a range must go up, between 1 and {most}, like '
                             '"8-12"; got {got}', most=MAX_REPS, got=_got(value)))
    if not 1 <= low <= MAX_REPS:
        raise _expected(REPS_FORMS, value)
    return Reps(low, high)


_UNITS = {
    "s": 1, "sec": 1, "secs": 1, "second": 1, "seconds": 1,
    "m": 60, "min": 60, "mins": 60, "minute": 60, "minutes": 60,
    "h": 3600, "hr": 3600, "hrs": 3600, "hour": 3600, "hours": 3600,
}
_TIME_PART = re.compile(r"(\d+(?:\.\d+)?) ?([a-z]+)")
TIME_FORMS = Msg("dosage.time_forms", 'a time such as "30 s", "30 sec", "30 seconds", "2 min", '
               '"1 min 30 s", "1:30" (minutes:seconds), or a number of seconds (90)')


def _time_units(text: str, what: str, value: Any) -> float:
    """Seconds in "1 min 30 s" (parts largest first, "and" or commas between them)."""
    text = re.sub(r",| and ", " ", text)
    text = re.sub(r"\s+", " ", text).strip()
    parts = _TIME_PART.findall(text)
    rebuilt = "".join(f"{n}{u}" for n, u in parts)
    unknown = [u for _, u in parts if u not in _UNITS]
    if unknown:
        raise _expected(what, value, _hint(unknown[0], list(_UNITS)))
    scales = [_UNITS[u] for _, u in parts]
    if not parts or rebuilt != text.replace(" ", "") or scales != sorted(set(scales),
                                                                        reverse=True):
        raise _expected(what, value)
    return float(sum(float(n) * _UNITS[u] for n, u in parts))


def parse_seconds(value: Any) -> int:
    """A time: a number of seconds, "1:30", or text like "1 min 30 s"."""
    what = TIME_FORMS
    if isinstance(value, bool):
        raise _expected(what, value)
    seconds: float
    if isinstance(value, int | float):
        seconds = float(value)
    elif isinstance(value, str):
        text = re.sub(r"^(?:hold|for) ", "", _norm(value))
        m = re.fullmatch(r"(\d+):([0-5]\d)", text)
        if re.fullmatch(r"\d+(?:\.\d+)?", text):
            seconds = float(text)
        elif m:
            seconds = float(int(m[1]) * 60 + int(m[2]))
        else:
            seconds = _time_units(text, what, value)
    else:
        raise _expected(what, value)
    if not seconds.is_integer():
        raise ValueError(Msg("dosage.whole_seconds", "use whole seconds, got {got}",
                             got=_got(value)))
    if not 1 <= seconds <= MAX_SECONDS:
        raise ValueError(Msg("dosage.time_range", "a time must be between 1 second and 60 "
                             "minutes, got {got}", got=_got(value)))
    return int(seconds)


_SIDE_WORDS: dict[str, Side] = {
    **dict.fromkeys(("left", "l", "lt", "left side", "left leg", "left only",
                     "left side only", "left leg only"), Side.LEFT),
    **dict.fromkeys(("right", "r", "rt", "right side", "right leg", "right only",
                     "right side only", "right leg only"), Side.RIGHT),
    **dict.fromkeys(("both", "both together", "together", "both legs together",
                     "both sides at once", "both at once"), Side.BOTH),
    **dict.fromkeys(("each", "each side", "each leg", "b", "bil", "bilat", "bilateral",
                     "bilaterally", "both sides", "each side in turn"), Side.EACH),
}
SIDE_FORMS = Msg("dosage.side_forms", '"left" or "L", "right" or "R", "each" / "each side" / '
                 '"each leg" / "B" / "bilateral" (one side, then the other), "both" (both '
                 'legs together)')
_SIDE_HINTS = ["left", "right", "L", "R", "each", "each side", "each leg", "bilateral",
               "both", "both together"]


def parse_side(value: Any) -> Side:
    if isinstance(value, str):
        text = _norm(value)
        if text in _SIDE_WORDS:
            return _SIDE_WORDS[text]
        hint = _hint(text, _SIDE_HINTS)
    else:
        hint = ""
    raise ValueError(Msg("dosage.side", "expected a side: {forms}; got {got}{hint}",
                         forms=SIDE_FORMS, got=_got(value), hint=hint))


FREQUENCY_FORMS = Msg("dosage.frequency_forms", 'a frequency such as "daily" or "QD", "BID" / '
                      '"twice daily" / "2x/day" / "morning and evening", "TID" / "3x/day", '
                      '"QID", "2-3x/day", "3x/week", "5 days a week", "weekly", "every other '
                      'day", "every 30 min", "every 2 hours" or "q2h"')
_FREQUENCY_HINTS = ["daily", "once daily", "QD", "BID", "twice daily", "2x/day", "2x daily",
                    "morning and evening", "TID", "QID", "3x/day", "2-3x/day", "3x/week",
                    "5 days a week", "weekly", "every other day", "every 30 min",
                    "every 2 hours", "q2h", "hourly"]
_PHRASES: dict[str, Frequency] = {
    **dict.fromkeys(("daily", "every day", "once a day", "once daily", "once per day",
                     "qd", "once each day"), Frequency(1, Period.DAY)),
    **dict.fromkeys(("bid", "morning and evening", "morning and night", "am and pm",
                     "am/pm"), Frequency(2, Period.DAY)),
    "tid": Frequency(3, Period.DAY),
    "qid": Frequency(4, Period.DAY),
    **dict.fromkeys(("weekly", "once a week", "once weekly", "every week", "once per week"),
                    Frequency(1, Period.WEEK)),
    **dict.fromkeys(("every other day", "every second day", "alternate days",
                     "on alternate days", "qod"), Frequency(1, Period.DAY, every_other_day=True)),
    **dict.fromkeys(("hourly", "every hour", "qh", "q1h"), Frequency(interval_minutes=60)),
}
_WORD_TIMES = {"once": 1, "twice": 2, "three times": 3, "four times": 4, "five times": 5,
               "six times": 6}
_PER_DAY = r"(?:daily|a day|per day|/day|/d|each day|every day)"
_PER_WEEK = r"(?:weekly|a week|per week|/week|/wk|/w|each week|every week|a wk|per wk)"
_COUNT = r"(\d+)(?:(?:-|\bto\b| to )(\d+))?"


def _interval(minutes: float, value: Any) -> Frequency:
    if not minutes.is_integer() or not MIN_INTERVAL <= minutes <= MAX_INTERVAL:
        raise ValueError(Msg("dosage.interval", "an interval must be whole minutes between "
                             "{least} minutes and {most} hours, got {got}", least=MIN_INTERVAL,
                             most=MAX_INTERVAL // 60, got=_got(value)))
    return Frequency(interval_minutes=int(minutes))


def parse_frequency(value: Any) -> Frequency:
    what = FREQUENCY_FORMS
    if not isinstance(value, str):
        raise _expected(what, value)
    text = _norm(value)
    if text in _PHRASES:
        return _PHRASES[text]
    m = re.fullmatch(r"q ?(\d+) ?(h|hr|hrs|hours?|m|min|mins|minutes?)", text)
    if m:
        return _interval(float(int(m[1]) * (60 if m[2].startswith("h") else 1)), value)
    m = re.fullmatch(r"every (.+)", text)
    if m and re.match(r"\d", m[1]):
        return _interval(_time_units(m[1], what, value) / 60, value)
    times: int | None = None
    high: int | None = None
    days = False
    period_text = ""
    m = (re.fullmatch(rf"{_COUNT} ?(?:x|times) ?({_PER_DAY}|{_PER_WEEK})", text)
         or re.fullmatch(rf"x ?{_COUNT} ?({_PER_DAY}|{_PER_WEEK})", text))
    if m:
        times, high, period_text = int(m[1]), int(m[2]) if m[2] else None, m[3]
    m = m or re.fullmatch(rf"{_COUNT} ?(?:days?|d) ?({_PER_WEEK})", text)
    if m and times is None:
        times, high, period_text, days = int(m[1]), int(m[2]) if m[2] else None, m[3], True
    if times is None:
        for word, n in _WORD_TIMES.items():
            m = re.fullmatch(rf"{word} ({_PER_DAY}|{_PER_WEEK})", text)
            if m:
                times, period_text = n, m[1]
                break
    if times is None:
        raise _expected(what, value, _hint(text, _FREQUENCY_HINTS))
    period = Period.DAY if re.fullmatch(_PER_DAY, period_text) else Period.WEEK
    limit = 7 if days else MAX_PER_DAY if period is Period.DAY else MAX_PER_WEEK
    if high is not None and not times < high:
        raise ValueError(Msg("dosage.frequency_range", 'a range must go up, like "2-3x/day"; '
                             "got {got}", got=_got(value)))
    if not 1 <= times <= limit or (high is not None and high > limit):
        key = f"dosage.frequency_{'days' if days else 'times'}_{period.value}"
        raise ValueError(Msg(key, "expected 1 to {most} " + ("days" if days else "times")
                             + f" a {period.value}, got {{got}}", most=limit,
                             got=_got(value)))
    return Frequency(times, period, times_high=high, days=days)


# -- canonical text forms (what `rxprint` writes back into files; each parses back)


def _time_text(seconds: int) -> str:
    minutes, secs = divmod(seconds, 60)
    if minutes and secs:
        return f"{minutes} min {secs} s"
    return f"{minutes} min" if minutes else f"{secs} s"


def frequency_text(f: Frequency) -> str:
    """The canonical text form of a frequency (parses back to the same value)."""
    if f.interval_minutes is not None:
        hours, minutes = divmod(f.interval_minutes, 60)
        return f"every {hours} hours" if not minutes else f"every {f.interval_minutes} min"
    if f.every_other_day:
        return "every other day"
    count = f"{f.times}-{f.times_high}" if f.times_high is not None else str(f.times)
    if f.days:
        return f"{count} days a week"
    if f.period is Period.DAY:
        return "daily" if count == "1" else f"{count}x daily"
    return "weekly" if count == "1" else f"{count}x/week"


def dosage_table(d: Dosage) -> dict[str, Any]:
    """A dosage in the form program files use (parses back to the same value)."""
    table: dict[str, Any] = {}
    if d.sets is not None:
        table["sets"] = d.sets
    if d.reps is not None:
        table["reps"] = d.reps.low if not d.reps.is_range else f"{d.reps.low}-{d.reps.high}"
    if d.hold is not None:
        table["hold"] = _time_text(d.hold)
    if d.duration is not None:
        table["duration"] = _time_text(d.duration)
    if d.side is not None:
        table["side"] = d.side.value
    if d.frequency is not None:
        table["frequency"] = frequency_text(d.frequency)
    return table


PARSERS: dict[str, Any] = {
    "sets": parse_sets,
    "reps": parse_reps,
    "hold": parse_seconds,
    "duration": parse_seconds,
    "side": parse_side,
    "frequency": parse_frequency,
}
