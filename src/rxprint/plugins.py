"""The one place plugins are found, loaded, called and checked.

- Built-in plugins (``BUILTIN_PLUGINS``) provide the bundled library, layouts and the
  default branding through the same hooks a clinic uses.
- Installed plugins are entry points in the ``rxprint`` group.
- ``--plugins-dir DIR`` / ``RXPRINT_PLUGINS_DIR`` adds every ``*.py`` file in DIR.
- ``RXPRINT_PLUGINS=a,b`` loads only the named installed/folder plugins (empty: none);
  ``RXPRINT_DISABLE_PLUGINS=a,b`` (or the config's ``[plugins] disable``) skips some:
  the escape hatch for a broken plugin.
- ``RXPRINT_TRACE_HOOKS=1`` prints every hook call (hook and plugin names only, never
  arguments: they may hold patient data) to stderr.

Hooks are called plugin by plugin in a fixed order (built-ins, installed by name, folder
files by name); an exception in a plugin becomes a :class:`PluginError` naming it.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import importlib.util
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any, Protocol

import pluggy

from . import __version__, hookspecs
from .branding import CONFIG_BRANDING_NAME, Branding, check_branding
from .errors import InputError, Problem, RxprintError, ValidationError
from .library import Kind, Library, library_files
from .model import EducationSection, Exercise, Program, StandardProgram
from .validate import SLUG

ENTRY_POINT_GROUP = "rxprint"
BUILTIN_PLUGINS = (
    "rxprint.builtins.library",
    "rxprint.builtins.layouts",
    "rxprint.builtins.branding",
)


class PluginError(RxprintError):
    """A plugin failed: the message names the plugin, its version and the hook."""


@dataclass(frozen=True)
class PluginInfo:
    name: str
    version: str
    kind: str  # "builtin", "installed" or "file"
    module: ModuleType
    source: str = ""

    def label(self) -> str:
        return f"{self.name} {self.version}" if self.version else self.name


@dataclass(frozen=True)
class PluginOptions:
    """Which plugins to load. ``enabled`` None means every installed/folder plugin."""

    plugins_dir: Path | None = None
    enabled: frozenset[str] | None = None
    disabled: frozenset[str] = frozenset()
    trace: bool = False

    @classmethod
    def from_environ(cls, environ: dict[str, str], *, plugins_dir: Path | None = None,
                     enabled: frozenset[str] | None = None,
                     disabled: frozenset[str] = frozenset()) -> PluginOptions:
        """Options from the environment over the given defaults (the configuration's):
        ``RXPRINT_PLUGINS`` replaces ``enabled``; ``RXPRINT_DISABLE_PLUGINS`` adds to
        ``disabled``."""

        def names(value: str) -> frozenset[str]:
            return frozenset(n.strip() for n in value.split(",") if n.strip())

        if "RXPRINT_PLUGINS" in environ:
            enabled = names(environ["RXPRINT_PLUGINS"])
        if plugins_dir is None and environ.get("RXPRINT_PLUGINS_DIR"):
            plugins_dir = Path(environ["RXPRINT_PLUGINS_DIR"])
        return cls(plugins_dir=plugins_dir, enabled=enabled,
                   disabled=disabled | names(environ.get("RXPRINT_DISABLE_PLUGINS", "")),
                   trace=environ.get("RXPRINT_TRACE_HOOKS", "") not in ("", "0"))


def _wanted(name: str, options: PluginOptions) -> bool:
    if name in options.disabled:
        return False
    return options.enabled is None or name in options.enabled


def _load_file(path: Path) -> ModuleType:
    module_name = f"rxprint_local_plugin_{path.stem.replace('-', '_')}"
    spec = importlib.util.spec_from_file_location(module_name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    spec.loader.exec_module(module)
    return module


class Plugins:
    """The loaded plugins, in call order, around a pluggy PluginManager."""

    def __init__(self, options: PluginOptions = PluginOptions()) -> None:
        self.options = options
        self.pm = pluggy.PluginManager("rxprint")
        self.pm.add_hookspecs(hookspecs)
        self.infos: list[PluginInfo] = []
        self._load()

    # -- loading ----------------------------------------------------------------------

    def _add(self, info: PluginInfo) -> None:
        try:
            self.pm.register(info.module, name=info.name)
            self.pm.check_pending()
        except pluggy.PluginValidationError as exc:
            self.pm.unregister(name=info.name)
            raise PluginError(f"plugin {info.label()} ({info.source}): {exc}; fix the plugin "
                              f"or disable it with RXPRINT_DISABLE_PLUGINS={info.name}") from None
        except Exception as exc:  # check_pending: a hook name rxprint does not have
            self.pm.unregister(name=info.name)
            raise PluginError(f"plugin {info.label()} ({info.source}): {exc}") from None
        self.infos.append(info)

    def _load(self) -> None:
        for module_name in BUILTIN_PLUGINS:
            self._add(PluginInfo(module_name, __version__, "builtin",
                                 importlib.import_module(module_name), "built in"))
        entry_points = sorted(importlib.metadata.entry_points(group=ENTRY_POINT_GROUP),
                              key=lambda ep: ep.name)
        for ep in entry_points:
            if not _wanted(ep.name, self.options):
                continue
            version = ep.dist.version if ep.dist is not None else ""
            label = f"{ep.name} {version}".strip()
            try:
                module = ep.load()
            except Exception as exc:
                raise PluginError(
                    f"plugin {label} failed to import ({type(exc).__name__}: {exc}); "
                    f"disable it with RXPRINT_DISABLE_PLUGINS={ep.name}") from None
            self._add(PluginInfo(ep.name, version, "installed", module, f"entry point {ep.value}"))
        folder = self.options.plugins_dir
        if folder is None:
            return
        if not folder.is_dir():
            raise InputError(Problem("plugins folder not found (--plugins-dir or "
                                     "RXPRINT_PLUGINS_DIR)", path=folder))
        for path in sorted(folder.glob("*.py")):
            name = path.stem
            if path.name.startswith("_") or not _wanted(name, self.options):
                continue
            try:
                module = _load_file(path)
            except Exception as exc:
                raise PluginError(
                    f"plugin {name} ({path}) failed to import ({type(exc).__name__}: {exc}); "
                    f"disable it with RXPRINT_DISABLE_PLUGINS={name}") from None
            self._add(PluginInfo(name, "", "file", module, str(path)))

    # -- calling ----------------------------------------------------------------------

    def info(self, name: str) -> PluginInfo:
        return next(i for i in self.infos if i.name == name)

    def hooks_of(self, info: PluginInfo) -> list[str]:
        callers = self.pm.get_hookcallers(info.module) or []
        return sorted(c.name for c in callers)

    def each(self, hook_name: str) -> Iterator[tuple[PluginInfo, Callable[..., Any]]]:
        """The plugins implementing ``hook_name``, in call order, with a safe caller."""
        order = {info.name: i for i, info in enumerate(self.infos)}
        caller = getattr(self.pm.hook, hook_name)
        impls = sorted(caller.get_hookimpls(), key=lambda impl: order[impl.plugin_name])
        for impl in impls:
            info = self.info(impl.plugin_name)
            if self.options.trace:  # names only: arguments may hold patient data
                print(f"rxprint: calling {hook_name} of plugin {info.name}", file=sys.stderr)
            yield info, self._guard(info, hook_name, impl.function)

    def _guard(self, info: PluginInfo, hook_name: str,
               function: Callable[..., Any]) -> Callable[..., Any]:
        def call(**kwargs: Any) -> Any:
            try:
                return function(**kwargs)
            except (RxprintError, KeyboardInterrupt):
                raise
            except Exception as exc:
                raise PluginError(
                    f"plugin {info.label()} failed in {hook_name}: "
                    f"{type(exc).__name__}: {exc}; disable it with "
                    f"RXPRINT_DISABLE_PLUGINS={info.name} or run with --debug") from exc
        return call


# -- the register callbacks ---------------------------------------------------------------


class ExerciseRegister(Protocol):
    def __call__(self, source: Path | Exercise | EducationSection, *,
                 override: bool = False) -> None: ...


class ProgramRegister(Protocol):
    def __call__(self, source: Path | StandardProgram, *, override: bool = False) -> None: ...


class BrandingRegister(Protocol):
    def __call__(self, name: str, branding: Branding) -> None: ...


class LayoutRegister(Protocol):
    def __call__(self, name: str, layout: Any, *, description: str = "") -> None: ...


class FontRegister(Protocol):
    def __call__(self, family: str, regular: Path, *, bold: Path | None = None,
                 italic: Path | None = None, bold_italic: Path | None = None) -> None: ...


@dataclass(frozen=True)
class ProgramContext:
    """What ``adjust_program`` may want to know about the handout being made."""

    branding: str
    layout: str
    paper: str


@dataclass(frozen=True)
class Registered:
    """Something a plugin registered, and which plugin it was."""

    value: Any
    plugin: str
    description: str = ""


@dataclass
class Registry:
    """Everything the plugins registered, checked."""

    library: Library = field(default_factory=Library)
    brandings: dict[str, Registered] = field(default_factory=dict)
    layouts: dict[str, Registered] = field(default_factory=dict)
    fonts: dict[str, Registered] = field(default_factory=dict)


def _type_error(info: PluginInfo, hook: str, what: str, got: object) -> PluginError:
    return PluginError(f"plugin {info.label()} registered the wrong type in {hook}: "
                       f"expected {what}, got {type(got).__name__}")


def _origin(info: PluginInfo, hook: str) -> str:
    """How library entries name the plugin and hook that supplied them."""
    return f"{info.label()} ({hook})"


def _check_name(info: PluginInfo, what: str, name: object, taken: dict[str, Registered],
                example: str) -> str:
    """A registered name must be a slug that no plugin has used for this kind yet."""
    if not isinstance(name, str) or not SLUG.match(name):
        raise PluginError(f"plugin {info.label()}: {what} name {name!r} must be a lowercase "
                          f'slug like "{example}"')
    if name in taken:
        raise PluginError(f"plugin {info.label()}: {what} {name!r} is already registered by "
                          f"{taken[name].plugin}")
    return name


def build_registry(plugins: Plugins) -> Registry:
    """Call every ``register_*`` hook and check what comes back; all problems at once."""
    from .fonts import FontFamily, check_family
    from .render.layout import Layout

    reg = Registry()
    problems: list[Problem] = []
    lib = reg.library

    for info, call in plugins.each("register_fonts"):
        def font(family: str, regular: Path, *, bold: Path | None = None,
                 italic: Path | None = None, bold_italic: Path | None = None,
                 _info: PluginInfo = info) -> None:
            _check_name(_info, "font family", family, reg.fonts, "clinic-sans")
            fam = FontFamily(family, regular, bold, italic, bold_italic)
            check_family(fam, _info.label())
            reg.fonts[family] = Registered(fam, _info.name)
        call(register=font)

    for info, call in plugins.each("register_exercises"):
        def exercise(source: Path | Exercise | EducationSection, *, override: bool = False,
                     _info: PluginInfo = info) -> None:
            if isinstance(source, Path):
                if not source.is_dir():
                    raise PluginError(f"plugin {_info.label()}: exercise folder {source} "
                                      "does not exist")
                files = [(p, k) for p, k in library_files(source) if k != "program"]
                lib.add_files(files, problems, origin=_origin(_info, "register_exercises"),
                              override=override)
            elif isinstance(source, Exercise | EducationSection):
                kind: Kind = "exercise" if isinstance(source, Exercise) else "education"
                checked = _recheck(source, kind, _info, problems)
                if checked is not None:
                    lib.add(checked, kind, problems,
                            origin=_origin(_info, "register_exercises"), override=override)
            else:
                raise _type_error(_info, "register_exercises",
                                  "a folder Path, Exercise or EducationSection", source)
        call(register=exercise)

    for info, call in plugins.each("register_programs"):
        def program(source: Path | StandardProgram, *, override: bool = False,
                    _info: PluginInfo = info) -> None:
            if isinstance(source, Path):
                if source.is_dir():
                    files = [(p, "program") for p in sorted(source.glob("*.toml"))]
                elif source.is_file():
                    files = [(source, "program")]
                else:
                    raise PluginError(f"plugin {_info.label()}: program source {source} "
                                      "does not exist")
                lib.add_files(files, problems,  # type: ignore[arg-type]
                              origin=_origin(_info, "register_programs"), override=override)
            elif isinstance(source, StandardProgram):
                checked = _recheck(source, "program", _info, problems)
                if checked is not None:
                    lib.add(checked, "program", problems,
                            origin=_origin(_info, "register_programs"), override=override)
            else:
                raise _type_error(_info, "register_programs",
                                  "a Path or StandardProgram", source)
        call(register=program)
    lib.check_references(problems)

    for info, call in plugins.each("register_branding"):
        def branding(name: str, value: Branding, _info: PluginInfo = info) -> None:
            if not isinstance(value, Branding):
                raise _type_error(_info, "register_branding", "rxprint.branding.Branding",
                                  value)
            _check_name(_info, "branding", name, reg.brandings, "riverside-pt")
            if name == CONFIG_BRANDING_NAME:
                raise PluginError(f"plugin {_info.label()}: the branding name {name!r} is "
                                  "reserved for the [branding] table of the configuration "
                                  "file; choose another name")
            problems = check_branding(value, reg.fonts)
            if problems:
                raise PluginError(f"plugin {_info.label()}: branding {name!r}: "
                                  + "; ".join(f"{f}: {m}" for f, m in problems))
            reg.brandings[name] = Registered(value, _info.name)
        call(register=branding)

    for info, call in plugins.each("register_layouts"):
        def layout(name: str, value: Any, *, description: str = "",
                   _info: PluginInfo = info) -> None:
            _check_name(_info, "layout", name, reg.layouts, "cards")
            if not isinstance(value, Layout):
                raise _type_error(_info, "register_layouts",
                                  "an rxprint.layout.Layout", value)
            reg.layouts[name] = Registered(value, _info.name, description)
        call(register=layout)

    if problems:
        raise ValidationError(problems, "the exercise library has errors")
    return reg


def _recheck(item: Exercise | EducationSection | StandardProgram, kind: Kind,
             info: PluginInfo, problems: list[Problem]) -> Any:
    """Objects from plugin code pass the same checks as files: turned into a table and
    parsed again, with the plugin named as the place."""
    from .schema import parse_education, parse_exercise, parse_program, to_table
    from .tomlfile import LineIndex, TomlDocument

    where = item.path or Path(f"<plugin {info.name}>")
    doc = TomlDocument(path=where, data=to_table(item), index=LineIndex())
    parse: Callable[[TomlDocument, list[Problem]], Any] = {
        "exercise": parse_exercise, "education": parse_education, "program": parse_program,
    }[kind]
    checked = parse(doc, problems)
    if checked is not None and isinstance(item, Exercise):
        return item  # keep resolved image paths and the original object
    return checked


def adjust(plugins: Plugins, program: Program, context: ProgramContext) -> Program:
    """Run every ``adjust_program`` hook in turn; each gets the previous result."""
    for info, call in plugins.each("adjust_program"):
        result = call(program=program, context=context)
        if result is None:
            continue
        if not isinstance(result, Program):
            raise _type_error(info, "adjust_program", "an rxprint.model.Program or None",
                              result)
        program = result
    return program
