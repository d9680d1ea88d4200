"""Drawing handouts with ReportLab platypus.

:func:`rxprint.render.handout.render_handout` is the entry point: a pure function from a
resolved program (plus branding, paper and catalog) to PDF bytes.
"""
