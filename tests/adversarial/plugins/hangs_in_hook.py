"""A plugin whose adjust_program hook never returns for the canary patient."""

import time

from rxprint.api import hookimpl


@hookimpl
def adjust_program(program, context):
    if program.patient_name == "Quilla Zarnowski-Vex":
        time.sleep(3600)
    return program
