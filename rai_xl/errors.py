"""The one exception the command line turns into exit status 2 (a usage problem). Kept light: the CLI
imports it before any command runs."""


class UsageError(Exception):
    """The command cannot run as asked (nothing was written); the message says why, in one line."""
