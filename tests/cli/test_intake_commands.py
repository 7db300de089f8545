"""`ohjaus intake`: good lines kept, each bad line reported, non-zero exit."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from freezegun import freeze_time
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from ohjaus_tui.db import engine as engine_module
from ohjaus_tui.db.models import QueueItem, TranscriptLine
from ohjaus_tui.domain.codes import Channel, Role
from tests.cli.conftest import Invoke

GOOD = [
    {"channel": "phone", "received_at": "2024-03-04T09:12:00+02:00", "phone": "040 123 4567"},
    {"channel": "chat", "external_id": "chat-1", "identified": True, "text": "Hei, kysyisin"},
    {"channel": "message", "subject": "Reseptin uusiminen", "text": "...", "identified": True},
]


def _lines(*objects: object) -> str:
    return "\n".join(o if isinstance(o, str) else json.dumps(o) for o in objects) + "\n"


@freeze_time("2024-03-04 08:30:00")  # Monday 10:30 in Helsinki: the desk is open
def test_good_lines_are_queued(ohjaus: Invoke, engine: Engine) -> None:
    result = ohjaus("intake", input=_lines(*GOOD))
    assert result.exit_code == 0, result.output
    assert "3 queued" in result.output
    with Session(engine) as session:
        items = session.exec(select(QueueItem).order_by(col(QueueItem.id))).all()
        lines = session.exec(select(TranscriptLine)).all()
    assert [i.channel for i in items] == ["phone", "chat", "message"]
    assert items[0].callback_number == "+358401234567"
    assert items[1].identified and items[1].external_id == "chat-1"
    assert [line.text for line in lines] == ["Hei, kysyisin", "..."]


@freeze_time("2024-03-04 08:30:00")
def test_every_bad_line_is_reported_and_the_good_ones_kept(ohjaus: Invoke, engine: Engine) -> None:
    bad = [
        "this is not json",
        "[1, 2]",
        {"received_at": "2024-03-04T09:12:00+02:00"},
        {"channel": "fax"},
        {"channel": "phone"},
        {"channel": "phone", "phone": "123"},
        {"channel": "phone", "phone": "040 123 4567", "received_at": "yesterday"},
        {"channel": "message", "subject": "x", "identified": "yes"},
        {"channel": "chat", "language": "de"},
        {"channel": "chat", "colour": "blue"},
        {"channel": "message"},
        {"event": "chat_line", "external_id": "nope", "text": "hi"},
        {"event": "party"},
    ]
    result = ohjaus("intake", input=_lines(GOOD[0], *bad, GOOD[2]))
    assert result.exit_code == 2
    for number in range(2, 2 + len(bad)):
        assert f"line {number}:" in result.output
    assert "not JSON" in result.output
    assert "channel is required" in result.output
    assert "unknown channel 'fax'" in result.output
    assert "phone is required" in result.output
    assert "not a valid phone number" in result.output
    assert "received_at 'yesterday'" in result.output
    assert "identified must be true or false" in result.output
    assert "unknown language 'de'" in result.output
    assert "unknown field: colour" in result.output
    assert "needs a subject or a text" in result.output
    assert "no chat with external_id 'nope'" in result.output
    assert "unknown event 'party'" in result.output
    assert "2 queued" in result.output
    with Session(engine) as session:
        assert len(session.exec(select(QueueItem)).all()) == 2


@freeze_time("2024-03-04 08:30:00")
def test_the_reasons_are_said_in_finnish(ohjaus: Invoke, engine: Engine) -> None:
    bad = [
        "this is not json",
        {"channel": "fax"},
        {"channel": "phone", "phone": "020 692 202"},
        {"channel": "message", "subject": "x", "identified": "yes"},
        {"channel": "chat", "colour": "blue"},
        {"event": "chat_line", "external_id": "nope", "text": "hi"},
    ]
    result = ohjaus("intake", input=_lines(*bad, GOOD[0]), language="fi")
    assert result.exit_code == 2
    said = result.stderr.splitlines()
    assert any(line.startswith("rivi 1: ei JSONia (") for line in said)
    assert "rivi 2: tuntematon kanava 'fax' (käytä: phone, chat tai message)" in said
    assert any(line.startswith("rivi 3: '020 692 202' on palvelunumero") for line in said)
    assert "rivi 4: identified: oltava true tai false" in said
    assert "rivi 5: tuntematon kenttä: colour" in said
    assert "rivi 6: ei chattia, jonka external_id on 'nope'" in said  # a service's refusal
    assert not any("unknown" in line or " is " in line for line in said), said


@freeze_time("2024-03-04 08:30:00")
def test_a_callback_needs_a_number_that_reaches_a_person(ohjaus: Invoke, engine: Engine) -> None:
    """The directory's service numbers are valid numbers, but no one is called back there."""
    service_numbers = ["0295 025 500", "020 692 202", "0800 12345", "116 117", "112"]
    lines = [{"channel": "phone", "phone": number} for number in service_numbers]
    result = ohjaus("intake", input=_lines(*lines, GOOD[0]))
    assert result.exit_code == 2
    assert "line 1: '0295 025 500' is a service number: a callback needs a mobile" in (
        result.output
    )
    assert "line 3: '0800 12345' is a free service number" in result.output
    assert "line 4: '116 117' is not a valid phone number" in result.output
    assert "1 queued" in result.output
    with Session(engine) as session:
        [item] = session.exec(select(QueueItem)).all()
    assert item.callback_number == "+358401234567"


@freeze_time("2024-03-04 08:30:00")
def test_a_retried_event_is_not_a_duplicate(ohjaus: Invoke, engine: Engine, tmp_path: Path) -> None:
    path = tmp_path / "events.jsonl"
    path.write_text(_lines(GOOD[1]), encoding="utf-8")
    assert ohjaus("intake", str(path)).exit_code == 0
    again = ohjaus("intake", str(path))
    assert again.exit_code == 0
    assert "1 already known" in again.output
    with Session(engine) as session:
        assert len(session.exec(select(QueueItem)).all()) == 1


@freeze_time("2024-03-04 18:30:00")  # 20:30 local: chat closed, callbacks wait
def test_after_hours_a_chat_is_refused_and_a_callback_waits(ohjaus: Invoke, engine: Engine) -> None:
    result = ohjaus(
        "intake",
        input=_lines(
            {"channel": "chat", "text": "Hei"},
            {"channel": "phone", "phone": "0401234567"},
        ),
    )
    assert result.exit_code == 2
    assert "line 1: chat is closed; it opens" in result.output
    with Session(engine) as session:
        item = session.exec(select(QueueItem)).one()
    assert item.available_at.isoformat() == "2024-03-05T07:00:00+00:00"


@freeze_time("2024-03-04 08:30:00")
def test_a_henkilotunnus_in_a_message_is_masked_with_a_notice(
    ohjaus: Invoke, engine: Engine
) -> None:
    line = {"channel": "message", "text": "Hetuni on 131052-308T, auttakaa"}
    result = ohjaus("intake", input=_lines(line))
    assert result.exit_code == 0
    assert "line 1: a personal identity code in text was masked" in result.output
    with Session(engine) as session:
        stored = session.exec(select(QueueItem)).one()
        text = session.exec(select(TranscriptLine.text)).one()
    assert "131052-308T" not in (stored.text or "") + text


def test_a_missing_file_is_one_line(ohjaus: Invoke, tmp_path: Path) -> None:
    result = ohjaus("intake", str(tmp_path / "nope.jsonl"))
    assert result.exit_code == 2
    assert "no such file" in result.output


def test_a_missing_file_is_said_in_finnish(ohjaus: Invoke, tmp_path: Path) -> None:
    result = ohjaus("intake", str(tmp_path / "nope.jsonl"), language="fi")
    assert result.exit_code == 2
    assert "tiedostoa ei ole:" in result.stderr


@pytest.mark.sqlite_only
def test_a_busy_database_is_one_line_and_quotes_nothing(
    ohjaus: Invoke, engine: Engine, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another program holds the write lock past the wait: one line, exit 1, no
    statement and no value of the line in it (40 processes on one file did this)."""
    monkeypatch.setattr(engine_module, "BUSY_TIMEOUT_MS", 300)
    ohjaus("db", "status")  # the desk is open and current before the lock is taken
    holder = sqlite3.connect(db_url.removeprefix("sqlite:///"), isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")
        line = {"channel": "message", "subject": "Asia", "text": "Oma kertomus 7b2f"}
        result = ohjaus("intake", input=json.dumps(line) + "\n")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert result.exit_code == 1, result.output
    assert result.stderr.count("\n") == 1
    assert "The database is busy" in result.stderr
    assert "Nothing from line 1 on was stored (0 lines before it were)" in result.stderr
    assert "7b2f" not in result.output + result.stderr and "INSERT" not in result.stderr
    assert "Traceback" not in result.output + result.stderr


@freeze_time("2024-03-04 08:30:00")  # Monday 10:30 in Helsinki: the desk is open
def test_queue_show_draws_the_staffing_line_of_the_workstation(
    ohjaus: Invoke, engine: Engine
) -> None:
    """Who is on which channel, in the desk's language: the main screen's line."""
    from ohjaus_tui.services.actor import Actor
    from ohjaus_tui.services.operators import add_operator
    from ohjaus_tui.services.queue import QueueService

    anna = add_operator(engine, "Anna", pin="2468", actor=Actor("test", role=Role.ADMIN))
    assert anna.id is not None
    QueueService(engine).staff.sign_on(anna.id, Channel.PHONE)
    assert ohjaus("intake", input=_lines(GOOD[0])).exit_code == 0

    finnish = ohjaus("queue", "show", language="fi")
    assert finnish.exit_code == 0, finnish.output
    assert finnish.stdout.splitlines()[0] == (
        "Puhelin: Anna (auki) · Chat: - (auki) · Sähköinen viesti: - (auki)"
    )
    assert "040 123 4567" in finnish.stdout
    swedish = ohjaus("--lang", "sv", "queue", "show").stdout.splitlines()[0]
    assert swedish.startswith("Telefon: Anna (öppen) · Chatt: - (öppen)")
