"""rxprint's own features, provided as plugins through the public hooks: the library and
the default branding here; the layouts, rendering code, in
:mod:`rxprint.render.builtin_layouts_plugin`."""
