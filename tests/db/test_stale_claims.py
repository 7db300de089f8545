"""A claim whose workstation vanished returns to the queue after the claim timeout."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from ohjaus_tui.db.engine import write_session
from ohjaus_tui.db.models import AuditEvent, Operator, QueueItem
from ohjaus_tui.domain.codes import Channel, QueueStatus, Role
from ohjaus_tui.domain.intake import ContactRequest
from ohjaus_tui.services.desk import Desk, DeskSession
from ohjaus_tui.services.desk_config import DeskConfig
from ohjaus_tui.services.desk_values import Person, QueueUpdate
from ohjaus_tui.services.queue import CLAIM_TIMEOUT, QueueService
from ohjaus_tui.settings import Settings

HKI = ZoneInfo("Europe/Helsinki")
# Tuesday 2025-03-04, the desk open 09-15.
DAY = datetime(2025, 3, 4, tzinfo=HKI)
TIMEOUT = timedelta(minutes=30)


def at(hour: int, minute: int = 0, second: int = 0) -> datetime:
    return DAY.replace(hour=hour, minute=minute, second=second)


@pytest.fixture
def queue(engine: Engine) -> QueueService:
    return QueueService(engine, DeskConfig(claim_timeout=TIMEOUT))


@pytest.fixture
def staff(engine: Engine) -> dict[str, int]:
    """Anna and Mikko, written directly (how people are added is not the point here)."""
    with write_session(engine) as session:
        rows = [Operator(name=name, role="operator") for name in ("Anna", "Mikko")]
        session.add_all(rows)
        session.flush()
        return {row.name: row.id for row in rows if row.id is not None}


def callback(queue: QueueService, received: datetime) -> int:
    request = ContactRequest(
        channel=Channel.PHONE, received_at=received, callback_number="040 123 4567"
    )
    return queue.intake(request).item_id


def claimed_by_anna(queue: QueueService, staff: dict[str, int]) -> int:
    """Anna signs on at 9:30 and takes the callback that arrived at 9:00."""
    item_id = callback(queue, at(9))
    queue.staff.sign_on(staff["Anna"], Channel.PHONE, now=at(9, 30))
    taken = queue.take_next(staff["Anna"], Channel.PHONE, now=at(9, 30))
    assert taken is not None and taken.id == item_id
    return item_id


def status(queue: QueueService, item_id: int) -> QueueItem:
    item = queue.item(item_id)
    assert item is not None
    return item


def reclaims(engine: Engine) -> list[AuditEvent]:
    with Session(engine) as session:
        return list(
            session.exec(
                select(AuditEvent)
                .where(AuditEvent.action == "queue.reclaim")
                .order_by(col(AuditEvent.id))
            ).all()
        )


def test_a_silent_workstations_claim_returns_after_the_timeout_and_not_before(
    queue: QueueService, staff: dict[str, int]
) -> None:
    item_id = claimed_by_anna(queue, staff)  # then Anna's workstation stops heartbeating

    assert queue.release_stale_claims(now=at(9, 45)) == 0
    assert queue.release_stale_claims(now=at(10, 0)) == 0  # exactly the timeout: not yet
    assert status(queue, item_id).status == QueueStatus.CLAIMED.value

    assert queue.release_stale_claims(now=at(10, 0, 1)) == 1
    item = status(queue, item_id)
    assert item.status == QueueStatus.WAITING.value
    assert item.claimed_by_id is None
    assert item.claimed_at is None
    assert item.available_at == at(9)  # its old place
    assert queue.release_stale_claims(now=at(10, 5)) == 0  # once


def test_the_reclaim_is_in_the_audit_trail_naming_whose_claim_lapsed(
    engine: Engine, queue: QueueService, staff: dict[str, int]
) -> None:
    item_id = claimed_by_anna(queue, staff)
    queue.release_stale_claims(now=at(10, 1))

    [event] = reclaims(engine)
    assert event.actor == CLAIM_TIMEOUT.name == "ohjaus:claim-timeout"
    assert event.operator_id is None  # the program did it, not a person
    assert event.entity == "queue_item"
    assert event.entity_id == str(item_id)
    detail = json.loads(event.detail or "{}")
    assert detail["operator"] == "Anna"
    assert detail["operator_id"] == staff["Anna"]
    assert detail["channel"] == "phone"
    assert datetime.fromisoformat(detail["claimed_at"]) == at(9, 30)


def test_a_heartbeating_operators_claim_never_lapses(
    queue: QueueService, staff: dict[str, int]
) -> None:
    item_id = claimed_by_anna(queue, staff)
    for minute in range(0, 3 * 60, 10):  # a three-hour call, the workstation alive
        beat = at(9, 30) + timedelta(minutes=minute)
        queue.staff.heartbeat(staff["Anna"], now=beat)
        assert queue.release_stale_claims(now=beat + timedelta(seconds=30)) == 0
    assert status(queue, item_id).claimed_by_id == staff["Anna"]


def test_a_signed_off_operators_claim_lapses_too(
    queue: QueueService, staff: dict[str, int]
) -> None:
    item_id = claimed_by_anna(queue, staff)
    queue.staff.heartbeat(staff["Anna"], now=at(9, 55))
    queue.staff.sign_off(staff["Anna"], now=at(9, 55))  # closed the workstation, item in hand
    queue.staff.heartbeat(staff["Anna"], now=at(10, 0))  # no open sign-on: nothing to refresh

    assert queue.release_stale_claims(now=at(9, 59)) == 0  # the claim is not old enough
    assert queue.release_stale_claims(now=at(10, 1)) == 1
    assert status(queue, item_id).status == QueueStatus.WAITING.value


def test_a_sign_on_on_another_channel_keeps_the_operator_present(
    queue: QueueService, staff: dict[str, int]
) -> None:
    item_id = claimed_by_anna(queue, staff)
    queue.staff.sign_on(staff["Anna"], Channel.MESSAGE, now=at(9, 40))
    queue.staff.sign_off(staff["Anna"], Channel.PHONE, now=at(9, 40))
    queue.staff.heartbeat(staff["Anna"], now=at(10, 30))

    assert queue.release_stale_claims(now=at(10, 45)) == 0
    assert status(queue, item_id).claimed_by_id == staff["Anna"]


def test_the_next_operator_to_take_work_gets_the_lapsed_item(
    engine: Engine, queue: QueueService, staff: dict[str, int]
) -> None:
    lapsed = claimed_by_anna(queue, staff)
    later = [callback(queue, at(9, 10)), callback(queue, at(9, 20))]
    queue.staff.sign_on(staff["Mikko"], Channel.PHONE, now=at(9, 40))
    queue.staff.heartbeat(staff["Mikko"], now=at(10, 5))

    taken = queue.take_next(staff["Mikko"], Channel.PHONE, now=at(10, 5))  # no sweep before

    assert taken is not None and taken.id == lapsed
    assert taken.claimed_by_id == staff["Mikko"]
    assert taken.claimed_at == at(10, 5)
    [event] = reclaims(engine)
    assert json.loads(event.detail or "{}")["operator"] == "Anna"
    nxt = queue.take_next(staff["Mikko"], Channel.PHONE, now=at(10, 6))
    assert nxt is not None and nxt.id == later[0]


def test_take_next_does_not_take_from_a_present_operator(
    queue: QueueService, staff: dict[str, int]
) -> None:
    claimed_by_anna(queue, staff)
    waiting = callback(queue, at(9, 10))
    queue.staff.heartbeat(staff["Anna"], now=at(10, 4))
    queue.staff.sign_on(staff["Mikko"], Channel.PHONE, now=at(10, 5))

    taken = queue.take_next(staff["Mikko"], Channel.PHONE, now=at(10, 5))

    assert taken is not None and taken.id == waiting


def test_the_timeout_comes_from_the_settings() -> None:
    config = DeskConfig.from_settings(Settings(claim_timeout_minutes=7))
    assert config.claim_timeout == timedelta(minutes=7)
    assert DeskConfig.from_settings(Settings()).claim_timeout == timedelta(minutes=30)


def test_the_live_watcher_returns_lapsed_claims(queue: QueueService, staff: dict[str, int]) -> None:
    now = datetime.now(UTC)  # the watcher reads the wall clock
    message = ContactRequest(
        channel=Channel.MESSAGE, received_at=now - timedelta(hours=2), subject="Kysymys"
    )
    item_id = queue.intake(message).item_id  # a message waits whether the desk is open or not
    queue.staff.sign_on(staff["Anna"], Channel.MESSAGE, now=now - timedelta(hours=1))
    assert queue.take_next(staff["Anna"], Channel.MESSAGE, now=now - timedelta(hours=1))
    rounds = iter([False, True])  # one round of the loop

    desk = Desk(queue.engine, Settings())
    desk.queue = queue  # with this test's claim timeout
    mikko = Person(id=staff["Mikko"], name="Mikko", role=Role.OPERATOR, has_pin=False)
    updates: list[QueueUpdate] = []
    DeskSession(desk, mikko, Channel.MESSAGE).watch(updates.append, lambda: next(rounds))

    assert status(queue, item_id).status == QueueStatus.WAITING.value
    assert updates  # and the screens were told
