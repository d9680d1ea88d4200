"""The plugin system: discovery, every hook, and every way a plugin can fail.

Each hook has a ``test_hook_<name>`` here (a meta-test checks it).
"""

from __future__ import annotations

import inspect
import json
import os
import re
import subprocess
import sys
import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from PIL import Image

from rxprint.plugins import hookspecs

from .conftest import Pdf, built
from .test_videos import BRIDGE, QUAD, decoded, visit

Run = Callable[..., Result]

EXERCISE_TOML = '''\
id = "clinic-heel-raise"
title = "Heel raise at the counter"
category = "strengthening"
regions = ["lower-leg"]
targets = ["calf muscles"]
equipment = ["counter"]
position = "Standing at a counter"
purpose = "Strong calves help you walk with less strain."
steps = ["Hold the counter.", "Rise onto your toes, then lower slowly."]
cautions = ["Stop if your ankle hurts."]
sources = ["clinic"]
[dosage]
sets = 2
reps = 12
'''




# -- discovery and the plugin list -----------------------------------------------------


def test_builtins_are_plugins(run: Run) -> None:
    rows = json.loads(run("plugins", "--json").output)
    by_name = {r["name"]: r for r in rows}
    assert by_name["rxprint.builtins.library"]["hooks"] == ["register_exercises",
                                                            "register_programs"]
    assert by_name["rxprint.builtins.layouts"]["hooks"] == ["register_layouts"]
    assert by_name["rxprint.builtins.branding"]["hooks"] == ["register_branding"]
    assert all(r["kind"] == "builtin" for r in rows)  # RXPRINT_PLUGINS="" in tests


def test_plugins_listing_shows_version_and_hooks(run: Run, plugins: Callable[..., Path]) -> None:
    plugins("mine", """
        from rxprint.api import hookimpl
        @hookimpl
        def register_layouts(register): pass
    """)
    text = run("plugins").output
    assert "mine (file): register_layouts" in text


def test_installed_example_plugins_are_found(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("RXPRINT_PLUGINS")
    rows = {r["name"]: r for r in json.loads(run("plugins", "--json").output)}
    assert rows["riverside-pt"]["kind"] == "installed" and rows["riverside-pt"]["version"]
    assert "adjust_program" in rows["riverside-pt"]["hooks"]
    assert rows["cards"]["hooks"] == ["register_layouts"]


def test_disable_a_plugin_by_name(run: Run, plugins: Callable[..., Path],
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    plugins("broken", "raise RuntimeError('oops')\n")
    result = run("list")
    assert result.exit_code == 1
    # an import sees no patient data: its message is the help
    assert "plugin broken" in result.output and "failed to import (RuntimeError: oops)" \
        in result.output
    assert "RXPRINT_DISABLE_PLUGINS=broken" in result.output
    assert "Traceback" not in result.output
    monkeypatch.setenv("RXPRINT_DISABLE_PLUGINS", "broken")
    assert run("list").exit_code == 0


def test_misspelt_hook_is_an_error(run: Run, plugins: Callable[..., Path]) -> None:
    plugins("typo", """
        from rxprint.api import hookimpl
        @hookimpl
        def register_exercise(register): pass
    """)
    result = run("list")
    assert result.exit_code == 1
    assert "plugin typo" in result.output and "register_exercise" in result.output


def test_error_inside_a_hook_names_plugin_and_hook(run: Run,
                                                   plugins: Callable[..., Path]) -> None:
    plugins("faulty", """
        from rxprint.api import hookimpl
        @hookimpl
        def register_layouts(register):
            raise KeyError("boom")
    """)
    # layouts are asked for only when needed: `list` works, `layouts` and `build` fail
    assert run("list").exit_code == 0
    assert run("build", "-e", "quad-set", "-o", "-").exit_code == 1
    result = run("layouts")
    assert result.exit_code == 1
    # a register hook sees no patient data: the message is shown (not adjust_program's)
    assert result.output.startswith("Error: plugin faulty failed in register_layouts: "
                                    "KeyError: 'boom' (an error in the plugin; --debug shows "
                                    "the traceback)")
    assert "RXPRINT_DISABLE_PLUGINS=faulty" in result.output
    assert len(result.output.splitlines()) == 1 and "Traceback" not in result.output


def test_debug_shows_the_plugin_traceback(plugins: Callable[..., Path], tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from rxprint.cli import cli
    from rxprint.plugins.manager import PluginError

    plugins("faulty", """
        from rxprint.api import hookimpl
        @hookimpl
        def register_layouts(register):
            raise KeyError("boom")
    """)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["--debug", "layouts"])
    assert isinstance(result.exception, PluginError)
    assert isinstance(result.exception.__cause__, KeyError)


def test_trace_names_hooks_and_plugins_only(run: Run, plugins: Callable[..., Path],
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    plugins("mine", """
        from rxprint.api import hookimpl
        @hookimpl
        def adjust_program(program, context): return None
    """)
    monkeypatch.setenv("RXPRINT_TRACE_HOOKS", "1")
    result = run("build", "-e", "quad-set", "--patient", "Jane Doe", "-o", "t.pdf")
    assert result.exit_code == 0
    assert "rxprint: calling adjust_program of plugin mine" in result.output
    assert "calling register_exercises of plugin rxprint.builtins.library" in result.output
    assert "Jane" not in result.output.replace("Wrote t.pdf", "")


# -- each hook -------------------------------------------------------------------------


def test_hook_register_exercises(run: Run, plugins: Callable[..., Path],
                                 tmp_path: Path) -> None:
    folder = tmp_path / "clinic-exercises"
    folder.mkdir()
    (folder / "clinic-heel-raise.toml").write_text(EXERCISE_TOML, encoding="utf-8")
    plugins("clinic", f"""
        from dataclasses import replace
        from pathlib import Path
        from rxprint.api import hookimpl
        from rxprint.plugins.builtins.library import builtin_dir
        from rxprint.library.schema import parse_exercise
        from rxprint.files.tomlfile import load_toml

        @hookimpl
        def register_exercises(register):
            register(Path({str(folder)!r}))
            # an object, and a deliberate override of a built-in exercise
            quad = parse_exercise(load_toml(builtin_dir() / "strengthening" / "quad-set.toml"), [])
            register(replace(quad, title="Quad set, the clinic's way"), override=True)
    """)
    listing = run("list").output
    assert "clinic-heel-raise" in listing and "Quad set, the clinic's way" in listing
    pdf = built(run, "-e", "clinic-heel-raise", "-e", "quad-set")
    assert "Heel raise at the counter" in pdf.flat() and "Quad set, the clinic's way" in pdf.flat()


def test_duplicate_exercise_id_names_the_plugin(run: Run, plugins: Callable[..., Path],
                                                tmp_path: Path) -> None:
    folder = tmp_path / "dup"
    folder.mkdir()
    (folder / "quad-set.toml").write_text(EXERCISE_TOML.replace("clinic-heel-raise", "quad-set"),
                                          encoding="utf-8")
    plugins("dup", f"""
        from pathlib import Path
        from rxprint.api import hookimpl
        @hookimpl
        def register_exercises(register):
            register(Path({str(folder)!r}))
    """)
    result = run("list")
    assert result.exit_code == 1
    assert ('exercise id "quad-set" from plugin dup (register_exercises) is already defined '
            "by plugin rxprint.builtins.library 0.1.0 (register_exercises)") in result.output
    assert "override=True" in result.output


def test_invalid_exercise_object_is_checked_like_a_file(run: Run,
                                                        plugins: Callable[..., Path]) -> None:
    plugins("objects", """
        from rxprint.api import hookimpl
        from rxprint.api import Dosage
        from rxprint.api import Exercise
        @hookimpl
        def register_exercises(register):
            register(Exercise(id="Bad Id", title="X", category="cardio", regions=(),
                              targets=("x",), equipment=(), position="p", purpose="p",
                              steps=("one",), cues=(), cautions=("c",), sources=("s",),
                              dosage=Dosage()))
    """)
    result = run("list")
    assert result.exit_code == 1
    for fragment in ('<plugin objects (register_exercises): exercise "Bad Id">: id: ',
                     "id: not a valid id (it has capital letters and spaces; not shown)",
                     "title: too short",
                     '"cardio" is not one of', "regions: needs at least 1",
                     "steps: needs at least 2", "the default dosage sets nothing"):
        assert fragment in result.output, fragment


def test_hook_register_programs(run: Run, plugins: Callable[..., Path]) -> None:
    plugins("programs", """
        from rxprint.api import hookimpl
        from rxprint.api import Dosage, Reps
        from rxprint.api import ProgramEntry, StandardProgram
        @hookimpl
        def register_programs(register):
            entries = tuple(ProgramEntry(id=i, dosage=Dosage()) for i in
                            ("quad-set", "glute-bridge", "wall-sit"))
            entries += (ProgramEntry(id="mini-squat", dosage=Dosage(sets=3, reps=Reps(12, 12))),)
            register(StandardProgram(id="knee-basics", title="Knee basics",
                                     description="Four for the knee.", entries=entries,
                                     education=("how-to-stretch-gently",), sources=("clinic",)))
    """)
    assert "knee-basics" in run("programs").output
    pdf = built(run, "--template", "knee-basics")
    assert "Program Knee basics" in pdf.flat(0) and "3 sets of 12" in pdf.flat()


def _logo_plugin(plugins: Callable[..., Path], logo: Path, name: str = "brand",
                 **fields: str) -> None:
    extra = "".join(f", {k}={v!r}" for k, v in fields.items())
    plugins(name, f"""
        from pathlib import Path
        from rxprint.api import hookimpl
        from rxprint.api import Branding
        @hookimpl
        def register_branding(register):
            register("{name}-clinic", Branding(clinic_name="Oak Clinic", logo=Path({str(logo)!r}),
                                        address="1 Oak St", phone="555-0100"{extra}))
    """)


def _image_xobjects(pdf: Pdf) -> list[dict[str, object]]:
    found = {}
    for page in pdf.reader.pages:
        for ref in ((page.get("/Resources") or {}).get("/XObject") or {}).values():
            obj = ref.get_object()
            if obj.get("/Subtype") == "/Image":
                found[ref.idnum] = obj
    return list(found.values())


def test_hook_register_branding(run: Run, plugins: Callable[..., Path], tmp_path: Path) -> None:
    logo = tmp_path / "logo.png"
    Image.new("RGBA", (900, 300), (20, 90, 120, 128)).save(logo)
    _logo_plugin(plugins, logo, accent="#7A2E8E")
    pdf = built(run, "--template", "hip-flexor-back-pain", "--patient", "Ann Lee")
    for i in range(pdf.pages):
        assert "Oak Clinic" in pdf.flat(i) and "1 Oak St · 555-0100" in pdf.flat(i)
    images = _image_xobjects(pdf)
    assert len(images) == 1  # the logo, embedded once for every page
    assert "/SMask" in images[0]  # its transparency kept
    assert int(images[0]["/Width"]) <= 600  # scaled to print size (2 in at 300 dpi)


@pytest.mark.parametrize("kind", ["jpeg-exif", "cmyk", "palette"])
def test_logos_in_every_format_come_out_right(run: Run, plugins: Callable[..., Path],
                                              tmp_path: Path, kind: str) -> None:
    logo = tmp_path / ("logo.jpg" if kind != "palette" else "logo.png")
    if kind == "jpeg-exif":
        image = Image.new("RGB", (200, 600), (200, 30, 30))  # stored on its side
        exif = image.getexif()
        exif[0x0112] = 6
        exif[0x8825] = {1: "N", 2: (1.0, 2.0, 3.0)}
        image.save(logo, exif=exif)
    elif kind == "cmyk":
        Image.new("CMYK", (600, 200), (0, 80, 80, 0)).save(logo)
    else:
        image = Image.new("P", (600, 200), 1)
        image.putpalette([0, 0, 0, 30, 120, 60] + [0] * 762)
        image.save(logo, transparency=0)
    _logo_plugin(plugins, logo)
    pdf = built(run, "-e", "quad-set")
    (image_obj,) = _image_xobjects(pdf)
    width, height = int(image_obj["/Width"]), int(image_obj["/Height"])
    assert width > height  # upright: the EXIF-rotated one turned to landscape
    assert image_obj["/ColorSpace"] == "/DeviceRGB"
    data = image_obj.get_data() if hasattr(image_obj, "get_data") else b""
    assert b"Exif" not in data and b"GPS" not in data


@pytest.mark.parametrize(("content", "message"), [
    (None, "image file not found"),
    (b"not an image at all", "is not an image Pillow can read"),
    ("truncated", "is damaged or truncated"),
    ("gif", "is a GIF image; only PNG and JPEG are accepted"),
    ("bomb", "is too large"),
])
def test_bad_logos_are_clear_errors(run: Run, plugins: Callable[..., Path], tmp_path: Path,
                                    content: bytes | str | None, message: str) -> None:
    logo = tmp_path / "logo.png"
    if isinstance(content, bytes):
        logo.write_bytes(content)
    elif content == "truncated":
        full = tmp_path / "full.jpg"
        Image.effect_noise((400, 400), 60).convert("RGB").save(full, quality=95)
        logo = tmp_path / "logo.jpg"
        logo.write_bytes(full.read_bytes()[:4000])
    elif content == "gif":
        logo = tmp_path / "logo.gif"
        Image.new("P", (10, 10)).save(logo)
    elif content == "bomb":
        Image.new("1", (9000, 9000)).save(logo)
    _logo_plugin(plugins, logo)
    result = run("build", "-e", "quad-set", "-o", "x.pdf")
    assert result.exit_code == 1
    assert "plugin brand" in result.output and "brand-clinic" in result.output
    assert str(logo) in result.output and message in result.output
    assert "Traceback" not in result.output
    assert not Path("x.pdf").exists()


def test_bad_colour_is_refused_before_reportlab(run: Run, plugins: Callable[..., Path],
                                                tmp_path: Path) -> None:
    logo = tmp_path / "logo.png"
    Image.new("RGB", (60, 20)).save(logo)
    _logo_plugin(plugins, logo, accent="red; __import__('os')")
    result = run("list")
    assert result.exit_code == 1
    assert "accent: expected a colour like" in result.output


def test_several_brandings_need_a_choice(run: Run, plugins: Callable[..., Path],
                                         tmp_path: Path) -> None:
    logo = tmp_path / "logo.png"
    Image.new("RGB", (60, 20)).save(logo)
    _logo_plugin(plugins, logo, name="one")
    _logo_plugin(plugins, logo, name="two")
    result = run("build", "-e", "quad-set", "-o", "x.pdf")
    assert result.exit_code == 1
    assert "several plugins offer a branding (one-clinic from one, two-clinic from two)" \
        in result.output
    assert built(run, "-e", "quad-set", "--branding", "two-clinic").pages >= 1
    result = run("build", "-e", "quad-set", "--branding", "tw-clinic", "-o", "y.pdf")
    assert 'unknown branding "tw-clinic" (did you mean "two-clinic"' in result.output


TITLES_LAYOUT = """
    from rxprint.api import hookimpl
    from rxprint.layout import Layout

    class TitlesOnly(Layout):
        def story(self, request, builder):
            return [builder.para(item.exercise.title.upper(), builder.styles.h1)
                    for item in request.program.items]

    @hookimpl
    def register_layouts(register):
        register("titles", TitlesOnly(), description="just the titles")
"""


def test_hook_register_layouts(run: Run, plugins: Callable[..., Path]) -> None:
    plugins("plain", TITLES_LAYOUT + """
        register("wrong", object())
    """)
    result = run("layouts")
    assert result.exit_code == 1
    assert ("plugin plain registered the wrong type in register_layouts: expected an "
            "rxprint.layout.Layout, got object") in result.output


def test_layouts_command_lists_every_layout_and_its_plugin(run: Run, plugins: Callable[..., Path],
                                                           tmp_path: Path) -> None:
    plugins("plain", TITLES_LAYOUT)
    result = run("layouts", "--json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert [(r["name"], r["plugin"], r["default"]) for r in rows] == [
        ("classic", "rxprint.builtins.layouts", True),
        ("compact", "rxprint.builtins.layouts", False),
        ("titles", "plain", False),
    ]
    assert rows[2]["description"] == "just the titles"
    lines = run("layouts").output.splitlines()
    assert lines[0].split() == ["NAME", "PLUGIN", "DESCRIPTION"]
    assert lines[1].startswith("classic *") and "one exercise per row" in lines[1]
    assert lines[3].split() == ["titles", "plain", "just", "the", "titles"]
    # the configuration's layout is the default
    (tmp_path / "rxprint.toml").write_text('[defaults]\nlayout = "compact"\n', encoding="utf-8")
    rows = json.loads(run("layouts", "--json").output)
    assert [r["name"] for r in rows if r["default"]] == ["compact"]


def test_plugin_layout_renders(run: Run, plugins: Callable[..., Path]) -> None:
    plugins("plain", TITLES_LAYOUT)
    pdf = built(run, "-e", "quad-set", "--layout", "titles", "--patient", "<b>Ann</b>")
    assert "THIGH TIGHTENING (QUAD SET)" in pdf.flat() and "Patient: <b>Ann</b>" in pdf.flat()
    assert "Page 1 of 1" in pdf.flat()


def test_hook_register_fonts(run: Run, plugins: Callable[..., Path], tmp_path: Path) -> None:
    import fontpkg_noto_sans

    regular = Path(fontpkg_noto_sans.ROOT) / "files" / "NotoSans[wdth,wght].ttf"
    logo = tmp_path / "logo.png"
    Image.new("RGB", (60, 20)).save(logo)
    plugins("fonts", f"""
        from pathlib import Path
        from rxprint.api import hookimpl
        from rxprint.api import Branding
        @hookimpl
        def register_fonts(register):
            register("clinic-sans", Path({str(regular)!r}))
        @hookimpl
        def register_branding(register):
            register("fonted", Branding(clinic_name="Font Clinic", font="clinic-sans"))
    """)
    pdf = built(run, "-e", "quad-set")
    fonts = set(pdf.fonts())
    assert any("NotoSans" in f for f in fonts)
    assert not any("Atkinson" in f for f in fonts)


FRENCH = Path(__file__).parent / "fixtures" / "french"


def test_hook_register_languages(run: Run, plugins: Callable[..., Path]) -> None:
    """A plugin adds a third language: its interface words, three built-in exercises and
    the titles of those they link to ("Too hard? Try: ...")."""
    plugins("french", f"""
        from pathlib import Path
        from rxprint.api import hookimpl
        HERE = Path({str(FRENCH)!r})
        @hookimpl
        def register_languages(register):
            register("fr", catalog=HERE / "fr.toml", translations=HERE / "translations" / "fr")
    """)
    result = run("build", "-e", "quad-set", "-e", "glute-bridge", "-e", "sit-to-stand",
                 "--lang", "fr", "--date", "2026-11-21", "--strict", "-o", "fr.pdf")
    assert result.exit_code == 0, result.output
    text = Pdf(Path("fr.pdf").read_bytes()).flat()
    assert "21 novembre 2026" in text  # Babel's French date
    assert re.search(r"Page 1 (de|sur) \d", text)
    for ident in ("quad-set", "glute-bridge", "sit-to-stand"):
        title = tomllib.loads((FRENCH / "translations" / "fr" / f"{ident}.toml")
                              .read_text(encoding="utf-8"))["title"]
        assert title in text
    assert "Hip lift" not in text and "How to do it" not in text
    # an exercise it does not translate: English, with a warning (an error with --strict)
    result = run("build", "-e", "quad-set", "-e", "calf-stretch", "--lang", "fr", "-o", "x.pdf")
    assert result.exit_code == 0
    assert 'exercise "calf-stretch": no French text, printed in English' in result.output
    assert run("build", "-e", "calf-stretch", "--lang", "fr", "--strict",
               "-o", "y.pdf").exit_code == 1
    listing = run("languages").output
    assert re.search(r"fr\s+French\s+Français\s+french\s+3 of 60\s+complete", listing), listing


VIDEOS_PLUGIN = '''
    from rxprint.api import hookimpl
    @hookimpl
    def register_videos(register):
        register("glute-bridge", "https://oak.example/v/bridge")
        register("calf-stretch", "https://oak.example/v/calf")
'''


def test_hook_register_videos(run: Run, plugins: Callable[[str, str], Path],
                              write: Callable[..., Path]) -> None:
    plugins("oakvideos", VIDEOS_PLUGIN)
    visit(write)
    built(run, "visit.toml")
    codes = sorted(c for page in decoded(Path("out.pdf")) for c in page)
    # the program file's link wins over the plugin's; the plugin's is used elsewhere
    assert codes == sorted([QUAD, BRIDGE, "https://oak.example/v/calf"])


def test_a_language_plugin_is_checked(run: Run, plugins: Callable[..., Path]) -> None:
    plugins("bad", """
        from pathlib import Path
        from rxprint.api import hookimpl
        @hookimpl
        def register_languages(register):
            register("zz")
    """)
    result = run("languages")
    assert result.exit_code == 1
    assert "plugin bad" in result.output and "Babel has no language" in result.output


def test_missing_font_file_is_a_clear_error(run: Run, plugins: Callable[..., Path]) -> None:
    plugins("fonts", """
        from pathlib import Path
        from rxprint.api import hookimpl
        @hookimpl
        def register_fonts(register):
            register("clinic-sans", Path("/nowhere/Clinic.ttf"))
    """)
    result = run("list")
    assert result.exit_code == 1
    assert "plugin fonts" in result.output and "/nowhere/Clinic.ttf not found" in result.output


def test_hook_adjust_program(run: Run, plugins: Callable[..., Path]) -> None:
    plugins("rules", """
        from dataclasses import replace
        from rxprint.api import hookimpl
        from rxprint.api import RxprintError
        @hookimpl
        def adjust_program(program, context):
            if len(program.items) > 2:
                raise RxprintError("house rule: at most 2 exercises")
            return replace(program, notes=(program.notes or "") + f" [{context.layout}]")
    """)
    pdf = built(run, "-e", "quad-set", "--layout", "compact")
    assert "[compact]" in pdf.flat(0)
    result = run("build", "-e", "quad-set", "-e", "wall-sit", "-e", "mini-squat", "-o", "z.pdf")
    assert result.exit_code == 1 and "Error: house rule: at most 2 exercises" in result.output


def test_adjust_program_must_return_a_program(run: Run, plugins: Callable[..., Path]) -> None:
    plugins("sloppy", """
        from rxprint.api import hookimpl
        @hookimpl
        def adjust_program(program, context):
            return "not a program"
    """)
    result = run("build", "-e", "quad-set", "-o", "z.pdf")
    assert result.exit_code == 1
    assert "plugin sloppy registered the wrong type in adjust_program" in result.output


def test_hook_register_commands(run: Run, plugins: Callable[..., Path]) -> None:
    plugins("cmds", """
        import click
        from rxprint.api import hookimpl
        @hookimpl
        def register_commands(cli):
            @cli.command()
            @click.argument("name")
            def hello(name):
                "Say hello."
                click.echo(f"hello {name}")
    """)
    assert run("hello", "clinic").output == "hello clinic\n"
    assert "hello" in run("--help").output


# -- configuration -----------------------------------------------------------------------


def test_config_defaults_and_precedence(run: Run, tmp_path: Path) -> None:
    (tmp_path / "rxprint.toml").write_text(
        '[defaults]\nclinician = "Config Clinician"\nlayout = "compact"\npaper = "a4"\n',
        encoding="utf-8")
    pdf = built(run, "-e", "quad-set")
    assert "Config Clinician" in pdf.flat(0)
    assert pdf.size() == pytest.approx((595.28, 841.89), abs=0.01)
    # flags beat the configuration; the program file beats it too
    pdf = built(run, "-e", "quad-set", "--clinician", "Flag Clinician", "--paper", "letter")
    assert "Flag Clinician" in pdf.flat(0) and pdf.size() == (612, 792)
    (tmp_path / "p.toml").write_text('clinician = "File Clinician"\n[[exercises]]\n'
                                     'id = "quad-set"\n', encoding="utf-8")
    assert "File Clinician" in built(run, "p.toml").flat(0)


def test_config_file_option_and_errors(run: Run, tmp_path: Path) -> None:
    cfg = tmp_path / "clinic.toml"
    cfg.write_text('[defaults]\nlayout = "compcat"\n', encoding="utf-8")
    result = run("--config", str(cfg), "build", "-e", "quad-set", "-o", "c.pdf")
    assert result.exit_code == 1 and 'unknown layout "compcat" (did you mean "compact"' \
        in result.output
    cfg.write_text('[defaults]\npaper = "legal"\ncolour = 1\n', encoding="utf-8")
    result = run("--config", str(cfg), "list")
    assert result.exit_code == 1
    assert "clinic.toml:2: defaults.paper" in result.output
    assert "clinic.toml:3: defaults.colour: unknown field" in result.output


CONFIG_BRANDING = """\
[defaults]
clinician = "Sam Lee, PT"

[branding]
clinic_name = "Oak Street Physio"
phone = "555-0199"
address = "14 Oak Street"
website = "oakstreet.example"
logo = "art/oak-logo.png"
accent = "#2E6B3A"
accent_light = "#E3F0E5"
footer_text = "Questions? Call us at 555-0199."
disclaimer = "Oak Street Physio: do only what your physio showed you."
"""


def _clinic_config(folder: Path, text: str = CONFIG_BRANDING,
                   name: str = "clinic.toml") -> Path:
    """A configuration file with a [branding] table and its logo, in ``folder``."""
    (folder / "art").mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (900, 300), (46, 107, 58)).save(folder / "art" / "oak-logo.png")
    config = folder / name
    config.write_text(text, encoding="utf-8")
    return config


def test_config_branding_on_every_page(run: Run, tmp_path: Path) -> None:
    # the configuration lives in another folder: its logo path is relative to it, not to
    # the working folder
    config = _clinic_config(tmp_path / "clinic")
    result = run("--config", str(config), "build", "--template", "hip-flexor-back-pain",
                 "--patient", "Ann Lee", "-o", "out.pdf")
    assert result.exit_code == 0, result.output
    pdf = Pdf(Path("out.pdf").read_bytes())
    assert pdf.pages >= 3
    for i in range(pdf.pages):
        page = pdf.flat(i)
        assert "Oak Street Physio" in page
        assert "14 Oak Street · 555-0199 · oakstreet.example" in page
        assert "Questions? Call us at 555-0199." in page
        assert "do only what your physio showed you" in page
    (logo,) = _image_xobjects(pdf)  # the logo, embedded once, scaled to print size
    assert int(logo["/Width"]) <= 600


def test_user_config_branding(run: Run, tmp_path: Path) -> None:
    _clinic_config(tmp_path / "user-config" / "rxprint")  # XDG_CONFIG_HOME
    (tmp_path / "user-config" / "rxprint" / "clinic.toml").rename(
        tmp_path / "user-config" / "rxprint" / "config.toml")
    pdf = built(run, "-e", "quad-set")
    assert "Oak Street Physio" in pdf.flat(0) and len(_image_xobjects(pdf)) == 1


@pytest.mark.parametrize(("change", "where"), [
    (('accent = "#2E6B3A"', 'accent = "green"'),
     'clinic.toml:10: branding.accent: expected a colour like "#16658C", got \'green\''),
    (('accent_light = "#E3F0E5"', 'accent_light = "#E3F0E"'),
     "clinic.toml:11: branding.accent_light: expected a colour like"),
    (('logo = "art/oak-logo.png"', 'logo = "oak-logo.png"'),
     "clinic.toml:9: branding.logo: {folder}/oak-logo.png: image file not found; a "
     "relative logo path starts from the folder of clinic.toml"),
    (('logo = "art/oak-logo.png"', 'logo = "art/notes.txt"'),
     "clinic.toml:9: branding.logo: {folder}/art/notes.txt: is not an image Pillow can "
     "read (expected PNG or JPEG)"),
    (('phone = "555-0199"', 'telephone = "555-0199"'),
     "clinic.toml:6: branding.telephone: unknown field (did you mean \"phone\"?); allowed: "
     "clinic_name, phone, address, website, logo, accent"),
    (('phone = "555-0199"', "phone = 5550199"),
     "clinic.toml:6: branding.phone: expected text in quotes, got 5550199"),
])
def test_config_branding_errors(run: Run, tmp_path: Path, change: tuple[str, str],
                                where: str) -> None:
    folder = tmp_path / "clinic"
    config = _clinic_config(folder, CONFIG_BRANDING.replace(*change))
    (folder / "art" / "notes.txt").write_text("not a picture", encoding="utf-8")
    result = run("--config", str(config), "build", "-e", "quad-set", "-o", "x.pdf")
    assert result.exit_code == 1
    assert f"{config} has errors (1 problem):" in result.output
    assert where.format(folder=folder.resolve()) in result.output
    assert "Traceback" not in result.output
    assert not Path("x.pdf").exists()


def test_config_branding_errors_are_listed_together(run: Run, tmp_path: Path) -> None:
    config = _clinic_config(tmp_path, '[branding]\naccent = "red"\nlogo = "nope.png"\n'
                                      'slogan = "x"\n')
    result = run("--config", str(config), "list")
    assert result.exit_code == 1 and "(3 problems):" in result.output
    for line, field in ((2, "accent"), (3, "logo"), (4, "slogan")):
        assert f"clinic.toml:{line}: branding.{field}:" in result.output


def test_config_branding_precedence(run: Run, plugins: Callable[..., Path],
                                    tmp_path: Path) -> None:
    logo = tmp_path / "logo.png"
    Image.new("RGB", (60, 20)).save(logo)
    _logo_plugin(plugins, logo, name="one")
    _logo_plugin(plugins, logo, name="two")
    config = _clinic_config(tmp_path, name="rxprint.toml")  # the working folder's
    # the [branding] table is the clinic's choice: several plugin brandings are no error
    assert "Oak Street Physio" in built(run, "-e", "quad-set").flat(0)
    assert "Oak Street Physio" in built(run, "-e", "quad-set", "--branding", "config").flat(0)
    # --branding beats the configuration; "default" is rxprint's neutral branding
    page = built(run, "-e", "quad-set", "--branding", "default").flat(0)
    assert "Oak Street Physio" not in page and "Home Exercise Program" in page
    assert "Oak Clinic" in built(run, "-e", "quad-set", "--branding", "two-clinic").flat(0)
    # a name under [defaults] beats the [branding] table
    config.write_text(CONFIG_BRANDING.replace('clinician = "Sam Lee, PT"',
                                              'branding = "one-clinic"'), encoding="utf-8")
    page = built(run, "-e", "quad-set").flat(0)
    assert "Oak Clinic" in page and "Oak Street Physio" not in page
    # without a [branding] table the name "config" is unknown, and says why
    config.write_text('[defaults]\nbranding = "config"\n', encoding="utf-8")
    result = run("build", "-e", "quad-set", "-o", "y.pdf")
    assert result.exit_code == 1
    assert 'unknown branding "config" (the configuration has no [branding] table)' \
        in result.output


def test_readme_configuration_example_loads(tmp_path: Path) -> None:
    from rxprint.config import load_config

    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    example = readme.split("**Configuration**", 1)[1].split("```toml\n", 1)[1].split("```")[0]
    config = _clinic_config(tmp_path, example, name="rxprint.toml")
    Image.new("RGB", (300, 100)).save(tmp_path / "oak-logo.png")
    loaded = load_config(config)
    assert loaded.clinic_branding is not None
    assert loaded.clinic_branding.clinic_name == "Oak Street Physio"
    assert loaded.clinic_branding.logo == (tmp_path / "oak-logo.png").resolve()
    assert loaded.layout == "compact" and loaded.branding is None


def test_config_branding_name_is_reserved(run: Run, plugins: Callable[..., Path]) -> None:
    plugins("grabby", """
        from rxprint.api import hookimpl
        from rxprint.api import Branding
        @hookimpl
        def register_branding(register):
            register("config", Branding(clinic_name="Grabby"))
    """)
    result = run("list")
    assert result.exit_code == 1
    assert ("plugin grabby: the branding name 'config' is reserved for the [branding] "
            "table of the configuration file") in result.output


# -- meta-tests: every hook is tested and documented ---------------------------------------

HOOKS = sorted(name for name, fn in vars(hookspecs).items()
               if callable(fn) and hasattr(fn, "rxprint_spec"))


def test_every_hook_has_a_test() -> None:
    assert HOOKS, "no hooks found"
    tests = {name for name in globals() if name.startswith("test_hook_")}
    missing = [h for h in HOOKS if f"test_hook_{h}" not in tests]
    assert not missing, f"hooks without a test_hook_<name>: {missing}"


def test_every_hook_signature_is_in_the_plugin_docs() -> None:
    docs = (Path(__file__).parents[1] / "docs" / "plugins.md").read_text(encoding="utf-8")
    for name in HOOKS:
        params = ", ".join(inspect.signature(getattr(hookspecs, name)).parameters)
        assert f"{name}({params})" in docs, f"docs/plugins.md lacks {name}({params})"


# -- the example plugins, installed ------------------------------------------------------


def test_riverside_photos_are_upright_and_carry_no_metadata(
        run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RXPRINT_PLUGINS", "riverside-pt")
    pdf = built(run, "--template", "riverside-return-to-walking", "--patient", "Jane Doe")
    images = _image_xobjects(pdf)
    assert len(images) == 3  # the logo and two photos, each embedded once
    photos = [i for i in images if "/DCTDecode" in str(i.get("/Filter"))]
    assert len(photos) == 2
    for photo in photos:
        raw = photo.get_data()  # the JPEG as embedded (ASCII85 undone)
        assert raw.startswith(b"\xff\xd8")
        assert b"Exif" not in raw and b"GPS" not in raw and b"ExampleCam" not in raw
        # both drawings are landscape; the calf photo was stored sideways with EXIF 6
        assert int(photo["/Width"]) > int(photo["/Height"])


def test_cards_layout_is_installed(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RXPRINT_PLUGINS", "cards")
    pdf = built(run, "--template", "hip-flexor-back-pain", "--layout", "cards")
    *cards, log = pdf.texts()  # the adherence log last, on a page with nothing to cut
    assert all("cut here" in t for t in cards) and "cut here" not in log


@pytest.mark.parametrize("bad", ["/etc/passwd.png", "../outside.png", "link.png", "x.gif",
                                 "missing.png"])
def test_exercise_images_must_stay_in_their_folder(run: Run, tmp_path: Path,
                                                   bad: str) -> None:
    folder = tmp_path / "lib"
    folder.mkdir()
    Image.new("RGB", (20, 20)).save(tmp_path / "outside.png")
    (folder / "link.png").symlink_to(tmp_path / "outside.png")
    (folder / "clinic-heel-raise.toml").write_text(
        EXERCISE_TOML.replace('[dosage]', f'images = ["{bad}"]\n[dosage]'), encoding="utf-8")
    result = run("validate", str(folder))
    assert result.exit_code == 1
    assert "images[1]" in result.output


def test_user_config_folder_is_read(run: Run, tmp_path: Path) -> None:
    user = tmp_path / "user-config" / "rxprint"  # XDG_CONFIG_HOME is tmp_path/user-config
    user.mkdir(parents=True)
    (user / "config.toml").write_text('[defaults]\nclinician = "User Clinician"\n',
                                      encoding="utf-8")
    assert "User Clinician" in built(run, "-e", "quad-set").flat(0)
    # a rxprint.toml in the working folder wins over the user configuration
    (tmp_path / "rxprint.toml").write_text('[defaults]\nclinician = "Local Clinician"\n',
                                           encoding="utf-8")
    assert "Local Clinician" in built(run, "-e", "quad-set").flat(0)


def test_config_chooses_and_disables_plugins(run: Run, plugins: Callable[..., Path],
                                            tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("first", "second"):
        plugins(name, """
            from rxprint.api import hookimpl
            @hookimpl
            def register_layouts(register): pass
        """)
    monkeypatch.delenv("RXPRINT_PLUGINS")  # the configuration decides
    config = tmp_path / "rxprint.toml"
    config.write_text('[plugins]\nenable = ["first"]\n', encoding="utf-8")
    names = {r["name"] for r in json.loads(run("plugins", "--json").output)}
    assert "first" in names and "second" not in names
    config.write_text('[plugins]\ndisable = ["first"]\n', encoding="utf-8")
    names = {r["name"] for r in json.loads(run("plugins", "--json").output)}
    assert "second" in names and "first" not in names
    monkeypatch.setenv("RXPRINT_PLUGINS", "first,second")  # the environment wins for enable
    config.write_text('[plugins]\nenable = ["second"]\n', encoding="utf-8")
    names = {r["name"] for r in json.loads(run("plugins", "--json").output)}
    assert {"first", "second"} <= names


def test_two_families_of_one_name_never_overwrite_each_other() -> None:
    # ReportLab's font names are process-wide (a batch worker may serve two brandings):
    # each family is registered under a name of its own, derived from its files' bytes
    import fontpkg_atkinson_hyperlegible
    import fontpkg_noto_sans
    from reportlab.pdfbase import pdfmetrics

    from rxprint.library.fonts import FontFamily
    from rxprint.render.fonts import register

    noto = Path(fontpkg_noto_sans.ROOT) / "files" / "NotoSans[wdth,wght].ttf"
    atkinson = (Path(fontpkg_atkinson_hyperlegible.ROOT) / "files"
                / "AtkinsonHyperlegible-Regular.ttf")
    first = register(FontFamily("clinic-sans", noto))
    second = register(FontFamily("clinic-sans", atkinson))
    assert first.normal != second.normal
    assert first.normal.startswith("clinic-sans-") and second.normal.startswith("clinic-sans-")
    assert "Noto" in pdfmetrics.getFont(first.normal).face.name.decode()
    assert "Atkinson" in pdfmetrics.getFont(second.normal).face.name.decode()
    # the same files give the same name (and so the same PDF bytes) in every process
    assert register(FontFamily("clinic-sans", Path(str(noto)))).normal == first.normal


@pytest.mark.parametrize(("variable", "what"), [
    ("RXPRINT_PLUGINS", "to load"), ("RXPRINT_DISABLE_PLUGINS", "to disable")])
def test_a_plugin_name_that_matches_nothing_is_a_warning_with_a_suggestion(
        variable: str, what: str, tmp_path: Path) -> None:
    # a typo in RXPRINT_PLUGINS loaded nothing without a word; the build's error then
    # named an unknown exercise, not the misspelt plugin
    (tmp_path / "oak_clinic.py").write_text("x = 1\n")
    env = {**os.environ, variable: "oak_clinc", "RXPRINT_PLUGINS_DIR": str(tmp_path)}
    result = subprocess.run([str(Path(sys.executable).with_name("rxprint")), "plugins"],
                            env=env, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert (f'rxprint: warning: the plugins {what} (' in result.stderr
            and 'name "oak_clinc", which is no installed or folder plugin (did you mean '
                '"oak_clinic"?)' in result.stderr)
    env[variable] = "oak_clinic"
    again = subprocess.run([str(Path(sys.executable).with_name("rxprint")), "plugins"],
                           env=env, capture_output=True, text=True, check=False)
    assert "warning" not in again.stderr
