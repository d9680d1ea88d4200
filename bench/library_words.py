"""Words per exercise and education section of the built-in library, and every place an
entry goes past the plain-language limits (rxprint.library.plain_language).

    python bench/library_words.py [--all]     # --all: list every entry, not only the findings
"""

from __future__ import annotations

import statistics
import sys

from rxprint.library.loader import builtin_library
from rxprint.library.plain_language import (
    check_education,
    check_exercise,
    education_words,
    exercise_words,
)


def main() -> None:
    lib = builtin_library()
    show_all = "--all" in sys.argv
    counts = []
    findings = 0
    for e in sorted(lib.exercises.values(), key=lambda e: e.id):
        n = exercise_words(e)
        counts.append(n)
        found = check_exercise(e)
        findings += len(found)
        if found or show_all:
            print(f"{e.id}: {n} words, {len(e.steps)} steps")
        for f in found:
            print(f"    {f.field or '(all)'}: {f.message}")
    for s in sorted(lib.education.values(), key=lambda s: s.id):
        found = check_education(s)
        findings += len(found)
        if found or show_all:
            print(f"{s.id}: {education_words(s)} words")
        for f in found:
            print(f"    {f.field or '(all)'}: {f.message}")
    print(f"\n{len(counts)} exercises: median {statistics.median(counts)} words, "
          f"max {max(counts)}; {findings} findings")


if __name__ == "__main__":
    main()
