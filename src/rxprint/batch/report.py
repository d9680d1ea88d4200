"""What a batch tells afterwards: the summary lines on stderr and the JSON report. Both
are made from outcomes only, so neither can hold patient data."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from rxprint import __version__
from rxprint.batch.jobs import Outcome
from rxprint.errors import Msg

STATUSES = ("done", "skipped", "failed")


def counts(outcomes: Sequence[Outcome]) -> dict[str, int]:
    return {s: sum(1 for o in outcomes if o.status == s) for s in STATUSES}


def summary_line(outcomes: Sequence[Outcome], total: int, seconds: float, workers: int,
                 out_dir: Path, stopped: str | None) -> str:
    """The batch's last line. When nothing stopped it (a stop's reason is English only),
    a Msg: said in the interface language."""
    n = counts(outcomes)
    left = total - len(outcomes)
    if not stopped:
        who = (Msg("batch.workers.one", "{n} worker", n=workers) if workers == 1 else
               Msg("batch.workers.other", "{n} workers", n=workers) if workers else
               Msg("batch.workers.none", "no worker"))
        return Msg("batch.summary", "Batch: {done} done, {skipped} skipped (already there), "
                   "{failed} failed, in {seconds} s with {workers}; handouts in {folder}",
                   done=n["done"], skipped=n["skipped"], failed=n["failed"],
                   seconds=f"{seconds:.1f}", workers=who, folder=str(out_dir))
    return (f"Batch: {n['done']} done, {n['skipped']} skipped (already there), "
            f"{n['failed']} failed" + (f", {left} not started ({stopped})" if stopped else "")
            + f", in {seconds:.1f} s with "
            + (f"{workers} worker{'s' if workers != 1 else ''}" if workers else "no worker")
            + f"; handouts in {out_dir}")


def _text(name: str | None) -> str | None:
    """A file name as JSON text: bytes that were not UTF-8 (kept by Python as lone
    surrogates, which strict JSON readers refuse) written as ``\\xff``."""
    if name is None:
        return None
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def report_json(outcomes: Sequence[Outcome], total: int, seconds: float, workers: int,
                out_dir: Path, stopped: str | None, *, interrupted: bool,
                timeout: float) -> bytes:
    """The report: the run's summary and one record per job that ended, in job order.
    Every handout in the folder that this run made or kept has its record."""
    data = {"rxprint": __version__, "output_dir": _text(str(out_dir)),
            "interrupted": interrupted,
            "stopped": stopped,
            "summary": {**counts(outcomes), "not_started": total - len(outcomes),
                        "seconds": round(seconds, 3), "workers": workers,
                        "timeout": timeout},
            "items": [{**o.record(), "file": _text(o.file), "output": _text(o.output)}
                      for o in outcomes]}
    # ASCII: file names that are not valid UTF-8 (kept by Python as lone surrogates) and
    # control or bidi characters are escaped, never written raw
    return (json.dumps(data, indent=2, ensure_ascii=True) + "\n").encode()
