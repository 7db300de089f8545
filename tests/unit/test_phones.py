from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ohjaus_tui.domain.phones import (
    InvalidPhoneNumber,
    format_for_dialling,
    format_service_phone,
    parse_callback_number,
    parse_phone,
    parse_service_phone,
)


@pytest.mark.parametrize(
    ("raw", "e164"),
    [
        ("040 123 4567", "+358401234567"),
        ("0401234567", "+358401234567"),
        ("040-123 4567", "+358401234567"),
        ("+358 40 123 4567", "+358401234567"),
        ("+358401234567", "+358401234567"),
        ("00358 40 123 4567", "+358401234567"),
        (" 050 123 4567 ", "+358501234567"),
        ("045 7123 4567", "+3584571234567"),
        ("(06) 828 7000", "+35868287000"),
        ("06 828 7000", "+35868287000"),
        ("09 123 4567", "+35891234567"),
        ("018 12345", "+3581812345"),
        ("020 123 4567", "+358201234567"),
        ("+46 8 123 456 78", "+46812345678"),
        ("+44 20 7946 0958", "+442079460958"),
        ("+1 (212) 555-0123", "+12125550123"),
    ],
)
def test_parse_phone_gives_e164(raw: str, e164: str) -> None:
    assert parse_phone(raw) == e164


def test_parse_phone_reads_national_numbers_in_the_default_region() -> None:
    assert parse_phone("08-123 456 78", default_region="SE") == "+46812345678"


@pytest.mark.parametrize(
    "raw",
    ["123", "hello", "040 ABC DEFG", "tel. 040 123 4567", "+358 12", "0401234567890123", "112"],
)
def test_parse_phone_refuses_what_is_not_a_number(raw: str) -> None:
    with pytest.raises(InvalidPhoneNumber, match="is not a valid phone number") as info:
        parse_phone(raw)
    assert repr(raw) in str(info.value)
    assert isinstance(info.value, ValueError)


def test_the_message_names_the_number() -> None:
    with pytest.raises(InvalidPhoneNumber) as info:
        parse_phone("123")
    assert str(info.value) == "'123' is not a valid phone number"


@pytest.mark.parametrize("raw", ["", "   "])
def test_parse_phone_refuses_empty(raw: str) -> None:
    with pytest.raises(InvalidPhoneNumber, match="empty"):
        parse_phone(raw)


def test_the_message_never_repeats_an_identity_code() -> None:
    with pytest.raises(InvalidPhoneNumber) as info:
        parse_phone("131052-308T")
    assert "131052-308T" not in str(info.value)


def test_the_message_shortens_long_input() -> None:
    with pytest.raises(InvalidPhoneNumber) as info:
        parse_phone("1" * 500)
    assert len(str(info.value)) < 100


@pytest.mark.parametrize(
    ("e164", "dialled"),
    [
        ("+358401234567", "040 123 4567"),
        ("+358501234567", "050 123 4567"),
        ("+3584571234567", "045 7123 4567"),
        ("+35840123456", "040 123 456"),
        ("+35868287000", "06 828 7000"),
        ("+35891234567", "09 123 4567"),
        ("+358931012345", "09 3101 2345"),
        ("+3581812345", "018 123 45"),
        ("+358201234567", "020 123 4567"),
        ("+46812345678", "+46 8 123 456 78"),
        ("+442079460958", "+44 20 7946 0958"),
    ],
)
def test_format_for_dialling(e164: str, dialled: str) -> None:
    assert format_for_dialling(e164) == dialled
    assert parse_phone(dialled) == e164


@pytest.mark.parametrize("bad", ["0401234567", "", "not a number"])
def test_format_for_dialling_needs_e164(bad: str) -> None:
    with pytest.raises(InvalidPhoneNumber):
        format_for_dialling(bad)


@given(
    prefix=st.sampled_from(["040", "041", "044", "045", "046", "050"]),
    subscriber=st.from_regex(r"[0-9]{7}", fullmatch=True),
)
def test_finnish_mobiles_round_trip(prefix: str, subscriber: str) -> None:
    e164 = parse_phone(f"{prefix} {subscriber}")
    assert e164 == f"+358{prefix[1:]}{subscriber}"
    dialled = format_for_dialling(e164)
    assert dialled == f"{prefix} {subscriber[:3]} {subscriber[3:]}"
    assert parse_phone(dialled) == e164


# --- a callback reaches a person; a directory also holds service numbers ----------------------


@pytest.mark.parametrize(
    ("raw", "e164"),
    [
        ("040 123 4567", "+358401234567"),
        ("050 123 4567", "+358501234567"),
        ("06 828 7000", "+35868287000"),
        ("09 123 4567", "+35891234567"),
        ("+46 70 123 45 67", "+46701234567"),
        ("+46 8 123 456 78", "+46812345678"),
        ("+1 (212) 555-0123", "+12125550123"),
    ],
)
def test_a_callback_number_is_a_mobile_or_fixed_line(raw: str, e164: str) -> None:
    assert parse_callback_number(raw) == e164


@pytest.mark.parametrize(
    ("raw", "kind"),
    [
        ("020 692 202", "a service number"),
        ("0295 025 500", "a service number"),
        ("0100 100", "a service number"),
        ("0800 12345", "a free service number"),
        ("0600 12345", "a premium-rate number"),
    ],
)
def test_a_callback_to_a_service_number_is_refused(raw: str, kind: str) -> None:
    assert parse_phone(raw).startswith("+358")  # a valid number, but nobody's own
    with pytest.raises(InvalidPhoneNumber) as info:
        parse_callback_number(raw)
    assert str(info.value) == (f"{raw!r} is {kind}: a callback needs a mobile or fixed-line number")


@pytest.mark.parametrize("raw", ["112", "116 117", "123", "hello", ""])
def test_a_callback_to_a_short_or_invalid_number_is_refused(raw: str) -> None:
    with pytest.raises(InvalidPhoneNumber):
        parse_callback_number(raw)


@pytest.mark.parametrize(
    ("raw", "stored", "dialled"),
    [
        ("116 117", "116117", "116 117"),
        ("116117", "116117", "116 117"),
        ("+358 116 117", "116117", "116 117"),
        ("112", "112", "112"),
        ("116 000", "116000", "116 000"),
        ("020 692 202", "+35820692202", "020 692 202"),
        ("0295 025 500", "+358295025500", "029 502 5500"),
        ("0800 12345", "+35880012345", "0800 123 45"),
        ("06 828 7000", "+35868287000", "06 828 7000"),
        ("040 123 4567", "+358401234567", "040 123 4567"),
    ],
)
def test_the_directory_holds_national_service_and_short_numbers(
    raw: str, stored: str, dialled: str
) -> None:
    assert parse_service_phone(raw) == stored
    assert format_service_phone(stored) == dialled
    assert parse_service_phone(dialled) == stored  # an exported file reads back


@pytest.mark.parametrize("raw", ["1234", "118", "+46 112", "06 12", "soita"])
def test_the_directory_still_refuses_what_is_no_number(raw: str) -> None:
    with pytest.raises(InvalidPhoneNumber, match="is not a valid phone number"):
        parse_service_phone(raw)
