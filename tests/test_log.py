"""The adherence log (issue 19), read back from the PDF: the last page, the program's
exercises against the next 14 days from its date, a tick box a day each, the pain row and
its anchors; off with --no-log, `log = false` in a program file or the configuration; on
one page for up to twelve exercises in every layout, two (a week each) in large print;
in the handout's language."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path

import pikepdf
import pytest
from click.testing import Result

from rxprint.library.loader import builtin_library

from .conftest import Pdf, built
from .test_plain_language import run_sizes

Run = Callable[..., Result]
DATE = dt.date(2026, 11, 21)  # a Saturday
TWELVE = ["quad-set", "glute-bridge", "calf-stretch", "sit-to-stand", "clamshell",
          "bird-dog", "dead-bug", "pelvic-tilt", "cat-camel", "mini-squat",
          "supine-hamstring-stretch-strap", "single-leg-balance"]
# a tick box: an empty square drawn with a stroke ("x y w h re S"), its side in points
BOX = re.compile(rb"[-\d.]+ [-\d.]+ ([\d.]+) ([\d.]+) re S")


def boxes(path: Path, page: int) -> list[float]:
    """The sides of the empty squares stroked on ``page`` (the tick boxes)."""
    with pikepdf.open(path) as doc:
        contents = doc.pages[page].Contents
        data = b"".join(c.read_bytes() for c in (contents if isinstance(contents, pikepdf.Array)
                                                  else [contents]))
    return [float(w) for w, h in BOX.findall(data) if abs(float(w) - float(h)) < 0.01]


def header(pdf: Pdf, page: int, first: str) -> tuple[str, str]:
    """The log's two header lines, left to right, each read as one string: the weekdays
    (the line that starts with ``first``) and the day numbers under them."""
    runs: list[tuple[float, float, str]] = []

    def visit(text: str, cm: list[float], tm: list[float], font: object,
              size: float) -> None:
        if text.strip():
            runs.append((tm[4] * cm[0] + cm[4], tm[5] * cm[3] + cm[5], text.strip()))
    pdf.reader.pages[page].extract_text(visitor_text=visit)
    y0 = next(y for x, y, t in runs if t.startswith(first))
    names = "".join(t for x, y, t in sorted(r for r in runs if abs(r[1] - y0) < 2))
    below = max(y for x, y, t in runs if y < y0 - 2 and t.isdigit())
    days = " ".join(t for x, y, t in sorted(r for r in runs if abs(r[1] - below) < 2))
    return names.replace(" ", ""), days


def test_the_log_is_the_last_page(run: Run) -> None:
    pdf = built(run, "--template", "thigh-back-pain", "--date", DATE.isoformat())
    log = pdf.flat(pdf.pages - 1)
    assert "Your exercise log" in log
    assert "November 21, 2026 to December 4, 2026" in log
    # the 14 days, weekday and day: Sat 21 ... Fri 4
    days = [DATE + dt.timedelta(days=i) for i in range(14)]
    assert header(pdf, pdf.pages - 1, "Sat") == (
        "".join(d.strftime("%a") for d in days), " ".join(str(d.day) for d in days))
    program = builtin_library().programs["thigh-back-pain"]
    for n, entry in enumerate(program.entries, start=1):
        title = builtin_library().exercises[entry.id].title
        assert re.sub(r"\s+", " ", f"{n}. {title}") in log
    assert "Pain today (0 to 10)" in log
    assert "Pain: 0 = no pain, 10 = the worst pain you can imagine." in log
    assert len(boxes(Path("out.pdf"), pdf.pages - 1)) == 14 * len(program.entries)
    assert "Your exercise log" not in pdf.flat(pdf.pages - 2)  # one page, after the rest


def test_no_log_when_asked(run: Run, write: Callable[..., Path]) -> None:
    with_log = built(run, "-e", "quad-set").pages
    assert "Your exercise log" not in built(run, "-e", "quad-set", "--no-log").flat()
    assert built(run, "-e", "quad-set", "--no-log").pages == with_log - 1
    write("v.toml", 'log = false\n[[exercises]]\nid = "quad-set"\n')
    assert "Your exercise log" not in built(run, "v.toml").flat()
    assert "Your exercise log" in built(run, "v.toml", "--log").flat()  # a flag wins
    write("rxprint.toml", "[defaults]\nlog = false\n")
    assert "Your exercise log" not in built(run, "-e", "quad-set").flat()
    result = run("batch", "--all-programs", "-o", "out", "--no-log")
    assert result.exit_code == 0
    assert not any("Your exercise log" in Pdf(p.read_bytes()).flat()
                   for p in Path("out").glob("*.pdf"))


@pytest.mark.parametrize("layout", ["classic", "compact"])
@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_twelve_exercises_fit_one_log_page(run: Run, layout: str, paper: str) -> None:
    args = [a for ident in TWELVE for a in ("-e", ident)]
    pdf = built(run, *args, "--layout", layout, "--paper", paper,
                "--date", DATE.isoformat())
    last = pdf.pages - 1
    days = [DATE + dt.timedelta(days=i) for i in range(14)]  # each head on one line
    assert header(pdf, last, "Sat")[0] == "".join(d.strftime("%a") for d in days)
    assert "Your exercise log" in pdf.flat(last)
    assert "Your exercise log" not in pdf.flat(last - 1)
    assert "12. " in pdf.flat(last) and "Pain today" in pdf.flat(last)
    sides = boxes(Path("out.pdf"), last)
    assert len(sides) == 12 * 14 and min(sides) >= 0.2 * 72 - 0.01


def test_large_print_takes_a_week_a_page(run: Run) -> None:
    args = [a for ident in TWELVE for a in ("-e", ident)]
    pdf = built(run, *args, "--large-print", "--date", DATE.isoformat())
    week1, week2 = pdf.pages - 2, pdf.pages - 1
    assert "Your exercise log: week 1" in pdf.flat(week1)
    assert "November 21, 2026 to November 27, 2026" in pdf.flat(week1)
    assert "Your exercise log: week 2" in pdf.flat(week2)
    assert "November 28, 2026 to December 4, 2026" in pdf.flat(week2)
    for page in (week1, week2):
        sides = boxes(Path("out.pdf"), page)
        assert len(sides) == 12 * 7 and min(sides) >= 0.3 * 72 - 0.01  # a large box
    assert min(size for _, size in run_sizes(pdf)) >= 12 - 0.01


def test_the_log_in_spanish(run: Run) -> None:
    pdf = built(run, "--template", "thigh-back-pain", "--lang", "es",
                "--date", DATE.isoformat(), "--strict")
    log = pdf.flat(pdf.pages - 1)
    assert "Su registro de ejercicios" in log
    assert "Del 21 de noviembre de 2026 al 4 de diciembre de 2026" in log
    spanish = ["sáb", "dom", "lun", "mar", "mié", "jue", "vie"] * 2
    assert header(pdf, pdf.pages - 1, "sáb") == (
        "".join(spanish), " ".join(str((DATE + dt.timedelta(days=i)).day)
                                   for i in range(14)))
    assert "Dolor de hoy (de 0 a 10)" in log
    assert "0 = nada de dolor, 10 = el peor dolor que pueda imaginar" in log


def test_the_cards_layout_ends_with_the_log(run: Run,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RXPRINT_PLUGINS", "cards")
    pdf = built(run, "--template", "hip-flexor-back-pain", "--layout", "cards")
    assert "Your exercise log" in pdf.flat(pdf.pages - 1)
    assert len(boxes(Path("out.pdf"), pdf.pages - 1)) == 14 * 6
