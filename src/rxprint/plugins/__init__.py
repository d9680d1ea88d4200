"""Plugins: the hook specifications (``hookspecs``), the plugin manager and its error
attribution (``manager``) and rxprint's own library, layouts and branding, registered
as plugins like any other (``builtins``)."""
