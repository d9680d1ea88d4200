"""``rxprint batch --clinician`` (a default for rows and files that give none) and the
report's ``template`` for each handout."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from click.testing import Result

from .conftest import Pdf

Run = Callable[..., Result]


def text_of(path: Path) -> str:
    return "\n".join(Pdf(path.read_bytes()).texts())


def test_clinician_fills_rows_that_give_none_and_rows_keep_their_own(
        run: Run, tmp_path: Path) -> None:
    (tmp_path / "r.csv").write_text("patient,template,clinician\n"
                                    "Ann Lee,hip-flexor-back-pain,Kim Park DPT\n"
                                    "Bo Ray,thigh-back-pain,\n")
    result = run("batch", "r.csv", "-o", "out", "-j", "1", "--clinician", "Sam Lee, PT",
                 "--report", "rep.json")
    assert result.exit_code == 0, result.output
    first = text_of(tmp_path / "out" / "0002-hip-flexor-back-pain.pdf")
    second = text_of(tmp_path / "out" / "0003-thigh-back-pain.pdf")
    assert "Kim Park DPT" in first and "Sam Lee, PT" not in first
    assert "Sam Lee, PT" in second
    items = json.loads((tmp_path / "rep.json").read_text())["items"]
    assert [i["template"] for i in items] == ["hip-flexor-back-pain", "thigh-back-pain"]


def test_all_programs_with_a_clinician_and_the_template_of_each(run: Run,
                                                                tmp_path: Path) -> None:
    result = run("batch", "--all-programs", "-o", "out", "-j", "2", "--clinician",
                 "Sam Lee, PT", "--report", "rep.json")
    assert result.exit_code == 0, result.output
    items = json.loads((tmp_path / "rep.json").read_text())["items"]
    programs = sorted(p.stem for p in (tmp_path / "out").iterdir())
    assert sorted(i["template"] for i in items) == programs
    assert "hip-flexor-back-pain" in programs and len(programs) >= 5
    for name in programs[:2]:
        assert "Sam Lee, PT" in text_of(tmp_path / "out" / f"{name}.pdf")


def test_a_failed_row_records_no_template(run: Run, tmp_path: Path) -> None:
    # a template column that names no standard program may hold anything (a name typed
    # in the wrong column): the report never repeats it
    (tmp_path / "r.csv").write_text("patient,template\n"
                                    "Ann Lee,zelda-quixote\n"
                                    "Bo Ray,thigh-back-pain\n")
    result = run("batch", "r.csv", "-o", "out", "-j", "1", "--report", "rep.json")
    assert result.exit_code == 1
    items = json.loads((tmp_path / "rep.json").read_text())["items"]
    assert [(i["status"], i["template"]) for i in items] == [("failed", None),
                                                           ("done", "thigh-back-pain")]


def test_a_clinician_over_the_limit_is_a_usage_error(run: Run, tmp_path: Path) -> None:
    result = run("batch", "--all-programs", "-o", "out", "--clinician", "x" * 500)
    assert result.exit_code == 2
    assert "--clinician" in result.output and "500 characters" in result.output
    assert not (tmp_path / "out").exists()
