"""Plugins: the hook specifications (``hookspecs``); loading plugins, calling hooks
through pluggy and attributing errors to plugins (``manager``); what plugins register,
checked (``registry``); and rxprint's own library and branding, registered as plugins like
any other (``builtins``; the built-in layouts are in :mod:`rxprint.render`)."""
