"""The neutral default branding ("Home Exercise Program", no logo)."""

from __future__ import annotations

from rxprint.library.branding import DEFAULT_BRANDING
from rxprint.plugins.hookspecs import hookimpl
from rxprint.plugins.manager import BrandingRegister


@hookimpl
def register_branding(register: BrandingRegister) -> None:
    register("default", DEFAULT_BRANDING)
