"""Intake lines: each line is queued or rejected alone, never a traceback.

Whatever a telephony or chat platform sends, every line is either kept or
reported as ``line N: reason``, and a rejected line leaves nothing behind
while the good lines around it are kept.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import event, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine
from typer.testing import CliRunner

from ohjaus_tui.cli.app import app
from ohjaus_tui.domain.calendar import HELSINKI
from ohjaus_tui.domain.privacy import contains_henkilotunnus
from ohjaus_tui.services.actor import os_user_name
from ohjaus_tui.services.intake import run_intake
from ohjaus_tui.services.operators import add_operator
from ohjaus_tui.services.queue import QueueService
from tests.property.inputs import (
    ADMIN,
    DATABASE,
    HENKILOTUNNUS,
    Snapshot,
    column,
    counts,
    empty_tables,
    instant_text,
    json_values,
    mangle,
    nasty_text,
    readable_text,
    snapshot,
)

CLOCK = datetime(2024, 3, 4, 8, 30, tzinfo=UTC)  # Monday 10:30 in Helsinki: every channel open
QUEUE_TABLES = ("transcript_line", "callback_attempt", "queue_item")
CHAT_IDS = ("chat-1", "chat-2", "chat-3")
OTHER_IDS = ("call-1", "msg-1", "1234")
PHONES = ("040 123 4567", "+358 40 123 4567", "(06) 828 7000", "+46 8 123 456 78", "0401234567")
FIELDS = (
    "event",
    "channel",
    "received_at",
    "at",
    "external_id",
    "phone",
    "language",
    "identified",
    "on_behalf",
    "subject",
    "text",
)

Line = tuple[str, bool]
"""An intake line, and whether it must be accepted (queued, or known already)."""


def _past() -> st.SearchStrategy[str]:
    """An instant of the last weeks before :data:`CLOCK`, as a platform writes it."""
    moments = st.datetimes(
        min_value=datetime(2024, 2, 1),
        max_value=datetime(2024, 3, 4, 10, 0),
        timezones=st.just(HELSINKI),
    )
    return moments.map(lambda moment: moment.isoformat(timespec="seconds"))


def _flags() -> dict[str, st.SearchStrategy[Any]]:
    return {
        "language": st.sampled_from(["fi", "sv", "en", "other"]),
        "identified": st.booleans(),
        "on_behalf": st.booleans(),
    }


def _text() -> st.SearchStrategy[str]:
    return st.one_of(readable_text(), st.just(f"hetu {HENKILOTUNNUS}"))


def callback_requests() -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(
        {"channel": st.just("phone"), "phone": st.sampled_from(PHONES)},
        optional={
            **_flags(),
            "received_at": _past(),
            "external_id": st.sampled_from(OTHER_IDS),
            "text": _text(),
        },
    )


def chats() -> st.SearchStrategy[dict[str, Any]]:
    """A new chat; no ``received_at``, so it arrives now, while chat is open."""
    return st.fixed_dictionaries(
        {"channel": st.just("chat"), "external_id": st.sampled_from(CHAT_IDS)},
        optional={**_flags(), "text": _text()},
    )


def messages() -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(
        {"channel": st.just("message"), "subject": _text()},
        optional={
            **_flags(),
            "received_at": _past(),
            "external_id": st.sampled_from(OTHER_IDS),
            "text": _text(),
        },
    )


def chat_events() -> st.SearchStrategy[dict[str, Any]]:
    """A client's line, departure or identification in one of the chats."""
    chat = {"external_id": st.sampled_from(CHAT_IDS)}
    return st.one_of(
        st.fixed_dictionaries(
            {"event": st.just("chat_line"), **chat, "text": _text()}, optional={"at": _past()}
        ),
        st.fixed_dictionaries({"event": st.just("left"), **chat}, optional={"at": _past()}),
        st.fixed_dictionaries(
            {"event": st.just("identified"), **chat},
            optional={"at": _past(), "on_behalf": st.booleans()},
        ),
    )


@st.composite
def mutated(draw: st.DrawFn, base: dict[str, Any]) -> dict[str, Any]:
    """``base`` with one field changed, removed, or added."""
    changed = dict(base)
    operation = draw(st.sampled_from(["set", "set", "remove", "add"]))
    if operation == "remove":
        del changed[draw(st.sampled_from(sorted(changed)))]
    elif operation == "add":
        changed[draw(st.text(max_size=12))] = draw(json_values())
    else:
        name = draw(st.sampled_from(FIELDS))
        changed[name] = draw(st.one_of(json_values(), nasty_text(), instant_text()))
    return changed


@st.composite
def rendered(draw: st.DrawFn, data: object) -> str:
    """``data`` as one JSON line, non-ASCII as it is or escaped."""
    return json.dumps(data, ensure_ascii=draw(st.booleans()))


@st.composite
def broken(draw: st.DrawFn, line: str) -> str:
    """``line`` broken in one place (as its UTF-8 bytes), read back as text."""
    data = draw(mangle(line.encode("utf-8", "surrogatepass")))
    return data.decode("utf-8", "surrogateescape")


GARBAGE_LINES = (
    "null",
    "[]",
    "{}",
    '"chat"',
    "1",
    "NaN",
    '{"channel": "message", "subject": "x"',
    '{"channel": "message", "subject": "x"}}',
    '\ufeff{"channel": "message", "subject": "x"}',
    '{"channel": "message", "subject": "x", "channel": "chat"}',
    '{"channel": "message", "subject": "\\ud800"}',
    '{"channel": "message", "subject": "a\\u0000b"}',
    '{"channel": "message", "subject": "x", "external_id": ' + "9" * 5_000 + "}",
    '{"channel": "message", "subject": "x", "received_at": 1e999}',
    "[" * 5_000,
    '{"a": ' * 5_000,
)


def garbage() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(GARBAGE_LINES),
        st.text(),
        st.binary().map(lambda data: data.decode("utf-8", "surrogateescape")),
    )


def intake_lines() -> st.SearchStrategy[Line]:
    valid = st.one_of(callback_requests(), chats(), messages())
    return st.one_of(
        valid.flatmap(rendered).map(lambda line: (line, True)),
        chat_events().flatmap(rendered).map(lambda line: (line, False)),
        st.one_of(valid, chat_events())
        .flatmap(mutated)
        .flatmap(rendered)
        .map(lambda line: (line, False)),
        st.one_of(valid, chat_events())
        .flatmap(rendered)
        .flatmap(broken)
        .map(lambda line: (line, False)),
        garbage().map(lambda line: (line, False)),
    )


def _stored_texts(state: Snapshot) -> list[str]:
    """The subjects and texts of the queue and its transcripts."""
    stored = [*column(state, "queue_item", "subject"), *column(state, "queue_item", "text")]
    stored += column(state, "transcript_line", "text")
    return [text for text in stored if text]


@settings(DATABASE, max_examples=60)
@given(lines=st.lists(intake_lines(), min_size=1, max_size=8))
@example(lines=[(line, False) for line in GARBAGE_LINES])
@example(
    lines=[
        (
            '{"channel": "message", "subject": "x", "received_at": "0001-01-01T00:00:00+05:00"}',
            False,
        ),
        ('{"channel": "message", "subject": "x", "received_at": "9999-12-31T23:59:59"}', False),
        ('{"channel": "chat", "external_id": "chat-1"}', True),
        ('{"event": "left", "external_id": "chat-1", "at": "9999-12-31T23:59:59-05:00"}', False),
        ('{"channel": "message", "subject": "x", "external_id": "\\udfff"}', False),
        ('{"channel": "message", "subject": "x", "text": "\\u0000"}', False),
    ]
)
def test_each_line_is_kept_or_rejected_alone(engine: Engine, lines: list[Line]) -> None:
    empty_tables(engine, *QUEUE_TABLES)
    states: dict[int, Snapshot] = {}

    def before_line(number: int) -> None:
        states[number] = snapshot(engine)

    report = run_intake(
        QueueService(engine),
        [line for line, _ in lines],
        zone=HELSINKI,
        clock=lambda: CLOCK,
        on_line=before_line,
    )
    states[len(lines) + 1] = snapshot(engine)

    rejected = dict(report.rejected)
    for number, (line, must_accept) in enumerate(lines, start=1):
        if number in rejected:
            reason = rejected[number]
            assert not must_accept, f"line {number} {line!r} was rejected: {reason}"
            assert reason.strip() and "\n" not in reason, f"line {number}: {reason!r}"
            assert states[number] == states[number + 1], f"rejected line {number} left a trace"
    event(f"accepted {report.accepted}, rejected {len(rejected)}")
    nonblank = sum(1 for line, _ in lines if line.strip())
    assert report.accepted + report.duplicates + report.events + len(rejected) == nonblank
    final = states[len(lines) + 1]
    assert counts(final)["queue_item"] == report.accepted
    for text in _stored_texts(final):
        assert not contains_henkilotunnus(text)


# --- the command, with a file's bytes -----------------------------------------------------


def intake_files() -> st.SearchStrategy[bytes]:
    lines = st.lists(intake_lines().map(lambda pair: pair[0]), min_size=1, max_size=5)
    text = lines.map(lambda items: "\n".join(items) + "\n")
    as_bytes = text.map(lambda value: value.encode("utf-8", "surrogatepass"))
    return st.one_of(as_bytes, as_bytes.flatmap(mangle), st.binary(max_size=200))


@settings(DATABASE, max_examples=20)
@given(data=intake_files())
@example(data=b"\xef\xbb\xbf" + b'{"channel": "message", "subject": "x"}\n')
@example(data=b'{"channel": "message", "subject": "x"}\n\xff\xfe\n')
@example(data='{"channel": "message", "subject": "x"}\n'.encode("utf-16"))
@pytest.mark.usefixtures("desk_feed")
def test_the_intake_command_never_shows_a_traceback(
    db_url: str, engine: Engine, tmp_path: Path, data: bytes
) -> None:
    path = tmp_path / "events.jsonl"
    path.write_bytes(data)
    before = snapshot(engine)
    result = CliRunner().invoke(
        app, ["--db", db_url, "intake", str(path)], env={"OHJAUS_LANGUAGE": "en"}
    )
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert result.exit_code in (0, 2), result.output
    if result.exit_code == 0:
        assert ", 0 rejected" in result.output
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:  # a file that is not text is refused whole
        assert result.exit_code == 2
        assert snapshot(engine) == before


@pytest.fixture
def desk_feed(engine: Engine) -> None:
    """The OS account running the tests is the desk's feed (an operator), as in production."""
    add_operator(engine, "Puhelinjärjestelmä", os_user=os_user_name(), actor=ADMIN)


@pytest.mark.usefixtures("desk_feed")
def test_standard_input_that_is_not_utf8_is_refused(db_url: str, engine: Engine) -> None:
    data = b'{"channel": "message", "subject": "x"}\n\xff\n'
    result = CliRunner().invoke(
        app, ["--db", db_url, "intake"], input=data, env={"OHJAUS_LANGUAGE": "en"}
    )
    assert result.exit_code == 2, result.output
    assert "standard input, line 2: not UTF-8 text" in result.stderr
