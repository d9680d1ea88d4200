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

Hooks are called through pluggy (``pm.hook.NAME``) in a fixed order (built-ins,
installed by name, folder files by name: registered in reverse, as pluggy calls the last
registered first); ``tryfirst``/``trylast``, wrappers and partial arguments are pluggy's.
An exception in a plugin becomes a :class:`PluginError` naming the plugin, the hook and
the exception's type (never its message: it may hold patient data).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib
import importlib.metadata
import inspect
import io
import sys
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType, SimpleNamespace
from typing import Any, Protocol

import pluggy

from rxprint import __version__
from rxprint.errors import InputError, Problem, RxprintError, ValidationError
from rxprint.files.fields import SLUG, did_you_mean
from rxprint.library.branding import CONFIG_BRANDING_NAME, Branding, check_branding
from rxprint.library.loader import Kind, Library, library_files
from rxprint.library.model import EducationSection, Exercise, Program, StandardProgram
from rxprint.library.registered import check_object
from rxprint.plugins import hookspecs
from rxprint.runtime.interrupt import is_real, reinstall

ENTRY_POINT_GROUP = "rxprint"
# name (as `rxprint plugins` shows it and RXPRINT_DISABLE_PLUGINS takes it) -> module
BUILTIN_PLUGINS = {
    "rxprint.builtins.library": "rxprint.plugins.builtins.library",
    "rxprint.builtins.layouts": "rxprint.plugins.builtins.layouts",
    "rxprint.builtins.branding": "rxprint.plugins.builtins.branding",
}


class PluginError(RxprintError):
    """A plugin failed: the message names the plugin, its version and the hook."""


@dataclass(frozen=True)
class PluginInfo:
    name: str
    version: str
    kind: str  # "builtin", "installed" or "file"
    module: ModuleType
    source: str = ""
    digest: str = ""  # a folder plugin's source, hashed: its "version" for fingerprints

    def label(self) -> str:
        return f"{self.name} {self.version}" if self.version else self.name


@dataclass(frozen=True)
class PluginOptions:
    """Which plugins to load. ``enabled`` None means every installed/folder plugin."""

    plugins_dir: Path | None = None
    enabled: frozenset[str] | None = None
    disabled: frozenset[str] = frozenset()
    trace: bool = False
    debug: bool = False  # --debug: what plugins print is shown (on stderr)

    @classmethod
    def from_environ(cls, environ: dict[str, str], *, plugins_dir: Path | None = None,
                     enabled: frozenset[str] | None = None,
                     disabled: frozenset[str] = frozenset(),
                     debug: bool = False) -> PluginOptions:
        """Options from the environment over the given defaults (the configuration's):
        ``RXPRINT_PLUGINS`` replaces ``enabled``; ``RXPRINT_DISABLE_PLUGINS`` adds to
        ``disabled``; ``RXPRINT_DEBUG`` sets ``debug``."""

        def names(value: str) -> frozenset[str]:
            return frozenset(n.strip() for n in value.split(",") if n.strip())

        if "RXPRINT_PLUGINS" in environ:
            enabled = names(environ["RXPRINT_PLUGINS"])
        if plugins_dir is None and environ.get("RXPRINT_PLUGINS_DIR"):
            plugins_dir = Path(environ["RXPRINT_PLUGINS_DIR"])
        return cls(plugins_dir=plugins_dir, enabled=enabled,
                   disabled=disabled | names(environ.get("RXPRINT_DISABLE_PLUGINS", "")),
                   trace=environ.get("RXPRINT_TRACE_HOOKS", "") not in ("", "0"),
                   debug=debug or environ.get("RXPRINT_DEBUG", "") not in ("", "0"))


def _wanted(name: str, options: PluginOptions) -> bool:
    if name in options.disabled:
        return False
    return options.enabled is None or name in options.enabled


def _load_file(path: Path) -> tuple[ModuleType, str]:
    """Import a folder plugin; return it and its source's SHA-256. Its source is read like
    every input file (a regular file of at most 1 MiB: a FIFO or device named ``x.py`` is
    refused, never read)."""
    from rxprint.files.tomlfile import read_limited

    source = read_limited(path, "plugin file")
    module_name = f"rxprint_local_plugin_{path.stem.replace('-', '_')}"
    module = ModuleType(module_name)
    module.__file__ = str(path)
    sys.modules[module_name] = module
    exec(compile(source, str(path), "exec"), module.__dict__)
    return module, hashlib.sha256(source).hexdigest()


class Plugins:
    """The loaded plugins around a pluggy PluginManager; hooks are called through pluggy.

    Each plugin is registered as a proxy whose hook functions are guarded copies of the
    plugin's: the guard knows which plugin runs (for the ``register`` callbacks and for
    error messages), traces the call, and turns an exception into a :class:`PluginError`
    naming the plugin and the hook. Everything else (the order, ``tryfirst``/``trylast``,
    wrappers, implementations taking only some of the arguments) is pluggy's.
    """

    def __init__(self, options: PluginOptions = PluginOptions()) -> None:
        self.options = options
        self.pm = pluggy.PluginManager("rxprint")
        self.pm.add_hookspecs(hookspecs)
        self.infos: list[PluginInfo] = []
        self._running: list[PluginInfo] = []
        self._threaded: dict[str, Any] = {}
        self._load()

    # -- loading ----------------------------------------------------------------------

    def _warn_unmarked(self, info: PluginInfo) -> None:
        """A function named like a hook without ``@hookimpl`` is never called: say so."""
        implemented = set()
        for attr in dir(info.module):
            opts = self.pm.parse_hookimpl_opts(info.module, attr)
            if opts is not None:
                implemented.add(opts.get("specname") or attr)
        for hook in HOOK_NAMES:
            value = inspect.getattr_static(info.module, hook, None)
            if isinstance(value, staticmethod | classmethod):
                value = value.__func__
            if (hook in implemented or not callable(value)
                    or hasattr(value, "rxprint_impl") or hasattr(value, "rxprint_spec")):
                continue
            print(f"rxprint: warning: plugin {info.label()}: {hook} is named like a hook but "
                  "has no @hookimpl, so rxprint never calls it; add @hookimpl (from "
                  "rxprint.api) above it (or rename it)", file=sys.stderr)

    def _proxy(self, info: PluginInfo) -> SimpleNamespace:
        """What is registered with pluggy: the plugin's hook functions, guarded."""
        proxy = SimpleNamespace()
        for attr in dir(info.module):
            opts = self.pm.parse_hookimpl_opts(info.module, attr)
            if opts is None:
                continue
            hook = opts.get("specname") or attr
            guarded = self._guard(info, hook, getattr(info.module, attr))
            guarded.rxprint_impl = opts  # type: ignore[attr-defined]
            setattr(proxy, attr, guarded)
        return proxy

    def _check(self, info: PluginInfo, scratch: pluggy.PluginManager) -> None:
        """Validate one plugin (hook names, signatures) against a scratch manager, in
        the documented order, so the first broken plugin is the one reported."""
        self._warn_unmarked(info)
        for attr in dir(info.module):
            opts = self.pm.parse_hookimpl_opts(info.module, attr)
            if opts is None or opts.get("optionalhook"):
                continue
            hook = opts.get("specname") or attr
            if hook not in HOOK_NAMES:
                raise PluginError(
                    f"plugin {info.label()} ({info.source}): {attr} is marked @hookimpl but "
                    f"rxprint has no hook {hook!r}{did_you_mean(hook, HOOK_NAMES)}; fix the "
                    f"plugin or disable it with RXPRINT_DISABLE_PLUGINS={info.name}")
        try:
            scratch.register(self._proxy(info), name=info.name)
            scratch.check_pending()
        except Exception as exc:  # pluggy's validation; check_pending: an unknown hook
            text = " ".join(str(exc).split())  # pluggy's message spans lines: one line
            raise PluginError(f"plugin {info.label()} ({info.source}): {text}; fix the plugin "
                              f"or disable it with RXPRINT_DISABLE_PLUGINS={info.name}") from None

    def _load(self) -> None:
        """Import the plugins in the documented order (what they print at import goes
        where :meth:`plugin_output` says), then register them in reverse: pluggy calls the
        last registered first, so the built-ins run first."""
        with self.plugin_output():
            self._import_all()

    def _import_all(self) -> None:
        found = [PluginInfo(name, __version__, "builtin",
                            importlib.import_module(module_name), "built in")
                 for name, module_name in BUILTIN_PLUGINS.items()]
        entry_points = sorted(importlib.metadata.entry_points(group=ENTRY_POINT_GROUP),
                              key=lambda ep: ep.name)
        for ep in entry_points:
            if not _wanted(ep.name, self.options):
                continue
            version = ep.dist.version if ep.dist is not None else ""
            label = f"{ep.name} {version}".strip()
            try:
                module = ep.load()
            except BaseException as exc:
                if is_real(exc):
                    raise
                raise _import_failure(label, ep.name, exc) from exc
            found.append(PluginInfo(ep.name, version, "installed", module,
                                    f"entry point {ep.value}"))
        folder = self.options.plugins_dir
        if folder is not None:
            if not folder.is_dir():
                raise InputError(Problem("plugins folder not found (--plugins-dir or "
                                         "RXPRINT_PLUGINS_DIR)", path=folder))
            for path in sorted(folder.glob("*.py")):
                name = path.stem
                if path.name.startswith("_") or not _wanted(name, self.options):
                    continue
                try:
                    module, digest = _load_file(path)
                except InputError:
                    raise  # not a regular file, or too large: says so, naming the file
                except BaseException as exc:
                    if is_real(exc):
                        raise
                    raise _import_failure(f"{name} ({path})", name, exc) from exc
                found.append(PluginInfo(name, "", "file", module, str(path), digest))
        scratch = pluggy.PluginManager("rxprint")
        scratch.add_hookspecs(hookspecs)
        for info in found:
            self._check(info, scratch)
        for info in reversed(found):  # checked: registering cannot fail
            self.pm.register(self._proxy(info), name=info.name)
        self.infos = found
        reinstall()  # a plugin's import may have replaced rxprint's signal handlers

    # -- calling ----------------------------------------------------------------------

    def info(self, name: str) -> PluginInfo:
        return next(i for i in self.infos if i.name == name)

    def hooks_of(self, info: PluginInfo) -> list[str]:
        callers = self.pm.get_hookcallers(self.pm.get_plugin(info.name)) or []
        return sorted(c.name for c in callers)

    def call(self, hook_name: str, **kwargs: Any) -> list[Any]:
        """Call a hook through pluggy; the results in call order (None left out).

        For ``adjust_program`` each implementation gets the previous one's program.
        """
        threaded = THREADED.get(hook_name)
        if threaded is not None:
            self._threaded[hook_name] = kwargs[threaded[0]]
        try:
            with self.plugin_output():
                results: list[Any] = getattr(self.pm.hook, hook_name)(**kwargs)
        finally:
            self._threaded.pop(hook_name, None)
            reinstall()  # rxprint's signal handling, should a plugin have replaced it
        return results

    def plugin_output(self) -> contextlib.AbstractContextManager[object]:
        """While plugin code runs: what it prints goes nowhere (standard output may be the
        handout, `-o -`, or a batch's report; and a hook's print may hold patient
        details), or with --debug to standard error."""
        return contextlib.redirect_stdout(sys.stderr if self.options.debug else _NOWHERE)

    def each(self, hook_name: str) -> Iterator[tuple[None, Callable[..., Any]]]:
        """Deprecated, for callers not yet moved to :meth:`call`: one caller that calls
        the hook through pluggy (all plugins at once)."""
        yield None, functools.partial(self.call, hook_name)

    def current(self) -> PluginInfo:
        """The plugin whose hook is running (for the ``register`` callbacks)."""
        if not self._running:
            raise PluginError("a register callback was called after its hook returned: "
                              "call register(...) inside the hook")
        return self._running[-1]

    def _enter(self, info: PluginInfo, hook_name: str, *, trace: bool = True) -> None:
        if trace and self.options.trace:  # names only: arguments may hold patient data
            print(f"rxprint: calling {hook_name} of plugin {info.name}", file=sys.stderr)
        self._running.append(info)

    def _thread_args(self, hook_name: str, argnames: tuple[str, ...], args: tuple[Any, ...],
                     kwargs: dict[str, Any]) -> tuple[Any, ...]:
        """The arguments with a threaded one (adjust_program's program) replaced by the
        previous implementation's result."""
        threaded = THREADED.get(hook_name)
        if threaded is None or hook_name not in self._threaded:
            return args
        arg = threaded[0]
        if arg in kwargs:
            kwargs[arg] = self._threaded[hook_name]
        elif arg in argnames:
            position = argnames.index(arg)
            if position < len(args):
                args = (*args[:position], self._threaded[hook_name], *args[position + 1:])
        return args

    def _check_result(self, info: PluginInfo, hook_name: str, result: Any, *,
                      wrapper: bool) -> None:
        threaded = THREADED.get(hook_name)
        if threaded is None or result is None:
            return
        _, expected, what = threaded
        if wrapper:
            if not (isinstance(result, list) and all(isinstance(r, expected) for r in result)):
                raise _type_error(info, hook_name, f"a list of {what} (from a wrapper)",
                                  result)
            return
        if not isinstance(result, expected):
            raise _type_error(info, hook_name, f"{what} or None", result)
        if hook_name in self._threaded:
            self._threaded[hook_name] = result

    def _guard(self, info: PluginInfo, hook_name: str,
               function: Callable[..., Any]) -> Callable[..., Any]:
        """``function`` as pluggy should call it: with the plugin known while it runs and
        its exceptions turned into a PluginError naming plugin and hook. The guard has the
        function's signature (pluggy reads ``__wrapped__``), so pluggy passes exactly the
        arguments the function takes."""
        argnames = _positional(function)

        def fail(exc: BaseException, thrown: BaseException | None = None) -> None:
            # A real Ctrl-C (or SIGTERM, SIGHUP), an inner implementation's error thrown
            # back through a wrapper, and rxprint's own errors pass as they are; anything
            # else a plugin raises is the plugin's error: SystemExit, GeneratorExit,
            # KeyboardInterrupt or rxprint's Interrupted raised by the plugin itself, a
            # BaseException of its own
            if exc is thrown or is_real(exc) or isinstance(exc, RxprintError):
                return  # re-raised as it is by the caller
            raise _failure(info, hook_name, exc) from exc

        if inspect.isgeneratorfunction(function):
            @functools.wraps(function)
            def wrapper_call(*args: Any, **kwargs: Any) -> Generator[Any, Any, Any]:
                args = self._thread_args(hook_name, argnames, args, kwargs)
                self._enter(info, hook_name)
                try:
                    gen = function(*args, **kwargs)
                    sent = next(gen)
                except StopIteration:
                    raise PluginError(f"plugin {info.label()} failed in {hook_name}: a "
                                      "hook wrapper must yield once") from None
                except BaseException as exc:
                    fail(exc)
                    raise
                finally:
                    self._running.pop()
                while True:
                    thrown: BaseException | None = None
                    try:
                        received = yield sent
                    except GeneratorExit:
                        gen.close()
                        raise
                    except BaseException as exc:  # an inner implementation failed
                        thrown = exc
                    self._enter(info, hook_name, trace=False)
                    try:
                        sent = gen.send(received) if thrown is None else gen.throw(thrown)
                    except StopIteration as stop:
                        self._check_result(info, hook_name, stop.value, wrapper=True)
                        return stop.value
                    except BaseException as exc:
                        fail(exc, thrown)
                        raise
                    finally:
                        self._running.pop()
            return wrapper_call

        @functools.wraps(function)
        def call(*args: Any, **kwargs: Any) -> Any:
            args = self._thread_args(hook_name, argnames, args, kwargs)
            self._enter(info, hook_name)
            try:
                result = function(*args, **kwargs)
            except BaseException as exc:
                fail(exc)
                raise
            finally:
                self._running.pop()
            self._check_result(info, hook_name, result, wrapper=False)
            return result
        return call


class _Nowhere(io.TextIOBase):
    """A text stream that keeps nothing."""

    def write(self, text: str) -> int:
        return len(text)


_NOWHERE = _Nowhere()

HOOK_NAMES = tuple(sorted(name for name, value in vars(hookspecs).items()
                          if callable(value) and hasattr(value, "rxprint_spec")))
# A hook whose result is handed to the next implementation in place of an argument:
# hook -> (argument, the type the result must have, how to name it in an error).
THREADED: dict[str, tuple[str, type, str]] = {
    "adjust_program": ("program", Program, "an rxprint.api.Program"),
}


def _positional(function: Callable[..., Any]) -> tuple[str, ...]:
    """The parameters pluggy passes positionally (those without a default)."""
    try:
        parameters = inspect.signature(function).parameters.values()
    except (TypeError, ValueError):
        return ()
    return tuple(p.name for p in parameters
                 if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
                 and p.default is p.empty)


def plugin_frame(exc: BaseException, info: PluginInfo, *classes: type) -> str | None:
    """The name of the innermost function of the plugin (its module or package, or the
    module of one of ``classes``) in the traceback of ``exc``, or None."""
    places: list[Path] = []
    for module in (info.module, *(sys.modules.get(c.__module__) for c in classes)):
        file = getattr(module, "__file__", None)
        if file is None:
            continue
        path = Path(file).resolve()
        places.append(path.parent if hasattr(module, "__path__") else path)
    found = None
    tb = exc.__traceback__
    while tb is not None:
        try:
            code_file = Path(tb.tb_frame.f_code.co_filename).resolve()
        except OSError:
            code_file = None
        if code_file is not None and any(code_file == p or code_file.is_relative_to(p)
                                         for p in places):
            found = tb.tb_frame.f_code.co_name
        tb = tb.tb_next
    return found


def _import_failure(label: str, name: str, exc: BaseException) -> PluginError:
    """A plugin that cannot be imported: the exception's type, not its message (which
    may quote anything); --debug shows it. A syntax error's place is shown: it is code."""
    where = ""
    if isinstance(exc, SyntaxError) and exc.lineno is not None:
        where = f" at {Path(exc.filename or '?').name} line {exc.lineno}"
    return PluginError(
        f"plugin {label} failed to import ({type(exc).__name__}{where}; --debug shows "
        f"the message); disable it with RXPRINT_DISABLE_PLUGINS={name}")


def _failure(info: PluginInfo, hook_name: str, exc: BaseException) -> PluginError:
    """One line: plugin, hook and the exception's type. The message stays out: it may
    hold patient details (a KeyError of the patient's name); --debug shows it."""
    return PluginError(
        f"plugin {info.label()} failed in {hook_name}: {type(exc).__name__} (an error in "
        "the plugin; its message is not shown as it may hold patient details, --debug "
        f"shows it); disable the plugin with RXPRINT_DISABLE_PLUGINS={info.name}")


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
    """Everything the plugins registered, checked. ``layouts`` are asked for (the
    ``register_layouts`` hook called) only when first used, so that the commands that do
    not render never import a layout's code (and ReportLab with it)."""

    library: Library = field(default_factory=Library)
    brandings: dict[str, Registered] = field(default_factory=dict)
    fonts: dict[str, Registered] = field(default_factory=dict)
    plugins: Plugins | None = None
    _layouts: dict[str, Registered] | None = None

    @property
    def layouts(self) -> dict[str, Registered]:
        if self._layouts is None:
            self._layouts = build_layouts(self.plugins) if self.plugins is not None else {}
        return self._layouts


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
    from rxprint.render.fonts import FontFamily, check_family

    reg = Registry(plugins=plugins)
    problems: list[Problem] = []
    lib = reg.library

    def font(family: str, regular: Path, *, bold: Path | None = None,
             italic: Path | None = None, bold_italic: Path | None = None) -> None:
        info = plugins.current()
        _check_name(info, "font family", family, reg.fonts, "clinic-sans")
        fam = FontFamily(family, regular, bold, italic, bold_italic)
        check_family(fam, info.label())
        reg.fonts[family] = Registered(fam, info.name)
    plugins.call("register_fonts", register=font)

    def exercise(source: Path | Exercise | EducationSection, *,
                 override: bool = False) -> None:
        info = plugins.current()
        origin = _origin(info, "register_exercises")
        if isinstance(source, Path):
            if not source.is_dir():
                raise PluginError(f"plugin {info.label()}: exercise folder {source} "
                                  "does not exist")
            files = [(p, k) for p, k in library_files(source) if k != "program"]
            lib.add_files(files, problems, origin=origin, override=override)
        elif isinstance(source, Exercise | EducationSection):
            kind: Kind = "exercise" if isinstance(source, Exercise) else "education"
            checked = check_object(source, kind, origin, problems)
            if checked is not None:
                lib.add(checked, kind, problems, origin=origin, override=override)
        else:
            raise _type_error(info, "register_exercises",
                              "a folder Path, Exercise or EducationSection", source)
    plugins.call("register_exercises", register=exercise)

    def program(source: Path | StandardProgram, *, override: bool = False) -> None:
        info = plugins.current()
        origin = _origin(info, "register_programs")
        if isinstance(source, Path):
            if source.is_dir():
                files = [(p, "program") for p in sorted(source.glob("*.toml"))]
            elif source.is_file():
                files = [(source, "program")]
            else:
                raise PluginError(f"plugin {info.label()}: program source {source} "
                                  "does not exist")
            lib.add_files(files, problems,  # type: ignore[arg-type]
                          origin=origin, override=override)
        elif isinstance(source, StandardProgram):
            checked = check_object(source, "program", origin, problems)
            if checked is not None:
                lib.add(checked, "program", problems, origin=origin, override=override)
        else:
            raise _type_error(info, "register_programs", "a Path or StandardProgram", source)
    plugins.call("register_programs", register=program)
    lib.check_references(problems)
    lib.check_links(problems)

    def branding(name: str, value: Branding) -> None:
        info = plugins.current()
        if not isinstance(value, Branding):
            raise _type_error(info, "register_branding", "an rxprint.api.Branding", value)
        _check_name(info, "branding", name, reg.brandings, "riverside-pt")
        if name == CONFIG_BRANDING_NAME:
            raise PluginError(f"plugin {info.label()}: the branding name {name!r} is "
                              "reserved for the [branding] table of the configuration "
                              "file; choose another name")
        found = check_branding(value, reg.fonts)
        if found:
            raise PluginError(f"plugin {info.label()}: branding {name!r}: "
                              + "; ".join(f"{f}: {m}" for f, m in found))
        reg.brandings[name] = Registered(value, info.name)
    plugins.call("register_branding", register=branding)

    if problems:
        raise ValidationError(problems, "the exercise library has errors")
    return reg


def build_layouts(plugins: Plugins) -> dict[str, Registered]:
    """Call every ``register_layouts`` hook and check what comes back."""
    from rxprint.render.layout_base import Layout

    layouts: dict[str, Registered] = {}

    def layout(name: str, value: Any, *, description: str = "") -> None:
        info = plugins.current()
        _check_name(info, "layout", name, layouts, "cards")
        if not isinstance(value, Layout):
            raise _type_error(info, "register_layouts", "an rxprint.layout.Layout", value)
        layouts[name] = Registered(value, info.name, description)
    plugins.call("register_layouts", register=layout)
    return layouts


def adjust(plugins: Plugins, program: Program, context: ProgramContext) -> Program:
    """Run the ``adjust_program`` hook; each implementation gets the previous result."""
    results = plugins.call("adjust_program", program=program, context=context)
    final = results[-1] if results else program
    assert isinstance(final, Program)  # checked by the guards
    return final
