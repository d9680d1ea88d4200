"""A plugin whose adjust_program hook ends its process for the canary patient (as a crash
in a C extension or the out-of-memory killer would): only that row may fail."""

import os

from rxprint.api import hookimpl


@hookimpl
def adjust_program(program, context):
    if program.patient_name == "Quilla Zarnowski-Vex":
        os._exit(7)
    return program
