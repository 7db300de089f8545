from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ohjaus_tui.domain.privacy import (
    HenkilotunnusFound,
    HetuMatch,
    contains_henkilotunnus,
    find_henkilotunnus,
    is_valid_henkilotunnus,
    mask_henkilotunnus,
    refuse_henkilotunnus,
)

CHECK = "0123456789ABCDEFHJKLMNPRSTUVWXY"
SIGNS = {1800: "+", 1900: "-YXWVU", 2000: "ABCDEF"}


def hetu(born: date, individual: int, sign: str | None = None) -> str:
    """A valid code, its check character computed here independently."""
    sign = sign or SIGNS[born.year // 100 * 100][0]
    digits = f"{born:%d%m}{born.year % 100:02d}{individual:03d}"
    return f"{digits[:6]}{sign}{digits[6:]}{CHECK[int(digits) % 31]}"


def with_check(body: str) -> str:
    """``DDMMYYsNNN`` completed with its correct check character."""
    return body + CHECK[int(body[:6] + body[7:]) % 31]


EXAMPLE = "131052-308T"  # the Digital and Population Data Services Agency's example


def test_the_official_example_is_valid() -> None:
    assert hetu(date(1952, 10, 13), 308) == EXAMPLE
    assert is_valid_henkilotunnus(EXAMPLE)


@pytest.mark.parametrize(
    ("born", "sign"),
    [(date(1899, 12, 31), "+"), (date(1800, 1, 1), "+")]
    + [(date(1975, 6, 15), sign) for sign in "-YXWVU"]
    + [(date(2010, 2, 28), sign) for sign in "ABCDEF"]
    + [(date(2024, 2, 29), "A")],
)
def test_every_century_sign(born: date, sign: str) -> None:
    code = hetu(born, 123, sign)
    assert is_valid_henkilotunnus(code)
    assert is_valid_henkilotunnus(code.lower())


@pytest.mark.parametrize("sign", ["G", "Z", "T", "*", " "])
def test_unknown_century_signs(sign: str) -> None:
    assert not is_valid_henkilotunnus(with_check(f"131052{sign}308"))


def test_a_wrong_check_character_is_invalid() -> None:
    for char in CHECK.replace("T", ""):
        assert not is_valid_henkilotunnus(EXAMPLE[:-1] + char)
    for char in "GIOQZ":  # never used as check characters
        assert not is_valid_henkilotunnus(EXAMPLE[:-1] + char)


@pytest.mark.parametrize(
    "body",
    [
        "310299-123",
        "300299A123",
        "290200-123",
        "310499A123",
        "000199-123",
        "011399-123",
        "320199-123",
    ],
)
def test_impossible_dates_are_invalid(body: str) -> None:
    assert not is_valid_henkilotunnus(with_check(body))


def test_leap_days() -> None:
    assert is_valid_henkilotunnus(with_check("290200A123"))  # 2000 was a leap year
    assert not is_valid_henkilotunnus(with_check("290200-123"))  # 1900 was not


@pytest.mark.parametrize(("individual", "valid"), [(0, False), (1, False), (2, True), (999, True)])
def test_individual_numbers_run_from_002_to_999(individual: int, valid: bool) -> None:
    assert is_valid_henkilotunnus(hetu(date(1990, 1, 1), individual)) is valid


@pytest.mark.parametrize("text", ["", "131052-308", "131052-308TT", " 131052-308T", "13105-2308T"])
def test_only_the_exact_form_is_valid(text: str) -> None:
    assert not is_valid_henkilotunnus(text)


@pytest.mark.parametrize(
    "text",
    [
        "Asiakas 131052-308T soitti",
        "(131052-308T)",
        "hetu:131052-308T.",
        "131052-308T",
        "131052-308t kysyi",
        "rivi1\n131052-308T\nrivi3",
    ],
)
def test_codes_are_found_in_text(text: str) -> None:
    start = text.lower().index(EXAMPLE.lower())
    assert find_henkilotunnus(text) == [HetuMatch(start, start + len(EXAMPLE))]
    assert contains_henkilotunnus(text)


def test_several_codes_are_found_in_order() -> None:
    second = hetu(date(2005, 3, 4), 42, "B")
    text = f"{EXAMPLE} ja {second}"
    assert find_henkilotunnus(text) == [HetuMatch(0, 11), HetuMatch(15, 26)]


@pytest.mark.parametrize(
    "text",
    [
        "x131052-308T",
        "131052-308Tx",
        "1131052-308T",
        "131052-308T1",
        "ä131052-308T",
        "131052-308S",  # wrong check character
        "tilausnumero 1234567-8",
        "päivämäärä 12.03.2024",
        "soita 040 123 4567",
        "viite 1234 5678 9012",
        "",
    ],
)
def test_no_false_positives(text: str) -> None:
    assert find_henkilotunnus(text) == []
    assert not contains_henkilotunnus(text)
    assert mask_henkilotunnus(text) == text


def test_masking() -> None:
    text = f"Asiakas {EXAMPLE} kysyi ajasta, lapsi {hetu(date(2015, 5, 5), 77, 'A').lower()}."
    assert (
        mask_henkilotunnus(text) == "Asiakas [hetu poistettu] kysyi ajasta, lapsi [hetu poistettu]."
    )
    assert mask_henkilotunnus(text, mask="***") == "Asiakas *** kysyi ajasta, lapsi ***."


def test_refuse_names_the_field_but_never_the_code() -> None:
    with pytest.raises(HenkilotunnusFound) as info:
        refuse_henkilotunnus(f"asiakas {EXAMPLE}", field="notes")
    message = str(info.value)
    assert message == (
        "notes contains a personal identity code (henkilötunnus); "
        "this log is not a patient record - remove it"
    )
    assert EXAMPLE not in message
    assert info.value.field == "notes"
    assert isinstance(info.value, ValueError)


def test_refuse_lets_clean_text_through() -> None:
    refuse_henkilotunnus("asiakas kysyi ajasta 12.03.2024", field="notes")


# --- properties -------------------------------------------------------------------------

CENTURY_SIGN = st.sampled_from(sorted(SIGNS.items()))


@st.composite
def valid_codes(draw: st.DrawFn) -> str:
    century, signs = draw(CENTURY_SIGN)
    born = draw(st.dates(date(century, 1, 1), date(min(century + 99, 2099), 12, 31)))
    code = hetu(born, draw(st.integers(2, 999)), draw(st.sampled_from(signs)))
    return code.lower() if draw(st.booleans()) else code


SEPARATORS = st.text(alphabet=" ,.;:()[]\n\t/-", min_size=1, max_size=3)


@given(code=valid_codes())
def test_generated_codes_are_valid(code: str) -> None:
    assert is_valid_henkilotunnus(code)


@given(code=valid_codes(), wrong=st.sampled_from(CHECK))
def test_any_other_check_character_is_invalid(code: str, wrong: str) -> None:
    if wrong != code[-1].upper():
        assert not is_valid_henkilotunnus(code[:-1] + wrong)


@given(
    code=valid_codes(),
    before=st.text(max_size=20),
    after=st.text(max_size=20),
    left=SEPARATORS,
    right=SEPARATORS,
)
def test_embedded_codes_are_found_and_masked(
    code: str, before: str, after: str, left: str, right: str
) -> None:
    text = f"{before}{left}{code}{right}{after}"
    start = len(before) + len(left)
    assert HetuMatch(start, start + len(code)) in find_henkilotunnus(text)
    masked = mask_henkilotunnus(text)
    assert code not in masked
    assert not contains_henkilotunnus(masked)
    with pytest.raises(HenkilotunnusFound):
        refuse_henkilotunnus(text, field="text")


@given(text=st.text())
def test_masked_text_never_holds_a_code(text: str) -> None:
    assert not contains_henkilotunnus(mask_henkilotunnus(text))
