"""A plugin that logs the patient's name and notes at WARNING: the records must not reach
stderr without --debug."""

import logging

from rxprint.api import hookimpl


@hookimpl
def adjust_program(program, context):
    logging.getLogger("clinic.audit").warning("made for %s (%s)", program.patient_name,
                                              program.notes)
    return program
