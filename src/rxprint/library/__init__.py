"""What a handout is made of: the model (``model``, ``dosage``, ``branding``, ``paper``),
the schema of library files (``schema``; drawings in ``pictures``), loading the library
(``loader``), resolving programs (``programs``), checking objects plugins register
(``registered``) and checking files for ``rxprint validate`` (``validation``)."""
