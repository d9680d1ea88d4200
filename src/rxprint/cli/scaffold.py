"""``rxprint plugin new NAME``: write a plugin package skeleton into ``./NAME``.

The skeleton (``plugin_template/``, shipped inside rxprint) is a complete package: a
pyproject that builds with hatchling and ships its data files, an entry point in the
``rxprint`` group, a branding with a logo, one exercise with a drawing, a standard program,
and tests written with :mod:`rxprint.testing`. Files ending in ``.tmpl`` are filled in
(``__PLUGIN__``, ``__MODULE__``...); the others (the logo) are copied as they are.
"""

from __future__ import annotations

import importlib.metadata
import json
import keyword
import os
import re
import shutil
import tempfile
import unicodedata
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

import click

from rxprint.errors import RxprintError

TEMPLATE = "plugin_template"
MAX_NAME = 40
MAX_CLINIC = 80
# A plugin's name: a slug that starts with a letter (it names a Python package too).
NAME_FORM = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
# Branding names a plugin cannot take: rxprint's own, and the configuration's.
RESERVED = frozenset({"default", "config"})
_TOKEN = re.compile(r"__[A-Z][A-Z_]*__")


@dataclass(frozen=True)
class Names:
    """Everything the skeleton is named after, from NAME."""

    folder: str  # NAME, as given: ./NAME
    plugin: str  # the entry-point name: NAME without a leading "rxprint-"
    dist: str  # the distribution: rxprint-PLUGIN
    module: str  # the import package: rxprint_plugin
    clinic: str

    def values(self) -> dict[str, str]:
        return {
            "__PLUGIN__": self.plugin,
            "__DIST__": self.dist,
            "__MODULE__": self.module,
            # a JSON string is a Python string literal and a TOML basic string alike
            # (the name has no control or line-separator characters)
            "__CLINIC_PY__": json.dumps(self.clinic, ensure_ascii=False),
            "__CLINIC_TOML__": json.dumps(self.clinic, ensure_ascii=False),
            "__CLINIC_MD__": self.clinic,
        }


class BadName(RxprintError):
    """NAME or --clinic is not usable: a usage error (exit status 2)."""

    def __init__(self, message: str, param: str = "NAME") -> None:
        super().__init__(message)
        self.param = param


def plugin_names(name: str, clinic: str | None) -> Names:
    """Check NAME (and the clinic's name) and derive the others; a clear error if not."""
    if not NAME_FORM.match(name) or len(name) > MAX_NAME:
        raise BadName(
            "expected a short slug: lowercase letters, digits and hyphens, starting with a "
            f'letter, at most {MAX_NAME} characters, like "oak-street"')
    plugin = name.removeprefix("rxprint-")
    if name == "rxprint":
        raise BadName('"rxprint" is rxprint itself; name the plugin after the clinic, '
                      'like "oak-street" (or "rxprint-oak-street")')
    if plugin in RESERVED:
        raise BadName(f'"{name}" would name the plugin and its branding "{plugin}", '
                      "which rxprint reserves; choose another name")
    module = f"rxprint_{plugin.replace('-', '_')}"
    assert module.isidentifier() and not keyword.iskeyword(module)
    if clinic is None:
        clinic = " ".join(word.capitalize() for word in plugin.split("-"))
    clinic = clinic.strip()
    if (not clinic or len(clinic) > MAX_CLINIC
            or any(unicodedata.category(c)[0] == "C" or unicodedata.category(c) in ("Zl", "Zp")
                   for c in clinic)):
        raise BadName(f"expected the clinic's name on one line, 1 to {MAX_CLINIC} "
                      "characters, without control characters", "--clinic")
    return Names(name, plugin, f"rxprint-{plugin}", module, clinic)


def _taken(names: Names) -> str | None:
    """Why NAME cannot be used here (a plugin of that name is installed, or the
    skeleton's ids are rxprint's), or None."""
    for ep in importlib.metadata.entry_points(group="rxprint"):
        if ep.name == names.plugin:
            return (f'a plugin named "{names.plugin}" is already installed (`rxprint plugins` '
                    "lists it); choose another NAME, or uninstall that plugin first")
    from rxprint.library.loader import builtin_library

    library = builtin_library()
    for ident in (f"{names.plugin}-heel-raise", f"{names.plugin}-starter"):
        if ident in library.exercises or ident in library.programs:
            return (f'the skeleton\'s id "{ident}" is one of rxprint\'s own; choose '
                    "another NAME")
    return None


def _files(folder: Traversable, prefix: str = "") -> list[tuple[str, Traversable]]:
    found: list[tuple[str, Traversable]] = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name == "__pycache__":
            continue
        path = f"{prefix}{entry.name}"
        if entry.is_dir():
            found += _files(entry, path + "/")
        else:
            found.append((path, entry))
    return found


def render_skeleton(names: Names) -> dict[str, bytes]:
    """The skeleton's files: relative path -> content."""
    values = names.values()
    tokens = re.compile("|".join(re.escape(t) for t in values))

    def fill(text: str) -> str:
        # one pass: a value that looks like a token (a clinic named "__PLUGIN__") stays
        unknown = set(_TOKEN.findall(tokens.sub("", text)))
        assert not unknown, unknown  # a placeholder the template misspelt
        return tokens.sub(lambda m: values[m.group()], text)

    out: dict[str, bytes] = {}
    for path, entry in _files(resources.files("rxprint.cli").joinpath(TEMPLATE)):
        if path.endswith(".tmpl"):
            path = path.removesuffix(".tmpl")
            data = fill(entry.read_text(encoding="utf-8")).encode("utf-8")
        else:
            data = entry.read_bytes()
        path = fill(path)
        if path == "gitignore":  # a dotfile would be skipped by some packaging tools
            path = ".gitignore"
        out[path] = data
    return out


def write_skeleton(names: Names, parent: Path) -> tuple[Path, list[str]]:
    """Write the skeleton into ``parent/NAME`` (which must not exist) and return it. It is
    written into a temporary folder beside it first, so a failure leaves nothing half
    made. Returns the folder and the files written in it."""
    target = parent / names.folder
    if target.exists() or target.is_symlink():
        raise RxprintError(f"{target}: already exists; choose another NAME, or move that "
                           "folder away")
    why = _taken(names)
    if why is not None:
        raise RxprintError(why)
    files = render_skeleton(names)
    try:
        scratch = Path(tempfile.mkdtemp(prefix=f".{names.folder}-", dir=parent))
    except OSError as exc:
        raise RxprintError(f"{parent}: cannot create the plugin's folder here "
                           f"({os.strerror(exc.errno or 0).lower()})") from None
    try:
        for path, data in files.items():
            file = scratch / path
            file.parent.mkdir(parents=True, exist_ok=True)
            file.write_bytes(data)
        scratch.chmod(0o777 & ~_umask())  # mkdtemp's folder is the owner's alone
        os.rename(scratch, target)
    except OSError as exc:
        shutil.rmtree(scratch, ignore_errors=True)
        raise RxprintError(f"{target}: could not write the plugin "
                           f"({os.strerror(exc.errno or 0).lower()})") from None
    except BaseException:
        shutil.rmtree(scratch, ignore_errors=True)
        raise
    return target, sorted(files)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@click.group("plugin")
def plugin_group() -> None:
    """Start a plugin: `rxprint plugin new NAME` writes a package (docs/plugins.md)."""


@plugin_group.command("new")
@click.argument("name")
@click.option("--clinic", metavar="TEXT",
              help="The clinic's name, for the branding (default: from NAME).")
def new_command(name: str, clinic: str | None) -> None:
    """Write a plugin package skeleton into a new folder ./NAME.

    NAME is a slug (lowercase letters, digits, hyphens). The package (rxprint-NAME, the
    plugin NAME; a leading "rxprint-" is not repeated) holds a pyproject that ships its
    data files, a branding with a logo, one exercise with a drawing, a standard program
    and tests written with rxprint.testing.

    \b
    Example:
      rxprint plugin new oak-street --clinic "Oak Street Physio"
      pip install -e './oak-street[test]' && rxprint plugins && pytest oak-street
    """
    try:
        names = plugin_names(name, clinic)
    except BadName as exc:
        raise click.BadParameter(str(exc), param_hint=f"'{exc.param}'") from None
    target, written = write_skeleton(names, Path.cwd())
    click.echo(f'Wrote {target.name}/: the rxprint plugin "{names.plugin}" '
               f"(package {names.dist}, module {names.module}):")
    for path in written:
        click.echo(f"  {target.name}/{path}")
    click.echo("Next:")
    click.echo(f"  pip install -e './{target.name}[test]'")
    click.echo(f"  rxprint plugins                # lists {names.plugin}")
    click.echo(f"  pytest {target.name}")
    click.echo(f"  rxprint build --template {names.plugin}-starter --branding {names.plugin} "
               '--patient "Ann Lee" -o starter.pdf')
    click.echo(f"Then make it the clinic's own: CLINIC_NAME and BRANDING in "
               f"src/{names.module}/__init__.py, the logo in src/{names.module}/assets/, "
               "the exercises and the program.")
