"""The webhook outbox: events written with the change they tell of, delivered signed,
retried with back-off, each once and in order per item (services/outbox.py)."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from ohjaus_tui.db import outbox as repo
from ohjaus_tui.db.engine import write_session
from ohjaus_tui.db.models import OutboxEvent, QueueItem, TranscriptLine
from ohjaus_tui.domain.calendar import utcnow
from ohjaus_tui.domain.codes import Channel, Role
from ohjaus_tui.domain.intake import ContactRequest
from ohjaus_tui.services import outbox
from ohjaus_tui.services.actor import Actor
from ohjaus_tui.services.desk_config import DeskConfig
from ohjaus_tui.services.gateway import add_integration, revoke_integration
from ohjaus_tui.services.queue import QueueService
from tests.webhook_receiver import Receiver, serving

ADMIN = Actor("Ylläpito", role=Role.ADMIN)
MORNING = datetime(2025, 3, 4, 9, 30, tzinfo=ZoneInfo("Europe/Helsinki"))
"""A Tuesday, the desk's chat open (the events' delivery runs on the wall clock)."""


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with serving() as got:
        yield got


@pytest.fixture
def queue(engine: Engine, people: dict[str, int]) -> QueueService:
    """The desk's queue, Anna signed on to chat."""
    service = QueueService(engine, DeskConfig())
    service.staff.sign_on(people["Anna"], Channel.CHAT, now=MORNING)
    return service


def _chat(queue: QueueService, external_id: str, *, platform: str | None) -> int:
    request = ContactRequest(
        channel=Channel.CHAT, received_at=MORNING, external_id=external_id, text="Hei"
    )
    return queue.intake(request, received_from=platform).item_id


def _events(engine: Engine) -> list[OutboxEvent]:
    with Session(engine) as session:
        return list(session.exec(select(OutboxEvent).order_by(col(OutboxEvent.id))))


def _claimed_by(queue: QueueService, operator: int) -> int:
    item = queue.take_next(operator, Channel.CHAT, now=MORNING + timedelta(minutes=1))
    assert item is not None and item.id is not None
    return item.id


def test_an_operators_reply_to_a_platform_chat_is_one_event_of_its_transaction(
    engine: Engine, queue: QueueService, people: dict[str, int], receiver: Receiver
) -> None:
    add_integration(engine, "chat", webhook_url=receiver.url, actor=ADMIN)
    item_id = _chat(queue, "c1", platform="chat")
    _claimed_by(queue, people["Anna"])

    queue.reply(item_id, people["Anna"], "Hei, autan mielelläni.")

    events = _events(engine)
    assert [e.kind for e in events] == ["claimed", "reply"]
    body = json.loads(events[1].body)
    assert body == {
        "event_id": events[1].event_id,
        "event": "reply",
        "external_id": "c1",
        "item_id": item_id,
        "at": body["at"],
        "text": "Hei, autan mielelläni.",
    }
    assert events[1].delivered_at is None and events[1].attempts == 0


def test_a_change_that_rolls_back_leaves_no_event(
    engine: Engine,
    queue: QueueService,
    people: dict[str, int],
    receiver: Receiver,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    add_integration(engine, "chat", webhook_url=receiver.url, actor=ADMIN)
    item_id = _chat(queue, "c1", platform="chat")
    _claimed_by(queue, people["Anna"])
    written = outbox.note

    def then_fail(session: Session, *args: Any, **kwargs: Any) -> OutboxEvent | None:
        assert written(session, *args, **kwargs) is not None
        session.flush()
        raise RuntimeError("the disk is gone")

    monkeypatch.setattr(outbox, "note", then_fail)
    with pytest.raises(RuntimeError):
        queue.reply(item_id, people["Anna"], "Hei")

    assert [e.kind for e in _events(engine)] == ["claimed"]
    with Session(engine) as session:
        lines = session.exec(select(TranscriptLine).where(TranscriptLine.item_id == item_id))
        assert [line.author for line in lines] == ["client"]


def test_only_items_of_a_platform_with_a_webhook_make_events(
    engine: Engine, queue: QueueService, people: dict[str, int], receiver: Receiver
) -> None:
    add_integration(engine, "pbx", actor=ADMIN)  # no webhook
    add_integration(engine, "chat", webhook_url=receiver.url, actor=ADMIN)
    ours = _chat(queue, "desk-own", platform=None)
    theirs = _chat(queue, "pbx-1", platform="pbx")
    revoked = _chat(queue, "chat-1", platform="chat")
    revoke_integration(engine, "chat", actor=ADMIN)
    for item_id in (ours, theirs, revoked):
        assert _claimed_by(queue, people["Anna"]) == item_id
        queue.reply(item_id, people["Anna"], "Hei")
        queue.close(item_id, people["Anna"])

    assert _events(engine) == []
    with Session(engine) as session:
        item = session.get(QueueItem, revoked)
        assert item is not None and item.integration_id is not None


def test_each_event_is_delivered_once_signed_and_in_order_after_the_platform_was_down(
    engine: Engine, queue: QueueService, people: dict[str, int], receiver: Receiver
) -> None:
    receiver.failures = 2
    secret = add_integration(engine, "chat", webhook_url=receiver.url, actor=ADMIN).webhook_secret
    first = _chat(queue, "c1", platform="chat")
    second = _chat(queue, "c2", platform="chat")
    for item_id in (first, second):
        _claimed_by(queue, people["Anna"])
        queue.reply(item_id, people["Anna"], f"Vastaus {item_id}", now=MORNING)
        queue.close(item_id, people["Anna"])
    written = {e.event_id: e for e in _events(engine)}
    now = utcnow() + timedelta(seconds=1)

    down = outbox.send_due(engine, clock=lambda: now, jitter=lambda: 0.0)
    later = outbox.send_due(engine, clock=lambda: now + timedelta(seconds=2), jitter=lambda: 0.0)
    nothing_left = outbox.send_due(engine, clock=lambda: now + timedelta(hours=1))

    assert (down.delivered, down.failed) == (0, 2)  # the first event of each item, refused
    assert (later.delivered, later.failed) == (6, 0)
    assert nothing_left == outbox.SendReport()
    delivered = [json.loads(body) for _, body in receiver.accepted]
    assert sorted(b["event_id"] for b in delivered) == sorted(written)  # each exactly once
    for item_id in (first, second):
        kinds = [b["event"] for b in delivered if b["item_id"] == item_id]
        assert kinds == ["claimed", "reply", "ended"]
    for headers, body in receiver.accepted:
        timestamp = headers["X-Ohjaus-Timestamp"]
        expected = hmac.new(
            bytes.fromhex(secret), timestamp.encode() + b"." + body, hashlib.sha256
        ).hexdigest()
        assert hmac.compare_digest(headers["X-Ohjaus-Signature"], f"sha256={expected}")
        assert headers["X-Ohjaus-Event-Id"] == json.loads(body)["event_id"]
        assert headers["Content-Type"].startswith("application/json")
    rows = {e.event_id: e for e in _events(engine)}
    retried = [e for e in rows.values() if e.attempts == 2]
    assert len(retried) == 2 and all(e.kind == "claimed" for e in retried)
    assert all(e.delivered_at is not None for e in rows.values())


def test_a_refused_event_waits_its_back_off_and_keeps_its_error(
    engine: Engine, queue: QueueService, people: dict[str, int], receiver: Receiver
) -> None:
    receiver.failures = 10
    add_integration(engine, "chat", webhook_url=receiver.url, actor=ADMIN)
    _chat(queue, "c1", platform="chat")
    _claimed_by(queue, people["Anna"])
    now = utcnow() + timedelta(seconds=1)

    outbox.send_due(engine, clock=lambda: now, jitter=lambda: 0.0)
    outbox.send_due(engine, clock=lambda: now + timedelta(seconds=1), jitter=lambda: 0.0)
    outbox.send_due(engine, clock=lambda: now + timedelta(seconds=2), jitter=lambda: 0.0)

    (event,) = _events(engine)
    assert event.attempts == 2 and event.delivered_at is None
    assert event.next_attempt_at == now + timedelta(seconds=2 + 4)
    assert event.last_error == "HTTP 503"
    with Session(engine) as session:
        (counts,) = repo.counts(session=session)
    assert (counts.integration, counts.pending, counts.failing, counts.delivered) == (
        "chat",
        1,
        1,
        0,
    )
    assert counts.next_attempt_at == event.next_attempt_at


def test_an_event_whose_sender_stopped_mid_post_goes_again_with_its_event_id(
    engine: Engine, queue: QueueService, people: dict[str, int], receiver: Receiver
) -> None:
    add_integration(engine, "chat", webhook_url=receiver.url, actor=ADMIN)
    _chat(queue, "c1", platform="chat")
    _claimed_by(queue, people["Anna"])
    now = utcnow() + timedelta(seconds=1)
    with write_session(engine) as session:  # a sender took it, and stopped before marking
        (taken,) = repo.due(session=session, now=now, limit=10)
        repo.postpone(session=session, ids=[taken.id], until=now + outbox.LEASE)

    meanwhile = outbox.send_due(engine, clock=lambda: now + timedelta(seconds=5))
    after = outbox.send_due(engine, clock=lambda: now + outbox.LEASE)

    assert (meanwhile.delivered, after.delivered) == (0, 1)
    ((headers, _),) = receiver.accepted
    assert headers["X-Ohjaus-Event-Id"] == taken.event_id


def test_an_unreachable_webhook_is_an_attempt_with_the_connections_error(
    engine: Engine, queue: QueueService, people: dict[str, int]
) -> None:
    add_integration(engine, "chat", webhook_url="http://127.0.0.1:9/closed", actor=ADMIN)
    _chat(queue, "c1", platform="chat")
    _claimed_by(queue, people["Anna"])
    now = utcnow() + timedelta(seconds=1)

    report = outbox.send_due(engine, clock=lambda: now, jitter=lambda: 0.0)

    (event,) = _events(engine)
    assert (report.failed, event.attempts) == (1, 1)
    assert event.last_error is not None and event.last_error.startswith("URLError")


def test_the_purge_deletes_delivered_events_and_keeps_those_still_due(
    engine: Engine, queue: QueueService, people: dict[str, int], receiver: Receiver
) -> None:
    """A delivered event's body holds the reply's text: it goes with the purge; one not yet
    delivered stays, however old, so that nothing is lost."""
    from ohjaus_tui.services import retention

    add_integration(engine, "chat", webhook_url=receiver.url, actor=ADMIN)
    item_id = _chat(queue, "c1", platform="chat")
    _claimed_by(queue, people["Anna"])
    queue.reply(item_id, people["Anna"], "Hei, autan mielelläni.")
    [claimed, reply] = _events(engine)
    with write_session(engine) as session:
        delivered = session.get(OutboxEvent, claimed.id)
        assert delivered is not None
        delivered.delivered_at = MORNING + timedelta(minutes=2)
        session.add(delivered)

    retention.purge(engine, days=30, actor=ADMIN, now=MORNING + timedelta(days=31))

    assert [event.id for event in _events(engine)] == [reply.id]
