"""Errors the program reports to a person in one line.

Everything a user can cause (a wrong option, a bad file, an unreachable
database) raises one of these; the CLI prints the message and exits with the
code below. Anything else is a bug and keeps its traceback.

An error carries a stable ``code`` with the values its wording names as
``params`` (``QueueError(code="claim.not_held", item_id=5)``): a front end
says it in its user's language (``ohjaus_tui.words.describe``). Its message,
``str(error)``, is the English wording (for logs and tests); an error without
a code carries its message alone, in English.
"""

from __future__ import annotations

from ohjaus_tui.domain.privacy import contains_henkilotunnus, mask_henkilotunnus


class OhjausError(Exception):
    """A failure the user can act on. Exit code 1.

    A message often quotes what the user gave (an unknown channel, a date
    that is not one); any identity code in it, or in a value it names, is
    masked here, so that no error output ever prints one.
    """

    exit_code = 1

    def __init__(
        self, message: str | None = None, /, *, code: str | None = None, **params: object
    ) -> None:
        self.code = code
        """What failed, for a front end that words it itself; None when only the message says."""
        self.params = {name: _masked(value) for name, value in params.items()}
        """The values the message names (an item's id, a person's name, a channel's code)."""
        if message is None:
            if code is None:
                raise TypeError("an error needs its message or its code")
            from ohjaus_tui.words.errors import in_english

            message = in_english(self)
        super().__init__(mask_henkilotunnus(message))


def _masked(value: object) -> object:
    """``value`` without an identity code; a text that has none stays itself (a domain
    ``Reason`` keeps its code, for a front end to word)."""
    if not isinstance(value, str):
        return value
    masked = mask_henkilotunnus(value)
    return value if masked == value else masked


class BadInput(OhjausError):
    """Bad usage or input (an option, a file's content). Exit code 2."""

    exit_code = 2


class DatabaseUnavailable(OhjausError):
    """The database cannot be opened, reached or used by this program."""


class StorageFault(DatabaseUnavailable):
    """The database could not do what was asked: busy past the wait, read-only, full,
    or failing. Nothing of the step was stored; the message says which, in one line."""

    def __init__(
        self, kind: str, what: str, *, stored: str = "nothing was changed", **params: object
    ) -> None:
        super().__init__(f"{what}; {stored}", code=f"storage.{kind}", **params)
        self.kind = kind
        """busy, readonly, full, failing, unopenable, damaged, gone; or missing: a row
        the step refers to was removed meanwhile"""
        self.what = what
        """What failed, without what was (or was not) stored."""


class QueueError(OhjausError):
    """A queue action that cannot be done in the item's or operator's state."""


class NotAllowed(OhjausError):
    """The signed-in operator's role does not allow this."""


def refuse_identity_code(value: str | None, *, code: str, **params: object) -> None:
    """BadInput by ``code`` (naming the field, never the identity code) when ``value``
    holds an identity code.

    Every text that comes from outside and is stored or printed passes this
    (or is masked, where the text must be kept: a resident's message).
    """
    if value and contains_henkilotunnus(value):
        raise BadInput(None, code=code, **params)
