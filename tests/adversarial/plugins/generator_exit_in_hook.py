"""A plugin whose adjust_program hook raises GeneratorExit quoting the patient: it must be
the plugin's error (no traceback, no name), in build and in every batch worker."""

from rxprint.api import hookimpl


@hookimpl
def adjust_program(program, context):
    if program.patient_name == "Quilla Zarnowski-Vex":
        raise GeneratorExit(f"{program.patient_name}: {program.notes}")
    return program
