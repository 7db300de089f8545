"""A language's words: texts by message id, their plural forms, numbers and dates.

``Texts(language)("key", name=...)`` is a text with its ``{name}`` filled in;
``texts.plural("key", count)`` the form a count takes, with ``{count}``
written as the language writes numbers. Numbers, shares and days are written
the way Babel (CLDR) writes them in Finland: ``fi_FI``, ``sv_FI``, ``en_FI``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache, cached_property
from typing import TYPE_CHECKING

from ohjaus_tui.words.catalogues import FALLBACK, Catalogue, Catalogues

if TYPE_CHECKING:
    from datetime import date
    from decimal import Decimal

CATALOGUES = Catalogues()
"""The catalogues that ship with the program."""
TERRITORY = "FI"
"""Where the desks are: numbers and dates are written as in Finland."""


def N_(key: str) -> str:
    """A message id named here and looked up later (``texts(KEYS[name])``).

    The mark is for ``pybabel extract`` (see ``babel.cfg``): it finds the ids
    in the calls ``texts("...")``, ``t("...")``, ``texts.plural("...", n)``
    and in these marks, and only there.
    """
    return key


@cache
def locale_of(language: str) -> str:
    """The Babel locale that writes ``language``'s numbers and dates: the
    language as used in Finland where CLDR knows it, else the language, else Finnish."""
    from babel import localedata

    for candidate in (f"{language}_{TERRITORY}", language):
        if localedata.exists(candidate):
            return candidate
    return f"{FALLBACK}_{TERRITORY}"


@dataclass(frozen=True)
class Texts:
    """The words of one language; a message it lacks is said in Finnish."""

    language: str = FALLBACK
    catalogues: Catalogues = field(default=CATALOGUES, repr=False)

    @cached_property
    def catalogue(self) -> Catalogue:
        """This language's messages, read at the first text."""
        return self.catalogues.load(self.language)

    @cached_property
    def fallback(self) -> Catalogue:
        """The Finnish messages, read at the first text this language lacks."""
        return self.catalogues.load(FALLBACK)

    @property
    def locale(self) -> str:
        return locale_of(self.language)

    def __call__(self, key: str, **values: object) -> str:
        """The text of ``key`` with ``values`` filled in (the message id if no catalogue has it)."""
        text = self.catalogue.text(key) or self.fallback.text(key) or key
        return text.format(**values) if values else text

    def plural(self, key: str, count: int, **values: object) -> str:
        """The form of ``key``'s text that ``count`` takes, its ``{count}`` written as a
        number of the language, and ``values`` filled in."""
        text = (
            self.catalogue.plural_text(key, count) or self.fallback.plural_text(key, count) or key
        )
        return text.format(count=self.number(count), **values)

    def number(self, value: int | float | Decimal) -> str:
        """``value`` as the language writes it (``1 234,5`` in Finnish)."""
        from babel.numbers import format_decimal

        return format_decimal(value, locale=self.locale)

    def percent(self, share: float | Decimal) -> str:
        """``share`` (0.25) as a percentage of the language (``25 %`` in Finnish)."""
        from babel.numbers import format_percent

        return format_percent(share, locale=self.locale)

    def day(self, when: date) -> str:
        """A day without its year: ``3.5.`` in Finnish."""
        from babel.dates import format_skeleton

        return format_skeleton("Md", when, locale=self.locale)

    def date(self, when: date) -> str:
        """A day with its year: ``14.12.2017`` in Finnish."""
        from babel.dates import format_skeleton

        return format_skeleton("yMd", when, locale=self.locale)
