"""Phone numbers: read what a caller, a platform or a directory file gives, show it for dialling.

Two kinds of number are kept, and the phonenumbers library's metadata says
which is which (no rules of our own):

* a **callback number** must reach a person: a mobile or fixed-line number,
  stored as E.164 (:func:`parse_callback_number`);
* a **service number** of the directory may also be a national service
  number (Kela's 020 692 ..., a state agency's 0295 ...) or a Finnish short
  number (112, 116 117), which has no E.164 form and is kept as its digits
  (:func:`parse_service_phone`).
"""

from __future__ import annotations

import re

import phonenumbers
from phonenumbers import (
    NumberParseException,
    PhoneNumber,
    PhoneNumberFormat,
    PhoneNumberType,
    shortnumberinfo,
)

from ohjaus_tui.domain.privacy import mask_henkilotunnus
from ohjaus_tui.domain.reasons import Reason, reason

FINLAND = 358
HOME_REGION = "FI"
PERSONAL_TYPES = frozenset(
    {
        PhoneNumberType.MOBILE,
        PhoneNumberType.FIXED_LINE,
        PhoneNumberType.FIXED_LINE_OR_MOBILE,
    }
)
"""The numbers a callback can reach a resident at."""
_CALLBACK = ": a callback needs a mobile or fixed-line number"
_KINDS = {
    PhoneNumberType.UAN: ("phone.service_number", "{number} is a service number" + _CALLBACK),
    PhoneNumberType.TOLL_FREE: (
        "phone.free_number",
        "{number} is a free service number" + _CALLBACK,
    ),
    PhoneNumberType.PREMIUM_RATE: (
        "phone.premium_number",
        "{number} is a premium-rate number" + _CALLBACK,
    ),
    PhoneNumberType.SHARED_COST: (
        "phone.shared_cost_number",
        "{number} is a shared-cost number" + _CALLBACK,
    ),
    PhoneNumberType.VOIP: (
        "phone.voip_number",
        "{number} is an internet telephony number" + _CALLBACK,
    ),
    PhoneNumberType.PERSONAL_NUMBER: (
        "phone.forwarding_number",
        "{number} is a forwarding (personal) number" + _CALLBACK,
    ),
    PhoneNumberType.PAGER: ("phone.pager_number", "{number} is a pager number" + _CALLBACK),
    PhoneNumberType.VOICEMAIL: (
        "phone.voicemail_number",
        "{number} is a voicemail number" + _CALLBACK,
    ),
}
"""A number that reaches no resident: its reason's code and English wording."""
_NOT_PERSONAL = ("phone.not_personal", "{number} is not a personal number" + _CALLBACK)
_ALLOWED = re.compile(r"[0-9+\-()./\s]+")
"""Digits and the usual separators; letters (vanity numbers, 'tel.') are refused."""
_SHOWN = 40


class InvalidPhoneNumber(ValueError):
    """The text is not a phone number that can be called back: why, as ``reason``
    (its code and values; in English, the error's message)."""

    def __init__(self, code: str, english: str, /, **params: object) -> None:
        self.reason: Reason = reason(code, english, **params)
        super().__init__(str(self.reason))


def parse_phone(raw: str, default_region: str = HOME_REGION) -> str:
    """Any valid number, in E.164 (``+358401234567``); national forms are in ``default_region``."""
    text, number = _read(raw, default_region)
    if not phonenumbers.is_valid_number(number):
        raise InvalidPhoneNumber(
            "phone.invalid", "{number} is not a valid phone number", number=_shown(text)
        )
    return phonenumbers.format_number(number, PhoneNumberFormat.E164)


def parse_callback_number(raw: str, default_region: str = HOME_REGION) -> str:
    """A number to call a resident back at, in E.164: a mobile or fixed-line number.

    A service number (020 ..., 0295 ..., 0800 ...), a premium-rate number or
    a short number (112) is refused: a callback there reaches no one, or costs.
    """
    e164 = parse_phone(raw, default_region)
    number = phonenumbers.parse(e164, None)
    kind = phonenumbers.number_type(number)
    if kind not in PERSONAL_TYPES:
        code, english = _KINDS.get(kind, _NOT_PERSONAL)
        raise InvalidPhoneNumber(code, english, number=_shown(raw.strip()))
    return e164


def parse_service_phone(raw: str) -> str:
    """A service's number for the directory: E.164, or a Finnish short number as its digits.

    Any valid number is a service number (``020 692 202`` -> ``+35820692202``);
    a short number valid in Finland (``116 117``, ``112``) is dialled as such
    and kept as ``116117``, also when written with the country code.
    """
    text, number = _read(raw, HOME_REGION)
    if phonenumbers.is_valid_number(number):
        return phonenumbers.format_number(number, PhoneNumberFormat.E164)
    if is_short_number(number):
        return str(number.national_number)
    raise InvalidPhoneNumber(
        "phone.invalid", "{number} is not a valid phone number", number=_shown(text)
    )


def is_short_number(number: PhoneNumber) -> bool:
    """A short number (112, 116 117) that is valid in Finland."""
    return number.country_code == FINLAND and shortnumberinfo.is_valid_short_number_for_region(
        number, HOME_REGION
    )


def format_service_phone(stored: str) -> str:
    """A directory number as it is dialled: ``116 117``, ``112``, ``020 692 202``."""
    if stored.startswith("+"):
        return format_for_dialling(stored)
    if not stored.isdigit():
        raise InvalidPhoneNumber(
            "phone.stored_not_short",
            "{number} is neither E.164 nor a short number",
            number=_shown(stored),
        )
    return " ".join(_groups(stored))


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
        raise InvalidPhoneNumber(
            "phone.stored_not_e164",
            "{number} is not a phone number in E.164 form",
            number=_shown(e164),
        ) from None
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


def _read(raw: str, region: str) -> tuple[str, PhoneNumber]:
    """The stripped text and the number phonenumbers reads in it (not checked for validity)."""
    text = raw.strip()
    if not text:
        raise InvalidPhoneNumber("phone.empty", "the phone number is empty")
    if _ALLOWED.fullmatch(text) is None:
        raise InvalidPhoneNumber(
            "phone.bad_characters",
            "{number} is not a valid phone number (use digits, spaces, +, - and brackets)",
            number=_shown(text),
        )
    try:
        return text, phonenumbers.parse(text, region)
    except NumberParseException:
        raise InvalidPhoneNumber(
            "phone.invalid", "{number} is not a valid phone number", number=_shown(text)
        ) from None


def _shown(text: str) -> str:
    """The input as quoted in a message: shortened, and never with an identity code in it."""
    text = mask_henkilotunnus(text)
    return repr(text if len(text) <= _SHOWN else text[: _SHOWN - 1] + "…")
