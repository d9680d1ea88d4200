"""Dosage: how many, how long, how often, which side, as structured values.

Text forms are parsed here once ("1 min 30 s", "8-12", "3x/week"); what comes out is
numbers and enums, so the handout can say it in any language (see :mod:`rxprint.messages`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields, replace
from enum import Enum
from typing import Any

from .errors import describe

MAX_SETS = 20
MAX_REPS = 100
MAX_SECONDS = 3600


class Side(Enum):
    LEFT = "left"
    RIGHT = "right"
    BOTH = "both"  # both legs together
    EACH = "each"  # one side, then the other


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
    """``times`` per ``period``; or every other day; or every ``interval_minutes``."""

    times: int = 1
    period: Period = Period.DAY
    every_other_day: bool = False
    interval_minutes: int | None = None


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


DOSAGE_FIELDS = ("sets", "reps", "hold", "duration", "side", "frequency")

# -- parsers: each takes a TOML value and returns a structured one or raises ValueError
# -- whose message names the accepted forms.


def _whole(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def parse_sets(value: Any) -> int:
    n = _whole(value)
    if n is None or not 1 <= n <= MAX_SETS:
        raise ValueError(f"expected a whole number of sets from 1 to {MAX_SETS}, "
                         f"got {describe(value)}")
    return n


_RANGE = re.compile(r"^\s*(\d+)\s*(?:-|\u2013|to)\s*(\d+)\s*$")


def parse_reps(value: Any) -> Reps:
    forms = f'a whole number from 1 to {MAX_REPS} (10) or a range ("8-12")'
    n = _whole(value)
    if n is not None:
        if not 1 <= n <= MAX_REPS:
            raise ValueError(f"expected {forms}, got {describe(value)}")
        return Reps(n, n)
    m = _RANGE.match(value) if isinstance(value, str) else None
    if not m:
        raise ValueError(f"expected {forms}, got {describe(value)}")
    low, high = int(m[1]), int(m[2])
    if not (1 <= low < high <= MAX_REPS):
        raise ValueError(f"a range must go up, between 1 and {MAX_REPS}, like \"8-12\"; "
                         f"got {describe(value)}")
    return Reps(low, high)


_UNITS = {
    "s": 1, "sec": 1, "secs": 1, "second": 1, "seconds": 1,
    "m": 60, "min": 60, "mins": 60, "minute": 60, "minutes": 60,
}
_TIME_PART = re.compile(r"(\d+(?:\.\d+)?)\s*([a-z]+)")
TIME_FORMS = '"30 s", "45 sec", "3 min", "1 min 30 s", or a number of seconds'


def parse_seconds(value: Any) -> int:
    """A time: a number of seconds or text like "1 min 30 s"."""
    if isinstance(value, bool):
        raise ValueError(f"expected a time such as {TIME_FORMS}, got {describe(value)}")
    seconds: float
    if isinstance(value, int | float):
        seconds = float(value)
    elif isinstance(value, str):
        text = value.strip().lower()
        if re.fullmatch(r"\d+(?:\.\d+)?", text):
            seconds = float(text)
        else:
            parts = _TIME_PART.findall(text)
            rebuilt = "".join(f"{n}{u}" for n, u in parts)
            if not parts or rebuilt != re.sub(r"\s+", "", text) \
                    or any(u not in _UNITS for _, u in parts):
                raise ValueError(f"expected a time such as {TIME_FORMS}, got {describe(value)}")
            seconds = float(sum(float(n) * _UNITS[u] for n, u in parts))
    else:
        raise ValueError(f"expected a time such as {TIME_FORMS}, got {describe(value)}")
    if not seconds.is_integer():
        raise ValueError(f"use whole seconds, got {describe(value)}")
    if not 1 <= seconds <= MAX_SECONDS:
        raise ValueError(f"a time must be between 1 second and 60 minutes, got {describe(value)}")
    return int(seconds)


def parse_side(value: Any) -> Side:
    if isinstance(value, str):
        try:
            return Side(value.strip().lower())
        except ValueError:
            pass
    raise ValueError(f'expected "left", "right", "both" (both together) or "each" '
                     f"(one side, then the other), got {describe(value)}")


FREQUENCY_FORMS = ('"daily", "2x daily", "3x/week", "every other day", "weekly", '
                   '"every 30 min"')
_WORD_TIMES = {"once": 1, "twice": 2, "three times": 3, "four times": 4}
_PER_DAY = r"(?:daily|a day|per day|/day|/ ?d|each day|every day)"
_PER_WEEK = r"(?:weekly|a week|per week|/week|/ ?wk|each week|every week)"


def parse_frequency(value: Any) -> Frequency:
    if not isinstance(value, str):
        raise ValueError(f"expected a frequency such as {FREQUENCY_FORMS}, got {describe(value)}")
    text = re.sub(r"\s+", " ", value.strip().lower())
    if text in ("daily", "every day", "once a day", "once daily"):
        return Frequency(1, Period.DAY)
    if text in ("weekly", "once a week"):
        return Frequency(1, Period.WEEK)
    if text in ("every other day", "every second day", "alternate days"):
        return Frequency(1, Period.DAY, every_other_day=True)
    if text == "hourly":
        return Frequency(interval_minutes=60)
    m = re.fullmatch(r"every (\d+) ?(min|mins|minutes|h|hr|hrs|hour|hours)", text)
    if m:
        minutes = int(m[1]) * (60 if m[2].startswith("h") else 1)
        if not 10 <= minutes <= 240:
            raise ValueError(f"an interval must be between 10 minutes and 4 hours, "
                             f"got {describe(value)}")
        return Frequency(interval_minutes=minutes)
    m = re.fullmatch(rf"(\d+) ?(?:x|times) ?({_PER_DAY}|{_PER_WEEK})", text)
    times: int | None = None
    period_text = ""
    if m:
        times, period_text = int(m[1]), m[2]
    else:
        for word, n in _WORD_TIMES.items():
            m = re.fullmatch(rf"{word} ({_PER_DAY}|{_PER_WEEK})", text)
            if m:
                times, period_text = n, m[1]
                break
    if times is None:
        raise ValueError(f"expected a frequency such as {FREQUENCY_FORMS}, got {describe(value)}")
    period = Period.DAY if re.fullmatch(_PER_DAY, period_text) else Period.WEEK
    limit = 12 if period is Period.DAY else 14
    if not 1 <= times <= limit:
        raise ValueError(f"expected 1 to {limit} times a {period.value}, got {describe(value)}")
    return Frequency(times, period)


def _time_text(seconds: int) -> str:
    minutes, secs = divmod(seconds, 60)
    if minutes and secs:
        return f"{minutes} min {secs} s"
    return f"{minutes} min" if minutes else f"{secs} s"


def frequency_text(f: Frequency) -> str:
    """The canonical text form of a frequency (parses back to the same value)."""
    if f.interval_minutes is not None:
        return f"every {f.interval_minutes} min"
    if f.every_other_day:
        return "every other day"
    if f.period is Period.DAY:
        return "daily" if f.times == 1 else f"{f.times}x daily"
    return "weekly" if f.times == 1 else f"{f.times}x/week"


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
