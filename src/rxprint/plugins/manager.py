"""The one place plugins are found, loaded and called, and their errors attributed.

- Built-in plugins (``BUILTIN_PLUGINS``) provide the bundled library, layouts and the
  default branding through the same hooks a clinic uses.
- Installed plugins are entry points in the ``rxprint`` group.
- ``--plugins-dir DIR`` / ``RXPRINT_PLUGINS_DIR`` adds every ``*.py`` file in DIR.
- ``RXPRINT_PLUGINS=a,b`` loads only the named installed/folder plugins (empty: none);
  ``RXPRINT_DISABLE_PLUGINS=a,b`` (or the config's ``[plugins] disable``) skips some:
  the escape hatch for a broken plugin.
- ``RXPRINT_TRACE_HOOKS=1`` prints every hook call (hook and plugin names only, never
  arguments: they may hold patient data) to stderr.

Calling is pluggy's: plugins are registered with a pluggy ``PluginManager`` as they are
(modules, or the objects an entry point names) and hooks are called as
``plugins.hook.NAME(...)``, pluggy's ``pm.hook``, in a fixed order (built-ins, installed by
name, folder files by name: registered in reverse, as pluggy calls the last registered
first); ``tryfirst``/``trylast``, wrappers and partial arguments are pluggy's. Around every
hook call rxprint's hook call monitors (pluggy's ``add_hookcall_monitoring``) trace the
implementations pluggy calls, send what plugins print where :meth:`Plugins.plugin_output`
says, put rxprint's signal handlers back, and turn an exception into a
:class:`PluginError` naming the plugin (and its version) and the hook: the plugin whose
implementation (one of the hook's ``get_hookimpls()``) is innermost in the exception's
traceback. An exception's message is shown for the hooks that see no patient data
(the ``register_*`` hooks, ``register_commands``) and for a failed import; a hook that sees
a program shows only the exception's type (``--debug`` shows the message).

``adjust_program`` is a chain (:func:`adjust`): an explicit loop over its implementations
in pluggy's order, each getting the program the previous one returned, with the plugins'
wrappers run around the loop by pluggy.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import inspect
import io
import sys
import types
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import pluggy

from rxprint import __version__
from rxprint.errors import InputError, Problem, RxprintError
from rxprint.files.fields import did_you_mean
from rxprint.library.model import Program
from rxprint.plugins import hookspecs
from rxprint.runtime.failures import printable
from rxprint.runtime.interrupt import is_real, reinstall

ENTRY_POINT_GROUP = "rxprint"
# name (as `rxprint plugins` shows it and RXPRINT_DISABLE_PLUGINS takes it) -> module;
# each module is imported when plugins are loaded, so it stays light (a layout's code,
# and ReportLab with it, is imported inside its register_layouts hook)
BUILTIN_PLUGINS = {
    "rxprint.builtins.library": "rxprint.plugins.builtins.library",
    "rxprint.builtins.layouts": "rxprint.render.builtin_layouts_plugin",
    "rxprint.builtins.branding": "rxprint.plugins.builtins.branding",
}
HOOK_NAMES = tuple(sorted(name for name, value in vars(hookspecs).items()
                          if callable(value) and hasattr(value, "rxprint_spec")))
# The hooks whose arguments hold no patient data (a register callback, the command
# group): an exception's message is shown, as a failed import's is ("missing 1 required
# argument: 'clinic_name'", "No module named 'oak_logo'"). Any other hook, and any hook
# added later, shows only the exception's type: adjust_program sees the program.
MESSAGE_SHOWN = frozenset({"register_exercises", "register_programs", "register_branding",
                           "register_layouts", "register_fonts", "register_languages",
                           "register_videos", "register_commands"})
_MESSAGE_LIMIT = 300  # characters of an exception's message shown


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


@dataclass(frozen=True)
class ProgramContext:
    """What ``adjust_program`` may want to know about the handout being made."""

    branding: str
    layout: str
    paper: str
    language: str = "en"  # the handout's language (its library text is translated later)
    large_print: bool = False


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
    """The loaded plugins, registered with a pluggy ``PluginManager`` (``pm``); hooks are
    called through it, ``plugins.hook.NAME(...)``. Hook call monitors (see the module's
    documentation) trace, route plugin output and attribute errors."""

    def __init__(self, options: PluginOptions = PluginOptions()) -> None:
        self.options = options
        self.pm = pluggy.PluginManager("rxprint")
        self.pm.add_hookspecs(hookspecs)
        self.infos: list[PluginInfo] = []
        self._outputs: list[contextlib.AbstractContextManager[object]] = []
        self._load()
        self.pm.add_hookcall_monitoring(self._before, self._after)

    @property
    def hook(self) -> pluggy.HookRelay:
        """The hooks, called through pluggy: ``plugins.hook.register_layouts(register=f)``."""
        return self.pm.hook

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

    def _check(self, info: PluginInfo, scratch: pluggy.PluginManager) -> None:
        """Validate one plugin (hook names, signatures) against a scratch manager, in
        the documented order, so the first broken plugin is the one reported."""
        disable = f"fix the plugin or disable it with RXPRINT_DISABLE_PLUGINS={info.name}"
        if inspect.isclass(info.module):
            name = info.module.__name__
            raise PluginError(
                f"plugin {info.label()} ({info.source}) is the class {name}, not an "
                f"instance of it: its hooks would be called without one; name an instance "
                f"(such as `plugin = {name}()`) or a module in the entry point; {disable}")
        self._warn_unmarked(info)
        for attr in dir(info.module):
            opts = self.pm.parse_hookimpl_opts(info.module, attr)
            if opts is None or opts.get("optionalhook"):
                continue
            hook = opts.get("specname") or attr
            if hook not in HOOK_NAMES:
                raise PluginError(
                    f"plugin {info.label()} ({info.source}): {attr} is marked @hookimpl but "
                    f"rxprint has no hook {hook!r}{did_you_mean(hook, HOOK_NAMES)}; "
                    f"{disable}")
        try:
            scratch.register(info.module, name=info.name)
            scratch.check_pending()
        except Exception as exc:  # pluggy's validation; check_pending: an unknown hook
            text = " ".join(str(exc).split())  # pluggy's message spans lines: one line
            raise PluginError(f"plugin {info.label()} ({info.source}): {text}; "
                              f"{disable}") from None

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
        entry_points: list[Any] = []
        options = self.options
        if options.enabled is None or options.enabled - options.disabled:
            # installed plugins may be wanted: found once, when plugins are loaded
            # (importlib.metadata, costly to import, only then)
            import importlib.metadata as metadata

            entry_points = sorted(metadata.entry_points(group=ENTRY_POINT_GROUP),
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
        folder_names: set[str] = set()
        if folder is not None:
            if not folder.is_dir():
                raise InputError(Problem("plugins folder not found (--plugins-dir or "
                                         "RXPRINT_PLUGINS_DIR)", path=folder))
            for path in sorted(folder.glob("*.py")):
                name = path.stem
                if path.name.startswith("_"):
                    continue
                folder_names.add(name)
                if not _wanted(name, self.options):
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
        self._warn_unmatched({ep.name for ep in entry_points} | folder_names)
        scratch = pluggy.PluginManager("rxprint")
        scratch.add_hookspecs(hookspecs)
        for info in found:
            self._check(info, scratch)
        for info in reversed(found):  # checked: registering cannot fail
            self.pm.register(info.module, name=info.name)
        self.infos = found
        reinstall()  # a plugin's import may have replaced rxprint's signal handlers

    def _warn_unmatched(self, available: set[str]) -> None:
        """A name in RXPRINT_PLUGINS or RXPRINT_DISABLE_PLUGINS (or the configuration's
        [plugins]) that is no installed or folder plugin: a typo that would otherwise load
        nothing, or disable nothing, without a word."""
        options = self.options
        lists = [("to load (RXPRINT_PLUGINS or the configuration's [plugins] enable)",
                  options.enabled or frozenset()),
                 ("to disable (RXPRINT_DISABLE_PLUGINS or the configuration's [plugins] "
                  "disable)", options.disabled)]
        for what, names in lists:
            for name in sorted(names - available - set(BUILTIN_PLUGINS)):
                print(f'rxprint: warning: the plugins {what} name "{printable(name)}", '
                      f"which is no installed or folder plugin"
                      f"{did_you_mean(name, available)}; `rxprint plugins` lists them",
                      file=sys.stderr)

    # -- calling ----------------------------------------------------------------------

    def info(self, name: str) -> PluginInfo:
        return next(i for i in self.infos if i.name == name)

    def hooks_of(self, info: PluginInfo) -> list[str]:
        callers = self.pm.get_hookcallers(self.pm.get_plugin(info.name)) or []
        return sorted(c.name for c in callers)

    def plugin_output(self) -> contextlib.AbstractContextManager[object]:
        """While plugin code runs: what it prints goes nowhere (standard output may be the
        handout, `-o -`, or a batch's report; and a hook's print may hold patient
        details), or with --debug to standard error."""
        return contextlib.redirect_stdout(sys.stderr if self.options.debug else _NOWHERE)

    def trace(self, hook_name: str, plugin_name: str) -> None:
        """With RXPRINT_TRACE_HOOKS: names only, as arguments may hold patient data."""
        if self.options.trace:
            print(f"rxprint: calling {hook_name} of plugin {plugin_name}", file=sys.stderr)

    def _before(self, hook_name: str, hook_impls: Sequence[pluggy.HookImpl],
                kwargs: Mapping[str, Any]) -> None:
        """Before pluggy calls a hook: the trace, in the order pluggy calls the
        implementations (``call_extra``'s own, rxprint's, are not plugins), and plugin
        output redirected."""
        for impl in reversed(hook_impls):
            if impl.plugin is not None:
                self.trace(hook_name, impl.plugin_name)
        output = self.plugin_output()
        output.__enter__()
        self._outputs.append(output)

    def _after(self, outcome: pluggy.Result[Any], hook_name: str,
               hook_impls: Sequence[pluggy.HookImpl], kwargs: Mapping[str, Any]) -> None:
        """After a hook call: output back, rxprint's signal handling back (should a plugin
        have replaced it), and an exception made the plugin's error. A real Ctrl-C (or
        SIGTERM, SIGHUP) and rxprint's own errors (a register callback's, a plugin's
        RxprintError meant for the user) pass as they are; anything else a plugin raises,
        SystemExit, GeneratorExit, KeyboardInterrupt or rxprint's Interrupted included, is
        the plugin's error."""
        try:
            outcome.get_result()
        except BaseException as exc:
            error = None
            if not (is_real(exc) or isinstance(exc, RxprintError)):
                error = self._attribute(hook_name, exc)
            if error is not None:
                error.__cause__ = exc  # --debug shows it, with its message
                error.__suppress_context__ = True
                outcome.force_exception(error)
        finally:
            self._outputs.pop().__exit__(None, None, None)
            reinstall()

    def _attribute(self, hook_name: str, exc: BaseException) -> PluginError | None:
        """``exc`` as the error of the plugin whose implementation of the hook raised it;
        None if no plugin's code raised it (rxprint's or pluggy's own error: it passes as it
        is, an unexpected error)."""
        impls = getattr(self.pm.hook, hook_name).get_hookimpls()
        impl = raised_by(exc, impls)
        if impl is not None:
            return failure(self.info(impl.plugin_name), hook_name, exc)
        impl = _wrapper_complaint(exc, impls)
        if impl is not None:  # pluggy's own message: about the wrapper's code, no data
            info = self.info(impl.plugin_name)
            return PluginError(
                f"plugin {info.label()} failed in {hook_name}: its wrapper must yield "
                f"exactly once ({_one_line(str(exc))}); fix the plugin or disable it with "
                f"RXPRINT_DISABLE_PLUGINS={info.name}")
        return None

    def caller(self, hook_name: str) -> PluginInfo:
        """The plugin running ``hook_name`` (for its ``register`` callback): the one whose
        implementation of the hook (one of its ``get_hookimpls()``) is the innermost on
        the call stack. (One function registered by two plugins counts as the first's.)"""
        by_code = _codes(getattr(self.pm.hook, hook_name).get_hookimpls())
        frame: types.FrameType | None = sys._getframe(1)
        while frame is not None:
            impl = by_code.get(id(frame.f_code))
            if impl is not None:
                return self.info(impl.plugin_name)
            frame = frame.f_back
        raise PluginError("a register callback was called after its hook returned: "
                          f"call register(...) inside {hook_name}")


class _Nowhere(io.TextIOBase):
    """A text stream that keeps nothing."""

    def write(self, text: str) -> int:
        return len(text)


_NOWHERE = _Nowhere()


# -- adjust_program: a chain ---------------------------------------------------------------


def adjust(plugins: Plugins, program: Program, context: ProgramContext) -> Program:
    """Run the ``adjust_program`` hook: its implementations in pluggy's order
    (``tryfirst``/``trylast`` included), each getting the program the previous one returned
    (None: unchanged). The plugins' wrappers run around the chain, through pluggy: they
    get the program the chain started with and, from their ``yield``, a list with the
    program the chain made (empty if none changed it). The last program of the result is
    the one rendered."""
    impls = plugins.hook.adjust_program.get_hookimpls()
    chain = [i for i in reversed(impls) if not (i.wrapper or i.hookwrapper)]  # call order
    wrappers = [i for i in impls if i.wrapper or i.hookwrapper]
    for impl in wrappers:
        if impl.plugin_name in {i.plugin_name for i in chain}:
            info = plugins.info(impl.plugin_name)
            raise PluginError(f"plugin {info.label()} has both a wrapper and an "
                              "implementation of adjust_program: make them two plugins, or "
                              "one implementation")

    def run_chain(program: Program, context: ProgramContext) -> Program | None:
        changed: Program | None = None
        for impl in chain:
            plugins.trace("adjust_program", impl.plugin_name)
            given = {"program": program if changed is None else changed, "context": context}
            result = impl.function(*(given[a] for a in impl.argnames),
                                   **{k: given[k] for k in impl.kwargnames if k in given})
            if result is None:
                continue
            if not isinstance(result, Program):
                raise wrong_type(plugins.info(impl.plugin_name), "adjust_program",
                                 "an rxprint.api.Program or None", result)
            changed = result
        return changed

    around = plugins.pm.subset_hook_caller("adjust_program", [i.plugin for i in chain])
    results = around.call_extra([run_chain], {"program": program, "context": context})
    if not (isinstance(results, list) and all(isinstance(r, Program) for r in results)):
        if len(wrappers) == 1:
            raise wrong_type(plugins.info(wrappers[0].plugin_name), "adjust_program",
                             "a list of rxprint.api.Program (from a wrapper)", results)
        names = ", ".join(sorted({i.plugin_name for i in wrappers}))
        raise PluginError(f"a wrapper of adjust_program (one of the plugins {names}) "
                          "returned the wrong type: expected a list of rxprint.api.Program, "
                          f"got {type(results).__name__}")
    return results[-1] if results else program


# -- error attribution ---------------------------------------------------------------------


def _code(function: object) -> types.CodeType | None:
    """The code a call of ``function`` runs (a function's, a method's, a callable
    object's ``__call__``)."""
    function = getattr(function, "__func__", function)
    code = getattr(function, "__code__", None)
    if code is None:
        call = getattr(type(function), "__call__", None)  # noqa: B004 (the method itself)
        code = getattr(getattr(call, "__func__", call), "__code__", None)
    return code if isinstance(code, types.CodeType) else None


def _codes(impls: Sequence[pluggy.HookImpl]) -> dict[int, pluggy.HookImpl]:
    """The plugins' implementations (``call_extra``'s are rxprint's) by the identity of
    their code (code objects compare equal by content: two plugin files with the same
    source have equal, but not the same, code)."""
    found: dict[int, pluggy.HookImpl] = {}
    for impl in impls:
        code = _code(impl.function)
        if code is not None and impl.plugin is not None:
            found.setdefault(id(code), impl)
    return found


def raised_by(exc: BaseException,
              impls: Sequence[pluggy.HookImpl]) -> pluggy.HookImpl | None:
    """The implementation among ``impls`` that raised ``exc``: the innermost of them in
    its traceback (an inner implementation's error passing through a wrapper is the inner
    one's), or None."""
    by_code = _codes(impls)
    found = None
    tb = exc.__traceback__
    while tb is not None:
        found = by_code.get(id(tb.tb_frame.f_code), found)
        tb = tb.tb_next
    return found


def _wrapper_complaint(exc: BaseException,
                       impls: Sequence[pluggy.HookImpl]) -> pluggy.HookImpl | None:
    """The wrapper pluggy's own error is about (a wrapper that did not yield, or yielded
    twice): no frame of the plugin is in its traceback, but pluggy's frame holds the
    wrapper's generator."""
    if not isinstance(exc, RuntimeError):
        return None
    by_code = _codes(impls)
    found = None
    tb = exc.__traceback__
    while tb is not None:
        for value in tb.tb_frame.f_locals.values():
            if inspect.isgenerator(value) and id(value.gi_code) in by_code:
                found = by_code[id(value.gi_code)]
                break
        tb = tb.tb_next
    return found


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


def _one_line(text: str) -> str:
    """``text`` on one line, cut at :data:`_MESSAGE_LIMIT` characters."""
    text = " ".join(text.split())
    return text if len(text) <= _MESSAGE_LIMIT else text[:_MESSAGE_LIMIT - 1] + "…"


def _described(exc: BaseException) -> str:
    """``Type: message`` (the message on one line), or the type alone."""
    if isinstance(exc, SyntaxError) and exc.lineno is not None:
        where = f"{type(exc).__name__} at {Path(exc.filename or '?').name} line {exc.lineno}"
        return f"{where}: {_one_line(exc.msg)}" if exc.msg else where
    message = _one_line(str(exc))
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__


def _import_failure(label: str, name: str, exc: BaseException) -> PluginError:
    """A plugin that cannot be imported: the exception with its message (an import sees
    no patient data: the message is the help, a missing module's name, a syntax error's
    place)."""
    return PluginError(f"plugin {label} failed to import ({_described(exc)}); disable it "
                       f"with RXPRINT_DISABLE_PLUGINS={name}")


def failure(info: PluginInfo, hook_name: str, exc: BaseException) -> PluginError:
    """One line: plugin, hook and the exception: its type and, for the hooks that see no
    patient data (:data:`MESSAGE_SHOWN`), its message. Elsewhere the message stays out:
    it may hold patient details (a KeyError of the patient's name); --debug shows it."""
    disable = f"disable the plugin with RXPRINT_DISABLE_PLUGINS={info.name}"
    if hook_name in MESSAGE_SHOWN:
        return PluginError(f"plugin {info.label()} failed in {hook_name}: {_described(exc)} "
                           f"(an error in the plugin; --debug shows the traceback); {disable}")
    return PluginError(
        f"plugin {info.label()} failed in {hook_name}: {type(exc).__name__} (an error in "
        "the plugin; its message is not shown as it may hold patient details, --debug "
        f"shows it); {disable}")


def wrong_type(info: PluginInfo, hook: str, what: str, got: object) -> PluginError:
    """A register callback (or adjust_program) got something else than ``what``; a class
    where an instance was expected says so."""
    if isinstance(got, type):
        return PluginError(f"plugin {info.label()} registered the class {got.__name__} in "
                           f"{hook}, not an instance of it: expected {what}; register an "
                           f"instance, {got.__name__}(...)")
    return PluginError(f"plugin {info.label()} registered the wrong type in {hook}: "
                       f"expected {what}, got {type(got).__name__}")
