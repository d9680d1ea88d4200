"""The public plugin API: ``rxprint.api`` and ``rxprint.layout`` hold exactly the names a
plugin author needs, each documented in docs/plugins.md, and the docs, the README, the
example plugins and the plugin skeleton import nothing else from rxprint."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

import rxprint.api
import rxprint.layout
from rxprint.api import RxprintError, builtin_exercise

from .conftest import Pdf

ROOT = Path(__file__).parents[1]
PLUGINS_MD = ROOT / "docs" / "plugins.md"
TEMPLATE = ROOT / "src" / "rxprint" / "cli" / "plugin_template"
PUBLIC = frozenset({"rxprint.api", "rxprint.layout", "rxprint.testing"})

API = [
    "Branding",
    "BrandingRegister",
    "Dosage",
    "EducationSection",
    "Exercise",
    "ExerciseRegister",
    "FontRegister",
    "Frequency",
    "Item",
    "LanguageRegister",
    "LayoutRegister",
    "Period",
    "Phase",
    "Program",
    "ProgramContext",
    "ProgramEntry",
    "ProgramRegister",
    "Reps",
    "RxprintError",
    "Side",
    "StandardProgram",
    "Translation",
    "VideoRegister",
    "builtin_exercise",
    "hookimpl",
]
LAYOUT = [
    "INCH",
    "PAPERS",
    "Block",
    "DrawingShape",
    "ExerciseOptions",
    "Frames",
    "Layout",
    "LayoutRequest",
    "PageCallback",
    "PageGeometry",
    "StoryBuilder",
    "Styles",
    "build_styles",
    "drawing_shape",
    "stack_height",
]


# -- the names -----------------------------------------------------------------------------

def test_api_names_are_pinned() -> None:
    """Adding or removing a public name is a decision: change this list with the docs."""
    assert rxprint.api.__all__ == API
    for name in API:
        assert getattr(rxprint.api, name) is not None


def test_layout_names_are_pinned() -> None:
    assert rxprint.layout.__all__ == LAYOUT
    for name in LAYOUT:
        assert hasattr(rxprint.layout, name), name


@pytest.mark.parametrize(("module", "names"), [("rxprint.api", API),
                                              ("rxprint.layout", LAYOUT)])
def test_a_star_import_gives_exactly_the_public_names(module: str, names: list[str]) -> None:
    namespace: dict[str, object] = {}
    exec(f"from {module} import *", namespace)
    assert sorted(k for k in namespace if k != "__builtins__") == sorted(names)


def test_the_layout_docs_import_every_layout_name() -> None:
    """docs/layouts.md opens with the one import a layout needs: all of ``__all__``."""
    text = (ROOT / "docs" / "layouts.md").read_text(encoding="utf-8")
    block = re.search(r"from rxprint\.layout import \((.*?)\)", text, re.S)
    assert block is not None
    assert sorted(re.findall(r"\w+", block[1])) == sorted(LAYOUT)


# -- every public object is documented field by field -------------------------------------

def test_the_docs_list_every_api_name() -> None:
    """docs/plugins.md's "The plugin API" block imports exactly ``__all__``."""
    text = PLUGINS_MD.read_text(encoding="utf-8")
    section = text[text.index("## The plugin API"):text.index("## Quick start")]
    block = re.search(r"from rxprint\.api import \((.*?)^\)", section, re.S | re.M)
    assert block is not None
    listed = [re.sub(r"#.*", "", line).strip(" ,") for line in block[1].splitlines()]
    assert [name for name in listed if name] == API


def _reference_sections() -> dict[str, str]:
    """docs/plugins.md's reference: "### `Name`" heading -> the section's text."""
    text = PLUGINS_MD.read_text(encoding="utf-8")
    reference = text[text.index("## Reference: the objects a plugin meets"):]
    parts = re.split(r"^### (?:The )?`([^`]+)`.*$", reference, flags=re.M)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


def test_every_api_name_has_its_reference_section() -> None:
    sections = _reference_sections()
    registers = sections.pop("register")  # "### The `register` callables"
    for name in API:
        if name.endswith("Register"):
            assert f"`{name}`" in registers, name
        else:
            assert name in sections, f"docs/plugins.md has no section for {name}"


@pytest.mark.parametrize("name", [n for n in API if dataclasses.is_dataclass(
    getattr(rxprint.api, n))])
def test_every_field_of_a_public_dataclass_is_documented(name: str) -> None:
    section = _reference_sections()[name]
    rows = set(re.findall(r"^\| `(\w+)` \|", section, flags=re.M))
    fields = {f.name for f in dataclasses.fields(getattr(rxprint.api, name))}
    assert rows == fields, f"{name}: documented {sorted(rows)}, has {sorted(fields)}"


# -- builtin_exercise ----------------------------------------------------------------------

def test_builtin_exercise_is_the_library_s_own() -> None:
    quad = builtin_exercise("quad-set")
    assert quad.id == "quad-set"
    assert quad.title == "Thigh tightening (quad set)"
    assert quad.picture is not None and quad.path is not None
    assert quad.path.name == "quad-set.toml"


def test_builtin_exercise_names_an_unknown_id_and_the_nearest() -> None:
    with pytest.raises(RxprintError) as caught:
        builtin_exercise("quad-sett")
    message = str(caught.value)
    assert 'no built-in exercise "quad-sett"' in message
    assert '(did you mean "quad-set"?)' in message
    with pytest.raises(RxprintError, match=r'no built-in exercise "zzz"; `rxprint list`'):
        builtin_exercise("zzz")


PLUGIN = '''
from dataclasses import replace

from rxprint.api import builtin_exercise, hookimpl


@hookimpl
def register_exercises(register):
    quad = builtin_exercise("quad-set")
    register(replace(quad, title="Quad set, the Oak Street way"), override=True)
    register(replace(quad, id="oak-quad-set", title="Quad set with a towel",
                     easier=None, harder=None))
'''


def test_a_plugin_registers_changed_copies_of_a_builtin_exercise(
        run: Callable[..., Result], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The docs' example: an override of the built-in exercise and a copy beside it."""
    folder = tmp_path / "plugins"
    folder.mkdir()
    (folder / "oak.py").write_text(PLUGIN, encoding="utf-8")
    monkeypatch.setenv("RXPRINT_PLUGINS", "oak")
    result = run("--plugins-dir", str(folder), "build", "-e", "quad-set", "-e",
                 "oak-quad-set", "-o", "oak.pdf")
    assert result.exit_code == 0, result.output
    text = Pdf((tmp_path / "oak.pdf").read_bytes()).flat()
    assert "1. Quad set, the Oak Street way" in text
    assert "2. Quad set with a towel" in text
    assert "Thigh tightening (quad set)" not in text


def test_a_plugin_asking_for_an_unknown_builtin_gets_the_message(
        run: Callable[..., Result], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "plugins"
    folder.mkdir()
    (folder / "oak.py").write_text(PLUGIN.replace('"quad-set"', '"quad-sett"'),
                                   encoding="utf-8")
    monkeypatch.setenv("RXPRINT_PLUGINS", "oak")
    result = run("--plugins-dir", str(folder), "build", "-e", "quad-set", "-o", "oak.pdf")
    assert result.exit_code == 1
    assert 'no built-in exercise "quad-sett" (did you mean "quad-set"?)' in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "oak.pdf").exists()


# -- what the docs and the examples import --------------------------------------------------

IMPORT = re.compile(r"^[ \t>]*(?:from[ \t]+(rxprint(?:\.\w+)*)[ \t]+import\b|"
                    r"import[ \t]+(rxprint(?:\.\w+)*))", re.M)
FENCE = re.compile(r"^```[^\n]*\n(.*?)^```", re.M | re.S)


def rxprint_imports(text: str) -> list[str]:
    """Every rxprint module ``text`` imports (also inside strings: plugin code that tests
    write to a file)."""
    return [a or b for a, b in IMPORT.findall(text)]


def test_the_import_scan_finds_what_it_must() -> None:
    code = ("from rxprint.api import hookimpl\nimport rxprint.library.model\n"
            "    from rxprint.plugins.manager import X\nfrom rxprint import errors\n"
            "x = 'from rxprint.render.story import StoryBuilder'\n")
    assert rxprint_imports(code) == ["rxprint.api", "rxprint.library.model",
                                     "rxprint.plugins.manager", "rxprint"]
    assert rxprint_imports("Import from `rxprint.layout`, not `rxprint.render`.") == []
    blocks = FENCE.findall("text\n```python\nfrom rxprint.files import x\n```\nmore\n")
    assert blocks == ["from rxprint.files import x\n"]


def _sources() -> dict[str, str]:
    """What a plugin author reads or copies: the docs' and the README's code blocks, the
    example plugins (code and tests) and the plugin skeleton."""
    found: dict[str, str] = {}
    for md in [*sorted((ROOT / "docs").glob("*.md")), ROOT / "README.md"]:
        blocks = FENCE.findall(md.read_text(encoding="utf-8"))
        found[str(md.relative_to(ROOT))] = "\n".join(blocks)
    for pattern in ("plugins/*/src/**/*.py", "plugins/*/tests/**/*.py"):
        for path in sorted(ROOT.glob(pattern)):
            found[str(path.relative_to(ROOT))] = path.read_text(encoding="utf-8")
    for path in sorted(TEMPLATE.rglob("*.py.tmpl")):
        found[str(path.relative_to(ROOT))] = path.read_text(encoding="utf-8")
    return found


def test_docs_examples_and_skeleton_import_only_the_public_modules() -> None:
    sources = _sources()
    # the scan reaches what it should: the docs' examples, both plugins, the skeleton
    for expected in ("docs/plugins.md", "docs/layouts.md", "README.md",
                     "plugins/rxprint-cards/src/rxprint_cards/layout.py",
                     "plugins/rxprint-riverside-pt/tests/test_riverside.py",
                     "src/rxprint/cli/plugin_template/src/__MODULE__/__init__.py.tmpl"):
        assert expected in sources, expected
    assert "rxprint.api" in rxprint_imports(sources["docs/plugins.md"])
    assert "rxprint.layout" in rxprint_imports(sources["docs/layouts.md"])
    wrong = {f"{where}: {module}" for where, text in sources.items()
             for module in rxprint_imports(text) if module not in PUBLIC}
    assert not wrong, ("import only rxprint.api, rxprint.layout and rxprint.testing:\n"
                       + "\n".join(sorted(wrong)))
