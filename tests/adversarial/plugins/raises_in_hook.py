"""A plugin whose adjust_program hook raises, quoting the patient (it must not leak)."""

from rxprint.api import hookimpl


@hookimpl
def adjust_program(program, context):
    raise ValueError(f"cannot handle {program.patient_name}: {program.notes}")
