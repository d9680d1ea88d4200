"""docs/plugins.md's examples work: the quick start's files are extracted and run, and
its packaging example is built into a wheel, installed apart and tested."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from .conftest import Pdf
from .plugin_packages import (
    build_wheel,
    install_apart,
    installed_env,
    run_pytest,
    run_rxprint,
    wheel_files,
)

DOCS = Path(__file__).parents[1] / "docs" / "plugins.md"
BLOCK = re.compile(r"```(?:python|toml) file=(?P<name>\S+)\n(?P<body>.*?)```", re.S)


def test_quick_start_plugin_from_the_docs_works(run: Callable[..., Result], tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    blocks = list(BLOCK.finditer(DOCS.read_text(encoding="utf-8")))
    assert len(blocks) == 2
    folder = tmp_path / "my-plugins"
    for block in blocks:
        path = folder / block["name"]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(block["body"], encoding="utf-8")
    monkeypatch.setenv("RXPRINT_PLUGINS", "oak_clinic")
    listing = run("--plugins-dir", str(folder), "plugins").output
    assert "oak_clinic (file): register_branding, register_exercises" in listing
    result = run("--plugins-dir", str(folder), "build", "-e", "oak-heel-raise", "-e",
                 "quad-set", "--patient", "Ann Lee", "-o", "oak.pdf")
    assert result.exit_code == 0, result.output
    pdf = Pdf((tmp_path / "oak.pdf").read_bytes())
    for i in range(pdf.pages):
        assert "Oak Street Physio" in pdf.flat(i)
        assert "14 Oak Street · 555-0199" in pdf.flat(i)
        assert "Call us at 555-0199 with any questions." in pdf.flat(i)
    assert "Heel raise at the counter" in pdf.flat()


# -- Packaging: the quick start's plugin as a package, built and installed ------------------

PACKAGE_BLOCK = re.compile(r"```(?:python|toml) package=(?P<name>\S+)\n(?P<body>.*?)```", re.S)
LAYOUT_BLOCK = re.compile(r"```text package-layout\n(?P<body>.*?)```", re.S)


def _png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (120, 40), (46, 107, 58)).save(buffer, format="PNG")
    return buffer.getvalue()


def test_packaging_example_builds_a_wheel_with_its_data_and_installs(tmp_path: Path) -> None:
    """The pyproject and layout of "Packaging" make a wheel that holds the data files; once
    installed (apart from the test environment) rxprint finds the plugin through its entry
    point and the test under "Testing a plugin" passes against it."""
    text = DOCS.read_text(encoding="utf-8")
    quick = {m["name"]: m["body"] for m in BLOCK.finditer(text)}
    package = {m["name"]: m["body"] for m in PACKAGE_BLOCK.finditer(text)}
    layout = LAYOUT_BLOCK.search(text)
    assert layout is not None and set(package) == {"pyproject.toml", "tests/test_oak_street.py"}
    lines = layout["body"].splitlines()
    root = lines[0].strip().rstrip("/")
    listed = {line.split()[0] for line in lines[1:] if line.strip()}
    files = {
        "pyproject.toml": package["pyproject.toml"].encode(),
        "src/oak_clinic/__init__.py": quick["oak_clinic.py"].encode(),
        "src/oak_clinic/oak-exercises/oak-heel-raise.toml":
            quick["oak-exercises/oak-heel-raise.toml"].encode(),
        "src/oak_clinic/assets/logo.png": _png(),
        "tests/test_oak_street.py": package["tests/test_oak_street.py"].encode(),
    }
    assert listed == set(files), "the layout in docs/plugins.md changed: update this test"
    project = tmp_path / root
    for name, data in files.items():
        (project / name).parent.mkdir(parents=True, exist_ok=True)
        (project / name).write_bytes(data)

    wheel = build_wheel(project, tmp_path / "dist")
    assert wheel.name == "rxprint_oak_street-1.0.0-py3-none-any.whl"
    inside = wheel_files(wheel)
    for name in ("oak_clinic/__init__.py", "oak_clinic/oak-exercises/oak-heel-raise.toml",
                 "oak_clinic/assets/logo.png"):
        assert inside.get(name) == files[f"src/{name}"], f"the wheel lacks {name}"
    entry_points = inside["rxprint_oak_street-1.0.0.dist-info/entry_points.txt"].decode()
    assert "[rxprint]\noak-street = oak_clinic" in entry_points

    target = tmp_path / "site"
    install_apart(wheel, target)
    env = installed_env(target)
    listing = run_rxprint("plugins", env=env, cwd=tmp_path)
    assert listing.returncode == 0, listing.stderr
    assert "oak-street 1.0.0 (installed): register_branding, register_exercises" in \
        listing.stdout
    tests = run_pytest(project / "tests", env=env, cwd=project)
    assert tests.returncode == 0, tests.stdout + tests.stderr
    assert "1 passed" in tests.stdout
