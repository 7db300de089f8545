"""The henkilötunnus guard: the contact log is not a patient record.

A Finnish personal identity code is DDMMYY, a century sign, a three-digit
individual number and a check character, e.g. ``131052-308T``. The 2023
reform added the signs Y, X, W, V, U (1900s) and B, C, D, E, F (2000s).

A code is looked for in the text as a reader would see it, not as it is
encoded: every character is first folded to its compatibility form (NFKC:
full-width digits are digits), every dash to ``-`` (a hyphen, an en dash, a
minus sign), and spaces and invisible characters (a no-break space, a
zero-width space, a soft hyphen) are passed over. A code is found wherever
it stands, glued to letters or digits too (``HETU131052-308T``). What keeps
ordinary text from matching is the code itself: a real date, a century sign
and a check character that is right for one number in 31.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

DEFAULT_MASK = "[hetu poistettu]"
IDENTITY_CODE = "contains a personal identity code (henkilötunnus): remove it"
"""What a refusal says of a field (after its name), never quoting the code."""

_CHECK_CHARACTERS = "0123456789ABCDEFHJKLMNPRSTUVWXY"
_CENTURIES = {"+": 1800, **dict.fromkeys("-YXWVU", 1900), **dict.fromkeys("ABCDEF", 2000)}
_CODE = r"[0-9]{6}[-+A-FU-Ya-fu-y][0-9]{3}[0-9A-FHJ-NPR-Ya-fhj-npr-y]"
_CODE_RE = re.compile(_CODE)
_ANYWHERE_RE = re.compile(rf"(?=({_CODE}))")
"""A code starting at each position (overlapping ones too: ``1131052-308T``)."""
_DIGITS_IN_A_CODE = 9
"""Six of the date and three of the individual number (the check may be a letter)."""
_MANY_DIGITS_RE = re.compile(
    "[\u00bc-\u00be\u2150-\u215e\u2189\u2469-\u2473\u247d-\u2487\u2491-\u249b\u3200-\u33ff]"
)
"""Characters whose NFKC form holds two or three digits (``¼`` "1⁄4", ``⑳`` "20",
``㏾`` "31日"), or digits without being numeric itself (all of Unicode, see the tests)."""
_SPACED_PHONE_RE = re.compile(r"0[0-9]{1,2}\s[0-9]{3,4}-[0-9]{4}")
_DASHES = frozenset("\u2212\u2796\u02d7")
"""Minus signs that are no dash punctuation (Unicode category Pd is folded too)."""


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


@lru_cache(maxsize=4096)
def _folded(char: str) -> str:
    """What ``char`` reads as in a code: its NFKC form, dashes as ``-``; nothing for
    spaces and invisible (format) characters."""
    if char.isspace() or unicodedata.category(char) == "Cf":
        return ""
    folded = unicodedata.normalize("NFKC", char)
    return "".join(
        "-" if c in _DASHES or unicodedata.category(c) == "Pd" else c
        for c in folded
        if not (c.isspace() or unicodedata.category(c) == "Cf")
    )


def _reading(text: str) -> tuple[str, list[int]]:
    """``text`` folded for looking (see the module's text), and for each character
    of it the position in ``text`` it came from."""
    chars: list[str] = []
    origin: list[int] = []
    for position, char in enumerate(text):
        if char.isascii() and not char.isspace():
            chars.append(char)
            origin.append(position)
            continue
        for folded in _folded(char):
            chars.append(folded)
            origin.append(position)
    return "".join(chars), origin


def _digits_at_most(text: str) -> int:
    """No fewer than the digits ``text`` reads as: one for each numeric character of
    any script, three for each that reads as several."""
    return sum(map(str.isnumeric, text)) + 3 * len(_MANY_DIGITS_RE.findall(text))


# A code written with spaces inside is found; but spaces also separate the numbers
# of ordinary text, and read without them two numbers can make a code. Such a
# span is passed over when it is a phone number, or when it runs on into more
# letters or digits (numbers and words that only start or end where a code would).


def _spaced(text: str, start: int, end: int) -> bool:
    return any(c.isspace() for c in text[start:end])


def _glued(text: str, start: int, end: int) -> bool:
    return (start > 0 and text[start - 1].isalnum()) or (end < len(text) and text[end].isalnum())


def _spaced_phone_number(written: str) -> bool:
    """Written as a Finnish phone number is: an area or mobile prefix, a space, and
    the number with a dash in it (``050 183-3347``, ``09 1234-5678``)."""
    return _SPACED_PHONE_RE.fullmatch(written) is not None


def find_henkilotunnus(text: str) -> list[HetuMatch]:
    """Every valid identity code in ``text``, in order, however it is written.

    Each match spans the code in ``text`` as written (with the spaces or
    invisible characters inside it); codes that overlap make one match.
    """
    if _digits_at_most(text) < _DIGITS_IN_A_CODE:
        return []  # most texts: too few digits, in any script, to hold a code
    reading, origin = _reading(text)
    found: list[HetuMatch] = []
    for match in _ANYWHERE_RE.finditer(reading):
        if not is_valid_henkilotunnus(match.group(1)):
            continue
        start, end = origin[match.start(1)], origin[match.end(1) - 1] + 1
        if _spaced(text, start, end) and (
            _spaced_phone_number(text[start:end]) or _glued(text, start, end)
        ):
            continue
        if found and start < found[-1].end:
            found[-1] = HetuMatch(found[-1].start, max(end, found[-1].end))
        else:
            found.append(HetuMatch(start, end))
    return found


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
