"""Ctrl-C as rxprint raises it. Its own module with no imports, so that the console
script's entry point can use it before anything heavy is imported."""


class Interrupted(BaseException):
    """Ctrl-C (SIGINT). A BaseException that is not KeyboardInterrupt, so that neither the
    error boundary's ``except Exception`` nor Click's own Ctrl-C handling ("Aborted!",
    exit 1) takes it on the way out to :func:`rxprint.cli.main`; a plugin's guard lets
    it through too."""
