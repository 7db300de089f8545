"""The desk's canned answers: stored, replaced, removed, audited, and filled for a reply."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from ohjaus_tui.db.models import Answer, AuditEvent
from ohjaus_tui.domain.answers import CannedAnswer
from ohjaus_tui.domain.calendar import DayHours, DeskCalendar, OpeningHours
from ohjaus_tui.domain.codes import Channel, Role
from ohjaus_tui.errors import BadInput, NotAllowed
from ohjaus_tui.services.actor import Actor
from ohjaus_tui.services.answers import (
    add_answer,
    filled,
    list_answers,
    load_answers,
    remove_answer,
)

HKI = ZoneInfo("Europe/Helsinki")
ADMIN = Actor("Admin", role=Role.ADMIN)
OPERATOR = Actor("Anna", role=Role.OPERATOR)
HETU = "131052-308T"


def trail(engine: Engine) -> list[AuditEvent]:
    with Session(engine) as session:
        query = select(AuditEvent).where(col(AuditEvent.action).startswith("answers."))
        return list(session.exec(query.order_by(col(AuditEvent.id))))


def test_add_stores_and_a_second_add_replaces_the_text(engine: Engine) -> None:
    first = add_answer(engine, " Aukiolo ", "FI", "Palvelemme\n arkisin.", actor=ADMIN)
    assert (first.answer.key, first.answer.language, first.answer.text) == (
        "aukiolo",
        "fi",
        "Palvelemme arkisin.",
    )
    assert not first.replaced
    add_answer(engine, "aukiolo", "sv", "Vi betjänar vardagar.", actor=ADMIN)
    second = add_answer(engine, "aukiolo", "fi", "Palvelemme ma-pe.", actor=ADMIN)
    assert second.replaced
    assert [(a.key, a.language, a.text) for a in load_answers(engine)] == [
        ("aukiolo", "fi", "Palvelemme ma-pe."),
        ("aukiolo", "sv", "Vi betjänar vardagar."),
    ]
    with Session(engine) as session:
        (row,) = session.exec(select(Answer).where(Answer.language == "fi"))
        assert row.updated_at >= row.created_at
    assert [(e.action, e.entity_id, json.loads(e.detail or "{}")) for e in trail(engine)] == [
        ("answers.add", "fi/aukiolo", {"text": "Palvelemme arkisin."}),
        ("answers.add", "sv/aukiolo", {"text": "Vi betjänar vardagar."}),
        ("answers.update", "fi/aukiolo", {"text": "Palvelemme ma-pe."}),
    ]


def test_remove_deletes_one_language_and_is_audited(engine: Engine) -> None:
    add_answer(engine, "kiitos", "fi", "Kiitos!", actor=ADMIN)
    add_answer(engine, "kiitos", "en", "Thank you!", actor=ADMIN)
    removed = remove_answer(engine, "kiitos", "fi", actor=ADMIN)
    assert removed.text == "Kiitos!"
    assert [(a.key, a.language) for a in load_answers(engine)] == [("kiitos", "en")]
    assert trail(engine)[-1].action == "answers.remove"
    with pytest.raises(BadInput) as missing:
        remove_answer(engine, "kiitos", "fi", actor=ADMIN)
    assert missing.value.code == "answers.not_found"


def test_list_is_for_any_desk_role_and_add_and_remove_for_an_admin(engine: Engine) -> None:
    add_answer(engine, "kiitos", "fi", "Kiitos!", actor=ADMIN)
    add_answer(engine, "tack", "sv", "Tack!", actor=ADMIN)
    assert [a.key for a in list_answers(engine, actor=OPERATOR, language="sv")] == ["tack"]
    for refused in (
        lambda: add_answer(engine, "hei", "fi", "Hei", actor=OPERATOR),
        lambda: remove_answer(engine, "kiitos", "fi", actor=Actor("Liisa", role=Role.LEAD)),
        lambda: list_answers(engine, actor=Actor("os:someone")),
    ):
        with pytest.raises(NotAllowed):
            refused()
    assert len(load_answers(engine)) == 2


@pytest.mark.parametrize(
    ("key", "language", "text", "code"),
    [
        ("hei", "de", "Hallo", "answers.unknown_language"),
        ("hei hei", "fi", "Hei", "answers.bad_key"),
        ("hei", "fi", " \n ", "answers.empty_text"),
        ("hei", "fi", f"Tunnus {HETU} kirjattu", "answers.text_hetu"),
        ("hei", "fi", "x" * 2001, "answers.text_too_long"),
        ("hei", "fi", "Hei {asiakas}, {today}", "answers.unknown_placeholder"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_stored(
    engine: Engine, key: str, language: str, text: str, code: str
) -> None:
    with pytest.raises(BadInput) as refused:
        add_answer(engine, key, language, text, actor=ADMIN)
    assert refused.value.code == code
    assert HETU not in str(refused.value)
    assert load_answers(engine) == []
    assert trail(engine) == []


def test_an_unknown_placeholder_is_refused_naming_the_known_ones(engine: Engine) -> None:
    with pytest.raises(BadInput) as refused:
        add_answer(engine, "hei", "fi", "Hei {asiakas}", actor=ADMIN)
    assert refused.value.params == {
        "names": "{asiakas}",
        "known": "{next_opening}, {operator}, {today}",
    }


CALENDAR = DeskCalendar(
    {Channel.CHAT: OpeningHours.parse("mon-fri 09:00-15:00")},
    tz=HKI,
    days={(date(2026, 12, 2), Channel.CHAT): DayHours.parse("12-15", "koulutus")},
)
TEXT = "{next_opening} · {operator} · {today}"


@pytest.mark.parametrize(
    ("language", "now", "said"),
    [
        # Tuesday 1.12. at 10: open; the next opening is Wednesday's, at 12 (a training day)
        ("fi", datetime(2026, 12, 1, 10, tzinfo=HKI), "huomenna klo 12:00 · Anna · 1.12.2026"),
        ("sv", datetime(2026, 12, 1, 10, tzinfo=HKI), "i morgon kl. 12:00 · Anna · 1.12.2026"),
        ("en", datetime(2026, 12, 1, 10, tzinfo=HKI), "tomorrow at 12:00 · Anna · 01/12/2026"),
        # Tuesday at 7: later today
        ("fi", datetime(2026, 12, 1, 7, tzinfo=HKI), "tänään klo 09:00 · Anna · 1.12.2026"),
        # Friday 4.12. evening: Monday 7.12. (Sunday 6.12. is Independence Day)
        ("fi", datetime(2026, 12, 4, 18, tzinfo=HKI), "ma 7.12. klo 09:00 · Anna · 4.12.2026"),
        ("sv", datetime(2026, 12, 4, 18, tzinfo=HKI), "mån 7.12 kl. 09:00 · Anna · 4.12.2026"),
        ("en", datetime(2026, 12, 4, 18, tzinfo=HKI), "Mon, 07/12 at 09:00 · Anna · 04/12/2026"),
    ],
)
def test_the_placeholders_are_filled_in_the_answers_language(
    language: str, now: datetime, said: str
) -> None:
    answer = CannedAnswer("aukiolo", language, TEXT)
    got = filled(
        answer, calendar=CALENDAR, channel=Channel.CHAT, operator="Anna", now=now.astimezone(UTC)
    )
    assert got == said
