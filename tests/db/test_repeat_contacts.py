"""Repeat contacts: a callback number seen again within 7 days is recognised by its keyed
hash, and no longer once the purge has taken the number (SQLite and PostgreSQL)."""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from freezegun import freeze_time
from sqlalchemy import Engine, update
from sqlmodel import Session, col, select

from ohjaus_tui.db.engine import write_session
from ohjaus_tui.db.models import AuditEvent, DeskSecret, QueueItem
from ohjaus_tui.domain.calendar import utcnow
from ohjaus_tui.domain.codes import Channel, QueueStatus, Role
from ohjaus_tui.domain.intake import ContactRequest
from ohjaus_tui.domain.repeat import REPEAT_WINDOW, repeat_key
from ohjaus_tui.services.actor import Actor
from ohjaus_tui.services.desk_config import DeskConfig
from ohjaus_tui.services.desk_values import Item
from ohjaus_tui.services.queue import REPEAT_SECRET, QueueService
from ohjaus_tui.services.retention import purge

HKI = ZoneInfo("Europe/Helsinki")
MONDAY = datetime(2025, 3, 3, 10, 0, tzinfo=HKI)
NUMBER = "040 123 4567"
E164 = "+358401234567"
ADMIN = Actor("test", role=Role.ADMIN)


@pytest.fixture
def queue(engine: Engine) -> QueueService:
    return QueueService(engine, DeskConfig())


def phone(received: datetime, number: str = NUMBER) -> ContactRequest:
    return ContactRequest(channel=Channel.PHONE, received_at=received, callback_number=number)


def message(received: datetime, number: str | None = None) -> ContactRequest:
    return ContactRequest(
        channel=Channel.MESSAGE, received_at=received, subject="Kysymys", callback_number=number
    )


def stored(engine: Engine, item_id: int) -> QueueItem:
    with Session(engine) as session:
        return session.get_one(QueueItem, item_id)


def end_all(engine: Engine, at: datetime) -> None:
    """Every item closed at ``at`` (the purge takes only what has ended)."""
    with write_session(engine) as session:
        session.execute(update(QueueItem).values(status=QueueStatus.CLOSED.value, closed_at=at))


def test_the_same_number_again_within_7_days_is_one_repeat(
    engine: Engine, queue: QueueService
) -> None:
    first = queue.intake(phone(MONDAY)).item_id
    again = queue.intake(phone(MONDAY + timedelta(days=2), "+358 40 1234567")).item_id
    other = queue.intake(phone(MONDAY + timedelta(days=2), "040 765 4321")).item_id

    assert stored(engine, first).earlier_contacts == 0
    assert stored(engine, again).earlier_contacts == 1  # written another way, the same number
    assert stored(engine, other).earlier_contacts == 0
    assert stored(engine, first).repeat_key == stored(engine, again).repeat_key
    assert queue.item(again) is not None
    assert Item.of(stored(engine, again)).earlier_contacts == 1


def test_the_hash_is_keyed_with_the_desks_own_secret(engine: Engine, queue: QueueService) -> None:
    item_id = queue.intake(phone(MONDAY)).item_id

    with Session(engine) as session:
        secrets = session.exec(select(DeskSecret)).all()
    assert [secret.name for secret in secrets] == [REPEAT_SECRET]
    secret = bytes.fromhex(secrets[0].value)
    assert len(secret) == 32
    key = stored(engine, item_id).repeat_key
    assert key == hmac.new(secret, b"phone:" + E164.encode(), hashlib.sha256).hexdigest()
    assert key == repeat_key(secret, E164)
    assert key != hashlib.sha256(E164.encode()).hexdigest()  # never unkeyed
    assert E164 not in key and "401234567" not in key


def test_the_secret_is_made_once_and_kept(engine: Engine) -> None:
    first = QueueService(engine).intake(phone(MONDAY)).item_id
    later = QueueService(engine)  # another process: reads the secret the first one kept
    second = later.intake(phone(MONDAY + timedelta(hours=1))).item_id

    with Session(engine) as session:
        assert len(session.exec(select(DeskSecret)).all()) == 1
    assert stored(engine, second).earlier_contacts == 1
    assert stored(engine, first).repeat_key == stored(engine, second).repeat_key


def test_the_window_is_7_times_24_hours_back(engine: Engine, queue: QueueService) -> None:
    queue.intake(phone(MONDAY))
    edge = queue.intake(phone(MONDAY + REPEAT_WINDOW)).item_id  # exactly 7 days: still a repeat
    past = queue.intake(phone(MONDAY + REPEAT_WINDOW + timedelta(days=7, seconds=1))).item_id

    assert stored(engine, edge).earlier_contacts == 1
    assert stored(engine, past).earlier_contacts == 0  # the edge item is 7 d 1 s before it


def test_a_contact_arriving_now_counts_the_last_7_days(engine: Engine) -> None:
    """Intake stamps a request without a time with the clock: frozen on both sides of the edge."""
    queue = QueueService(engine)
    with freeze_time("2025-03-03 08:00:00"):
        queue.intake(phone(utcnow()))
    with freeze_time("2025-03-10 08:00:00"):  # 7 x 24 h later
        on_the_edge = queue.intake(phone(utcnow())).item_id
    with freeze_time("2025-03-17 08:00:01"):  # 7 x 24 h and a second after the one before
        after = queue.intake(phone(utcnow())).item_id

    assert stored(engine, on_the_edge).earlier_contacts == 1
    assert stored(engine, after).earlier_contacts == 0


def test_a_third_contact_counts_both_earlier(engine: Engine, queue: QueueService) -> None:
    queue.intake(phone(MONDAY))
    queue.intake(message(MONDAY + timedelta(days=1), NUMBER))  # a message with the same number
    third = queue.intake(phone(MONDAY + timedelta(days=3))).item_id

    assert stored(engine, third).earlier_contacts == 2


def test_an_item_without_a_number_is_not_counted(engine: Engine, queue: QueueService) -> None:
    item_id = queue.intake(message(MONDAY)).item_id

    item = stored(engine, item_id)
    assert (item.repeat_key, item.earlier_contacts) == (None, None)
    with Session(engine) as session:
        assert session.exec(select(DeskSecret)).all() == []  # nothing needed it yet


def test_after_the_purge_the_hash_is_gone_and_no_repeat_found(
    engine: Engine, queue: QueueService
) -> None:
    first = queue.intake(phone(MONDAY)).item_id
    end_all(engine, MONDAY + timedelta(hours=1))

    result = purge(engine, days=1, actor=ADMIN, now=MONDAY + timedelta(days=2))

    assert result.counts.callback_numbers == 1
    item = stored(engine, first)
    assert (item.callback_number, item.repeat_key) == (None, None)
    assert item.earlier_contacts == 0  # the count is a statistic: it stays
    again = queue.intake(phone(MONDAY + timedelta(days=3))).item_id
    assert stored(engine, again).earlier_contacts == 0


def test_neither_number_nor_hash_nor_secret_is_in_the_audit_trail(
    engine: Engine, queue: QueueService, people: dict[str, int]
) -> None:
    queue.staff.sign_on(people["Anna"], Channel.PHONE, now=MONDAY)
    queue.intake(phone(MONDAY))
    queue.intake(phone(MONDAY + timedelta(minutes=5)))
    item = queue.take_next(people["Anna"], Channel.PHONE, now=MONDAY + timedelta(minutes=6))
    assert item is not None
    queue.close(item.id or 0, people["Anna"], now=MONDAY + timedelta(minutes=9))
    end_all(engine, MONDAY + timedelta(minutes=10))
    purge(engine, days=1, actor=ADMIN, now=MONDAY + timedelta(days=2))

    with Session(engine) as session:
        key = session.exec(select(QueueItem.repeat_key)).first()
        secret = session.exec(select(DeskSecret.value)).one()
        events = session.exec(select(AuditEvent).order_by(col(AuditEvent.id))).all()
    assert key is None  # purged; what it was is recomputed here
    trail = "\n".join(f"{event.action} {event.detail}" for event in events)
    assert "queue.claim" in trail and "retention.purge" in trail
    for secret_text in (E164, "401234567", secret, repeat_key(bytes.fromhex(secret), E164)):
        assert secret_text not in trail
