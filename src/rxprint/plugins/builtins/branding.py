"""The neutral default branding ("Home Exercise Program", no logo)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rxprint.library.branding import DEFAULT_BRANDING
from rxprint.plugins.hookspecs import hookimpl

if TYPE_CHECKING:
    from rxprint.plugins.registry import BrandingRegister


@hookimpl
def register_branding(register: BrandingRegister) -> None:
    register("default", DEFAULT_BRANDING)
