"""The plugin contract: hooks are called through pluggy (order, tryfirst/trylast,
wrappers, partial arguments), what a failing plugin shows (never patient data), objects a
plugin registers are checked like files, and hook-named functions without @hookimpl."""

from __future__ import annotations

import dataclasses
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from PIL import Image

from rxprint.errors import Problem
from rxprint.files.fields import Fields
from rxprint.files.tomlfile import LineIndex, TomlDocument
from rxprint.library.loader import builtin_library
from rxprint.library.pictures import parse_picture
from rxprint.library.registered import Entry, Kind, check_object, picture_table

from .conftest import Pdf, built

Run = Callable[..., Result]
Plugins = Callable[[str, str], Path]
PATIENT = "Zelda Quixote-Marchbanks"




def notes_plugin(tag: str, marker: str = "@hookimpl") -> str:
    """A plugin whose adjust_program appends [tag] to the notes."""
    return f"""
        from dataclasses import replace
        from rxprint.api import hookimpl
        {marker}
        def adjust_program(program, context):
            return replace(program, notes=(program.notes or "") + "[{tag}]")
    """


# -- calling through pluggy ----------------------------------------------------------------


def test_documented_order_and_each_gets_the_previous_result(run: Run,
                                                            plugins: Plugins) -> None:
    plugins("b_second", notes_plugin("b"))
    plugins("a_first", notes_plugin("a"))
    # folder plugins by file name, whatever order they were written in; b sees a's notes
    assert "[a][b]" in built(run, "-e", "quad-set").flat(0)


def test_builtins_are_called_before_other_plugins(run: Run, plugins: Plugins,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    plugins("zz", """
        from rxprint.api import hookimpl
        @hookimpl
        def register_exercises(register): pass
    """)
    monkeypatch.setenv("RXPRINT_TRACE_HOOKS", "1")
    lines = [line for line in run("list").output.splitlines()
             if line.startswith("rxprint: calling register_exercises")]
    assert lines == ["rxprint: calling register_exercises of plugin rxprint.builtins.library",
                     "rxprint: calling register_exercises of plugin zz"]


def test_tryfirst_and_trylast_reorder(run: Run, plugins: Plugins) -> None:
    plugins("a_first", notes_plugin("a", "@hookimpl(trylast=True)"))
    plugins("b_second", notes_plugin("b"))
    plugins("c_third", notes_plugin("c", "@hookimpl(tryfirst=True)"))
    assert "[c][b][a]" in built(run, "-e", "quad-set").flat(0)


def test_a_wrapper_sees_and_changes_the_result(run: Run, plugins: Plugins) -> None:
    plugins("a_notes", notes_plugin("a"))
    plugins("wrap", """
        from dataclasses import replace
        from rxprint.api import hookimpl
        @hookimpl(wrapper=True)
        def adjust_program(program, context):
            results = yield
            assert program.notes is None  # wrappers start before the others
            last = results[-1]
            return [*results, replace(last, notes=last.notes + f"[saw {len(results)}]")]
    """)
    assert "[a][saw 1]" in built(run, "-e", "quad-set").flat(0)


def test_an_old_style_hookwrapper_works(run: Run, plugins: Plugins) -> None:
    plugins("old", """
        from rxprint.api import hookimpl
        SEEN = []
        @hookimpl(hookwrapper=True)
        def register_layouts(register):
            outcome = yield
            outcome.get_result()
    """)
    assert run("layouts").exit_code == 0


def test_an_implementation_may_take_only_some_arguments(run: Run, plugins: Plugins) -> None:
    plugins("partial", """
        from dataclasses import replace
        from rxprint.api import hookimpl
        @hookimpl
        def adjust_program(program):
            return replace(program, notes="[partial]")
        @hookimpl
        def register_layouts():
            pass
    """)
    assert "[partial]" in built(run, "-e", "quad-set").flat(0)


def test_a_failing_wrapper_names_its_plugin(run: Run, plugins: Plugins) -> None:
    plugins("a_notes", notes_plugin("a"))
    plugins("wrap", """
        from rxprint.api import hookimpl
        @hookimpl(wrapper=True)
        def adjust_program(program, context):
            results = yield
            raise ValueError(program.patient_name)
    """)
    result = run("build", "-e", "quad-set", "--patient", PATIENT, "-o", "x.pdf")
    assert result.exit_code == 1
    assert "plugin wrap failed in adjust_program: ValueError" in result.output
    assert PATIENT not in result.output and not Path("x.pdf").exists()


def test_an_inner_failure_passes_a_wrapper_unchanged(run: Run, plugins: Plugins) -> None:
    plugins("a_fails", """
        from rxprint.api import hookimpl
        @hookimpl
        def adjust_program(program, context):
            raise RuntimeError(program.patient_name)
    """)
    plugins("wrap", """
        from rxprint.api import hookimpl
        @hookimpl(wrapper=True)
        def adjust_program(program, context):
            return (yield)
    """)
    result = run("build", "-e", "quad-set", "--patient", PATIENT, "-o", "x.pdf")
    assert result.exit_code == 1
    assert "Error: plugin a_fails failed in adjust_program: RuntimeError" in result.output
    assert PATIENT not in result.output


def test_register_callbacks_name_the_plugin_that_called_them(run: Run,
                                                             plugins: Plugins) -> None:
    # the same slug from two plugins: the second one is named, the first as the owner
    for name in ("a_one", "b_two"):
        plugins(name, """
            from rxprint.api import hookimpl
            from rxprint.api import Branding
            @hookimpl
            def register_branding(register):
                register("same-name", Branding(clinic_name="X Clinic"))
        """)
    result = run("list")
    assert result.exit_code == 1
    assert "plugin b_two: branding 'same-name' is already registered by a_one" in result.output


def test_adjust_program_wrong_type_names_the_plugin(run: Run, plugins: Plugins) -> None:
    plugins("a_notes", notes_plugin("a"))
    plugins("b_bad", """
        from rxprint.api import hookimpl
        @hookimpl
        def adjust_program(program, context):
            return {"notes": "x"}
    """)
    result = run("build", "-e", "quad-set", "-o", "x.pdf")
    assert result.exit_code == 1
    assert ("plugin b_bad registered the wrong type in adjust_program: expected an "
            "rxprint.api.Program or None, got dict") in result.output


def test_the_adjust_program_chain_follows_pluggys_order(run: Run, plugins: Plugins,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """tryfirst first, trylast last, the others in the documented order (folder plugins by
    file name), each getting the previous program; a wrapper around the whole chain."""
    plugins("a_last", notes_plugin("a", "@hookimpl(trylast=True)"))
    plugins("b_plain", notes_plugin("b"))
    plugins("c_first", notes_plugin("c", "@hookimpl(tryfirst=True)"))
    plugins("d_plain", notes_plugin("d"))
    plugins("e_wrap", """
        from dataclasses import replace
        from rxprint.api import hookimpl
        @hookimpl(wrapper=True)
        def adjust_program(program, context):
            results = yield
            assert program.notes is None  # the program the chain started with
            (last,) = results             # the program the chain made
            return [replace(last, notes=last.notes + "[w]")]
    """)
    monkeypatch.setenv("RXPRINT_TRACE_HOOKS", "1")
    result = run("build", "-e", "quad-set", "-o", "out.pdf")
    assert result.exit_code == 0, result.output
    called = [line.rsplit(" ", 1)[1] for line in result.stderr.splitlines()
              if line.startswith("rxprint: calling adjust_program of plugin ")]
    assert called == ["e_wrap", "c_first", "b_plain", "d_plain", "a_last"]
    assert "[c][b][d][a][w]" in Pdf(Path("out.pdf").read_bytes()).flat(0)


def test_a_wrapper_returning_the_wrong_type_names_its_plugin(run: Run,
                                                             plugins: Plugins) -> None:
    plugins("a_notes", notes_plugin("a"))
    plugins("wrap", """
        from rxprint.api import hookimpl
        @hookimpl(wrapper=True)
        def adjust_program(program, context):
            results = yield
            return results[-1]  # a program, not the list of them
    """)
    result = run("build", "-e", "quad-set", "-o", "x.pdf")
    assert result.exit_code == 1
    assert result.output == ("Error: plugin wrap registered the wrong type in adjust_program: "
                             "expected a list of rxprint.api.Program (from a wrapper), got "
                             "Program\n")


def test_a_wrapper_that_does_not_yield_names_its_plugin(run: Run, plugins: Plugins) -> None:
    plugins("a_notes", notes_plugin("a"))
    plugins("nowrap", """
        from rxprint.api import hookimpl
        @hookimpl(wrapper=True)
        def adjust_program(program, context):
            if program.items:
                return None
            yield
    """)
    result = run("build", "-e", "quad-set", "-o", "x.pdf")
    assert result.exit_code == 1
    assert result.output.startswith("Error: plugin nowrap failed in adjust_program: its "
                                    "wrapper must yield exactly once (")
    assert not Path("x.pdf").exists()


def test_a_register_callback_kept_for_later_says_so(run: Run, plugins: Plugins) -> None:
    plugins("late", """
        from rxprint.api import Branding, hookimpl
        KEPT = []
        @hookimpl
        def register_branding(register):
            KEPT.append(register)
        @hookimpl
        def register_layouts(register):
            KEPT[0]("late", Branding(clinic_name="Late Clinic"))
    """)
    result = run("layouts")
    assert result.exit_code == 1
    assert result.output == ("Error: a register callback was called after its hook "
                             "returned: call register(...) inside register_branding\n")


# -- what a failing plugin shows -----------------------------------------------------------


PATIENT_KEYERROR = """
    from rxprint.api import hookimpl
    @hookimpl
    def adjust_program(program, context):
        raise KeyError(program.patient_name)
"""


def test_an_exception_message_never_reaches_stderr(run: Run, plugins: Plugins) -> None:
    plugins("leaky", PATIENT_KEYERROR)
    result = run("build", "-e", "quad-set", "--patient", PATIENT, "-o", "x.pdf")
    assert result.exit_code == 1
    assert result.output.startswith("Error: plugin leaky failed in adjust_program: KeyError ")
    assert PATIENT not in result.output and "Zelda" not in result.output
    assert len(result.output.splitlines()) == 1


@pytest.mark.parametrize(("raise_", "kind"), [
    ("raise SystemExit('leaked: ' + program.patient_name)", "SystemExit"),
    ("raise SystemExit(0)", "SystemExit"),
    ("raise type('Boom', (BaseException,), {})(program.patient_name)", "Boom"),
], ids=["system-exit-message", "system-exit-0", "own-base-exception"])
def test_any_base_exception_from_a_plugin_is_its_error(run: Run, plugins: Plugins,
                                                       raise_: str, kind: str) -> None:
    """Not only Exceptions: a plugin ending the run (SystemExit, even with 0) or raising a
    BaseException of its own fails with the same one line, never the message."""
    plugins("leaky", f"""
        from rxprint.api import hookimpl
        @hookimpl
        def adjust_program(program, context):
            {raise_}
    """)
    result = run("build", "-e", "quad-set", "--patient", PATIENT, "-o", "x.pdf")
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: plugin leaky failed in adjust_program: {kind} ")
    assert PATIENT not in result.output and "Traceback" not in result.output
    assert not Path("x.pdf").exists()


@pytest.mark.parametrize(("hook", "signature", "shown"), [
    ("register_exercises", "register", True),
    ("register_branding", "register", True),
    ("register_layouts", "register", True),
    ("adjust_program", "program, context", False),
])
def test_a_message_is_shown_only_by_hooks_that_see_no_patient_data(
        run: Run, plugins: Plugins, hook: str, signature: str, shown: bool) -> None:
    """The register hooks get a callback, no patient data: their exceptions' messages
    are the help. adjust_program sees the program: its exceptions show only their type,
    whatever the message."""
    plugins("raiser", f"""
        from rxprint.api import hookimpl
        @hookimpl
        def {hook}({signature}):
            raise ValueError("the folder oak-exercises is missing")
    """)
    result = run("build", "-e", "quad-set", "--patient", PATIENT, "-o", "x.pdf")
    assert result.exit_code == 1
    prefix = f"Error: plugin raiser failed in {hook}: ValueError"
    if shown:
        assert result.output == (f"{prefix}: the folder oak-exercises is missing (an error "
                                 "in the plugin; --debug shows the traceback); disable the "
                                 "plugin with RXPRINT_DISABLE_PLUGINS=raiser\n")
    else:
        assert result.output.startswith(f"{prefix} (an error in the plugin; its message is "
                                        "not shown as it may hold patient details")
        assert "oak-exercises" not in result.output
    assert not Path("x.pdf").exists()


def test_a_missing_field_in_a_register_hook_is_shown(run: Run, plugins: Plugins) -> None:
    plugins("clinic", """
        from rxprint.api import Exercise, hookimpl
        @hookimpl
        def register_exercises(register):
            register(Exercise(id="oak-bridge", title="Bridge on the bed"))
    """)
    result = run("list")
    assert result.exit_code == 1
    assert result.output.startswith("Error: plugin clinic failed in register_exercises: "
                                    "TypeError: Exercise.__init__() missing 11 required "
                                    "positional arguments: 'category', 'regions',")
    assert len(result.output.splitlines()) == 1


@pytest.mark.parametrize(("register", "expected"), [
    ('register("titles", Titles)',
     "plugin plain registered the class Titles in register_layouts, not an instance of it: "
     "expected an rxprint.layout.Layout; register an instance, Titles(...)"),
    ('register("titles", Titles())', None),
])
def test_a_class_registered_instead_of_an_instance_says_so(
        run: Run, plugins: Plugins, register: str, expected: str | None) -> None:
    plugins("plain", f"""
        from rxprint.api import hookimpl
        from rxprint.layout import Layout
        class Titles(Layout):
            def story(self, request, builder):
                return builder.closing()
        @hookimpl
        def register_layouts(register):
            {register}
    """)
    result = run("layouts")
    if expected is None:
        assert result.exit_code == 0 and "titles" in result.output
    else:
        assert result.exit_code == 1 and result.output == f"Error: {expected}\n"


def test_a_branding_class_registered_says_so(run: Run, plugins: Plugins) -> None:
    plugins("brand", """
        from rxprint.api import Branding, hookimpl
        @hookimpl
        def register_branding(register):
            register("oak", Branding)
    """)
    result = run("list")
    assert result.exit_code == 1
    assert ("plugin brand registered the class Branding in register_branding, not an "
            "instance of it") in result.output


def test_an_entry_point_naming_a_class_says_so(run: Run, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.metadata

    (tmp_path / "oak_classy_plugin.py").write_text(textwrap.dedent("""
        from rxprint.api import hookimpl
        class Oak:
            @hookimpl
            def register_layouts(self, register):
                pass
    """), encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    entry = importlib.metadata.EntryPoint(name="classy", value="oak_classy_plugin:Oak",
                                          group="rxprint")
    real = importlib.metadata.entry_points
    monkeypatch.setattr(importlib.metadata, "entry_points",
                        lambda **kw: [entry] if kw.get("group") == "rxprint" else real(**kw))
    monkeypatch.setenv("RXPRINT_PLUGINS", "classy")
    result = run("list")
    assert result.exit_code == 1
    assert result.output.startswith(
        "Error: plugin classy (entry point oak_classy_plugin:Oak) is the class Oak, not an "
        "instance of it: its hooks would be called without one; name an instance (such as "
        "`plugin = Oak()`) or a module in the entry point;")


def test_plugins_reports_a_missing_exercise_folder(run: Run, plugins: Plugins,
                                                   tmp_path: Path) -> None:
    missing = tmp_path / "oak-exercises"
    plugins("oak", f"""
        from pathlib import Path
        from rxprint.api import hookimpl
        @hookimpl
        def register_exercises(register):
            register(Path({str(missing)!r}))
    """)
    for args in (["plugins"], ["plugins", "--json"]):
        result = run(*args)
        assert result.exit_code == 1
        assert "oak" in result.stdout  # the list, then what is wrong
        assert result.stderr == (f"Error: plugin oak: exercise folder {missing} does not "
                                 "exist\n")
    missing.mkdir()
    assert run("plugins").exit_code == 0


def test_debug_shows_the_message(plugins: Plugins, tmp_path: Path,
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    from rxprint.cli import cli
    from rxprint.plugins.manager import PluginError

    plugins("leaky", PATIENT_KEYERROR)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["--debug", "build", "-e", "quad-set", "--patient",
                                      PATIENT, "-o", "x.pdf"])
    assert isinstance(result.exception, PluginError)
    cause = result.exception.__cause__
    assert isinstance(cause, KeyError) and cause.args == (PATIENT,)


def test_rxprint_error_from_a_plugin_is_shown_as_it_is(run: Run, plugins: Plugins) -> None:
    plugins("rules", """
        from rxprint.api import hookimpl
        from rxprint.api import RxprintError
        @hookimpl
        def adjust_program(program, context):
            raise RxprintError("Oak house rule: at most 1 exercise")
    """)
    result = run("build", "-e", "quad-set", "-o", "x.pdf")
    assert result.exit_code == 1 and result.output == "Error: Oak house rule: at most 1 exercise\n"


@pytest.mark.parametrize("method", ["story", "styles", "page_templates"])
def test_a_crashing_plugin_layout_is_the_plugins_error(run: Run, plugins: Plugins,
                                                       method: str) -> None:
    signature = {"story": "self, request, builder", "styles": "self, request",
                 "page_templates": "self, request, decorate"}[method]
    story = "" if method == "story" else """
            def story(self, request, builder):
                return builder.closing()
    """
    plugins("shaky", f"""
        from rxprint.api import hookimpl
        from rxprint.layout import Layout

        class Shaky(Layout):
            def {method}({signature}):
                raise KeyError(request.program.patient_name)
            {story.strip()}

        @hookimpl
        def register_layouts(register):
            register("shaky", Shaky())
    """)
    result = run("build", "-e", "quad-set", "--layout", "shaky", "--patient", PATIENT,
                 "-o", "x.pdf")
    assert result.exit_code == 1
    assert (f"Error: plugin shaky failed in its layout 'shaky' ({method}): KeyError (an "
            "error in the plugin, not in rxprint;") in result.output
    assert "RXPRINT_DISABLE_PLUGINS=shaky" in result.output
    assert "bug in rxprint" not in result.output and PATIENT not in result.output
    assert not Path("x.pdf").exists()


def test_a_plugin_flowable_crashing_at_draw_time_is_the_plugins_error(
        run: Run, plugins: Plugins) -> None:
    plugins("drawer", """
        from reportlab.platypus import Flowable
        from rxprint.api import hookimpl
        from rxprint.layout import Layout

        class Broken(Flowable):
            def wrap(self, w, h):
                return (10, 10)
            def draw(self):
                1 / 0

        class Drawer(Layout):
            def story(self, request, builder):
                return [Broken()]

        @hookimpl
        def register_layouts(register):
            register("drawer", Drawer())
    """)
    result = run("build", "-e", "quad-set", "--layout", "drawer", "-o", "x.pdf")
    assert result.exit_code == 1
    assert ("plugin drawer failed in its layout 'drawer' (draw): ZeroDivisionError"
            in result.output)


# -- objects a plugin registers ------------------------------------------------------------


QUAD = """
    from dataclasses import replace
    from pathlib import Path
    from rxprint.api import hookimpl
    from rxprint.library.loader import builtin_dir
    from rxprint.library.schema import parse_exercise
    from rxprint.files.tomlfile import load_toml
    QUAD = parse_exercise(load_toml(builtin_dir() / "strengthening" / "quad-set.toml"), [])
"""


def test_the_docs_replace_pattern_with_a_new_id_works(run: Run, plugins: Plugins) -> None:
    plugins("clinic", textwrap.dedent(QUAD) + textwrap.dedent("""
        @hookimpl
        def register_exercises(register):
            register(replace(QUAD, id="clinic-quad-set", title="Quad set, our way",
                             easier=None, harder=None))  # the links name the original
    """))
    pdf = built(run, "-e", "clinic-quad-set")
    assert "Quad set, our way" in pdf.flat()


def test_every_builtin_picture_survives_the_object_round_trip() -> None:
    pictures = [e for e in builtin_library().exercises.values() if e.picture is not None]
    assert pictures
    for exercise in pictures:
        assert exercise.picture is not None
        doc = TomlDocument(path=Path("<test>"), data={}, index=LineIndex())
        problems: list[Problem] = []
        again = parse_picture(Fields(doc, picture_table(exercise.picture), problems,
                                     "picture"))
        assert problems == [] and again == exercise.picture, exercise.id


@pytest.mark.parametrize(("change", "expected"), [
    ('picture=replace(QUAD.picture, frames=(replace(QUAD.picture.frames[0], '
     'posture="floating"),))',
     'exercise "quad-set">: picture.frames[1].posture: "floating" is not one of'),
    ("picture=replace(QUAD.picture, frames=())",
     'exercise "quad-set">: picture.frames: has 0 frames'),
    ('picture=replace(QUAD.picture, tilt=400)',
     'exercise "quad-set">: picture.tilt: 400 degrees is out of range'),
    ('picture="lying down"',
     'exercise "quad-set">: picture: expected a table'),
    ('regions="knee"',
     'exercise "quad-set">: regions: expected a list of texts'),
    ('dosage="2 sets"',
     'exercise "quad-set">: dosage: expected a table'),
])
def test_a_bad_exercise_object_names_plugin_id_and_field(run: Run, plugins: Plugins,
                                                         change: str, expected: str) -> None:
    plugins("clinic", textwrap.dedent(QUAD) + textwrap.dedent(f"""
        @hookimpl
        def register_exercises(register):
            register(replace(QUAD, {change}), override=True)
    """))
    result = run("list")
    assert result.exit_code == 1
    assert f"<plugin clinic (register_exercises): {expected}" in result.output, result.output
    assert "Traceback" not in result.output and "bug in rxprint" not in result.output


def _good_png(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (300, 200), (30, 90, 60)).save(path)
    return path


@pytest.mark.parametrize(("image", "expected"), [
    ('"photo.png"', "must be an absolute path"),
    ("HERE / 'outside' / '..' / 'photo.png'", "must be an absolute path without .."),
    ("HERE / 'link.png'", "is a symbolic link"),
    ("HERE / 'missing.png'", "image file not found"),
    ("HERE / 'notes.png'", "is not a PNG or JPEG file"),
    ("HERE / 'folder.png'", "is not a regular file"),
    ("HERE / 'photo.gif'", "only .png, .jpg and .jpeg images are accepted"),
    ("42", "expected a pathlib.Path, got 42"),
])
def test_exercise_object_images_are_checked(run: Run, plugins: Plugins, tmp_path: Path,
                                            image: str, expected: str) -> None:
    here = tmp_path / "art"
    _good_png(here / "photo.png")
    (here / "link.png").symlink_to(here / "photo.png")
    (here / "notes.png").write_text("not an image", encoding="utf-8")
    (here / "folder.png").mkdir()
    Image.new("P", (10, 10)).save(here / "photo.gif")
    plugins("clinic", textwrap.dedent(QUAD) + textwrap.dedent(f"""
        HERE = Path({str(here)!r})
        @hookimpl
        def register_exercises(register):
            register(replace(QUAD, id="clinic-quad", images=({image},)))
    """))
    result = run("list")
    assert result.exit_code == 1
    assert ('<plugin clinic (register_exercises): exercise "clinic-quad">: images[1]: '
            in result.output), result.output
    assert expected in result.output


def test_exercise_object_with_a_good_image_renders_it(run: Run, plugins: Plugins,
                                                      tmp_path: Path) -> None:
    photo = _good_png(tmp_path / "art" / "photo.png")
    plugins("clinic", textwrap.dedent(QUAD) + textwrap.dedent(f"""
        @hookimpl
        def register_exercises(register):
            register(replace(QUAD, id="clinic-quad", picture=None, easier=None, harder=None,
                             images=(Path({str(photo)!r}),)))
    """))
    pdf = built(run, "-e", "clinic-quad")
    assert any("/Image" in str(x) for page in pdf.reader.pages
               for x in ((page.get("/Resources") or {}).get("/XObject") or {}).values()
               if str(x.get_object().get("/Subtype")) == "/Image")


def test_bad_education_and_program_objects_name_plugin_id_and_field(
        run: Run, plugins: Plugins) -> None:
    plugins("clinic", """
        from rxprint.api import hookimpl
        from rxprint.api import Dosage
        from rxprint.api import EducationSection, ProgramEntry, StandardProgram
        @hookimpl
        def register_exercises(register):
            register(EducationSection(id="pacing", title="Pacing", paragraphs="one long text",
                                      bullets=(), sources=("clinic",)))
        @hookimpl
        def register_programs(register):
            entries = tuple(ProgramEntry(id=i, dosage=Dosage()) for i in
                            ("quad-set", "glute-bridge", "wall-sit"))
            entries += (ProgramEntry(id="mini-squat", dosage=Dosage(), note="secret"),)
            register(StandardProgram(id="knee", title="Knee basics", description="Four.",
                                     entries=entries, education=(), sources=("clinic",)))
    """)
    result = run("list")
    assert result.exit_code == 1
    assert ('<plugin clinic (register_exercises): education "pacing">: paragraphs: '
            "expected a list of texts") in result.output
    assert ('<plugin clinic (register_programs): program "knee">: exercises[4].note: '
            "unknown field") in result.output


def test_a_program_object_naming_an_unknown_exercise_names_the_plugin(
        run: Run, plugins: Plugins) -> None:
    plugins("clinic", """
        from rxprint.api import hookimpl
        from rxprint.api import Dosage
        from rxprint.api import ProgramEntry, StandardProgram
        @hookimpl
        def register_programs(register):
            entries = tuple(ProgramEntry(id=i, dosage=Dosage()) for i in
                            ("quad-set", "glute-bridge", "wall-sit", "quad-sett"))
            register(StandardProgram(id="knee", title="Knee basics", description="Four.",
                                     entries=entries, education=(), sources=("clinic",)))
    """)
    result = run("list")
    assert result.exit_code == 1
    assert ('<plugin clinic (register_programs): program "knee">: exercises[4].id: unknown '
            'exercise "quad-sett"') in result.output


def test_a_builtin_object_round_trips_unchanged() -> None:
    lib = builtin_library()
    items: list[tuple[Kind, Entry]] = [
        *(("exercise", e) for e in lib.exercises.values()),
        *(("education", e) for e in lib.education.values()),
        *(("program", p) for p in lib.programs.values())]
    for kind, item in items:
        problems: list[Problem] = []
        checked = check_object(item, kind, "test", problems)
        assert problems == [], (item.id, problems)
        assert checked is not None
        assert dataclasses.replace(checked, path=item.path) == item, item.id


# -- functions named like hooks without @hookimpl ---------------------------------------------


def test_a_hook_named_function_without_hookimpl_is_a_warning(run: Run,
                                                             plugins: Plugins) -> None:
    plugins("forgetful", notes_plugin("never", marker=""))
    result = run("build", "-e", "quad-set", "-o", "out.pdf")
    assert result.exit_code == 0
    warnings = [line for line in result.output.splitlines() if "warning" in line]
    assert warnings == ["rxprint: warning: plugin forgetful: adjust_program is named like a "
                        "hook but has no @hookimpl, so rxprint never calls it; add "
                        "@hookimpl (from rxprint.api) above it (or rename it)"]
    assert "[never]" not in Pdf(Path("out.pdf").read_bytes()).flat(0)


def test_marked_hooks_and_helpers_give_no_warning(run: Run, plugins: Plugins) -> None:
    plugins("tidy", notes_plugin("ok") + """
        def helper(): pass
        from rxprint.plugins.hookspecs import register_layouts  # a spec, not an implementation
    """)
    assert "warning" not in run("list").output


# -- the example clinic plugin and --branding default -----------------------------------------


def test_branding_default_is_neutral_with_the_riverside_plugin(
        run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RXPRINT_PLUGINS", "riverside-pt")
    nine = [a for i in ("quad-set", "glute-bridge", "wall-sit", "mini-squat", "sit-to-stand",
                        "straight-leg-raise", "long-arc-quad", "prone-hip-extension",
                        "standing-hip-extension") for a in ("-e", i)]
    pdf = built(run, *nine, "--branding", "default")
    assert "Riverside" not in pdf.flat() and "010-4477" not in pdf.flat()
    assert "Home Exercise Program" in pdf.flat(0)
    # with its branding active (the only one offered), its house rules apply
    assert "Questions? Call Riverside at (555) 010-4477." in built(run, "-e", "quad-set").flat(0)
    result = run("build", *nine, "-o", "x.pdf")
    assert result.exit_code == 1 and "Riverside house rule: at most 8 exercises" in result.output


def test_an_import_error_shows_its_message(run: Run, plugins: Plugins) -> None:
    # an import sees no patient data: the missing module's name is the help
    plugins("broken", "import oak_clinic_missing_dependency\n")
    result = run("list")
    assert result.exit_code == 1
    assert result.output == (
        f"Error: plugin broken ({Path('plugins', 'broken.py').resolve()}) failed to import "
        "(ModuleNotFoundError: No module named 'oak_clinic_missing_dependency'); disable it "
        "with RXPRINT_DISABLE_PLUGINS=broken\n")



def test_a_syntax_error_says_where(run: Run, plugins: Plugins) -> None:
    plugins("typo", "x = 1\ndef oops(:\n")
    result = run("list")
    assert result.exit_code == 1
    assert "plugin typo" in result.output and "failed to import (SyntaxError at typo.py " \
        "line 2: invalid syntax)" in result.output


# a warning, not the error the suite's filterwarnings makes of every warning
@pytest.mark.filterwarnings("default::UserWarning")
def test_a_plugins_warning_shows_its_category_not_its_message(run: Run,
                                                              plugins: Plugins) -> None:
    plugins("warny", """
        import warnings
        from rxprint.api import hookimpl
        @hookimpl
        def adjust_program(program, context):
            warnings.warn("about " + program.patient_name)
    """)
    result = run("build", "-e", "quad-set", "--patient", PATIENT, "-o", "x.pdf")
    assert result.exit_code == 0
    assert "Warning: UserWarning from" in result.output
    assert PATIENT not in result.output
