"""A branding with a colour that is not #RRGGBB (a ReportLab colour expression)."""

from rxprint.api import Branding, hookimpl


@hookimpl
def register_branding(register):
    register("evil", Branding(clinic_name="Evil Clinic",
                              accent="[x for x in ()] or 'red'"))
