"""The neutral default branding ("Home Exercise Program", no logo)."""

from __future__ import annotations

from ..branding import DEFAULT_BRANDING
from ..hookspecs import hookimpl
from ..plugins import BrandingRegister


@hookimpl
def register_branding(register: BrandingRegister) -> None:
    register("default", DEFAULT_BRANDING)
