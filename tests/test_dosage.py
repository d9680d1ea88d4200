from __future__ import annotations

import pytest

from rxprint.dosage import (
    Dosage,
    Frequency,
    Period,
    Reps,
    Side,
    parse_frequency,
    parse_reps,
    parse_seconds,
    parse_sets,
    parse_side,
)
from rxprint.messages import catalog


@pytest.mark.parametrize(("text", "seconds"), [
    ("30 s", 30), ("45 sec", 45), ("3 min", 180), ("1 min 30 s", 90), (90, 90), ("90", 90),
    ("2 minutes", 120), ("1 minute 5 seconds", 65), ("90s", 90), ("1min30s", 90),
])
def test_times(text: object, seconds: int) -> None:
    assert parse_seconds(text) == seconds


@pytest.mark.parametrize("bad", ["3 hours", "soon", "", "-5 s", 0, 7200, "1.5 s", True, "30 s s"])
def test_bad_times_name_the_accepted_forms(bad: object) -> None:
    with pytest.raises(ValueError) as err:
        parse_seconds(bad)
    msg = str(err.value)
    assert "30 s" in msg or "between 1 second" in msg or "whole seconds" in msg


def test_reps() -> None:
    assert parse_reps(10) == Reps(10, 10)
    assert parse_reps("8-12") == Reps(8, 12)
    assert parse_reps("8 \u2013 12") == Reps(8, 12)
    for bad in ("12-8", "lots", 0, 101, 2.5, True):
        with pytest.raises(ValueError):
            parse_reps(bad)


def test_sets_and_side() -> None:
    assert parse_sets(3) == 3
    for bad in (0, 21, "three", 1.5):
        with pytest.raises(ValueError, match="whole number of sets"):
            parse_sets(bad)
    assert parse_side("Each") is Side.EACH
    with pytest.raises(ValueError, match='"left", "right", "both"'):
        parse_side("up")


@pytest.mark.parametrize(("text", "expected"), [
    ("daily", Frequency(1, Period.DAY)),
    ("2x daily", Frequency(2, Period.DAY)),
    ("twice daily", Frequency(2, Period.DAY)),
    ("2x/day", Frequency(2, Period.DAY)),
    ("3x/week", Frequency(3, Period.WEEK)),
    ("3 times a week", Frequency(3, Period.WEEK)),
    ("weekly", Frequency(1, Period.WEEK)),
    ("every other day", Frequency(1, Period.DAY, every_other_day=True)),
    ("every 30 min", Frequency(interval_minutes=30)),
])
def test_frequencies(text: str, expected: Frequency) -> None:
    assert parse_frequency(text) == expected


@pytest.mark.parametrize("bad", ["sometimes", "0x daily", "20x daily", "every 2 min", 3])
def test_bad_frequency(bad: object) -> None:
    with pytest.raises(ValueError):
        parse_frequency(bad)


def test_dosage_in_words_matches_the_issue_example() -> None:
    d = Dosage(sets=3, reps=Reps(10, 10), hold=5, frequency=Frequency(2, Period.DAY),
               side=Side.EACH)
    assert catalog().dosage(d) == "3 sets of 10 · hold 5 seconds · twice a day · each side"


@pytest.mark.parametrize(("dosage", "words"), [
    (Dosage(hold=180, side=Side.EACH), "hold 3 minutes · each side"),
    (Dosage(hold=90), "hold 1 minute 30 seconds"),
    (Dosage(reps=Reps(3, 3), hold=30), "hold 30 seconds · 3 times"),
    (Dosage(reps=Reps(8, 12)), "repeat 8-12 times"),
    (Dosage(sets=1, reps=Reps(8, 12)), "1 set of 8-12"),
    (Dosage(duration=60, frequency=Frequency(3, Period.WEEK)), "for 1 minute · 3 times a week"),
    (Dosage(frequency=Frequency(1, Period.DAY, every_other_day=True)), "every other day"),
    (Dosage(frequency=Frequency(interval_minutes=45)), "every 45 minutes"),
    (Dosage(), "As your clinician showed you"),
])
def test_more_wording(dosage: Dosage, words: str) -> None:
    assert catalog().dosage(dosage) == words


def test_override_keeps_unset_fields() -> None:
    base = Dosage(sets=2, reps=Reps(10, 10), side=Side.EACH)
    assert Dosage(sets=3).over(base) == Dosage(sets=3, reps=Reps(10, 10), side=Side.EACH)
