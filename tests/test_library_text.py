"""The built-in library's text: written in its own words (no run of 8 words copied from
the content brief), carrying the brief's facts to the page, and its sources listed in
the README.

Two checks can be run by hand, from the repository's root:

    python -m tests.test_library_text copies [BRIEF.md]   # runs of 8+ words shared
    python -m tests.test_library_text sources --write     # rewrite the README's table
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import re
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest

from rxprint.library.loader import Library, builtin_library
from rxprint.library.model import ProgramRequest
from rxprint.library.programs import resolve, with_flags
from rxprint.render.handout import render_handout

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
# the brief lives beside the repository (not in it): $RXPRINT_CONTENT_BRIEF overrides
BRIEF = Path(os.environ.get("RXPRINT_CONTENT_BRIEF",
                            ROOT.parent / "shared" / "content-brief.md"))
RUN = 8  # this many words in a row, shared with the brief, count as copied
WORD = re.compile(r"[a-z0-9]+(?:['\u2019][a-z]+)*")


# -- what the library prints ------------------------------------------------------------


def library_texts(lib: Library) -> Iterator[tuple[str, str]]:
    """Every text of the library a reader sees, as (where, text): exercises, education
    sections and standard programs, field by field."""
    for e in sorted(lib.exercises.values(), key=lambda e: e.id):
        yield f"{e.id}.title", e.title
        yield f"{e.id}.position", e.position
        yield f"{e.id}.purpose", e.purpose
        for key in ("steps", "cues", "cautions"):
            for i, text in enumerate(getattr(e, key), start=1):
                yield f"{e.id}.{key}[{i}]", text
    for s in sorted(lib.education.values(), key=lambda s: s.id):
        yield f"{s.id}.title", s.title
        for key in ("paragraphs", "bullets"):
            for i, text in enumerate(getattr(s, key), start=1):
                yield f"{s.id}.{key}[{i}]", text
    for p in sorted(lib.programs.values(), key=lambda p: p.id):
        yield f"{p.id}.title", p.title
        yield f"{p.id}.description", p.description


def words(text: str) -> list[str]:
    """Lowercase words, punctuation dropped ("don't" stays one word)."""
    return WORD.findall(text.lower().replace("-", " "))


def copied_runs(texts: Iterable[tuple[str, str]], brief: str,
                run: int = RUN) -> list[tuple[str, str]]:
    """(where, the words) for each run of ``run`` or more words in a row that a text
    shares with ``brief``, longest first within a text; overlapping runs are merged."""
    brief_words = words(brief)
    grams = {tuple(brief_words[i:i + run]) for i in range(len(brief_words) - run + 1)}
    found: list[tuple[str, str]] = []
    for where, text in texts:
        w = words(text)
        hits = [i for i in range(len(w) - run + 1) if tuple(w[i:i + run]) in grams]
        start = None
        for n, i in enumerate(hits):
            if start is None:
                start = i
            if n + 1 == len(hits) or hits[n + 1] != i + 1:
                found.append((where, " ".join(w[start:i + run])))
                start = None
    return found


def test_no_text_copies_the_brief(library: Library) -> None:
    """No run of 8 or more words of any library text is in the content brief."""
    if not BRIEF.is_file():
        missing = (f"the content brief is not here ({BRIEF}): it lives outside the "
                   "repository, in ../shared/; set RXPRINT_CONTENT_BRIEF to check against "
                   "a copy")
        if os.environ.get("CI") == "true":  # CI has it beside the clone: never a silent skip
            pytest.fail(missing)
        pytest.skip(missing)
    copies = copied_runs(library_texts(library), BRIEF.read_text(encoding="utf-8"))
    assert not copies, "\n".join(f"{where}: {text}" for where, text in copies)


def test_the_copy_check_finds_a_copied_run() -> None:
    brief = "Stretches should not be uncomfortable and should feel a little better."
    texts = [("a", "Remember: stretches should not hurt, and should feel fine."),
             ("b", "Stretches should NOT be uncomfortable, and should feel a little odd."),
             ("c", "A stretch should never be uncomfortable and should feel a bit better.")]
    assert copied_runs(texts, brief) == [
        ("b", "stretches should not be uncomfortable and should feel a little")]


# -- the brief's facts reach the page ---------------------------------------------------

# One key phrase per fact of the content brief that the handouts must carry, in the
# library's own words (see the brief: 000, 002, 003, 004).
FACTS = {
    "000: sitting stretches the front thigh, shortens the back thigh and hip flexors; "
    "standing the reverse": "standing does the opposite",
    "000: very stiff front thighs can force a backward tilt when seated":
        "tip your hips back into a slump",
    "000: self-massage adds to stretching, not only eases soreness":
        "makes your stretches work better",
    "002: attention to how you use your legs and feet often helps":
        "how you use your legs and feet",
    "003: the chain of joints, mobile and stable in turn": "take turns",
    "003: soreness after running": "sore after you run",
    "003: a professional evaluation or gait analysis can find a cause": "gait analysis",
    "004: the sacroiliac joint and lower spine take the movement": "sacroiliac",
    "004: a small shift over thousands of steps a day adds up over weeks":
        "thousands of steps",
    "004: driving and evenings are sitting time with little counter-stretch":
        "in the car",
}


@functools.cache
def standard_handouts() -> dict[str, str]:
    """The text of each standard program's classic handout, whitespace folded."""
    from .conftest import Pdf

    lib = builtin_library()
    out = {}
    for ident in sorted(lib.programs):
        program = resolve(with_flags(ProgramRequest(), template=ident), lib,
                          dt.date(2026, 11, 21))
        pdf = Pdf(render_handout(program).pdf)
        out[ident] = pdf.flat()
    return out


@pytest.mark.parametrize("fact", sorted(FACTS))
def test_each_fact_of_the_brief_reaches_a_standard_handout(fact: str) -> None:
    phrase = FACTS[fact]
    found = [p for p, text in standard_handouts().items() if phrase.lower() in text.lower()]
    where = [w for w, t in library_texts(builtin_library()) if phrase.lower() in t.lower()]
    assert found, (f"{fact}: no standard program's handout says {phrase!r}; the library "
                   f"has it in: {where or 'no entry'}")


# -- the sources table of the README ----------------------------------------------------

TABLE_START = ("<!-- sources table: generated by "
               "`python -m tests.test_library_text sources --write` -->")
TABLE_END = "<!-- end of sources table -->"


def sources_table(lib: Library) -> str:
    """The README's table: every library entry and the source ids it cites."""
    lines = ["| entry | kind | sources |", "|---|---|---|"]
    lines += [f"| `{ident}` | {kind} | {', '.join(sources)} |"
              for kind, ident, sources in entries(lib)]
    return "\n".join(lines)


def readme_table(text: str) -> str | None:
    start, end = text.find(TABLE_START), text.find(TABLE_END)
    if start < 0 or end < start:
        return None
    return text[start + len(TABLE_START):end].strip()


def test_the_readme_lists_the_sources_of_every_entry(library: Library) -> None:
    found = readme_table(README.read_text(encoding="utf-8"))
    assert found is not None, f"README.md lacks the markers {TABLE_START!r} ... {TABLE_END!r}"
    assert found == sources_table(library), (
        "README.md's sources table is out of date: run "
        "`python -m tests.test_library_text sources --write`")


def test_every_source_cited_is_described_in_the_readme(library: Library) -> None:
    """Each source id an entry cites has a row in the README's table of sources."""
    text = README.read_text(encoding="utf-8")
    described = set(re.findall(r"^\| (\d{3}|[a-z][a-z ]+) \| ", text, re.M))
    cited = {source for _, _, sources in entries(library) for source in sources}
    assert cited <= described, sorted(cited - described)


def entries(lib: Library) -> list[tuple[str, str, tuple[str, ...]]]:
    """(kind, id, sources) of every entry, exercises, then education, then programs."""
    rows = [("exercise", e.id, e.sources) for e in lib.exercises.values()]
    rows += [("education", s.id, s.sources) for s in lib.education.values()]
    rows += [("program", p.id, p.sources) for p in lib.programs.values()]
    order = {"exercise": 0, "education": 1, "program": 2}
    return sorted(rows, key=lambda r: (order[r[0]], r[1]))


def write_readme_table(lib: Library) -> bool:
    """Rewrite the README's sources table; True when it changed."""
    text = README.read_text(encoding="utf-8")
    old = readme_table(text)
    if old is None:
        raise SystemExit(f"README.md lacks the markers {TABLE_START!r} ... {TABLE_END!r}")
    new = sources_table(lib)
    if old == new:
        return False
    start = text.index(TABLE_START) + len(TABLE_START)
    README.write_text(text[:start] + "\n\n" + new + "\n\n" + text[text.index(TABLE_END):],
                      encoding="utf-8")
    return True


def main(argv: list[str]) -> int:
    lib = builtin_library()
    if argv[:1] == ["copies"]:
        brief = Path(argv[1]) if len(argv) > 1 else BRIEF
        copies = copied_runs(library_texts(lib), brief.read_text(encoding="utf-8"))
        for where, text in copies:
            print(f"{where}: {text}")
        print(f"{len(copies)} run(s) of {RUN}+ words shared with {brief}")
        return 1 if copies else 0
    if argv[:1] == ["sources"]:
        if "--write" in argv:
            print("README.md updated" if write_readme_table(lib) else "README.md up to date")
        else:
            print(sources_table(lib))
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
