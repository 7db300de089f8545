"""Canned answers: keys, placeholders, filling and search (``ohjaus_tui.domain.answers``)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from ohjaus_tui.domain.answers import (
    CannedAnswer,
    answer_language,
    fill,
    normal_key,
    one_line,
    opening_after,
    placeholders_in,
    search,
    unknown_placeholders,
)
from ohjaus_tui.domain.calendar import DeskCalendar, OpeningHours
from ohjaus_tui.domain.codes import Channel

HKI = ZoneInfo("Europe/Helsinki")


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ("aukiolo", "aukiolo"),
        (" Aukiolo ", "aukiolo"),
        ("tk-ajanvaraus_2", "tk-ajanvaraus_2"),
        ("päivystys", "päivystys"),
        ("", None),
        ("-alku", None),
        ("kaksi sanaa", None),
        ("a" * 41, None),
        ("{today}", None),
    ],
)
def test_a_key_is_a_short_lower_case_name(raw: str, key: str | None) -> None:
    assert normal_key(raw) == key


def test_a_reply_is_one_line() -> None:
    assert one_line("  Hei!\n\nTervetuloa  chattiin.\r\n") == "Hei! Tervetuloa chattiin."


def test_the_placeholders_are_names_in_braces_each_once() -> None:
    text = "{operator}: avaamme {next_opening}, {operator} {x y} {} {1a} {{today}}"
    assert placeholders_in(text) == ["operator", "next_opening", "today"]
    assert unknown_placeholders("Hei {asiakas}, {today} {Operator}") == ["asiakas", "Operator"]
    assert unknown_placeholders("Hei {operator} {today} {next_opening}") == []


def test_fill_puts_each_value_in_its_places_and_leaves_other_braces() -> None:
    values = {"operator": "Anna", "today": "3.12.2026"}
    assert fill("{operator} {today} {operator} {x y} {other}", values) == (
        "Anna 3.12.2026 Anna {x y} {other}"
    )
    assert fill("{operator}", {"operator": "{today}"}) == "{today}"  # a value is not filled again


def test_the_next_opening_is_after_the_current_open_period() -> None:
    calendar = DeskCalendar({Channel.CHAT: OpeningHours.parse("mon-fri 09:00-15:00")}, tz=HKI)
    tuesday_morning = datetime(2026, 12, 1, 10, 0, tzinfo=HKI)
    assert opening_after(calendar, Channel.CHAT, tuesday_morning) == datetime(
        2026, 12, 2, 9, 0, tzinfo=HKI
    )
    tuesday_early = datetime(2026, 12, 1, 7, 30, tzinfo=HKI)
    assert opening_after(calendar, Channel.CHAT, tuesday_early) == datetime(
        2026, 12, 1, 9, 0, tzinfo=HKI
    )
    friday_evening = datetime(2026, 12, 4, 16, 0, tzinfo=HKI)  # Monday 7.12. (not a holiday)
    assert opening_after(calendar, Channel.CHAT, friday_evening) == datetime(
        2026, 12, 7, 9, 0, tzinfo=HKI
    )
    before_independence_day = datetime(2027, 12, 5, 12, 0, tzinfo=HKI)  # Sunday; Mon 6.12.
    assert opening_after(calendar, Channel.CHAT, before_independence_day) == datetime(
        2027, 12, 7, 9, 0, tzinfo=HKI
    )


@pytest.mark.parametrize(
    ("item", "desk", "language"),
    [("sv", "fi", "sv"), ("other", "en", "en"), ("other", "de", "fi"), (None, "sv", "sv")],
)
def test_the_answer_language_is_the_items_else_the_desks(
    item: str | None, desk: str, language: str
) -> None:
    assert answer_language(item, desk) == language


ANSWERS = [
    CannedAnswer("ajanvaraus", "fi", "Ajan voi varata numerosta 06 123 4567."),
    CannedAnswer("aukiolo", "fi", "Chat palvelee taas {next_opening}."),
    CannedAnswer("kiitos", "fi", "Kiitos yhteydenotosta! Chat on auki arkisin."),
    CannedAnswer("yhteys-aukioloaika", "fi", "Katso aukiolot verkosta."),
    CannedAnswer("aukiolo", "sv", "Chatten betjänar igen {next_opening}."),
]


def keys(found: list[CannedAnswer]) -> list[str]:
    return [answer.key for answer in found]


def test_search_looks_in_the_key_and_the_text_of_one_language() -> None:
    assert keys(search(ANSWERS, "aukio", "fi")) == ["aukiolo", "yhteys-aukioloaika"]
    assert keys(search(ANSWERS, "arkisin", "fi")) == ["kiitos"]
    assert keys(search(ANSWERS, "AUKIOLO", "sv")) == ["aukiolo"]
    assert keys(search(ANSWERS, "betjänar", "fi")) == []


def test_search_ranks_a_key_that_starts_with_the_query_first() -> None:
    assert keys(search(ANSWERS, "a", "fi")) == [
        "ajanvaraus",
        "aukiolo",
        "yhteys-aukioloaika",
        "kiitos",
    ]
    assert keys(search(ANSWERS, "", "fi")) == sorted(keys(ANSWERS[:4]))


def test_search_needs_every_word_and_ignores_case_and_accents() -> None:
    assert keys(search(ANSWERS, "chat taas", "fi")) == ["aukiolo"]
    assert keys(search(ANSWERS, "chat verkosta", "fi")) == []
    assert keys(search(ANSWERS, "KIITOS yhteydenotosta", "fi")) == ["kiitos"]
    assert keys(search(ANSWERS, "betjanar", "sv")) == ["aukiolo"]
