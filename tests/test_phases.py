"""Phases (issue 19): a program in stages ("Weeks 1-2", "Weeks 3-4"), read back from the
PDF: each phase on page 1 with its exercises and dosages, each exercise described once
with its dosage per phase, the log for the first phase; errors with file, line and
field; re-issued byte for byte."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from click.testing import Result

from .conftest import Pdf, built

Run = Callable[..., Result]
PHASED = '''\
date = 2026-11-21
[[phases]]
title = "Weeks 1-2: gentle start"
weeks = 2
[[phases.exercises]]
id = "glute-bridge"
sets = 2
reps = 8
[[phases.exercises]]
id = "pelvic-tilt"
[[phases]]
title = "Weeks 3-4: build up"
weeks = 2
omit = ["pelvic-tilt"]
[[phases.exercises]]
id = "glute-bridge"
sets = 3
reps = 12
[[phases.exercises]]
id = "bird-dog"
'''


def test_each_phase_shows_and_each_exercise_is_described_once(
        run: Run, write: Callable[..., Path]) -> None:
    write("plan.toml", PHASED)
    pdf = built(run, "plan.toml")
    first = pdf.flat(0)
    # titles that say when already ("Weeks 1-2") are not followed by "(2 weeks)"
    assert "Weeks 1-2: gentle start" in first and "(2 weeks)" not in first
    assert "Weeks 3-4: build up" in first
    # page 1 lists each phase's exercises with that phase's dosage
    assert re.search(r"gentle start 1\. Hip lift \(glute bridge\) — 2 sets of 8", first)
    # a later phase: what stops, then what is new or changes
    # (from which day: two weeks after the program's date)
    assert re.search(r"build up, from December 5, 2026 Stop: Pelvic tilt lying on your back\. "
                     r"1\. Hip lift \(glute bridge\) — 3 sets of 12", first)
    assert re.search(r"3 sets of 12 [^.]* 3\. Bird dog", first)
    assert "Move on to the next stage only if the exercises felt easy" in first
    text = pdf.flat()
    assert text.count("Why it helps:") == 3  # three exercises, each described once
    assert "Weeks 1-2: gentle start: 2 sets of 8" in text  # its dosage in each phase
    assert "Weeks 3-4: build up: 3 sets of 12" in text
    # the log is for the first phase: its two exercises, not the one that comes later
    log = pdf.flat(pdf.pages - 1)
    assert "Your exercise log" in log and "Weeks 1-2: gentle start" in log
    assert "Pelvic tilt" in log and "Bird dog" not in log


def test_phases_in_compact_and_in_spanish(run: Run, write: Callable[..., Path]) -> None:
    write("plan.toml", PHASED)
    compact = built(run, "plan.toml", "--layout", "compact").flat(0)
    assert "Your plan: Weeks 1-2: gentle start · Weeks 3-4: build up" in compact
    spanish = built(run, "plan.toml", "--lang", "es", "--strict").flat()
    assert "Weeks 1-2: gentle start" in spanish  # the clinician's own title, as written
    assert "Cuánto hacer:" in spanish


def test_a_phase_is_checked_like_the_rest_of_the_file(run: Run,
                                                     write: Callable[..., Path]) -> None:
    write("bad.toml", PHASED.replace('id = "bird-dog"', 'id = "bird-dogg"')
          .replace("weeks = 2\nomit", "weeks = 0\nomit")
          .replace('omit = ["pelvic-tilt"]', 'omit = ["quad-set"]'))
    result = run("build", "bad.toml", "-o", "x.pdf")
    assert result.exit_code == 1
    out = result.output
    assert "bad.toml:13: phases[2].weeks: 0 is out of range: use 1 to 52" in out
    assert "phases[2].exercises[2].id: unknown exercise" in out
    assert 'phases[2].omit[1]: "quad-set" is not in this phase' in out
    assert not Path("x.pdf").exists()


def test_a_phased_program_is_reissued_byte_for_byte(run: Run,
                                                    write: Callable[..., Path]) -> None:
    write("plan.toml", 'template = "thigh-back-pain"\n' + PHASED)
    assert run("build", "plan.toml", "-o", "a.pdf").exit_code == 0
    assert run("extract", "a.pdf", "-o", "next.toml").exit_code == 0
    assert run("build", "next.toml", "-o", "b.pdf").exit_code == 0
    assert Path("a.pdf").read_bytes() == Path("b.pdf").read_bytes()
    assert Pdf(Path("b.pdf").read_bytes()).flat().count("Why it helps:") == 8


def test_the_chart_note_lists_the_phases(run: Run, write: Callable[..., Path]) -> None:
    write("plan.toml", PHASED)
    result = run("build", "plan.toml", "-o", "x.pdf", "--summary")
    assert "Phase: Weeks 1-2: gentle start (2 weeks):" in result.output
    assert "  1. [glute-bridge]: 3 sets of 12" in result.output


PROGRAM_WITH_PHASES = '''\
id = "oak-two-stages"
title = "Two stages"
description = "A standard program in two stages."
education = []
sources = ["clinical practice"]

[[exercises]]
id = "quad-set"

[[exercises]]
id = "glute-bridge"
sets = 2
reps = 10

[[exercises]]
id = "calf-stretch"

[[exercises]]
id = "pelvic-tilt"

[[phases]]
title = "Start"
weeks = 3

[[phases]]
title = "Build up"
weeks = 3

[[phases.exercises]]
id = "glute-bridge"
sets = 3
'''


def test_a_standard_program_may_have_phases(run: Run, plugins: Callable[[str, str], Path],
                                            write: Callable[..., Path]) -> None:
    folder = write("oak/oak-two-stages.toml", PROGRAM_WITH_PHASES).parent
    plugins("oakstages", f"""
        from pathlib import Path
        from rxprint.api import hookimpl
        @hookimpl
        def register_programs(register):
            register(Path({str(folder)!r}))
    """)
    pdf = built(run, "--template", "oak-two-stages")
    text = pdf.flat()
    assert "Start (3 weeks)" in text and "Build up (3 weeks)" in text  # how long each
    assert "Build up: 3 sets of 10" in text
    # a program file's phases replace the standard program's
    write("mine.toml", 'template = "oak-two-stages"\n' + PHASED.split("\n", 1)[1])
    mine = built(run, "mine.toml").flat()
    assert "Weeks 1-2: gentle start" in mine and "Build up (3 weeks)" not in mine
    # a phase naming an exercise the library lacks is a library problem, located
    write("oak/oak-two-stages.toml", PROGRAM_WITH_PHASES.replace(
        'id = "glute-bridge"\nsets = 3', 'id = "glute-bridgee"\nsets = 3'))
    result = run("build", "--template", "oak-two-stages", "-o", "x.pdf")
    assert result.exit_code == 1
    assert "phases[2].exercises[1].id: unknown exercise" in result.output


def test_a_shipped_program_in_two_stages_and_in_spanish(run: Run) -> None:
    """hip-flexor-back-pain builds its strengthening from 2 to 3 sets in weeks 3-4; its
    phases' titles are translated with the rest of its text."""
    english = built(run, "--template", "hip-flexor-back-pain", "--date", "2026-12-07").flat(0)
    assert "Weeks 1-2: start gently" in english
    assert "Weeks 3-4: build up, from December 21, 2026" in english
    # the exercises that stay the same are said to go on, not left out
    assert "Keep doing the others as before (1, 4, 5, 6)." in english
    assert "Pelvic tilt lying on your back — 3 sets of 10" in english
    spanish = built(run, "--template", "hip-flexor-back-pain", "--lang", "es", "--strict")
    assert "Semanas 1-2: empiece con calma" in spanish.flat(0)
    assert "Weeks" not in spanish.flat()
