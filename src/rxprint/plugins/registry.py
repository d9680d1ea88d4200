"""What plugins register, checked: the ``register`` callbacks the ``register_*`` hooks get,
and the :class:`Registry` they fill (the library, brandings and font families; layouts on
first use, through the loader the caller gives, as layouts are rendering code).

Each callback knows which plugin called it (:meth:`Plugins.caller`), so that what it
registered, and every problem with it, names the plugin.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from rxprint.errors import Problem, ValidationError
from rxprint.files.fields import SLUG
from rxprint.language.messages import SHIPPED, known_to_babel
from rxprint.library.branding import CONFIG_BRANDING_NAME, Branding, check_branding
from rxprint.library.fonts import FontFamily, check_font_files
from rxprint.library.loader import Kind, Library, library_files
from rxprint.library.model import EducationSection, Exercise, StandardProgram
from rxprint.library.registered import check_object
from rxprint.library.schema import parse_video
from rxprint.library.translations import check_language
from rxprint.plugins.manager import PluginError, PluginInfo, Plugins, wrong_type

# -- the register callbacks, as the hooks' signatures name them -------------------------


class ExerciseRegister(Protocol):
    def __call__(self, source: Path | Exercise | EducationSection, *,
                 override: bool = False) -> None: ...


class ProgramRegister(Protocol):
    def __call__(self, source: Path | StandardProgram, *, override: bool = False) -> None: ...


class BrandingRegister(Protocol):
    def __call__(self, name: str, branding: Branding) -> None: ...


class LayoutRegister(Protocol):
    def __call__(self, name: str, layout: Any, *, description: str = "") -> None: ...


class VideoRegister(Protocol):
    def __call__(self, exercise_id: str, url: str) -> None: ...


class LanguageRegister(Protocol):
    def __call__(self, language: str, *, catalog: Path | None = None,
                 translations: Path | None = None) -> None: ...


@dataclass(frozen=True)
class LanguageSource:
    """A language a plugin added (``catalog``), or translations into one."""

    language: str
    catalog: Path | None = None  # None: rxprint's own
    translations: tuple[Path, ...] = ()  # folders of <id>.toml files, in plugin order


class FontRegister(Protocol):
    def __call__(self, family: str, regular: Path, *, bold: Path | None = None,
                 italic: Path | None = None, bold_italic: Path | None = None) -> None: ...


@dataclass(frozen=True)
class Registered:
    """Something a plugin registered, and which plugin it was."""

    value: Any
    plugin: str
    description: str = ""


LayoutLoader = Callable[[], dict[str, Registered]]


@dataclass
class Registry:
    """Everything the plugins registered, checked. ``layouts`` are asked for (the
    ``register_layouts`` hook called, by ``load_layouts``) only when first used, so that
    the commands that do not render never import a layout's code (and ReportLab with
    it)."""

    library: Library = field(default_factory=Library)
    brandings: dict[str, Registered] = field(default_factory=dict)
    fonts: dict[str, Registered] = field(default_factory=dict)  # values: FontFamily
    # values: LanguageSource; rxprint's own languages are not listed
    languages: dict[str, Registered] = field(default_factory=dict)
    videos: dict[str, Registered] = field(default_factory=dict)  # exercise id -> its link
    load_layouts: LayoutLoader | None = None
    _layouts: dict[str, Registered] | None = None

    @property
    def layouts(self) -> dict[str, Registered]:
        if self._layouts is None:
            self._layouts = self.load_layouts() if self.load_layouts is not None else {}
        return self._layouts


def origin(info: PluginInfo, hook: str) -> str:
    """How library entries name the plugin and hook that supplied them."""
    return f"{info.label()} ({hook})"


def check_name(info: PluginInfo, what: str, name: object, taken: dict[str, Registered],
               example: str) -> str:
    """A registered name must be a slug that no plugin has used for this kind yet."""
    if not isinstance(name, str) or not SLUG.match(name):
        raise PluginError(f"plugin {info.label()}: {what} name {name!r} must be a lowercase "
                          f'slug like "{example}"')
    if name in taken:
        raise PluginError(f"plugin {info.label()}: {what} {name!r} is already registered by "
                          f"{taken[name].plugin}")
    return name


def build_registry(plugins: Plugins, *, load_layouts: LayoutLoader | None = None) -> Registry:
    """Call every ``register_*`` hook but ``register_layouts`` (``load_layouts`` does, when
    the layouts are first used) and check what comes back; all library problems at once.

    A font family's files are checked as far as it takes no font library (they exist,
    are not too large, start like TrueType); they are loaded when a branding that names
    the family is chosen."""
    reg = Registry(load_layouts=load_layouts)
    problems: list[Problem] = []
    lib = reg.library

    def font(family: str, regular: Path, *, bold: Path | None = None,
             italic: Path | None = None, bold_italic: Path | None = None) -> None:
        info = plugins.caller("register_fonts")
        check_name(info, "font family", family, reg.fonts, "clinic-sans")
        fam = FontFamily(family, regular, bold, italic, bold_italic)
        check_font_files(fam, info.label())
        reg.fonts[family] = Registered(fam, info.name)
    plugins.hook.register_fonts(register=font)

    def exercise(source: Path | Exercise | EducationSection, *,
                 override: bool = False) -> None:
        info = plugins.caller("register_exercises")
        where = origin(info, "register_exercises")
        if isinstance(source, Path):
            if not source.is_dir():
                raise PluginError(f"plugin {info.label()}: exercise folder {source} "
                                  "does not exist")
            files = [(p, k) for p, k in library_files(source) if k != "program"]
            lib.add_files(files, problems, origin=where, override=override)
        elif isinstance(source, Exercise | EducationSection):
            kind: Kind = "exercise" if isinstance(source, Exercise) else "education"
            checked = check_object(source, kind, where, problems)
            if checked is not None:
                lib.add(checked, kind, problems, origin=where, override=override)
        else:
            raise wrong_type(info, "register_exercises",
                             "a folder Path, Exercise or EducationSection", source)
    plugins.hook.register_exercises(register=exercise)

    def program(source: Path | StandardProgram, *, override: bool = False) -> None:
        info = plugins.caller("register_programs")
        where = origin(info, "register_programs")
        if isinstance(source, Path):
            if source.is_dir():
                files = [(p, "program") for p in sorted(source.glob("*.toml"))]
            elif source.is_file():
                files = [(source, "program")]
            else:
                raise PluginError(f"plugin {info.label()}: program source {source} "
                                  "does not exist")
            lib.add_files(files, problems,  # type: ignore[arg-type]
                          origin=where, override=override)
        elif isinstance(source, StandardProgram):
            checked = check_object(source, "program", where, problems)
            if checked is not None:
                lib.add(checked, "program", problems, origin=where, override=override)
        else:
            raise wrong_type(info, "register_programs", "a Path or StandardProgram", source)
    plugins.hook.register_programs(register=program)
    lib.check_references(problems)
    lib.check_links(problems)

    def branding(name: str, value: Branding) -> None:
        info = plugins.caller("register_branding")
        if not isinstance(value, Branding):
            raise wrong_type(info, "register_branding", "an rxprint.api.Branding", value)
        check_name(info, "branding", name, reg.brandings, "riverside-pt")
        if name == CONFIG_BRANDING_NAME:
            raise PluginError(f"plugin {info.label()}: the branding name {name!r} is "
                              "reserved for the [branding] table of the configuration "
                              "file; choose another name")
        found = check_branding(value, reg.fonts)
        if found:
            raise PluginError(f"plugin {info.label()}: branding {name!r}: "
                              + "; ".join(f"{f}: {m}" for f, m in found))
        reg.brandings[name] = Registered(value, info.name)
    plugins.hook.register_branding(register=branding)

    def language(language: str, *, catalog: Path | None = None,
                 translations: Path | None = None) -> None:
        info = plugins.caller("register_languages")
        reg.languages[language] = Registered(
            checked_language(info, reg.languages, language, catalog, translations),
            info.name)
    plugins.hook.register_languages(register=language)

    def video(exercise_id: str, url: str) -> None:
        info = plugins.caller("register_videos")
        where = f"plugin {info.label()}: register_videos"
        if not isinstance(exercise_id, str) or exercise_id not in lib.exercises:
            shown = repr(exercise_id)
            raise PluginError(f"{where}: no exercise {shown} in the library (built-in or "
                              "a plugin's); `rxprint list` shows the ids")
        try:
            link = parse_video(url)
        except ValueError as exc:
            raise PluginError(f"{where}: {exercise_id!r}: {exc}") from None
        if exercise_id in reg.videos:
            raise PluginError(f"{where}: {exercise_id!r} already has a video from "
                              f"{reg.videos[exercise_id].plugin}")
        reg.videos[exercise_id] = Registered(link, info.name)
    plugins.hook.register_videos(register=video)

    if problems:
        raise ValidationError(problems, "the exercise library has errors")
    return reg


def checked_language(info: PluginInfo, taken: dict[str, Registered], language: object,
                     catalog: object, translations: object) -> LanguageSource:
    """What ``register_languages`` was given, checked; merged with what an earlier plugin
    registered for the same language (a later catalog replaces an earlier one)."""
    where = f"plugin {info.label()}: register_languages"
    problem = check_language(language)
    if problem is not None:
        raise PluginError(f"{where}: {language!r}: {problem}")
    assert isinstance(language, str)
    for name, value in (("catalog", catalog), ("translations", translations)):
        if value is not None and not isinstance(value, Path):
            raise wrong_type(info, "register_languages", f"{name}=a pathlib.Path", value)
    if not known_to_babel(language):
        raise PluginError(f'{where}: Babel has no language "{language}" (its dates and '
                          "plural rules come from Babel): check the code")
    if isinstance(catalog, Path) and not catalog.is_file():
        raise PluginError(f"{where}: {language!r}: catalog {catalog} is not a file")
    if isinstance(translations, Path) and not translations.is_dir():
        raise PluginError(f"{where}: {language!r}: translations {translations} is not a "
                          "folder")
    before = taken.get(language)
    earlier: LanguageSource = (before.value if before is not None
                               else LanguageSource(language))
    if catalog is None and earlier.catalog is None and language not in SHIPPED:
        raise PluginError(f"{where}: {language!r} is not one of rxprint's languages "
                          f"({', '.join(SHIPPED)}): give its catalog=Path(...) of "
                          "interface words")
    return LanguageSource(language, catalog if isinstance(catalog, Path) else earlier.catalog,
                          earlier.translations + ((translations,)
                                                  if isinstance(translations, Path) else ()))
