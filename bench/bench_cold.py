"""Benchmark: a cold ``rxprint build`` (a new process, one handout) against the floor.

    python bench/bench_cold.py [--rounds 15] [--floor ../shared/bench/rl_handout.py]
                               [--plugins] [--template hip-flexor-back-pain]

Runs, in fresh processes, ROUNDS interleaved rounds of: the floor's ``--count 1`` (with
the embedded Atkinson Hyperlegible TTFs, as rxprint embeds), ``rxprint build --template
TEMPLATE -o X --force``, and the light commands ``rxprint list`` and ``rxprint --help``.
Every figure is the median wall time of a whole process, and its ratio to the floor's
median from the same run (these shared machines are noisy: absolute times do not compare
across runs). The median of the per-round ratios is shown too: a round's commands run
back to back, so a slow spell of the machine weighs on both sides of that ratio alike; and
the CPU time (user + system) of each process, which waiting for a busy CPU does not
inflate.

Bytecode: an editable install run with ``PYTHONDONTWRITEBYTECODE=1`` would compile
rxprint's source on every start, which a normal install (pip compiles at install time)
never does; this script unsets it for the processes it starts and runs every command once
first. ``RXPRINT_PLUGINS`` is set empty (rxprint alone, as ``bench_batch.py``) unless
``--plugins`` is given (then every installed plugin loads, as for a user).

For where the time goes: ``python -X importtime -m rxprint.cli build ...`` (imports) and
``python -m cProfile -s cumtime -m rxprint.cli build ...``.
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


def run(argv: Sequence[str], cwd: Path, env: dict[str, str]) -> tuple[float, float]:
    """Wall seconds and CPU seconds (user + system) of one process (it must succeed)."""
    start = time.perf_counter()
    proc = subprocess.Popen(list(argv), cwd=cwd, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    err = proc.stderr.read() if proc.stderr else b""
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"failed: {' '.join(argv)}\n{err.decode(errors='replace')}")
    return seconds, usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15, help="rounds of each (median)")
    parser.add_argument("--floor", type=Path, default=DEFAULT_FLOOR,
                        help="the floor script, rl_handout.py")
    parser.add_argument("--template", default="hip-flexor-back-pain",
                        help="the standard program to build")
    parser.add_argument("--plugins", action="store_true",
                        help="load the installed plugins too (default: RXPRINT_PLUGINS='')")
    parser.add_argument("--rxprint", action="append", type=Path, metavar="PROGRAM",
                        help="the rxprint command to measure (default: the one beside this "
                             "Python); give it twice to compare two (another checkout's)")
    args = parser.parse_args()
    if not args.floor.is_file():
        raise SystemExit(f"{args.floor}: not found; pass --floor PATH/rl_handout.py")
    import fontpkg_atkinson_hyperlegible as atkinson

    ttf = str(Path(atkinson.ROOT) / "files")
    env = {k: v for k, v in os.environ.items()
           if k != "PYTHONDONTWRITEBYTECODE" and not k.startswith("RXPRINT_")}
    if not args.plugins:
        env["RXPRINT_PLUGINS"] = ""
    py = sys.executable
    programs = [p.absolute() for p in args.rxprint or [RXPRINT]]
    work = Path(tempfile.mkdtemp(prefix="rxprint-cold-"))
    try:
        commands: dict[str, list[str]] = {
            "floor `rl_handout.py --count 1`":
                [py, str(args.floor), "--ttf-dir", ttf, "--out", str(work / "floor" / "h.pdf"),
                 "--count", "1"],
        }
        for program in programs:
            rx = str(program)
            which = f" ({program})" if len(programs) > 1 else ""
            commands.update({
                f"`rxprint build --template {args.template}`{which}":
                    [rx, "build", "--template", args.template, "-o", "one.pdf", "--force"],
                f"`rxprint list`{which}": [rx, "list"],
                f"`rxprint --help`{which}": [rx, "--help"],
            })
        (work / "floor").mkdir()
        for argv in commands.values():  # compile bytecode, fill the disk cache
            run(argv, work, env)
        wall: dict[str, list[float]] = {name: [] for name in commands}
        cpu: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(args.rounds):
            for name, argv in commands.items():
                seconds, used = run(argv, work, env)
                wall[name].append(seconds)
                cpu[name].append(used)
        floor_name = next(iter(commands))
        floor, floor_cpu = wall[floor_name], cpu[floor_name]
        lines = [f"rxprint cold start, {time.strftime('%Y-%m-%d')}, {os.cpu_count()} CPUs, "
                 f"Python {sys.version.split()[0]}; {args.rounds} rounds, medians"
                 f"{', installed plugins loaded' if args.plugins else ''}", "",
                 "| new process | seconds | ratio to the floor | median ratio per round "
                 "| CPU seconds | CPU ratio |", "|---|---|---|---|---|---|"]
        for name in commands:
            median = statistics.median(wall[name])
            per_round = statistics.median(v / f for v, f in zip(wall[name], floor, strict=True))
            used = statistics.median(cpu[name])
            lines.append(f"| {name} | {median:.3f} | {median / statistics.median(floor):.2f} | "
                         f"{per_round:.2f} | {used:.3f} | "
                         f"{used / statistics.median(floor_cpu):.2f} |")
        print("\n".join(lines))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
