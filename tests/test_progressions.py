"""Progressions and regressions: the ``easier`` and ``harder`` links between exercises,
checked when the library loads, printed on the handout and shown by ``rxprint show``.

The exercises here are fixtures (``tests/progressions/``: step-easy -> step-mid ->
step-hard, and step-alone linked to none), so the tests hold whatever links the built-in
library has."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from rxprint.errors import ValidationError
from rxprint.language.messages import catalog
from rxprint.library.loader import Library

from .conftest import Pdf, built

Run = Callable[..., Result]
Writer = Callable[[str, "str | bytes"], Path]
Plugins = Callable[[str, str], Path]

FIXTURES = Path(__file__).parent / "progressions"
EASY, MID, HARD = "Step-up onto a low step", "Step-up onto a stair", "Step-up onto a high step"
# step-alone ("Step in place") is linked to none


def fixture_plugin(plugins: Plugins, folder: Path = FIXTURES) -> None:
    plugins("steps", f'''
        from pathlib import Path
        from rxprint.api import hookimpl

        @hookimpl
        def register_exercises(register):
            register(Path({str(folder)!r}))
        ''')


def copy_fixtures(tmp_path: Path) -> Path:
    folder = tmp_path / "lib"
    shutil.copytree(FIXTURES, folder)
    return folder


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def load_errors(folder: Path) -> str:
    with pytest.raises(ValidationError) as err:
        Library.from_dirs([folder])
    return str(err.value)


# -- loading and checking ---------------------------------------------------------------


def test_links_load_and_make_a_chain() -> None:
    lib = Library.from_dirs([FIXTURES])
    mid = lib.exercises["step-mid"]
    assert (mid.easier, mid.harder) == ("step-easy", "step-hard")
    assert lib.exercises["step-easy"].easier is None
    for ident in ("step-easy", "step-mid", "step-hard"):
        assert [e.id for e in lib.progression(ident)] == ["step-easy", "step-mid",
                                                          "step-hard"]


def test_a_link_written_on_one_side_only_still_makes_the_chain(tmp_path: Path) -> None:
    """B.easier may be left out when A.harder = B (the documented rule)."""
    folder = copy_fixtures(tmp_path)
    edit(folder / "step-hard.toml", 'easier = "step-mid"\n', "")
    edit(folder / "step-mid.toml", 'easier = "step-easy"\n', "")
    lib = Library.from_dirs([folder])
    assert [e.id for e in lib.progression("step-hard")] == ["step-easy", "step-mid",
                                                            "step-hard"]


def test_an_unknown_id_names_file_line_and_field(tmp_path: Path) -> None:
    folder = copy_fixtures(tmp_path)
    edit(folder / "step-mid.toml", 'harder = "step-hard"', 'harder = "step-hardd"')
    edit(folder / "step-hard.toml", 'easier = "step-mid"\n', "")
    text = load_errors(folder)
    assert (f'{folder / "step-mid.toml"}:14: harder: unknown exercise "step-hardd" '
            '(did you mean "step-hard"') in text


def test_an_exercise_cannot_be_its_own_easier_or_harder(tmp_path: Path) -> None:
    folder = copy_fixtures(tmp_path)
    edit(folder / "step-easy.toml", 'harder = "step-mid"', 'harder = "step-easy"')
    text = load_errors(folder)
    assert (f'{folder / "step-easy.toml"}:13: harder: "step-easy" is this exercise '
            "itself") in text


def test_the_same_exercise_cannot_be_easier_and_harder(tmp_path: Path) -> None:
    folder = copy_fixtures(tmp_path)
    edit(folder / "step-mid.toml", 'harder = "step-hard"', 'harder = "step-easy"')
    text = load_errors(folder)
    assert "step-mid.toml:14: harder: \"step-easy\" is named as both easier and harder" in text


def test_two_linked_exercises_must_agree(tmp_path: Path) -> None:
    """A.harder = B while B.easier names another exercise C: an error at A.harder."""
    folder = copy_fixtures(tmp_path)
    edit(folder / "step-easy.toml", 'harder = "step-mid"', 'harder = "step-hard"')
    text = load_errors(folder)
    assert (f'{folder / "step-easy.toml"}:13: harder: "step-hard" names "step-mid" as its '
            'easier exercise, not "step-easy"') in text
    assert 'set easier = "step-easy" in "step-hard", or leave it out there' in text


def test_a_loop_is_an_error_reported_once(tmp_path: Path) -> None:
    folder = copy_fixtures(tmp_path)
    edit(folder / "step-hard.toml", 'easier = "step-mid"', 'easier = "step-mid"\n'
                                                           'harder = "step-easy"')
    edit(folder / "step-easy.toml", 'harder = "step-mid"', 'easier = "step-hard"\n'
                                                           'harder = "step-mid"')
    text = load_errors(folder)
    loops = re.findall(r"the exercises get harder in a loop: (.*?), each", text)
    assert loops == ['"step-easy" -> "step-mid" -> "step-hard" -> "step-easy"'], text
    assert f'{folder / "step-easy.toml"}:14: harder: the exercises get harder' in text


def test_a_loop_made_of_easier_links_alone_is_found(tmp_path: Path) -> None:
    folder = copy_fixtures(tmp_path)
    for name in ("step-easy", "step-mid", "step-hard"):
        path = folder / f"{name}.toml"
        path.write_text(re.sub(r'(easier|harder) = "[a-z-]+"\n', "",
                               path.read_text(encoding="utf-8")), encoding="utf-8")
    edit(folder / "step-easy.toml", "[dosage]", 'easier = "step-hard"\n\n[dosage]')
    edit(folder / "step-mid.toml", "[dosage]", 'easier = "step-easy"\n\n[dosage]')
    edit(folder / "step-hard.toml", "[dosage]", 'easier = "step-mid"\n\n[dosage]')
    text = load_errors(folder)
    assert text.count("get harder in a loop") == 1
    # the link leaving "step-easy" (the smallest id) is written in step-mid: its easier
    assert "step-mid.toml:14: easier: the exercises get harder in a loop" in text


def test_validate_reports_link_problems(run: Run, tmp_path: Path) -> None:
    folder = copy_fixtures(tmp_path)
    edit(folder / "step-mid.toml", 'easier = "step-easy"', 'easier = "step-esay"')
    result = run("validate", str(folder))
    assert result.exit_code == 1
    assert 'step-mid.toml:13: easier: unknown exercise "step-esay"' in result.output
    assert "Traceback" not in result.output
    assert run("validate", str(FIXTURES)).exit_code == 0


def test_a_plugin_object_with_a_bad_link_names_the_plugin(run: Run, plugins: Plugins) -> None:
    plugins("oak", '''
        from dataclasses import replace
        from pathlib import Path
        from rxprint.api import hookimpl
        from rxprint.library.loader import builtin_dir
        from rxprint.library.schema import parse_exercise
        from rxprint.files.tomlfile import load_toml

        @hookimpl
        def register_exercises(register):
            quad = parse_exercise(load_toml(builtin_dir() / "strengthening" / "quad-set.toml"), [])
            register(replace(quad, id="oak-quad", harder="no-such-exercise", easier=None))
        ''')
    result = run("list")
    assert result.exit_code == 1
    assert "<plugin oak" in result.output and "exercise \"oak-quad\">: harder: unknown " \
        'exercise "no-such-exercise"' in result.output
    assert "Traceback" not in result.output


def test_a_plugin_object_with_good_links_loads(run: Run, plugins: Plugins) -> None:
    fixture_plugin(plugins)
    data = json.loads(run("show", "step-hard", "--json").output)
    assert data["easier"] == "step-mid" and data["harder"] is None
    assert data["progression"] == ["step-easy", "step-mid", "step-hard"]


# -- rxprint show -----------------------------------------------------------------------


def test_show_prints_the_chain_with_the_exercise_marked(run: Run, plugins: Plugins) -> None:
    fixture_plugin(plugins)
    shown = " ".join(run("show", "step-mid").output.split())  # it wraps at 88 columns
    assert f"Progression: {EASY} -> {MID} (this one) -> {HARD}" in shown
    assert f"Progression: {EASY} (this one) -> {MID}" in run("show", "step-easy").output
    assert "Progression:" not in run("show", "step-alone").output
    alone = json.loads(run("show", "step-alone", "--json").output)
    assert alone["easier"] is None and alone["harder"] is None
    assert alone["progression"] == ["step-alone"]


# -- the handout ------------------------------------------------------------------------


def exercise_text(pdf: Pdf, title: str, next_title: str | None) -> str:
    """The flat text of one exercise: from its title (the last time it appears: page 1
    lists the exercises at a glance) to the next exercise's title."""
    flat = pdf.flat()
    start = flat.rindex(title)
    end = flat.index(next_title, start + len(title)) if next_title else len(flat)
    return flat[start:end]


@pytest.mark.parametrize("layout", ["classic", "compact"])
def test_the_handout_prints_one_line_of_links(run: Run, plugins: Plugins,
                                              layout: str) -> None:
    fixture_plugin(plugins)
    pdf = built(run, "-e", "step-mid", "-e", "step-easy", "-e", "step-alone",
                "--layout", layout, "--no-log")  # the log page lists the titles again
    mid = exercise_text(pdf, f"1. {MID}", f"2. {EASY}")
    assert (f"Too hard? Try: {EASY} (exercise 2). Too easy? Next: {HARD} "
            "(ask your clinician first).") in mid
    # after the exercise's "when to stop"
    assert mid.index("Stop if your knee hurts.") < mid.index("Too hard? Try:")
    easy = exercise_text(pdf, f"2. {EASY}", "3. ")
    assert f"Too easy? Next: {MID} (exercise 1)." in easy and "Too hard?" not in easy
    alone = exercise_text(pdf, "3. Step in place", None)
    assert "Too hard?" not in alone and "Too easy?" not in alone
    # the safety box's line for the whole program, in every layout, before exercise 1
    c = catalog("en")
    before = " ".join(f"{c.t('safety.before_label')}: {c.t('safety.before')}".split())
    assert pdf.flat().count(before) == 1
    assert pdf.flat().index(before) < pdf.flat().rindex(f"1. {MID}")
