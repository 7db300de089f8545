"""The henkilötunnus guard: the contact log is not a patient record.

A Finnish personal identity code is DDMMYY, a century sign, a three-digit
individual number and a check character, e.g. ``131052-308T``. The 2023
reform added the signs Y, X, W, V, U (1900s) and B, C, D, E, F (2000s).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

DEFAULT_MASK = "[hetu poistettu]"

_CHECK_CHARACTERS = "0123456789ABCDEFHJKLMNPRSTUVWXY"
_CENTURIES = {"+": 1800, **dict.fromkeys("-YXWVU", 1900), **dict.fromkeys("ABCDEF", 2000)}
_CODE = r"[0-9]{6}[-+A-FU-Ya-fu-y][0-9]{3}[0-9A-FHJ-NPR-Ya-fhj-npr-y]"
_CODE_RE = re.compile(_CODE)
_IN_TEXT_RE = re.compile(rf"(?<![^\W_]){_CODE}(?![^\W_])")
"""A code not inside a longer run of letters and digits."""


@dataclass(frozen=True)
class HetuMatch:
    """Where a valid identity code sits in a text: ``text[start:end]``."""

    start: int
    end: int


class HenkilotunnusFound(ValueError):
    """A text meant for the log holds a personal identity code."""

    def __init__(self, field: str) -> None:
        super().__init__(
            f"{field} contains a personal identity code (henkilötunnus); "
            "this log is not a patient record - remove it"
        )
        self.field = field


def is_valid_henkilotunnus(s: str) -> bool:
    """A real date, an individual number 002-999 and the right check character."""
    if _CODE_RE.fullmatch(s) is None:
        return False
    code = s.upper()
    day, month, year = int(code[0:2]), int(code[2:4]), int(code[4:6])
    try:
        date(_CENTURIES[code[6]] + year, month, day)
    except ValueError:
        return False
    individual = int(code[7:10])
    return individual >= 2 and code[10] == _CHECK_CHARACTERS[int(code[:6] + code[7:10]) % 31]


def find_henkilotunnus(text: str) -> list[HetuMatch]:
    """Every valid identity code in ``text``, in order."""
    return [
        HetuMatch(match.start(), match.end())
        for match in _IN_TEXT_RE.finditer(text)
        if is_valid_henkilotunnus(match.group())
    ]


def contains_henkilotunnus(text: str) -> bool:
    return bool(find_henkilotunnus(text))


def mask_henkilotunnus(text: str, mask: str = DEFAULT_MASK) -> str:
    """``text`` with every identity code replaced by ``mask``."""
    parts: list[str] = []
    position = 0
    for found in find_henkilotunnus(text):
        parts += [text[position : found.start], mask]
        position = found.end
    parts.append(text[position:])
    return "".join(parts)


def refuse_henkilotunnus(text: str, *, field: str) -> None:
    """Raise :class:`HenkilotunnusFound` (naming ``field``, never the code) if ``text`` has one."""
    if contains_henkilotunnus(text):
        raise HenkilotunnusFound(field)
