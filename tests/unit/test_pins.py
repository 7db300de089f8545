"""PINs: their shape, and the salted scrypt hash that is all the desk keeps of them."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ohjaus_tui.domain import pins
from tests.conftest import PRODUCTION_PIN_COST


@pytest.mark.parametrize(
    ("pin", "problem"),
    [
        ("12a4", "digits only"),
        ("１２３４", "digits only"),  # full-width digits are not ASCII
        ("123", "4-12 digits"),
        ("1234567890123", "4-12 digits"),
        ("7777", "one repeated digit"),
    ],
)
def test_a_bad_pin_is_named(pin: str, problem: str) -> None:
    found = pins.pin_problem(pin)
    assert found is not None and problem in found


def test_a_good_pin_has_no_problem() -> None:
    assert pins.pin_problem("2580") is None
    assert pins.pin_problem("120034567891") is None


def test_the_program_hashes_at_a_slow_cost() -> None:
    assert PRODUCTION_PIN_COST >= 2**14


def test_the_hash_holds_no_pin_and_verifies_with_the_stored_cost(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(pins, "COST_N", PRODUCTION_PIN_COST)
    stored = pins.hash_pin("2580")
    scheme, n, _r, _p, _salt, _digest = stored.split("$")
    assert (scheme, int(n)) == ("scrypt", PRODUCTION_PIN_COST)
    assert "2580" not in stored
    monkeypatch.setattr(pins, "COST_N", 2**8)  # a later cost change keeps old hashes valid
    assert pins.verify_pin("2580", stored)
    assert not pins.verify_pin("2581", stored)


def test_the_same_pin_gets_a_new_salt_each_time() -> None:
    assert pins.hash_pin("2580") != pins.hash_pin("2580")


@given(st.text(max_size=40))
def test_a_malformed_hash_never_verifies_and_never_raises(stored: str) -> None:
    assert not pins.verify_pin("2580", stored)


def test_no_hash_never_verifies() -> None:
    assert not pins.verify_pin("2580", None)
    assert not pins.verify_pin("", "")
