"""Words per exercise and education section of the built-in library, and every place an
entry goes past the plain-language limits (rxprint.library.plain_language).

    python bench/library_words.py [--all]     # --all: list every entry, not only the findings
"""

from __future__ import annotations

import statistics
import sys

from rxprint.library.loader import builtin_library
from rxprint.library.plain_language import (
    Finding,
    check_education,
    check_exercise,
    education_words,
    exercise_words,
)


def report(label: str, found: list[Finding], show_all: bool) -> int:
    """Print an entry's line (when it has findings, or ``show_all``) and its findings;
    the number of findings."""
    if found or show_all:
        print(label)
    for f in found:
        print(f"    {f.field or '(all)'}: {f.message}")
    return len(found)


def main() -> None:
    lib = builtin_library()
    show_all = "--all" in sys.argv
    counts = []
    findings = 0
    for e in sorted(lib.exercises.values(), key=lambda e: e.id):
        counts.append(exercise_words(e))
        findings += report(f"{e.id}: {counts[-1]} words, {len(e.steps)} steps",
                           check_exercise(e), show_all)
    for s in sorted(lib.education.values(), key=lambda s: s.id):
        findings += report(f"{s.id}: {education_words(s)} words", check_education(s),
                           show_all)
    print(f"\n{len(counts)} exercises: median {statistics.median(counts)} words, "
          f"max {max(counts)}; {findings} findings")


if __name__ == "__main__":
    main()
