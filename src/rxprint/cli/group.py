"""The ``rxprint`` command group: a thin layer over the core (imported by the light entry
point in ``rxprint.cli``, which also handles Ctrl-C).

This is the one error boundary: the core raises :class:`~rxprint.errors.RxprintError`;
here it becomes ``Error: ...`` on stderr and exit status 1 (usage errors exit 2, as Click
does). Tracebacks only with ``--debug`` or ``RXPRINT_DEBUG=1``. Every message it prints
shows control and bidi characters escaped (:func:`rxprint.runtime.failures.printable`), and a
usage error does not quote a value it cannot vouch for (it may be a patient's name or
birth date). Log records (a plugin's) go through :func:`rxprint.runtime.logs.route_logs`.
"""

from __future__ import annotations

import contextlib
import errno
import importlib
import os
import sys
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from rxprint.cli.context import get_app, interface
from rxprint.errors import RxprintError
from rxprint.runtime.failures import printable, unexpected_message
from rxprint.runtime.interrupt import is_real
from rxprint.runtime.logs import report, route_logs

if TYPE_CHECKING:  # click's ParamType is generic only in recent releases
    from rxprint.plugins.manager import PluginInfo

    _ParamType = click.ParamType[Any]
else:
    _ParamType = click.ParamType

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}

# rxprint's commands: name -> (module, attribute). A command's module is imported when the
# command runs (or `rxprint --help` lists it), so that each command imports what it uses
# and no more: `rxprint build` never imports the batch machinery or the validator.
COMMANDS: dict[str, tuple[str, str]] = {
    "build": ("rxprint.cli.build", "build_command"),
    "batch": ("rxprint.cli.batch", "batch_command"),
    "list": ("rxprint.cli.browse", "list_command"),
    "show": ("rxprint.cli.browse", "show_command"),
    "programs": ("rxprint.cli.browse", "programs_command"),
    "languages": ("rxprint.cli.browse", "languages_command"),
    "validate": ("rxprint.cli.validate", "validate_command"),
    "extract": ("rxprint.cli.extract", "extract_command"),
    "catalog": ("rxprint.cli.catalog", "catalog_command"),
    "plugins": ("rxprint.cli.plugins", "plugins_command"),
    "layouts": ("rxprint.cli.plugins", "layouts_command"),
    "plugin": ("rxprint.cli.scaffold", "plugin_group"),
    "serve": ("rxprint.cli.serve", "serve_command"),
}


def _builtin_command(name: str) -> click.Command | None:
    """rxprint's own command ``name``, its module imported now; None if there is none."""
    where = COMMANDS.get(name)
    if where is None:
        return None
    command = getattr(importlib.import_module(where[0]), where[1])
    assert isinstance(command, click.Command)
    return command


class RxprintGroup(click.Group):
    """Turns rxprint errors (and unexpected ones) into clear messages without tracebacks,
    and adds the commands plugins register. rxprint's own commands are :data:`COMMANDS`,
    imported when used."""

    def _plugin_commands(self, ctx: click.Context) -> dict[str, click.Command]:
        commands = ctx.meta.get("rxprint.plugin_commands")
        if commands is None:
            group = click.Group()
            get_app(ctx).plugins.hook.register_commands(cli=group)
            commands = {n: c for n, c in group.commands.items()
                        if n not in self.commands and n not in COMMANDS}
            ctx.meta["rxprint.plugin_commands"] = commands
        return dict(commands)

    def list_commands(self, ctx: click.Context) -> list[str]:
        names = set(super().list_commands(ctx)) | set(COMMANDS)
        with contextlib.suppress(RxprintError):  # a broken plugin shows when a command runs
            names |= set(self._plugin_commands(ctx))
        return sorted(names)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        command = super().get_command(ctx, cmd_name) or _builtin_command(cmd_name)
        if command is None:
            command = self._plugin_commands(ctx).get(cmd_name)
        return command

    def make_context(self, info_name: str | None, args: list[str],
                     parent: click.Context | None = None, **extra: Any) -> click.Context:
        try:  # the group's own options, before invoke
            return super().make_context(info_name, args, parent, **extra)
        except click.ClickException as exc:
            _make_printable(exc)
            raise

    def invoke(self, ctx: click.Context) -> Any:
        debug = bool(ctx.params.get("debug"))
        if not debug:  # a warning's message may hold patient details (a plugin's, say)
            warnings.showwarning = _warning_without_message
        route = route_logs(debug)
        try:
            return self._invoke(ctx, debug)
        except click.ClickException as exc:
            _make_printable(exc)
            raise
        finally:
            report(route)

    def _invoke(self, ctx: click.Context, debug: bool) -> Any:
        try:
            return super().invoke(ctx)
        except RxprintError as exc:
            if debug:
                raise
            from rxprint.language.interface import error_text

            raise click.ClickException(error_text(exc, interface(ctx))) from None
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except OSError as exc:
            if debug or exc.errno not in _WRITE_ERRORS:
                raise
            # a command's text output could not be written (full disk, closed pipe);
            # the handout writers report their own failures before this
            _silence_stdout()
            if exc.errno == errno.EPIPE:  # the reader left (rxprint list | head): quietly
                raise click.exceptions.Exit(1) from None
            raise click.ClickException(
                f"could not write the output: {os.strerror(exc.errno).lower()}") from None
        except Exception as exc:
            if debug:
                raise
            # The message of an unexpected error may carry input text, so only its type
            # is shown.
            raise click.ClickException(self._unexpected(ctx, exc)) from None
        except BaseException as exc:
            # A plugin's command raising GeneratorExit, KeyboardInterrupt or rxprint's
            # Interrupted itself is its error; a real Ctrl-C (SIGTERM, SIGHUP) goes on to
            # rxprint.cli.main, and SystemExit stays the command's exit status.
            if debug or isinstance(exc, SystemExit) or is_real(exc):
                raise
            raise click.ClickException(self._unexpected(ctx, exc)) from None

    def _unexpected(self, ctx: click.Context, exc: BaseException) -> str:
        """An unexpected error's message: its type only; the plugin's when it came from a
        command a plugin added."""
        name = ctx.invoked_subcommand
        commands = ctx.meta.get("rxprint.plugin_commands") or {}
        if name is None or name not in commands:
            return unexpected_message(exc)
        plugin = _plugin_of(ctx, commands[name])
        who = f"plugin {plugin.label()}" if plugin is not None else "a plugin"
        how = (f"; disable the plugin with RXPRINT_DISABLE_PLUGINS={plugin.name}"
               if plugin is not None else "")
        return (f'{who} failed in its command "{name}": {type(exc).__name__} (an error in '
                "the plugin; its message is not shown as it may hold patient details, "
                f"--debug shows it){how}")


def _plugin_of(ctx: click.Context, command: click.Command) -> PluginInfo | None:
    """The plugin (its PluginInfo) whose module defined ``command``, or None."""
    module = getattr(command.callback, "__module__", None) or ""
    for info in get_app(ctx).plugins.infos:
        name = info.module.__name__
        if module == name or module.startswith(name + "."):
            return info
    return None


# How a usage error says what a value must be, for the kinds of parameter whose wrong
# value may be anything (a patient's name or birth date typed into --date): Click's own
# message quotes the value.
def _expected_form(param_type: _ParamType) -> str | None:
    if isinstance(param_type, click.Choice):
        return "expected one of: " + ", ".join(map(str, param_type.choices))
    if isinstance(param_type, click.DateTime):
        return "expected a date like 2026-11-21 (YYYY-MM-DD)"
    if isinstance(param_type, click.IntRange | click.FloatRange):
        low = "" if param_type.min is None else f" from {param_type.min}"
        high = "" if param_type.max is None else f" to {param_type.max}"
        whole = "a whole number" if isinstance(param_type, click.IntRange) else "a number"
        return f"expected {whole}{low}{high}"
    if param_type is click.INT:
        return "expected a whole number"
    if param_type is click.FLOAT:
        return "expected a number"
    if param_type is click.BOOL:
        return "expected true or false"
    return None


def _make_printable(exc: click.ClickException) -> None:
    """Give ``exc`` a message that may be printed: a bad parameter's value not quoted
    (see :func:`_expected_form`), control and bidi characters escaped."""
    message = exc.message
    if isinstance(exc, click.BadParameter) and exc.param is not None:
        message = _expected_form(exc.param.type) or message
    vars(exc)["message"] = printable(message)  # Click declares it final


def _warning_without_message(message: Warning | str, category: type[Warning],
                             filename: str, lineno: int, file: Any = None,
                             line: str | None = None) -> None:
    """Show a Python warning as its category and source file only (--debug shows it
    whole)."""
    where = printable(f"{category.__name__} from {Path(filename).name}:{lineno}", keep="")
    with contextlib.suppress(OSError, ValueError):
        sys.stderr.write(f"Warning: {where} (its message is not shown; --debug shows it)\n")


_WRITE_ERRORS = {errno.EPIPE, errno.ENOSPC, errno.EFBIG, errno.EIO, errno.EDQUOT}


def _silence_stdout() -> None:
    """Point standard output at /dev/null, so Python's final flush of what could not be
    written does not print a second error."""
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)


def _show_version(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    """``--version``, as Click's version option prints it; the version (the installed
    distribution's metadata) is looked up only then."""
    if not value or ctx.resilient_parsing:
        return
    from rxprint import __version__

    click.echo(f"rxprint, version {__version__}", color=ctx.color)
    ctx.exit()


@click.group(cls=RxprintGroup, context_settings=CONTEXT_SETTINGS)
@click.option("--version", is_flag=True, expose_value=False, is_eager=True,
              callback=_show_version, help="Show the version and exit.")
@click.option("--debug", is_flag=True, envvar="RXPRINT_DEBUG",
              help="Show tracebacks on errors (also RXPRINT_DEBUG=1).")
@click.option("--config", type=click.Path(path_type=Path, dir_okay=False),
              envvar="RXPRINT_CONFIG",
              help="Configuration file (default: ./rxprint.toml, else the user config).")
@click.option("--plugins-dir", type=click.Path(path_type=Path, file_okay=False),
              envvar="RXPRINT_PLUGINS_DIR", help="Also load every *.py plugin in this folder.")
def cli(debug: bool, config: Path | None, plugins_dir: Path | None) -> None:
    """Print home exercise programs: clear, personal PDF handouts for patients.

    \b
    Examples:
      rxprint programs                                   # the standard programs
      rxprint build --template hip-flexor-back-pain --patient "Jane Doe" -o jane.pdf
      rxprint build visit.toml --summary                 # from a program file
      rxprint batch roster.csv -o handouts/              # one handout per row
      rxprint list --category stretch                    # browse the library
      rxprint show supine-hip-flexor-stretch
      rxprint plugins                                    # what plugins are active
      rxprint layouts                                    # the layouts for --layout
      rxprint plugin new oak-street                      # a plugin package to start from

    \b
    Environment: RXPRINT_PLUGINS=a,b loads only those plugins (empty: none);
    RXPRINT_DISABLE_PLUGINS=a,b skips some; RXPRINT_TRACE_HOOKS=1 traces hook calls.
    """
