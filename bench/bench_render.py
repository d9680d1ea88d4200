"""Benchmark: rxprint handouts rendered in one process, against the plain-ReportLab floor.

    python bench/bench_render.py [--count 200] [--no-pictures] [--template ID]

Renders the five standard programs round-robin (patient name and notes vary), with the
library, fonts and catalog loaded once, as batch export will. Prints milliseconds per
handout (median of 5 rounds), pages and kilobytes per handout; ``--no-pictures`` renders
text-only handouts (the "before pictures" figures); ``--template`` renders one program. Compare with
``../shared/bench/rl_handout.py --count N --ttf-dir ...`` (see its README).
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import time

from rxprint.library.loader import builtin_library
from rxprint.library.model import ProgramRequest
from rxprint.library.programs import resolve, with_flags
from rxprint.render.handout import render_handout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=200, help="handouts per round")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--no-pictures", dest="pictures", action="store_false",
                        help="leave out the drawings (text-only handouts)")
    parser.add_argument("--template", help="render only this standard program")
    args = parser.parse_args()

    start = time.perf_counter()
    library = builtin_library()
    loaded = time.perf_counter() - start
    templates = [args.template] if args.template else sorted(library.programs)
    programs = [
        resolve(with_flags(ProgramRequest(notes=f"Visit {i}: do these after your walk."),
                           template=templates[i % len(templates)],
                           patient_name=f"Patient {i:04d}", clinician="Sam Lee, PT, DPT"),
                library, dt.date(2026, 11, 21))
        for i in range(args.count)
    ]
    render_handout(programs[0])  # first call registers fonts: measured separately below
    per_handout: list[float] = []
    pages = size = 0
    for _ in range(args.rounds):
        t0 = time.perf_counter()
        for program in programs:
            result = render_handout(program, pictures=args.pictures)
            pages += result.pages
            size += len(result.pdf)
        per_handout.append((time.perf_counter() - t0) / len(programs) * 1000)
    print(f"library load: {loaded * 1000:.1f} ms (once per process)")
    print(f"{args.count} handouts x {args.rounds} rounds: median "
          f"{statistics.median(per_handout):.1f} ms per handout "
          f"(min {min(per_handout):.1f}, max {max(per_handout):.1f}); "
          f"{pages / (args.count * args.rounds):.1f} pages, "
          f"{size / (args.count * args.rounds) / 1024:.1f} KB per handout")


if __name__ == "__main__":
    main()
