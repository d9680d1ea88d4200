"""adjust_program returns a string instead of a Program."""

from rxprint.api import hookimpl


@hookimpl
def adjust_program(program, context):
    return f"{program.patient_name}"
