"""The exceptions that stop a command with one line, each carrying its exit status; the CLI maps them to
the status in one place. Kept light: the CLI imports it before any command runs."""


class Refusal(Exception):
    """The command stops; the message says why, in one line, and *exit_status* what kind of problem it is."""

    exit_status = 2


class UsageError(Refusal):
    """The command cannot run as asked (nothing was written): exit status 2."""

    exit_status = 2


class InputError(Refusal):
    """The input cannot be used and nothing could be made of it: exit status 1 (problems in the input)."""

    exit_status = 1
