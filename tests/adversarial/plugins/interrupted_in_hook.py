"""A plugin whose adjust_program hook raises rxprint's own Interrupted (as if Ctrl-C had
been pressed): not a real Ctrl-C, so it is the plugin's error."""

from rxprint.api import hookimpl
from rxprint.runtime.interrupt import Interrupted


@hookimpl
def adjust_program(program, context):
    if program.patient_name == "Quilla Zarnowski-Vex":
        raise Interrupted()
    return program
