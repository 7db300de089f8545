"""Errors the program reports to a person in one line.

Everything a user can cause (a wrong option, a bad file, an unreachable
database) raises one of these; the CLI prints the message and exits with the
code below. Anything else is a bug and keeps its traceback.

The message is English. An error a workstation user can meet carries a
stable ``code`` too, with the values its wording names as ``params``
(``QueueError("...", code="claim.not_held", item_id=5)``): the workstation
says it in the UI's language (``tui/error_texts.py``).
"""

from __future__ import annotations


class OhjausError(Exception):
    """A failure the user can act on. Exit code 1."""

    exit_code = 1

    def __init__(self, message: str, *, code: str | None = None, **params: object) -> None:
        super().__init__(message)
        self.code = code
        """What failed, for a front end that words it itself; None when only the message says."""
        self.params = params
        """The values the message names (an item's id, a person's name, a channel's code)."""


class BadInput(OhjausError):
    """Bad usage or input (an option, a file's content). Exit code 2."""

    exit_code = 2


class DatabaseUnavailable(OhjausError):
    """The database cannot be opened, reached or used by this program."""


class NotAllowed(OhjausError):
    """The signed-in operator's role does not allow this."""
