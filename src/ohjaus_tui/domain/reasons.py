"""Why a value, a cell or a line of a file is refused, said for any language.

The domain words nothing in a person's language. A :class:`Reason` is the
English text of what is wrong (for logs, for tests, and where no front end words
it), and carries a stable ``code`` (the message id of its wording in the
catalogues, such as ``contacts.field.required``) with the values its wording
names (``params``), for a front end to say it in its user's language. The
English template a reason is made with is the English catalogue's wording of its
code, letter for letter (a ``{value!r}`` in it quotes a value as Python would).

A reason is a ``str``: whatever took the English text before takes it still.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

NO_PARAMS: Mapping[str, object] = MappingProxyType({})
"""The values of a reason that names none."""


class Reason(str):
    """What is wrong, in English; by ``code`` and ``params`` for a front end to word."""

    code: str
    params: Mapping[str, object]

    def __new__(cls, code: str, message: str, params: Mapping[str, object] = NO_PARAMS) -> Reason:
        self = super().__new__(cls, message)
        self.code = code
        self.params = params
        return self

    def __reduce__(self) -> tuple[object, ...]:
        return (Reason, (self.code, str(self), dict(self.params)))


def reason(code: str, english: str, /, **params: object) -> Reason:
    """A reason by ``code``; ``english`` is its English wording, filled in with ``params``."""
    return Reason(code, english.format(**params), MappingProxyType(dict(params)))
