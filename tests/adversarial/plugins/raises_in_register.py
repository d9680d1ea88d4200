"""A plugin whose register_branding hook raises: a register hook sees no patient data, so
the message is shown (adjust_program's never is)."""

from rxprint.api import hookimpl


@hookimpl
def register_branding(register):
    raise FileNotFoundError("no logo file in the assets folder")
