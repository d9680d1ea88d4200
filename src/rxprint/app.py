"""The application: configuration, plugins and what they registered, in one object.

The CLI makes one :class:`App` per run; tests and batch code can make their own. It is
where the active branding and layout are chosen and where a program is resolved, adjusted
by plugins and rendered.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from rxprint.config import Config
from rxprint.errors import (
    InputError,
    LanguageList,
    Msg,
    Problem,
    RxprintError,
    ValidationError,
)
from rxprint.files.fields import unknown
from rxprint.language.messages import SHIPPED, Catalog, english_name, load_catalog
from rxprint.library.branding import CONFIG_BRANDING_NAME, Branding, check_logo
from rxprint.library.fonts import FontFamily
from rxprint.library.loader import Library
from rxprint.library.model import Item, Program, ProgramRequest, Translation
from rxprint.library.programs import resolve
from rxprint.library.reissue import PrintSettings, program_file
from rxprint.library.translations import Extra, localize_program, read_translation_folder
from rxprint.plugins.manager import (
    PluginError,
    PluginOptions,
    Plugins,
    ProgramContext,
    adjust,
    plugin_frame,
)
from rxprint.plugins.registry import Registered, Registry, build_registry
from rxprint.render.fingerprint import fingerprint
from rxprint.render.fonts import check_family
from rxprint.runtime.interrupt import check as check_interrupted
from rxprint.runtime.interrupt import is_real

if TYPE_CHECKING:  # ReportLab is imported on the first render, not by commands that list
    from rxprint.render.handout import RenderResult
    from rxprint.render.layout_base import Layout

DEFAULT_LAYOUT = "classic"
DEFAULT_BRANDING_NAME = "default"


@dataclass(frozen=True)
class Choice:
    """The branding and layout a handout is made with."""

    branding_name: str
    branding: Branding
    font: FontFamily | None
    layout_name: str
    layout: Layout
    paper: str


@dataclass(frozen=True)
class Prepared:
    """A handout ready to render (:meth:`App.prepare`): the program as plugins adjusted
    it, how it is printed, and the program file attached to it."""

    program: Program
    choice: Choice
    pictures: bool
    attachment: bytes


class App:
    def __init__(self, config: Config | None = None,
                 options: PluginOptions | None = None, *, debug: bool = False) -> None:
        config = config or Config()
        self.config = config
        self.options = options or PluginOptions.from_environ(
            dict(os.environ), plugins_dir=config.plugins_dir, enabled=config.enable,
            disabled=config.disable, debug=debug)
        self._readied: dict[str, FontFamily | None] = {}  # brandings whose files were read
        self._extra: dict[str, Extra] = {}  # plugins' translation folders, by language

    def __reduce__(self) -> tuple[type[App], tuple[Config, PluginOptions]]:
        """An App pickles as what it is made from (configuration and plugin options):
        the process that unpickles it loads the plugins itself, so plugins from a
        ``--plugins-dir`` (modules no other process can import) are no obstacle."""
        return (App, (self.config, self.options))

    @functools.cached_property
    def plugins(self) -> Plugins:
        return Plugins(self.options)

    @functools.cached_property
    def registry(self) -> Registry:
        """What plugins registered, plus the configuration's [branding] (as "config").
        Its layouts are asked for when first used (:mod:`rxprint.render.layout_registry`)."""
        reg = build_registry(self.plugins, load_layouts=self._load_layouts)
        if self.config.clinic_branding is not None:
            reg.brandings[CONFIG_BRANDING_NAME] = Registered(
                self.config.clinic_branding, f"the configuration file {self.config.path}")
        return reg

    def _load_layouts(self) -> dict[str, Registered]:
        from rxprint.render.layout_registry import build_layouts

        return build_layouts(self.plugins)

    @property
    def library(self) -> Library:
        return self.registry.library

    def input_files(self) -> dict[Path, str]:
        """The files this App reads, each with how a message names it: the configuration,
        folder plugins, library files and pictures, logos and font files. No command
        writes over them (:func:`rxprint.files.output.check_not_input`)."""
        found: dict[Path, str] = {}
        if self.config.path is not None:
            found[self.config.path] = "the configuration file"
        for info in self.plugins.infos:
            if info.kind == "file":
                found[Path(info.source)] = f"the file of plugin {info.name}"
        # library files and pictures, from its index: files not read yet stay unread
        found.update(self.library.input_files())
        for name, registered in self.registry.brandings.items():
            if registered.value.logo is not None:
                found[registered.value.logo] = f"the logo of branding {name}"
        for family, registered in self.registry.fonts.items():
            for path in registered.value.files().values():
                found[path] = f"a file of font family {family}"
        return found

    def choose(self, *, branding: str | None = None, layout: str | None = None,
               paper: str | None = None) -> Choice:
        """Flags (arguments) > configuration > defaults.

        Branding: ``branding`` (--branding) > ``[defaults] branding`` > the configuration's
        [branding] table > the only branding plugins offer > rxprint's neutral default.
        A [branding] table is the clinic's choice: several plugin brandings are then fine.
        """
        reg = self.registry
        name = branding or self.config.branding
        if name is None and self.config.clinic_branding is not None:
            name = CONFIG_BRANDING_NAME
        if name is None:
            offered = sorted(n for n in reg.brandings if n != DEFAULT_BRANDING_NAME)
            if len(offered) > 1:
                raise InputError("several plugins offer a branding ("
                                 + ", ".join(f"{n} from {reg.brandings[n].plugin}"
                                             for n in offered)
                                 + "): choose one with --branding NAME or "
                                   "`branding = \"NAME\"` under [defaults] in rxprint.toml")
            name = offered[0] if offered else DEFAULT_BRANDING_NAME
        if name not in reg.brandings:
            available = Msg("how.available", "; available: {names}",
                            names=", ".join(sorted(reg.brandings)))
            if name == CONFIG_BRANDING_NAME:
                raise InputError(f'unknown branding "{name}" (the configuration has no '
                                 f"[branding] table){available}")
            raise InputError(unknown("branding", name, reg.brandings, available))
        chosen: Branding = reg.brandings[name].value
        font = self._ready(name, chosen)
        layout_name = layout or self.config.layout or DEFAULT_LAYOUT
        if layout_name not in reg.layouts:
            raise InputError(unknown("layout", layout_name, reg.layouts,
                                     Msg("how.available", "; available: {names}",
                                         names=", ".join(sorted(reg.layouts)))))
        return Choice(branding_name=name, branding=chosen, font=font,
                      layout_name=layout_name, layout=reg.layouts[layout_name].value,
                      paper=paper or self.config.paper or "letter")

    def _ready(self, name: str, branding: Branding) -> FontFamily | None:
        """The first time a branding is chosen: read its logo and load its font family,
        so a broken file fails before any rendering (a batch chooses once per row: the
        files are read once). Returns the family it names, if any."""
        if name in self._readied:
            return self._readied[name]
        self._check_logo(name, branding)
        font: FontFamily | None = None
        if branding.font:
            registered = self.registry.fonts[branding.font]
            font = registered.value
            check_family(font, self.plugins.info(registered.plugin).label(), load=True)
        self._readied[name] = font
        return font

    def _check_logo(self, name: str, branding: Branding) -> None:
        """Read the chosen branding's logo (decoded once per process) before rendering."""
        problem = check_logo(branding)
        if problem is None:
            return
        if name == CONFIG_BRANDING_NAME:
            raise ValidationError([self.config.logo_problem(problem)],
                                  f"{self.config.path} has errors")
        info = self.plugins.info(self.registry.brandings[name].plugin)
        raise PluginError(f"plugin {info.label()}: branding {name!r}: logo: {problem}")

    # -- languages ------------------------------------------------------------------------

    @property
    def languages(self) -> dict[str, str]:
        """Every language a handout can be printed in: rxprint's own and those plugins
        add, each with where it comes from ("rxprint" or the plugin's name)."""
        found = {language: "rxprint" for language in SHIPPED}
        for language, registered in self.registry.languages.items():
            found.setdefault(language, registered.plugin)
        return dict(sorted(found.items()))

    def check_language(self, language: str, where: str = "--lang") -> str:
        """``language`` if a handout can be printed in it, else an InputError naming
        ``where`` it was asked for and the languages there are."""
        if language not in self.languages:
            available = LanguageList(self.languages, ", ".join(
                f"{code} ({english_name(code)})" for code in self.languages))
            raise InputError(Problem(unknown("language", language, self.languages,
                                             Msg("how.available", "; available: {names}",
                                                 names=available)), field=where))
        return language

    def catalog(self, language: str) -> Catalog:
        """The interface words of ``language`` (a plugin's catalog, else rxprint's)."""
        registered = self.registry.languages.get(language)
        source = registered.value.catalog if registered is not None else None
        return load_catalog(language, source)

    def extra_translations(self, language: str) -> Extra:
        """The translations into ``language`` that plugins registered as folders (read
        when a handout in that language is first made)."""
        if language in self._extra:
            return self._extra[language]
        found: dict[tuple[str, str], Translation] = {}
        registered = self.registry.languages.get(language)
        if registered is not None:
            problems: list[Problem] = []
            for folder in registered.value.translations:
                found.update(read_translation_folder(folder, language, self.library.entry,
                                                     problems))
            if problems:
                raise ValidationError(problems, f"the {language} translations of plugin "
                                                f"{registered.plugin} have errors")
        self._extra[language] = found
        return found

    def localized(self, program: Program, *, strict: bool = False
                  ) -> tuple[Program, list[str]]:
        """``program`` with its library text in its language, and a warning for each
        entry (and each interface message) that prints in English for want of a
        translation; ``strict``: those are an error instead. Warnings name ids and
        message keys only, never patient data."""
        c = self.catalog(program.language)
        localized, untranslated = localize_program(
            program, self.extra_translations(program.language))
        name = english_name(program.language)  # the warnings are in English throughout
        warnings = [u.describe(program.language, name) for u in untranslated]
        if c.missing:
            shown = ", ".join(c.missing[:5]) + (", ..." if len(c.missing) > 5 else "")
            warnings.append(f"the {name} catalog lacks {len(c.missing)} "
                            f"message{'s' if len(c.missing) != 1 else ''} or has them wrong "
                            f"({shown}; `rxprint validate` on the catalog says which): "
                            "printed in English")
        if strict and warnings:
            raise InputError("--strict: the handout would print some text in English: "
                             + "; ".join(warnings))
        return localized, warnings

    def prepare(self, request: ProgramRequest, today: dt.date, *, branding: str | None = None,
                layout: str | None = None, paper: str | None = None,
                pictures: bool = True) -> Prepared:
        """Everything but the rendering, as every caller makes a handout (``rxprint
        build``, a batch's row, the web page): the branding, layout and paper chosen
        (these arguments > the request's own > configuration, :meth:`choose`), the
        request resolved and adjusted by plugins, and its program file for the
        attachment. ``pictures``: the caller's wish (``--no-pictures``: False); a request
        that says ``pictures = false`` has none either."""
        choice = self.choose(branding=branding or request.branding,
                             layout=layout or request.layout, paper=paper or request.paper)
        pictures = pictures and request.pictures is not False
        resolved = self.resolved(request, today)
        return Prepared(program=self.adjusted(resolved, choice), choice=choice,
                        pictures=pictures,
                        attachment=self.reissue(resolved, choice, pictures=pictures))

    def handout(self, prepared: Prepared, *, strict: bool = False,
                file_id: bytes | None = None) -> RenderResult:
        """The handout of a prepared program (:meth:`prepare`, then :meth:`render`)."""
        return self.render(prepared.program, prepared.choice, pictures=prepared.pictures,
                           file_id=file_id, strict=strict, attachment=prepared.attachment)

    def program(self, request: ProgramRequest, today: dt.date, choice: Choice) -> Program:
        """Resolve a request and let plugins adjust it (:meth:`resolved`, then
        :meth:`adjusted`)."""
        return self.adjusted(self.resolved(request, today), choice)

    def adjusted(self, resolved: Program, choice: Choice) -> Program:
        """A resolved program as the plugins' ``adjust_program`` hooks leave it."""
        context = ProgramContext(branding=choice.branding_name, layout=choice.layout_name,
                                 paper=choice.paper, language=resolved.language,
                                 large_print=resolved.large_print)
        return adjust(self.plugins, resolved, context)

    def reissue(self, resolved: Program, choice: Choice, *, pictures: bool = True) -> bytes:
        """The program file attached to the handout (:mod:`rxprint.library.reissue`): the
        resolved program, before plugins adjust it (:meth:`resolved`), and how it is
        printed."""
        settings = PrintSettings(branding=choice.branding_name, layout=choice.layout_name,
                                 paper=choice.paper, pictures=pictures)
        return program_file(resolved, settings).encode("utf-8")

    def resolved(self, request: ProgramRequest, today: dt.date, *,
                 phases: bool = True) -> Program:
        """A request resolved, before plugins adjust it. Configuration supplies a missing
        clinician, language, large print and log (a program file's or a flag's come
        first). ``phases=False``: the program as it starts, before its phases (the web
        page edits that list, and keeps the phases as they are)."""
        if request.clinician is None and self.config.clinician:
            request = replace(request, clinician=self.config.clinician)
        language = request.language or self.config.language or "en"
        self.check_language(language, "language" if request.language else
                            "[defaults] language")
        large_print = (request.large_print if request.large_print is not None
                       else bool(self.config.large_print))
        log = (request.log if request.log is not None
               else self.config.log if self.config.log is not None else True)
        program = resolve(request, self.library, today, phases=phases)
        return replace(program, language=language, large_print=large_print, log=log,
                       items=tuple(self._with_video(item) for item in program.items))

    def _with_video(self, item: Item) -> Item:
        """``item`` with a plugin's video for its exercise (``register_videos``), unless
        the program gave it one of its own."""
        registered = self.registry.videos.get(item.exercise.id)
        if registered is None or item.video not in (None, item.exercise.video):
            return item
        return replace(item, video=registered.value)

    def fingerprint(self, program: Program, choice: Choice, *, pictures: bool = True,
                    attachment: bytes | None = None) -> bytes:
        """The fingerprint of the handout ``render`` makes of these (see
        :mod:`rxprint.render.fingerprint`): the program, branding (with its logo as printed and
        its font's files), layout, paper, pictures, and the rxprint and plugin versions."""
        logo = choice.branding.prepared_logo()
        plugins = [(i.name, i.version, i.kind, i.digest) for i in self.plugins.infos]
        font = _font_name(choice.font)
        return fingerprint([plugins, program, choice.branding, logo, font,
                            choice.branding_name, choice.layout_name, choice.paper, pictures,
                            attachment.decode("utf-8") if attachment else None])

    def render(self, program: Program, choice: Choice, *, pictures: bool = True,
               file_id: bytes | None = None, strict: bool = False,
               attachment: bytes | None = None) -> RenderResult:
        """Render the handout in its language (:meth:`localized`; ``strict``: text that
        would print in English is an error), its fingerprint as the PDF's file identifier
        (``file_id`` when the caller has it already). An unexpected exception while a
        plugin's layout is used, or a result of the wrong kind from it, is reported as
        that plugin's error naming the method (its ``styles``, ``story`` or
        ``page_templates``; for its own flowables, the flowable's method), not as a bug in
        rxprint. ``attachment``: the program file to attach (:meth:`reissue`)."""
        from rxprint.render.handout import LayoutError, render_handout

        if file_id is None:
            file_id = self.fingerprint(program, choice, pictures=pictures,
                                       attachment=attachment)
        program, notices = self.localized(program, strict=strict)
        try:
            result = render_handout(program, layout=choice.layout, paper=choice.paper,
                                    branding=choice.branding, font=choice.font,
                                    messages=self.catalog(program.language),
                                    pictures=pictures, file_id=file_id,
                                    attachment=attachment)
            check_interrupted()  # a Ctrl-C that ReportLab's bare excepts swallowed
            return replace(result, notices=tuple(notices))
        except BaseException as exc:  # also SystemExit, GeneratorExit... from a layout
            if isinstance(exc, RxprintError) or is_real(exc):
                raise
            error = self._layout_failure(choice, exc)
            if error is None:
                raise  # a built-in layout: a bug in rxprint
            cause = exc.__cause__ if isinstance(exc, LayoutError) else None
            raise error from cause or exc

    def _layout_failure(self, choice: Choice, exc: BaseException) -> PluginError | None:
        """``exc`` as the error of the plugin whose layout ``choice`` uses, or None for a
        built-in layout. A LayoutError (from ``styles``, ``story``, ``page_templates``)
        names its method; any other exception, the innermost function of the plugin it
        passed through (a flowable's ``wrap`` or ``draw``)."""
        from rxprint.render.handout import LayoutError

        registered = self.registry.layouts.get(choice.layout_name)
        if registered is None or registered.value is not choice.layout:
            return None
        try:
            info = self.plugins.info(registered.plugin)
        except StopIteration:
            return None
        if info.kind == "builtin":
            return None
        fix = ("use another --layout or disable the plugin with "
               f"RXPRINT_DISABLE_PLUGINS={info.name}")
        raised: BaseException = exc
        if isinstance(exc, LayoutError):
            method: str | None = exc.method
            if exc.problem is not None or exc.__cause__ is None:  # returned the wrong thing
                return PluginError(f"plugin {info.label()} failed in its layout "
                                   f"{choice.layout_name!r} ({method}): {exc.problem} (an "
                                   f"error in the plugin, not in rxprint); {fix}")
            raised = exc.__cause__
        else:
            method = plugin_frame(exc, info, type(choice.layout))
        where = f"its layout {choice.layout_name!r}" + (f" ({method})" if method else "")
        return PluginError(
            f"plugin {info.label()} failed in {where}: {type(raised).__name__} (an error in "
            "the plugin, not in rxprint; its message is not shown as it may hold patient "
            f"details, --debug shows it); {fix}")


def _font_name(family: FontFamily | None) -> str | None:
    """A branding's font family by the name it is registered under (its files' digest;
    registered once per process, when the branding is chosen)."""
    if family is None:
        return None
    from rxprint.render.fonts import register

    return register(family).normal


def app_for(config_path: Path | None, plugins_dir: Path | None, cwd: Path, *,
            debug: bool = False) -> App:
    """The App for a command-line run (``debug``: --debug)."""
    from rxprint.config import find_config, load_config

    config = load_config(find_config(config_path, cwd))
    if plugins_dir is not None:
        config = Config(**{**config.__dict__, "plugins_dir": plugins_dir})
    return App(config, debug=debug)
