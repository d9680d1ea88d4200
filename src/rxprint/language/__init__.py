"""The words of the handout: the message catalog for each language (``messages``, data
in ``locales/``) and how dosages and dates are said."""
