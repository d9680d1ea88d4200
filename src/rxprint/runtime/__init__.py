"""How an rxprint process runs and ends: signals and interruption (``interrupt``), the
one-line messages a failure ends with (``failures``), and where log records go
(``logs``). Everything else may import these; they import only :mod:`rxprint.errors`."""
