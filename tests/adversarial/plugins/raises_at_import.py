"""A plugin that fails while being imported: a module it needs is not installed. An import
sees no patient data, so the message (the missing module's name) is shown."""

import rxprint_clinic_logo_tools  # noqa: F401 (not installed anywhere)
