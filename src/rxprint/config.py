"""Configuration: clinic defaults in ``rxprint.toml``.

The file used is the first of: ``--config FILE`` (or ``RXPRINT_CONFIG``), ``rxprint.toml``
in the working folder, ``config.toml`` in the user config folder (:func:`user_config_dir`).
Precedence for every setting: command-line flags > program file > configuration >
built-in defaults.

A ``[branding]`` table brands handouts without a plugin. It is checked like a plugin's
branding (colours, lengths, the logo read and normalised with Pillow) and offered under
the name ``config`` (:data:`~rxprint.library.branding.CONFIG_BRANDING_NAME`). It is the active
branding unless ``--branding NAME`` or ``branding = "NAME"`` under ``[defaults]`` names
another; ``--branding default`` gives rxprint's neutral one.

    [branding]
    clinic_name = "Oak Street Physio"
    phone = "555-0199"
    logo = "oak-logo.png"         # relative to this file
    accent = "#2E6B3A"

    [defaults]
    clinician = "Sam Lee, PT, DPT"
    branding = "riverside-pt"
    layout = "compact"
    paper = "a4"
    language = "es"               # the handouts' language (rxprint languages lists them)
    large_print = true
    record_language = "en"        # the chart note of --summary, for the clinical record
    interface_language = "es"     # what the command line says (errors); RXPRINT_LANG first

    [plugins]
    enable = ["example-clinic"]   # load only these installed/folder plugins
    disable = ["cards"]           # never load these
    dir = "my-plugins"            # a plugins folder, relative to this file
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

from rxprint.errors import Problem, ValidationError
from rxprint.files.fields import Fields
from rxprint.files.tomlfile import load_toml
from rxprint.library.branding import Branding, check_branding
from rxprint.library.paper import parse_paper
from rxprint.library.translations import parse_language

BRANDING_TEXT_FIELDS = ("clinic_name", "phone", "address", "website", "accent",
                        "accent_light", "footer_text", "disclaimer")
BRANDING_FIELDS = (*BRANDING_TEXT_FIELDS[:4], "logo", *BRANDING_TEXT_FIELDS[4:])


@dataclass(frozen=True)
class Config:
    path: Path | None = None
    clinician: str | None = None
    branding: str | None = None
    layout: str | None = None
    paper: str | None = None
    language: str | None = None  # the handouts' language
    large_print: bool | None = None
    log: bool | None = None  # the adherence log page (on unless false)
    record_language: str | None = None  # the chart note's (--summary) language
    interface_language: str | None = None  # the command line's (RXPRINT_LANG first)
    enable: frozenset[str] | None = None
    disable: frozenset[str] = frozenset()
    plugins_dir: Path | None = None
    clinic_branding: Branding | None = None  # the [branding] table, checked
    clinic_logo_line: int | None = None  # where its logo is named, for a late logo error

    def logo_problem(self, message: str) -> Problem:
        """A problem with the [branding] logo (found when it is first read), located."""
        return Problem(message, path=self.path, line=self.clinic_logo_line,
                       field="branding.logo")


def find_config(explicit: Path | None, cwd: Path) -> Path | None:
    if explicit is not None:
        return explicit
    local = cwd / "rxprint.toml"
    if local.is_file():
        return local
    user = user_config_dir() / "config.toml"
    return user if user.is_file() else None


def user_config_dir() -> Path:
    """The user's rxprint folder, where each platform keeps settings (as Click's
    ``get_app_dir`` finds it, without importing Click outside the command line)."""
    if sys.platform == "win32":
        base = os.environ.get("APPDATA") or os.path.expanduser("~")
        return Path(base) / "rxprint"
    if sys.platform == "darwin":
        return Path(os.path.expanduser("~/Library/Application Support/rxprint"))
    base = os.environ.get("XDG_CONFIG_HOME") or os.path.expanduser("~/.config")
    return Path(base) / "rxprint"


def load_config(path: Path | None) -> Config:
    """Read and check a configuration file (None: the built-in defaults)."""
    if path is None:
        return Config()
    doc = load_toml(path, "configuration file")
    problems: list[Problem] = []
    top = Fields(doc, doc.data, problems)
    top.only(("defaults", "plugins", "branding"))
    values: dict[str, object] = {}
    d = top.table_of("defaults")
    if d is not None:
        d.only(("clinician", "branding", "layout", "paper", "language", "large_print",
                "record_language", "log", "interface_language"))
        values["clinician"] = d.text("clinician", required=False, max_len=200)
        values["branding"] = d.slug("branding", required=False)
        values["layout"] = d.slug("layout", required=False)
        values["paper"] = d.parsed("paper", parse_paper)
        values["language"] = d.parsed("language", parse_language)
        values["large_print"] = d.boolean("large_print")
        values["log"] = d.boolean("log")
        values["record_language"] = d.parsed("record_language", parse_language)
        values["interface_language"] = d.parsed("interface_language", parse_language)
    p = top.table_of("plugins")
    if p is not None:
        p.only(("enable", "disable", "dir"))
        enable = p.text_list("enable", required=False)
        if "enable" in p.table and enable is not None:
            values["enable"] = frozenset(enable)
        values["disable"] = frozenset(p.text_list("disable", required=False) or ())
        folder = p.text("dir", required=False)
        if folder is not None:
            values["plugins_dir"] = (path.parent / folder).resolve()
    b = top.table_of("branding")
    if b is not None:
        values["clinic_branding"] = _branding(b, path.parent)
        values["clinic_logo_line"] = doc.index.line_of("branding.logo")
    if problems:
        raise ValidationError(problems, f"{path} has errors")
    return Config(path=path, **{k: v for k, v in values.items() if v is not None})  # type: ignore[arg-type]


def _branding(f: Fields, folder: Path) -> Branding | None:
    """The [branding] table as a Branding, checked like a plugin's; the logo path is
    relative to the configuration file's folder."""
    start = len(f.problems)
    f.only(BRANDING_FIELDS)
    texts = {name: f.text(name, required=False, max_len=300) for name in BRANDING_TEXT_FIELDS}
    logo_name = f.text("logo", required=False, max_len=1000)
    logo = (folder / Path(logo_name).expanduser()).resolve() if logo_name else None
    fields: dict[str, str] = {k: v for k, v in texts.items() if v is not None}
    branding = Branding(logo=logo, **fields)
    problems = check_branding(branding, fonts=())
    for name, message in problems:
        if name == "logo" and logo is not None and not logo.exists():
            message += (f"; a relative logo path starts from the folder of "
                        f"{f.doc.path.name}")
        f.error(name, message)
    return None if len(f.problems) > start else branding
