"""The desk's canned answers (text modules): their keys, placeholders and search.

An operator inserts an answer into a chat or message reply (``::`` in the
reply box); its placeholders are filled as it is inserted: ``{next_opening}``
(when the item's channel next opens), ``{operator}`` (who answers) and
``{today}``. A placeholder is a name between braces; any other brace is
text. What the values say, in the answer's language, a front end words:
here they are only put in their places.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from ohjaus_tui.domain.calendar import DeskCalendar
from ohjaus_tui.domain.codes import Channel
from ohjaus_tui.domain.directory_search import fold, words_of

LANGUAGES = ("fi", "sv", "en")
"""The languages an answer is written in (the desk's languages with residents)."""
PLACEHOLDERS = ("next_opening", "operator", "today")
"""The placeholders an answer may hold, each filled as it is inserted."""
KEY_LENGTH = 40
TEXT_LENGTH = 2000
"""The longest answer: a reply is one line of a chat, not a letter."""

_KEY = re.compile(r"[a-z0-9åäö][a-z0-9åäö_-]*")
_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


@dataclass(frozen=True)
class CannedAnswer:
    """An answer of the desk: its short name, language and text."""

    key: str
    language: str
    text: str
    updated_at: datetime | None = None


def normal_key(raw: str) -> str | None:
    """``raw`` as a key is stored (lower case, trimmed); None when it is not one: letters
    a-z, å, ä, ö, digits, ``-`` and ``_``, a letter or digit first, at most
    :data:`KEY_LENGTH` characters."""
    key = raw.strip().lower()
    if len(key) > KEY_LENGTH or not _KEY.fullmatch(key):
        return None
    return key


def one_line(text: str) -> str:
    """``text`` as a reply box holds it: one line, each run of spaces and line breaks one
    space, nothing around it."""
    return " ".join(text.split())


def placeholders_in(text: str) -> list[str]:
    """The placeholders named in ``text``, each once, in the order they first appear."""
    return list(dict.fromkeys(_PLACEHOLDER.findall(text)))


def unknown_placeholders(text: str) -> list[str]:
    """The placeholders of ``text`` that are not :data:`PLACEHOLDERS`."""
    return [name for name in placeholders_in(text) if name not in PLACEHOLDERS]


def fill(text: str, values: Mapping[str, str]) -> str:
    """``text`` with each placeholder that ``values`` has replaced by its value; any
    other stays as written (a brace that names nothing is text)."""
    return _PLACEHOLDER.sub(lambda match: values.get(match.group(1), match.group(0)), text)


def opening_after(calendar: DeskCalendar, channel: Channel, at: datetime) -> datetime:
    """When ``channel`` next opens after ``at``: while it is open, the opening after this
    one closes (an answer that says when the desk serves again means the next time)."""
    closing = calendar.closing_time(channel, at)
    return calendar.next_opening(channel, closing if closing is not None else at)


def answer_language(item_language: str | None, desk_language: str) -> str:
    """The language to answer in: the item's where answers are written in it, else the
    desk's, else Finnish."""
    for language in (item_language, desk_language):
        if language in LANGUAGES:
            return language
    return LANGUAGES[0]


def search(answers: Iterable[CannedAnswer], query: str, language: str) -> list[CannedAnswer]:
    """The answers in ``language`` that hold every word of ``query`` in their key or text,
    the best first: a key that starts with the query, then a key that holds it, then the
    rest; by key within each. Case and accents do not matter (``aukio`` finds
    ``Aukioloajat``)."""
    words = words_of(query)
    phrase = " ".join(words)
    ranked: list[tuple[int, str, CannedAnswer]] = []
    for answer in answers:
        if answer.language != language:
            continue
        key = fold(answer.key)
        haystack = f"{key} {' '.join(words_of(answer.text))}"
        if not all(word in haystack for word in words):
            continue
        rank = 0 if key.startswith(phrase) else 1 if phrase in key else 2
        ranked.append((rank, answer.key, answer))
    ranked.sort(key=lambda entry: entry[:2])
    return [answer for _, _, answer in ranked]
