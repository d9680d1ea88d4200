"""Benchmark: rxprint against the plain-ReportLab floor, side by side in one run.

    python bench/bench_batch.py [--count 1000] [--rounds 3] [--floor ../shared/bench/rl_handout.py]

Every figure is a whole process (``rxprint`` as installed, the floor with the same Python),
measured in this run and reported as a ratio to the floor's, because these machines are
noisy and absolute times do not compare across runs. Rounds are interleaved (floor, then
rxprint, then the floor again...) and the median is taken.

- batch throughput: ``rxprint batch`` of COUNT rows of hip-flexor-back-pain (pictures on)
  at -j 1 and -j 2, against ``rl_handout.py --count COUNT``;
- cold build: ``rxprint build --template hip-flexor-back-pain`` against ``--count 1``;
- the commands that render nothing (``--help``, ``--version``, ``list``, ``show``,
  ``programs``), as seconds and as a ratio to the floor's ``--count 1``;
- memory: the peak RSS of a COUNT-handout batch against a 10-handout batch (-j 1);
- size: the six-exercise thigh-back-pain handout with drawings.

Bytecode: an editable install run with PYTHONDONTWRITEBYTECODE=1 compiles rxprint's source
on every start, which a normal install (pip compiles at install time) never does; this
script unsets it for the processes it starts and warms each command once first.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_FLOOR = HERE.parent.parent / "shared" / "bench" / "rl_handout.py"
RXPRINT = Path(sys.executable).with_name("rxprint")


def run(argv: Sequence[str], cwd: Path) -> tuple[float, int]:
    """Wall seconds and peak RSS (KiB, the process and its workers) of one process."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.setdefault("RXPRINT_PLUGINS", "")  # rxprint alone, unless told otherwise
    start = time.perf_counter()
    proc = subprocess.Popen(list(argv), cwd=cwd, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    err = proc.stderr.read().decode() if proc.stderr else ""
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(argv)}\n{err}")
    return seconds, usage.ru_maxrss


def median_of(rounds: int, argv: Sequence[str], cwd: Path, before: Sequence[str] = ()) -> float:
    times = []
    for _ in range(rounds):
        if before:
            subprocess.run(list(before), cwd=cwd, check=True)
        times.append(run(argv, cwd)[0])
    return statistics.median(times)


def roster(path: Path, count: int) -> Path:
    path.write_text("patient,template,notes\n" + "".join(
        f"Patient {i:05d},hip-flexor-back-pain,Visit {i}: do these after your walk.\n"
        for i in range(count)), encoding="utf-8")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000, help="handouts per batch")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of each (median)")
    parser.add_argument("--floor", type=Path, default=DEFAULT_FLOOR,
                        help="the floor script, rl_handout.py")
    args = parser.parse_args()
    if not args.floor.is_file():
        raise SystemExit(f"{args.floor}: not found; pass --floor PATH/rl_handout.py")
    import fontpkg_atkinson_hyperlegible as atkinson

    ttf = str(Path(atkinson.ROOT) / "files")
    py = sys.executable
    work = Path(tempfile.mkdtemp(prefix="rxprint-bench-"))
    try:
        floor = [py, str(args.floor), "--ttf-dir", ttf, "--out", str(work / "floor" / "h.pdf")]
        (work / "floor").mkdir()
        rx = str(RXPRINT)
        roster(work / "big.csv", args.count)
        roster(work / "small.csv", 10)
        clean = [py, "-c", "import shutil, sys; shutil.rmtree(sys.argv[1], True)", "out"]

        for warm in ([rx, "--version"], [*floor, "--count", "1"]):
            run(warm, work)
        lines = [f"rxprint benchmark, {time.strftime('%Y-%m-%d')}, {os.cpu_count()} CPUs, "
                 f"Python {sys.version.split()[0]}; {args.rounds} rounds, medians", ""]

        floor_one = median_of(args.rounds, [*floor, "--count", "1"], work)
        build = median_of(args.rounds, [rx, "build", "--template", "hip-flexor-back-pain",
                                        "--patient", "Jane Doe", "-o", "one.pdf", "--force"],
                          work)
        lines += ["| cold, one handout (new process) | seconds | ratio to the floor |",
                  "|---|---|---|",
                  f"| floor `rl_handout.py --count 1` | {floor_one:.3f} | 1.00 |",
                  f"| `rxprint build --template hip-flexor-back-pain` | {build:.3f} | "
                  f"{build / floor_one:.2f} |"]
        for cmd in (["--help"], ["--version"], ["list"], ["show", "glute-bridge"],
                    ["programs"]):
            t = median_of(args.rounds, [rx, *cmd], work)
            lines.append(f"| `rxprint {' '.join(cmd)}` | {t:.3f} | {t / floor_one:.2f} |")

        floor_many = median_of(args.rounds, [*floor, "--count", str(args.count)], work)
        per_floor = floor_many / args.count
        lines += ["", f"| batch, {args.count} handouts of hip-flexor-back-pain | ms per "
                      "handout | ratio to the floor | throughput vs -j 1 |", "|---|---|---|---|",
                  f"| floor `rl_handout.py --count {args.count}` | {per_floor * 1000:.1f} | "
                  "1.00 | |"]
        j1 = median_of(args.rounds, [rx, "batch", "big.csv", "-o", "out", "-j", "1"], work,
                       before=clean)
        j2 = median_of(args.rounds, [rx, "batch", "big.csv", "-o", "out", "-j", "2"], work,
                       before=clean)
        for label, t in (("-j 1", j1), ("-j 2", j2)):
            lines.append(f"| `rxprint batch {label}` | {t / args.count * 1000:.1f} | "
                         f"{t / args.count / per_floor:.2f} | {j1 / t:.2f}x |")

        shutil.rmtree(work / "out", ignore_errors=True)
        _, rss_small = run([rx, "batch", "small.csv", "-o", "out-small", "-j", "1"], work)
        _, rss_big = run([rx, "batch", "big.csv", "-o", "out", "-j", "1", "--force"], work)
        lines += ["", f"Peak RSS, -j 1: 10 handouts {rss_small / 1024:.0f} MiB, {args.count} "
                      f"handouts {rss_big / 1024:.0f} MiB (ratio {rss_big / rss_small:.2f})."]
        run([rx, "build", "--template", "thigh-back-pain", "--patient", "Jane Doe", "-o",
             "six.pdf", "--force"], work)
        size = (work / "six.pdf").stat().st_size
        lines.append(f"Size: thigh-back-pain (six exercises, drawings), classic, letter: "
                     f"{size / 1024:.1f} KB.")
        print("\n".join(lines))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
