"""Callback numbers: read what a caller or a platform gives, store E.164, show it for dialling."""

from __future__ import annotations

import re

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberFormat

from ohjaus_tui.domain.privacy import mask_henkilotunnus

FINLAND = 358
_ALLOWED = re.compile(r"[0-9+\-()./\s]+")
"""Digits and the usual separators; letters (vanity numbers, 'tel.') are refused."""
_SHOWN = 40


class InvalidPhoneNumber(ValueError):
    """The text is not a phone number that can be called back."""


def parse_phone(raw: str, default_region: str = "FI") -> str:
    """The number in E.164 (``+358401234567``); national forms are read as ``default_region``."""
    text = raw.strip()
    if not text:
        raise InvalidPhoneNumber("the phone number is empty")
    if _ALLOWED.fullmatch(text) is None:
        raise InvalidPhoneNumber(
            f"{_shown(text)} is not a valid phone number (use digits, spaces, +, - and brackets)"
        )
    try:
        number = phonenumbers.parse(text, default_region)
    except NumberParseException:
        raise InvalidPhoneNumber(f"{_shown(text)} is not a valid phone number") from None
    if not phonenumbers.is_valid_number(number):
        raise InvalidPhoneNumber(f"{_shown(text)} is not a valid phone number")
    return phonenumbers.format_number(number, PhoneNumberFormat.E164)


def format_for_dialling(e164: str) -> str:
    """The number as a caller in Finland dials it.

    Finnish numbers in national form, the area or operator code as its own group
    and the rest in groups of three or four (``040 123 4567``, ``06 828 7000``),
    as the Institute for the Languages of Finland recommends; others in
    international form (``+46 8 123 456 78``).
    """
    try:
        number = phonenumbers.parse(e164, None)
    except NumberParseException:
        raise InvalidPhoneNumber(f"{_shown(e164)} is not a phone number in E.164 form") from None
    if number.country_code != FINLAND:
        return phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL)
    national = phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL)
    prefix, _, rest = national.partition(" ")
    digits = re.sub(r"\D", "", rest)
    return " ".join([prefix, *_groups(digits)]) if digits else national


def _groups(digits: str) -> list[str]:
    """``1234567`` -> ``123 4567``; ``12345678`` -> ``1234 5678``; up to four stay whole."""
    if len(digits) <= 4:
        return [digits]
    if len(digits) == 8:
        return [digits[:4], digits[4:]]
    return [digits[:3], *_groups(digits[3:])]


def _shown(text: str) -> str:
    """The input as quoted in a message: shortened, and never with an identity code in it."""
    text = mask_henkilotunnus(text)
    return repr(text if len(text) <= _SHOWN else text[: _SHOWN - 1] + "…")
