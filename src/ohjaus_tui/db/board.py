"""What the lead board counts: the queue now and today's traffic, by channel.

Keyword-only functions over a caller's session. Each aggregates with
``GROUP BY`` and conditional counts over a half-open UTC range ``[start,
end)``, so the board costs a handful of small result rows however busy the
desk is. The SQL is the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func
from sqlmodel import Session, col, select

from ohjaus_tui.db.models import ContactLog, QueueItem
from ohjaus_tui.db.queue import ACTIVE_STATUSES
from ohjaus_tui.domain.codes import Channel, QueueStatus


@dataclass(frozen=True)
class QueueRow:
    """One channel's active queue."""

    channel: str
    waiting: int
    claimed: int
    oldest_waiting: datetime | None
    """When the longest-waiting item was received."""


@dataclass(frozen=True)
class TrafficRow:
    """One channel's items received in a range, and what became of them."""

    channel: str
    offered: int
    answered: int
    abandoned: int


def _in_range(column: Any, start: datetime, end: datetime) -> ColumnElement[bool]:
    return and_(col(column) >= start, col(column) < end)


def _when(condition: ColumnElement[bool]) -> Any:
    """``count(CASE WHEN condition THEN 1 END)``: how many rows meet it."""
    return func.count(case((condition, 1)))


def queue_by_channel(*, session: Session) -> list[QueueRow]:
    """Waiting and claimed items per channel, and the oldest waiting item's arrival."""
    rows = session.exec(
        select(QueueItem.channel, QueueItem.status, func.count(), func.min(QueueItem.received_at))
        .where(col(QueueItem.status).in_(ACTIVE_STATUSES))
        .group_by(col(QueueItem.channel), col(QueueItem.status))
    ).all()
    counts: dict[str, dict[str, int]] = {}
    oldest: dict[str, datetime] = {}
    for channel, status, count, first in rows:
        counts.setdefault(channel, {})[status] = int(count)
        if status == QueueStatus.WAITING.value:
            oldest[channel] = first
    return [
        QueueRow(
            channel=channel,
            waiting=by_status.get(QueueStatus.WAITING.value, 0),
            claimed=by_status.get(QueueStatus.CLAIMED.value, 0),
            oldest_waiting=oldest.get(channel),
        )
        for channel, by_status in counts.items()
    ]


def traffic_by_channel(*, session: Session, start: datetime, end: datetime) -> list[TrafficRow]:
    """Items received in ``[start, end)`` per channel: offered, answered, abandoned."""
    rows = session.exec(
        select(
            QueueItem.channel,
            func.count(),
            _when(col(QueueItem.first_answered_at).is_not(None)),
            _when(col(QueueItem.status) == QueueStatus.ABANDONED.value),
        )
        .where(_in_range(QueueItem.received_at, start, end))
        .group_by(col(QueueItem.channel))
    ).all()
    return [
        TrafficRow(channel, int(offered), int(answered), int(abandoned))
        for channel, offered, answered, abandoned in rows
    ]


def logged_by_channel(*, session: Session, start: datetime, end: datetime) -> dict[str, int]:
    """Contacts written to the log in ``[start, end)``, per channel."""
    rows = session.exec(
        select(ContactLog.channel, func.count())
        .where(_in_range(ContactLog.logged_at, start, end))
        .group_by(col(ContactLog.channel))
    ).all()
    return {channel: int(count) for channel, count in rows}


def messages_due_before(*, session: Session, before: datetime) -> Sequence[QueueItem]:
    """Active electronic messages whose deadline falls before ``before``, soonest first."""
    return session.exec(
        select(QueueItem)
        .where(
            QueueItem.channel == Channel.MESSAGE.value,
            col(QueueItem.status).in_(ACTIVE_STATUSES),
            col(QueueItem.due_at) < before,
        )
        .order_by(col(QueueItem.due_at), col(QueueItem.id))
    ).all()


def waiting_callbacks(*, session: Session) -> list[tuple[int, datetime, datetime]]:
    """``(id, available, due)`` of the waiting callbacks, in the order they are given out
    (as :func:`~ohjaus_tui.db.queue.next_waiting` takes them)."""
    rows = session.exec(
        select(QueueItem.id, QueueItem.available_at, QueueItem.due_at)
        .where(
            QueueItem.channel == Channel.PHONE.value,
            QueueItem.status == QueueStatus.WAITING.value,
            col(QueueItem.due_at).is_not(None),
        )
        .order_by(col(QueueItem.available_at), col(QueueItem.received_at), col(QueueItem.id))
    ).all()
    return [(item_id, available, due) for item_id, available, due in rows if item_id and due]
