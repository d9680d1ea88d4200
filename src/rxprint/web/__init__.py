"""``rxprint serve``: the web page, on this machine only (the ``web`` extra: Flask,
waitress and pypdfium2).

- :mod:`rxprint.web.form`: the form's fields and the program file, one to the other;
- :mod:`rxprint.web.desk`: what the page does, over :class:`rxprint.app.App`;
- :mod:`rxprint.web.guard`: what every request must show (Host, key, Origin) and the
  headers of every answer;
- :mod:`rxprint.web.site`: the routes (Flask), templates and static files;
- :mod:`rxprint.web.server`: serving it (waitress) until Ctrl-C.
"""
