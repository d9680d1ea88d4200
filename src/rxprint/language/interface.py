"""The interface language: what the command line says (errors, "Wrote ...") in the
language ``RXPRINT_LANG`` or ``[defaults] interface_language`` names, English otherwise.

A message is said in that language when it is a :class:`rxprint.errors.Msg` whose key
and every Msg among its values have a text in the ``[interface]`` table of the
language's catalog (``locales/es.toml``), with the same placeholders; else it is said in
English, whole: a message is never half one language and half the other. The handout's
language (``--lang``) is another thing: it never changes what the command line says.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

from rxprint.errors import LanguageList, Msg, RxprintError, ValidationError
from rxprint.language.messages import SHIPPED, catalog, language_name, placeholders

ENGLISH = "en"


def interface_language(environ: Mapping[str, str], configured: str | None = None) -> str:
    """``RXPRINT_LANG`` (``es``, ``es_MX``, ``es_MX.UTF-8``), else the configuration's
    ``interface_language``, else English; a language rxprint has no interface text for
    is English."""
    raw = environ.get("RXPRINT_LANG") or configured or ENGLISH
    code = raw.split(".")[0].replace("-", "_").split("_")[0].strip().lower()
    return code if code in SHIPPED else ENGLISH


@functools.cache
def texts(language: str) -> dict[str, str]:
    """The ``[interface]`` texts of ``language``, by dotted key (read once)."""
    found: dict[str, str] = {}

    def walk(node: Mapping[str, Any], prefix: str) -> None:
        for key, value in node.items():
            if isinstance(value, Mapping):
                walk(value, f"{prefix}{key}.")
            elif isinstance(value, str):
                found[f"{prefix}{key}"] = value

    table = catalog(language).data.get("interface")
    if isinstance(table, Mapping):
        walk(table, "")
    return found


def say(text: object, language: str) -> str | None:
    """``text`` in ``language``, or None when it (or a part of it) has no text there."""
    if language == ENGLISH:
        return str(text)
    if not isinstance(text, Msg):
        return None
    template = texts(language).get(text.key)
    if template is None or placeholders(template) != set(text.values):
        return None
    values: dict[str, object] = {}
    for name, value in text.values.items():
        if isinstance(value, LanguageList):
            values[name] = ", ".join(
                language_name(code, language) if value.names_only
                else f"{code} ({language_name(code, language)})" for code in value.codes)
        elif isinstance(value, Msg):
            said = say(value, language)
            if said is None:
                return None
            values[name] = said
        else:
            values[name] = value
    return template.format(**values)


def said(text: object, language: str) -> str:
    """``text`` in ``language`` where it can be, else in English."""
    found = say(text, language)
    return found if found is not None else str(text)


def error_text(exc: RxprintError, language: str) -> str:
    """An error's message in ``language``: every line of it, or else all in English."""
    if language == ENGLISH:
        return str(exc)
    if isinstance(exc, ValidationError):
        if not isinstance(exc.summary, Msg):  # a summary in English only: all English
            return str(exc)
        n = len(exc.problems)
        head = say(Msg("problems.one" if n == 1 else "problems.other",
                       "{summary} ({n} problem):" if n == 1 else "{summary} ({n} problems):",
                       summary=exc.summary, n=n), language)
        lines = [say(p.message, language) for p in exc.problems]
        if head is None or any(line is None for line in lines):
            return str(exc)
        return "\n".join([head, *(f"  {_where(p.where(), line)}"
                                  for p, line in zip(exc.problems, lines, strict=True))])
    problem = getattr(exc, "problem", None)
    if problem is not None:
        line = say(problem.message, language)
        return _where(problem.where(), line) if line is not None else str(exc)
    return said(exc.message, language)


def _where(where: str, message: str | None) -> str:
    return f"{where}: {message}" if where else str(message)
