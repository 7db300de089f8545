"""What the staffing plan reads of the past: arrivals per hour and handling times.

Keyword-only functions over a caller's session, each over a half-open UTC
range ``[start, end)`` of the queue items' ``received_at``. The arrivals are
counted by the database (``GROUP BY`` channel and UTC hour, the report's
:func:`~ohjaus_tui.db.reports.hour_bucket`); the handled items are read one
row each, a few weeks of them.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, func, select
from sqlmodel import Session, col

from ohjaus_tui.db.models import ContactLog, QueueItem
from ohjaus_tui.db.reports import hour_bucket, hour_of
from ohjaus_tui.domain.codes import QueueStatus


def arrivals_by_hour(
    *, session: Session, start: datetime, end: datetime
) -> list[tuple[str, datetime, int]]:
    """``(channel, UTC hour, items received)`` for each channel's hours that have any."""
    bucket = hour_bucket(col(QueueItem.received_at), session.get_bind().dialect.name)
    query = (
        select(col(QueueItem.channel), bucket.label("hour"), func.count())
        .where(col(QueueItem.received_at) >= start, col(QueueItem.received_at) < end)
        .group_by(col(QueueItem.channel), bucket)
    )
    rows = session.connection().execute(query).all()
    return [(channel, hour_of(hour), int(count)) for channel, hour, count in rows]


def handled_items(
    *, session: Session, start: datetime, end: datetime
) -> list[tuple[str, datetime, datetime, datetime | None]]:
    """``(channel, claimed, closed, logged)`` of each item received in the range and
    closed by an operator, with the first contact logged of it (None if none was)."""
    logged = func.min(col(ContactLog.logged_at))
    query = (
        select(
            col(QueueItem.channel),
            col(QueueItem.claimed_at),
            col(QueueItem.closed_at),
            logged,
        )
        .outerjoin(ContactLog, col(ContactLog.item_id) == col(QueueItem.id))
        .where(
            col(QueueItem.received_at) >= start,
            col(QueueItem.received_at) < end,
            col(QueueItem.status) == QueueStatus.CLOSED.value,
            and_(col(QueueItem.claimed_at).is_not(None), col(QueueItem.closed_at).is_not(None)),
        )
        .group_by(
            col(QueueItem.id),
            col(QueueItem.channel),
            col(QueueItem.claimed_at),
            col(QueueItem.closed_at),
        )
    )
    return [(c, claimed, closed, first) for c, claimed, closed, first in session.execute(query)]
