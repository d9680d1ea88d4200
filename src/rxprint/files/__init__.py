"""Files in and out: TOML read with line positions and size limits (``tomlfile``), field
checks with did-you-mean suggestions (``fields``), text cleaned of control characters and
escaped for ReportLab (``textsafety``), images decoded safely with Pillow (``images``) and
output written atomically, never over an input or through a link (``output``)."""
