"""``rxprint plugin new NAME``: the skeleton it writes is a working plugin package. It is
built into a wheel, installed apart from the test environment (tests/plugin_packages.py),
listed by ``rxprint plugins``, and its own tests pass against the installed package."""

from __future__ import annotations

import ast
import importlib.metadata
import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from rxprint.cli.scaffold import plugin_names, render_skeleton, write_skeleton
from rxprint.errors import RxprintError

from .plugin_packages import (
    build_wheel,
    install_apart,
    installed_env,
    run_pytest,
    run_rxprint,
    wheel_files,
)

# quotes, an ampersand and an accent: the name goes into Python, TOML and the PDF
CLINIC = 'Oak "Street" Physio & Rééducation'
FILES = {
    ".gitignore",
    "README.md",
    "pyproject.toml",
    "src/rxprint_oak_street/__init__.py",
    "src/rxprint_oak_street/assets/logo.png",
    "src/rxprint_oak_street/exercises/oak-street-heel-raise.toml",
    "src/rxprint_oak_street/programs/oak-street-starter.toml",
    "tests/test_rxprint_oak_street.py",
}
FILES_EXERCISE = "src/rxprint_oak_street/exercises/oak-street-heel-raise.toml"


def _tree(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()}


def test_new_plugin_builds_installs_lists_and_passes_its_own_tests(
        run: Callable[..., Result], tmp_path: Path) -> None:
    result = run("plugin", "new", "oak-street", "--clinic", CLINIC)
    assert result.exit_code == 0, result.output
    project = tmp_path / "oak-street"
    assert _tree(project) == FILES
    for name in FILES:
        assert f"oak-street/{name}" in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["oak-street"]  # no scratch left
    # the build it suggests names its branding: with another clinic's plugin installed,
    # rxprint asks which branding rather than guess
    assert ("rxprint build --template oak-street-starter --branding oak-street "
            in result.output)

    pyproject = tomllib.loads((project / "pyproject.toml").read_text(encoding="utf-8"))
    assert pyproject["build-system"]["build-backend"] == "hatchling.build"
    assert pyproject["project"]["name"] == "rxprint-oak-street"
    assert pyproject["project"]["entry-points"]["rxprint"] == {"oak-street": "rxprint_oak_street"}
    exercise = tomllib.loads((project / FILES_EXERCISE).read_text(encoding="utf-8"))
    assert exercise["id"] == "oak-street-heel-raise" and exercise["sources"] == [CLINIC]
    assert len(exercise["picture"]["frames"]) == 2  # a drawing: start and end
    init = ast.parse((project / "src/rxprint_oak_street/__init__.py").read_text("utf-8"))
    names = {t.id: n.value for n in init.body if isinstance(n, ast.Assign)
             for t in n.targets if isinstance(t, ast.Name)}
    assert ast.literal_eval(names["CLINIC_NAME"]) == CLINIC

    # the exercise and the program pass rxprint's checks, as a plugin author runs them
    checked = run("validate", str(project / "src"))
    assert checked.exit_code == 0, checked.output
    assert "OK: 2 files checked, no problems." in checked.output

    wheel = build_wheel(project, tmp_path / "dist")
    inside = wheel_files(wheel)
    for name in FILES:
        if name.startswith("src/"):
            assert inside.get(name.removeprefix("src/")) == (project / name).read_bytes(), name

    target = tmp_path / "site"
    install_apart(wheel, target)
    env = installed_env(target)
    listing = run_rxprint("plugins", env=env, cwd=tmp_path)
    assert listing.returncode == 0, listing.stderr
    assert ("oak-street 0.1.0 (installed): register_branding, register_exercises, "
            "register_programs") in listing.stdout
    drawing = run_rxprint("show", "oak-street-heel-raise", "--png", "heel.png",
                          env=installed_env(target, RXPRINT_PLUGINS="oak-street"), cwd=tmp_path)
    assert drawing.returncode == 0, drawing.stderr
    assert (tmp_path / "heel.png").read_bytes().startswith(b"\x89PNG")

    tests = run_pytest(project / "tests", env=env, cwd=project)
    assert tests.returncode == 0, tests.stdout + tests.stderr
    assert "4 passed" in tests.stdout


def test_a_leading_rxprint_is_not_repeated(run: Callable[..., Result], tmp_path: Path) -> None:
    result = run("plugin", "new", "rxprint-oak-street")
    assert result.exit_code == 0, result.output
    project = tmp_path / "rxprint-oak-street"
    assert _tree(project) == FILES
    init = (project / "src/rxprint_oak_street/__init__.py").read_text(encoding="utf-8")
    assert 'CLINIC_NAME = "Oak Street"\n' in init  # the default clinic name, from NAME


def test_an_existing_folder_is_never_touched(run: Callable[..., Result],
                                             tmp_path: Path) -> None:
    (tmp_path / "oak-street").mkdir()
    (tmp_path / "oak-street" / "notes.txt").write_text("mine", encoding="utf-8")
    result = run("plugin", "new", "oak-street")
    assert result.exit_code == 1
    assert "oak-street: already exists; choose another NAME" in result.output
    assert _tree(tmp_path / "oak-street") == {"notes.txt"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["oak-street"]


@pytest.mark.parametrize(("args", "message"), [
    (["Oak Street"], "Invalid value for 'NAME': expected a short slug"),
    (["oak_street"], "Invalid value for 'NAME': expected a short slug"),
    (["1oak"], "Invalid value for 'NAME': expected a short slug"),
    (["a" * 41], "at most 40 characters"),
    (["rxprint"], '"rxprint" is rxprint itself'),
    (["default"], 'would name the plugin and its branding "default"'),
    (["rxprint-config"], 'would name the plugin and its branding "config"'),
    (["oak", "--clinic", " "], "Invalid value for '--clinic': expected the clinic's name"),
    (["oak", "--clinic", "Oak\nStreet"], "Invalid value for '--clinic'"),
    (["oak", "--clinic", "x" * 81], "Invalid value for '--clinic'"),
    (["oak", "--clinic", "Oak\u2028Street"], "Invalid value for '--clinic'"),
])
def test_bad_names_are_usage_errors(run: Callable[..., Result], tmp_path: Path,
                                    args: list[str], message: str) -> None:
    result = run("plugin", "new", *args)
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output
    assert list(tmp_path.iterdir()) == []


def test_the_name_of_an_installed_plugin_is_refused(run: Callable[..., Result],
                                                    tmp_path: Path) -> None:
    installed = sorted(ep.name for ep in importlib.metadata.entry_points(group="rxprint"))
    if not installed:
        pytest.skip("no rxprint plugin is installed (the examples in plugins/ are, in CI)")
    result = run("plugin", "new", installed[0])
    assert result.exit_code == 1
    assert f'a plugin named "{installed[0]}" is already installed' in result.output
    assert list(tmp_path.iterdir()) == []


def test_a_place_it_cannot_write_to_is_a_clear_error(tmp_path: Path) -> None:
    blocked = tmp_path / "blocked"
    blocked.write_text("", encoding="utf-8")  # a file where the parent folder should be
    with pytest.raises(RxprintError, match=r"blocked: cannot create the plugin's folder "
                                           r"here \(not a directory\)"):
        write_skeleton(plugin_names("oak", None), blocked)
    assert _tree(tmp_path) == {"blocked"}


def test_a_clinic_name_that_looks_like_a_placeholder_stays_as_it_is() -> None:
    files = render_skeleton(plugin_names("oak", "__PLUGIN__ & __MODULE__"))
    init = files["src/rxprint_oak/__init__.py"].decode()
    assert 'CLINIC_NAME = "__PLUGIN__ & __MODULE__"\n' in init
    assert 'BRANDING_NAME = "oak"' in init
