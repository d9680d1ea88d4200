"""A plugin that fails while being imported."""

raise RuntimeError("import failed for patient Quilla Zarnowski-Vex")
