"""Layouts that raise in styles, in page_templates, or in a helper their story calls,
quoting the patient (it must not leak): the error names the method."""

from rxprint.api import hookimpl
from rxprint.layout import Layout


class BrokenStyles(Layout):
    def styles(self, request):
        raise KeyError(f"no style for {request.program.patient_name}")

    def story(self, request, builder):
        return builder.closing()


class BrokenTemplates(Layout):
    def story(self, request, builder):
        return builder.closing()

    def page_templates(self, request, decorate):
        raise ValueError(f"no page for {request.program.patient_name}")


class BrokenHelper(Layout):
    def story(self, request, builder):
        return self._cards(request)

    def _cards(self, request):
        raise LookupError(f"no card for {request.program.patient_name}")


class WrongTemplates(Layout):
    def story(self, request, builder):
        return builder.closing()

    def page_templates(self, request, decorate):
        return [request.page.frame()]


@hookimpl
def register_layouts(register):
    register("broken-styles", BrokenStyles(), description="raises in styles")
    register("broken-templates", BrokenTemplates(), description="raises in page_templates")
    register("broken-helper", BrokenHelper(), description="raises in a helper of story")
    register("wrong-templates", WrongTemplates(), description="frames, not templates")
