"""Layouts whose story is a list, but not a flat list of flowables: a nested list (the
pieces of first_page() not unpacked), the patient's name as a bare string, a None."""

from rxprint.api import hookimpl
from rxprint.layout import Layout


class Nested(Layout):
    def story(self, request, builder):
        return [builder.first_page(), *builder.closing()]


class Text(Layout):
    def story(self, request, builder):
        return [*builder.closing(), request.program.patient_name]


class Nothing(Layout):
    def story(self, request, builder):
        return [*builder.closing(), None]


@hookimpl
def register_layouts(register):
    register("nested", Nested(), description="a list in the list")
    register("text", Text(), description="a string in the list")
    register("nothing", Nothing(), description="None in the list")
