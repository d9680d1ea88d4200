"""A layout whose story is not a list of flowables."""

from rxprint.api import hookimpl
from rxprint.layout import Layout


class Wrong(Layout):
    def story(self, request, builder):
        return 42


@hookimpl
def register_layouts(register):
    register("wrong", Wrong(), description="returns 42")
