"""Searching the service directory: folded words, and a rank by where they are found.

The search folds case and accents ("Aikuissosiaalityö" and "aikuissosiaalityo"
are the same word) and ranks a service by where the query's words are found.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from ohjaus_tui.domain.directory import ServiceRecord

_WORD = re.compile(r"\w+")
_COMBINING_MARKS = re.compile(
    "[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]+"
)
"""The combining diacritical marks that NFKD splits off letters ("ä" = "a" + U+0308)."""


def fold(text: str) -> str:
    """Lower case without accents: "Hemvård" -> "hemvard", "Työ" -> "tyo"."""
    if text.isascii():
        return text.lower()
    return _COMBINING_MARKS.sub("", unicodedata.normalize("NFKD", text.casefold()))


def words_of(text: str) -> list[str]:
    """The folded words of ``text``; punctuation separates words."""
    return _WORD.findall(fold(text))


def search_text(record: ServiceRecord) -> str:
    """The folded words a search looks in: names (fi, sv, en), keywords, municipality, code."""
    names = [record.name_fi, record.name_sv or "", record.name_en or ""]
    parts = [*names, *record.keywords, record.municipality or ""]
    parts.append(record.code)
    return " ".join(words_of(" ".join(parts)))


@dataclass(frozen=True, slots=True)
class SearchKey:
    """A service's folded text, prepared once so that ranking is a few ``in`` tests.

    ``names`` holds the folded names, punctuation collapsed to one space, each
    between newlines: ``"\n" + phrase`` in it means a name starts with the
    phrase. ``name_words`` and ``words`` start with a space, so that
    ``" " + word`` in them means some word starts with ``word``.
    """

    names: str
    name_words: str
    words: str

    @classmethod
    def of(
        cls, name_fi: str, name_sv: str | None, haystack: str, name_en: str | None = None
    ) -> SearchKey:
        """``haystack`` is what :func:`search_text` made of the service."""
        names = [" ".join(words_of(name)) for name in (name_fi, name_sv, name_en) if name]
        return cls(
            names="\n" + "\n".join(names) + "\n",
            name_words=" " + " ".join(names),
            words=" " + haystack,
        )


@dataclass(frozen=True, slots=True)
class Query:
    """A search query, folded and split once for all the services it is ranked against."""

    words: tuple[str, ...]
    phrase: str
    """The words joined by single spaces, preceded by a newline (see SearchKey.names)."""
    spaced: tuple[str, ...]

    @classmethod
    def of(cls, text: str) -> Query:
        words = tuple(words_of(text))
        return cls(words, "\n" + " ".join(words), tuple(" " + word for word in words))

    def narrows(self, earlier: Query) -> bool:
        """True when every service this query matches is one ``earlier`` matched too.

        So it is when each earlier word is inside the word typed in its place
        ("kot" -> "koti", "koti" -> "koti kan"), as matching needs every word in
        the service's text.
        """
        return (
            bool(earlier.words)
            and len(self.words) >= len(earlier.words)
            and all(old in new for old, new in zip(earlier.words, self.words, strict=False))
        )


# Rank tiers, best first. A query word's tier is where it is found; the rank
# of a service is decided by its query's worst-placed word.
EXACT_NAME = 0
NAME_PREFIX = 1
NAME_WORD_PREFIX = 2
WORD_PREFIX = 3
IN_NAME = 4
ANYWHERE = 5
TIER_WEIGHT = 1000
"""rank // TIER_WEIGHT is the tier; the rest orders services within a tier."""


def rank(query: Query, key: SearchKey) -> int | None:
    """How well a service matches ``query``; lower is better, None for no match.

    Every word must be found. The tiers: the query is a name (0) or starts
    one (1); else its worst-placed word starts a word of a name (2), starts a
    keyword or another word (3), is inside a name (4: Finnish compounds, "koti"
    in "turvakoti"), or is anywhere (5). Within a tier, services where more
    words are better placed come first.
    """
    words = query.words
    if not words:
        return None
    haystack = key.words
    for word in words:
        if word not in haystack:
            return None
    names = key.names
    if query.phrase in names:
        return (EXACT_NAME if query.phrase + "\n" in names else NAME_PREFIX) * TIER_WEIGHT
    name_words = key.name_words
    worst = NAME_WORD_PREFIX
    total = 0
    for word, spaced in zip(words, query.spaced, strict=True):
        if spaced in name_words:
            tier = NAME_WORD_PREFIX
        elif spaced in haystack:
            tier = WORD_PREFIX
        elif word in name_words:
            tier = IN_NAME
        else:
            tier = ANYWHERE
        if tier > worst:
            worst = tier
        total += tier
    return worst * TIER_WEIGHT + (total if total < TIER_WEIGHT else TIER_WEIGHT - 1)
