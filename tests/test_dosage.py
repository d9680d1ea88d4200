from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from rxprint.cli.build import build_command
from rxprint.config import load_config
from rxprint.errors import Problem, ValidationError
from rxprint.files.fields import Fields
from rxprint.files.tomlfile import parse_toml
from rxprint.language.messages import catalog
from rxprint.library.dosage import (
    DOSAGE_FIELDS,
    PARSERS,
    Dosage,
    Frequency,
    Period,
    Reps,
    Side,
    dosage_table,
    parse_frequency,
    parse_reps,
    parse_seconds,
    parse_sets,
    parse_side,
    sends_to_other_side,
)
from rxprint.library.schema import parse_dosage


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
    with pytest.raises(ValueError, match='"left" or "L", "right" or "R"'):
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


# -- clinicians' shorthand -------------------------------------------------------------


@pytest.mark.parametrize(("text", "reps"), [
    ("10", Reps(10, 10)), ("10 reps", Reps(10, 10)), ("10x", Reps(10, 10)),
    ("x10", Reps(10, 10)), ("X 10", Reps(10, 10)), ("10 times", Reps(10, 10)),
    ("1 rep", Reps(1, 1)), ("12 repetitions", Reps(12, 12)), ("8-12", Reps(8, 12)),
    ("8 to 12", Reps(8, 12)), ("8-12 reps", Reps(8, 12)), ("x8-12", Reps(8, 12)),
])
def test_reps_shorthand(text: str, reps: Reps) -> None:
    assert parse_reps(text) == reps


def test_bad_reps_list_the_forms_and_suggest_the_unit() -> None:
    with pytest.raises(ValueError) as err:
        parse_reps("10 rpes")
    assert '"10 reps", "10x", "x10"' in str(err.value)
    assert 'did you mean "reps"?' in str(err.value)
    for bad in ("x", "10xx", "8-12-14", "ten", "0 reps", "101x", "12 to 8"):
        with pytest.raises(ValueError):
            parse_reps(bad)


@pytest.mark.parametrize(("text", "seconds"), [
    ("30 s", 30), ("30 sec", 30), ("30 seconds", 30), ("1:30", 90), ("0:45", 45),
    ("10:00", 600), ("1 min 30 s", 90), ("1 minute and 30 seconds", 90), ("90", 90),
    ("2 min", 120), ("2 MIN", 120), ("1 h", 3600),
])
def test_time_shorthand(text: str, seconds: int) -> None:
    assert parse_seconds(text) == seconds


def test_bad_times_suggest_the_unit() -> None:
    for bad in ("1:75", "1:3", "30 s 1 min", "1 min 1 min", ":30"):
        with pytest.raises(ValueError, match="1:30"):
            parse_seconds(bad)
    with pytest.raises(ValueError, match='did you mean "seconds"'):
        parse_seconds("30 secnods")


DAY, WEEK = Period.DAY, Period.WEEK


@pytest.mark.parametrize(("text", "expected"), [
    ("daily", Frequency(1, DAY)), ("QD", Frequency(1, DAY)), ("q.d.", Frequency(1, DAY)),
    ("once daily", Frequency(1, DAY)), ("BID", Frequency(2, DAY)),
    ("b.i.d.", Frequency(2, DAY)), ("twice daily", Frequency(2, DAY)),
    ("2x/day", Frequency(2, DAY)), ("2 x / day", Frequency(2, DAY)),
    ("2x daily", Frequency(2, DAY)), ("Morning and evening", Frequency(2, DAY)),
    ("TID", Frequency(3, DAY)), ("3x/day", Frequency(3, DAY)), ("QID", Frequency(4, DAY)),
    ("2-3x/day", Frequency(2, DAY, times_high=3)),
    ("2 to 3 times a day", Frequency(2, DAY, times_high=3)),
    ("3x/week", Frequency(3, WEEK)), ("3x/wk", Frequency(3, WEEK)),
    ("5 days a week", Frequency(5, WEEK, days=True)),
    ("5 days/wk", Frequency(5, WEEK, days=True)),
    ("every other day", Frequency(1, DAY, every_other_day=True)),
    ("QOD", Frequency(1, DAY, every_other_day=True)),
    ("every 30 min", Frequency(interval_minutes=30)),
    ("every 2 hours", Frequency(interval_minutes=120)),
    ("q2h", Frequency(interval_minutes=120)), ("Q 2 hr", Frequency(interval_minutes=120)),
    ("every 1 hour 30 minutes", Frequency(interval_minutes=90)),
    ("hourly", Frequency(interval_minutes=60)),
])
def test_frequency_shorthand(text: str, expected: Frequency) -> None:
    assert parse_frequency(text) == expected


@pytest.mark.parametrize(("text", "message"), [
    ("bidd", 'did you mean "BID"?'),
    ("twise daily", 'did you mean "twice daily"'),
    ("3-2x/day", "a range must go up"),
    ("8 days a week", "1 to 7 days a week"),
    ("q6h", "between 10 minutes and 4 hours"),
    ("sometimes", '"BID" / "twice daily"'),
])
def test_bad_frequency_explains(text: str, message: str) -> None:
    with pytest.raises(ValueError) as err:
        parse_frequency(text)
    assert message in str(err.value)


@pytest.mark.parametrize(("text", "side"), [
    ("L", Side.LEFT), ("l", Side.LEFT), ("Left", Side.LEFT), ("R", Side.RIGHT),
    ("right", Side.RIGHT), ("B", Side.EACH), ("Bilateral", Side.EACH), ("each", Side.EACH),
    ("each leg", Side.EACH), ("Each Side", Side.EACH), ("both", Side.BOTH),
    ("BOTH", Side.BOTH),
])
def test_side_shorthand(text: str, side: Side) -> None:
    assert parse_side(text) is side


def test_bad_side_suggests_the_word() -> None:
    with pytest.raises(ValueError) as err:
        parse_side("lft")
    assert 'did you mean "left"?' in str(err.value)
    assert '"left" or "L"' in str(err.value)


@pytest.mark.parametrize(("dosage", "words"), [
    (Dosage(frequency=Frequency(interval_minutes=120)), "every 2 hours"),
    (Dosage(frequency=Frequency(interval_minutes=60)), "every hour"),
    (Dosage(frequency=Frequency(interval_minutes=90)), "every 90 minutes"),
    (Dosage(frequency=Frequency(2, DAY, times_high=3)), "2-3 times a day"),
    (Dosage(frequency=Frequency(5, WEEK, days=True)), "5 days a week"),
    (Dosage(frequency=Frequency(1, WEEK, days=True)), "1 day a week"),
    (Dosage(hold=90, side=Side.LEFT), "hold 1 minute 30 seconds · left side only"),
    (Dosage(side=Side.RIGHT), "right side only"),
])
def test_shorthand_prints_plain_words(dosage: Dosage, words: str) -> None:
    assert catalog().dosage(dosage) == words


def test_a_program_file_in_shorthand_prints_plain_words(tmp_path: Path) -> None:
    doc = parse_toml('reps = "10x"\nhold = "1:30"\nfrequency = "BID"\nside = "L"\n',
                     tmp_path / "visit.toml")
    problems: list[Problem] = []
    d = parse_dosage(Fields(doc, doc.data, problems))
    assert problems == []
    assert catalog().dosage(d) == ("hold 1 minute 30 seconds · 10 times · twice a day · "
                                   "left side only")


def test_a_wrong_form_names_file_line_and_field(tmp_path: Path) -> None:
    doc = parse_toml('sets = 3\nside = "lft"\n', tmp_path / "visit.toml")
    problems: list[Problem] = []
    parse_dosage(Fields(doc, doc.data, problems))
    assert [str(p) for p in problems] == [
        f'{tmp_path / "visit.toml"}:2: side: expected a side: "left" or "L", "right" or "R", '
        '"each" / "each side" / "each leg" / "B" / "bilateral" (one side, then the other), '
        '"both" (both legs together); got text (did you mean "left"?)']


# -- one side only -----------------------------------------------------------------------


def test_steps_that_switch_sides_are_recognised() -> None:
    assert sends_to_other_side(["Hold, then slowly lower the leg. Switch to the other leg."])
    assert sends_to_other_side(["Hold, then slowly let go. Turn onto your other side and "
                                "repeat."])
    assert sends_to_other_side(["Turn around and repeat with the other leg."])
    assert sends_to_other_side(["Repeat on each side."])
    assert sends_to_other_side(["Hold, then lower it. Do all the repetitions, then switch "
                                "legs."])
    assert not sends_to_other_side(["Switch off the light."])
    assert not sends_to_other_side(["Keep the other leg straight and tighten that thigh."])
    assert not sends_to_other_side(["Bend your other leg out to the side."])
    assert not sends_to_other_side(["To make it gentler, lean some weight onto your other "
                                    "leg or your hands."])


def test_one_sided_dosage_adds_a_note_under_switching_steps() -> None:
    c = catalog()
    steps = ["Lie on your back.", "Hold, then lower the leg. Switch to the other leg."]
    assert c.side_only_note(Dosage(side=Side.RIGHT), steps) == "Do this on your right side only."
    assert c.side_only_note(Dosage(side=Side.LEFT), steps) == "Do this on your left side only."
    assert c.side_only_note(Dosage(side=Side.EACH), steps) is None
    assert c.side_only_note(Dosage(), steps) is None
    assert c.side_only_note(Dosage(side=Side.RIGHT), steps[:1]) is None
    assert Dosage(side=Side.RIGHT).only_side is Side.RIGHT
    assert Dosage(side=Side.BOTH).only_side is None


def test_the_library_steps_that_switch_sides(library: Any) -> None:
    switching = sorted(e.id for e in library.exercises.values()
                       if sends_to_other_side(e.steps))
    assert "clamshell" in switching  # "Do all the repetitions, then switch sides."
    assert "single-leg-bridge" in switching  # "then switch legs" (not "the other leg straight")
    assert "seated-hamstring-stretch" not in switching  # "Stretch the other leg out"


# -- property: what parses prints in words that parse back to the same value --------------


def _cased(text: str) -> st.SearchStrategy[str]:
    return st.sampled_from([text, text.upper(), text.title(), f" {text} "])


def _shorthand(field: str) -> st.SearchStrategy[str]:
    n = st.integers(0, 130)
    unit = {
        "sets": st.sampled_from(["", " sets", " set"]),
        "reps": st.sampled_from(["", " reps", "x", " times", "-12", " to 15"]),
        "hold": st.sampled_from(["", " s", " sec", " seconds", " min", " min 30 s", ":30",
                                 " h"]),
        "frequency": st.sampled_from(["x/day", "x daily", "-3x/day", "x/week",
                                      " days a week", " times a week", " min", " hours"]),
    }
    if field == "side":
        return st.sampled_from(["L", "R", "left", "right", "B", "bilateral", "both", "each",
                                "each leg", "each side", "lft", "up"]).flatmap(_cased)
    if field == "frequency":
        fixed = st.sampled_from(["daily", "QD", "once daily", "BID", "twice daily",
                                 "morning and evening", "TID", "QID", "weekly",
                                 "every other day", "hourly", "bidd"]).flatmap(_cased)
        every = st.builds(lambda k, u: f"every {k}{u}", n, st.sampled_from([" min", " hours"]))
        q = st.builds(lambda k: f"q{k}h", st.integers(0, 6))
        counted = st.builds(lambda k, u: f"{k}{u}", st.integers(0, 16), unit["frequency"])
        return st.one_of(fixed, every, q, counted)
    key = "hold" if field == "duration" else field
    return st.builds(lambda k, u: f"{k}{u}", n, unit[key])


_TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=20)


def _in_words(field: str, value: Any) -> str:
    """The field alone, in the patient's words, as the message catalog prints it."""
    parts = catalog().dosage_parts(Dosage(**{field: value}))
    assert len(parts) == 1
    return parts[0]


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(DOSAGE_FIELDS).flatmap(
    lambda field: st.tuples(st.just(field), st.one_of(_shorthand(field), _TEXT))))
@example(("frequency", "q2h"))
@example(("frequency", "2-3x/day"))
@example(("hold", "1:30"))
@example(("side", "L"))
def test_what_parses_prints_back_to_the_same_value(case: tuple[str, str]) -> None:
    field, text = case
    parse = PARSERS[field]
    doc = parse_toml(f"{field} = {json.dumps(text, ensure_ascii=False)}\n", Path("visit.toml"))
    problems: list[Problem] = []
    parsed = parse_dosage(Fields(doc, doc.data, problems))
    value = getattr(parsed, field)
    if value is None:  # it did not parse: one problem, at the file, line and field
        assert [(p.path, p.line, p.field) for p in problems] == [(Path("visit.toml"), 1, field)]
        assert problems[0].message.startswith(("expected", "a range", "a time", "use whole",
                                               "an interval"))
        return
    assert problems == []
    assert parse(_in_words(field, value)) == value
    assert parse(dosage_table(parsed)[field]) == value  # the file form, too


def test_every_form_in_the_docs_table_parses() -> None:
    """docs/schema.md's dosage table is the one list of accepted forms: each one parses."""
    docs = Path(__file__).parents[1] / "docs" / "schema.md"
    table = docs.read_text(encoding="utf-8").split("| field | accepted forms |")[1]
    field = ""
    checked = 0
    for row in table.split("\n\n")[0].splitlines()[2:]:
        cells = row.split("|")
        field = cells[1].strip().strip("`") or field
        if field in ("note", "duration"):
            continue
        for form in re.findall(r"`([^`]+)`", cells[2]):
            value: object = json.loads(form) if form.startswith('"') else int(form)
            PARSERS[field](value)
            checked += 1
    assert checked > 60


def test_paper_size_in_any_case(tmp_path: Path) -> None:
    paper = next(p for p in build_command.params if p.name == "paper")
    assert paper.type.convert("A4", paper, None) == "a4"
    assert paper.type.convert("Letter", paper, None) == "letter"
    config = tmp_path / "rxprint.toml"
    config.write_text('[defaults]\npaper = "A4"\n', encoding="utf-8")
    assert load_config(config).paper == "a4"
    config.write_text('[defaults]\npaper = "leter"\n', encoding="utf-8")
    with pytest.raises(ValidationError) as err:
        load_config(config)
    assert (f'{config}:2: defaults.paper: "leter" is not a paper size: use one of a4, letter '
            '(did you mean "letter"?)') in str(err.value)
