"""The webhook outbox (``outbox``): events waiting for a platform, and their attempts.

Keyword-only functions over a caller's session; the caller owns the transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, case, exists, func
from sqlalchemy import select as select_columns
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from ohjaus_tui.db.models import Integration, OutboxEvent


@dataclass(frozen=True)
class Due:
    """An event a sender has taken: what to post, where, and with which key."""

    id: int
    event_id: str
    body: str
    attempts: int
    url: str
    secret: str


def due(*, session: Session, now: datetime, limit: int) -> list[Due]:
    """Undelivered events due at ``now`` whose integration is active, at most one per
    item: the oldest undelivered one, so that an item's events go out in order.

    On PostgreSQL the rows are locked, and rows another sender holds skipped."""
    earlier = aliased(OutboxEvent)
    query = (
        select(OutboxEvent, Integration.webhook_url, Integration.webhook_secret)
        .join(Integration, col(Integration.id) == col(OutboxEvent.integration_id))
        .where(
            col(OutboxEvent.delivered_at).is_(None),
            col(OutboxEvent.next_attempt_at) <= now,
            col(Integration.revoked_at).is_(None),
            col(Integration.webhook_url).is_not(None),
            col(Integration.webhook_secret).is_not(None),
            ~exists().where(
                and_(
                    col(earlier.item_id) == col(OutboxEvent.item_id),
                    col(earlier.id) < col(OutboxEvent.id),
                    col(earlier.delivered_at).is_(None),
                )
            ),
        )
        .order_by(col(OutboxEvent.id))
        .limit(limit)
        .with_for_update(skip_locked=True, of=OutboxEvent)
    )
    taken: list[Due] = []
    for row, url, secret in session.exec(query):
        assert row.id is not None and url is not None and secret is not None
        taken.append(Due(row.id, row.event_id, row.body, row.attempts, url, secret))
    return taken


def postpone(*, session: Session, ids: Sequence[int], until: datetime) -> None:
    """Move the events' next attempt to ``until`` (a sender's lease while it posts)."""
    for row in session.exec(select(OutboxEvent).where(col(OutboxEvent.id).in_(ids))):
        row.next_attempt_at = until
        session.add(row)


def delivered(*, session: Session, event_id: int, at: datetime) -> None:
    row = session.get(OutboxEvent, event_id)
    if row is not None and row.delivered_at is None:
        row.attempts += 1
        row.delivered_at = at
        row.last_error = None
        session.add(row)


def failed(*, session: Session, event_id: int, error: str, retry_at: datetime) -> int:
    """Count a failed attempt; returns how many attempts the event has had."""
    row = session.get(OutboxEvent, event_id)
    if row is None or row.delivered_at is not None:
        return 0
    row.attempts += 1
    row.last_error = error[:200]
    row.next_attempt_at = retry_at
    session.add(row)
    return row.attempts


@dataclass(frozen=True)
class Counts:
    integration: str
    pending: int
    """Not delivered yet."""
    failing: int
    """Not delivered, after a failed attempt."""
    delivered: int
    next_attempt_at: datetime | None
    last_error: str | None
    """The last error of an undelivered event, the newest first."""


def counts(*, session: Session) -> list[Counts]:
    """Per integration with a webhook or events: its events by state (no bodies)."""
    undelivered = col(OutboxEvent.delivered_at).is_(None)
    failing = and_(undelivered, col(OutboxEvent.attempts) > 0)
    query = (
        select_columns(
            col(Integration.name),
            func.count(col(OutboxEvent.id)).filter(undelivered),
            func.count(col(OutboxEvent.id)).filter(failing),
            func.count(col(OutboxEvent.id)).filter(col(OutboxEvent.delivered_at).is_not(None)),
            func.min(case((undelivered, col(OutboxEvent.next_attempt_at)))),
        )
        .select_from(Integration)
        .outerjoin(OutboxEvent, col(OutboxEvent.integration_id) == col(Integration.id))
        .where(col(Integration.webhook_url).is_not(None) | col(OutboxEvent.id).is_not(None))
        .group_by(col(Integration.id), col(Integration.name))
        .order_by(col(Integration.name))
    )
    found: list[Counts] = []
    for name, pending, failed, done, next_at in session.execute(query):
        error = session.exec(
            select(OutboxEvent.last_error)
            .join(Integration, col(Integration.id) == col(OutboxEvent.integration_id))
            .where(
                Integration.name == name,
                undelivered,
                col(OutboxEvent.last_error).is_not(None),
            )
            .order_by(col(OutboxEvent.id).desc())
            .limit(1)
        ).first()
        found.append(Counts(name, pending, failed, done, next_at, error))
    return found
