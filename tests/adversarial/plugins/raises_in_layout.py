"""A layout whose story raises, quoting the patient (it must not leak)."""

from rxprint.api import hookimpl
from rxprint.layout import Layout


class Broken(Layout):
    def story(self, request, builder):
        raise KeyError(f"no room for {request.program.patient_name}")


@hookimpl
def register_layouts(register):
    register("broken", Broken(), description="raises")
