"""Errors the program reports to a person in one line.

Everything a user can cause (a wrong option, a bad file, an unreachable
database) raises one of these; the CLI prints the message and exits with the
code below. Anything else is a bug and keeps its traceback.
"""

from __future__ import annotations


class OhjausError(Exception):
    """A failure the user can act on. Exit code 1."""

    exit_code = 1


class BadInput(OhjausError):
    """Bad usage or input (an option, a file's content). Exit code 2."""

    exit_code = 2


class DatabaseUnavailable(OhjausError):
    """The database cannot be opened, reached or used by this program."""


class NotAllowed(OhjausError):
    """The signed-in operator's role does not allow this."""
