"""Queue items, their transcripts and callback attempts, and channel sign-ons.

Keyword-only functions over a caller's session; the caller owns the
transaction (see :func:`ohjaus_tui.db.engine.write_session`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import exists, func, or_
from sqlmodel import Session, col, select

from ohjaus_tui.db.models import CallbackAttempt, ChannelSignOn, Operator, QueueItem, TranscriptLine
from ohjaus_tui.domain.codes import Channel, Direction, QueueStatus

ACTIVE_STATUSES = (QueueStatus.WAITING.value, QueueStatus.CLAIMED.value)


def get_item(*, session: Session, item_id: int, lock: bool = False) -> QueueItem | None:
    query = select(QueueItem).where(QueueItem.id == item_id)
    if lock:
        query = query.with_for_update()
    return session.exec(query).first()


def find_by_external_id(*, session: Session, external_id: str) -> QueueItem | None:
    return session.exec(select(QueueItem).where(QueueItem.external_id == external_id)).first()


def count_earlier(*, session: Session, repeat_key: str, since: datetime, until: datetime) -> int:
    """Items with this ``repeat_key`` received in ``[since, until]`` (a probe of the
    ``ix_queue_item_repeat`` index)."""
    return int(
        session.exec(
            select(func.count()).where(
                QueueItem.repeat_key == repeat_key,
                col(QueueItem.received_at) >= since,
                col(QueueItem.received_at) <= until,
            )
        ).one()
    )


def next_waiting(
    *, session: Session, channel: Channel, now: datetime, operator_id: int | None = None
) -> QueueItem | None:
    """The item an operator of ``channel`` takes next, locked for this transaction.

    Callbacks and chats in order of becoming available (a retried callback
    goes behind those already waiting); messages by their due time. An item
    with an owner (a follow-up) is the owner's (``operator_id``) alone.
    """
    query = select(QueueItem).where(
        QueueItem.status == QueueStatus.WAITING.value,
        QueueItem.channel == channel.value,
        col(QueueItem.available_at) <= now,
        or_(col(QueueItem.owner_id).is_(None), col(QueueItem.owner_id) == operator_id),
    )
    if channel is Channel.MESSAGE:
        query = query.order_by(col(QueueItem.due_at), col(QueueItem.received_at), col(QueueItem.id))
    else:
        query = query.order_by(
            col(QueueItem.available_at), col(QueueItem.received_at), col(QueueItem.id)
        )
    return session.exec(query.limit(1).with_for_update(skip_locked=True)).first()


def next_owned(*, session: Session, operator_id: int, now: datetime) -> QueueItem | None:
    """The operator's own follow-up due now, whatever its channel, locked; the earliest."""
    query = (
        select(QueueItem)
        .where(
            QueueItem.status == QueueStatus.WAITING.value,
            col(QueueItem.owner_id) == operator_id,
            col(QueueItem.available_at) <= now,
        )
        .order_by(col(QueueItem.available_at), col(QueueItem.id))
    )
    return session.exec(query.limit(1).with_for_update(skip_locked=True)).first()


def active_items(*, session: Session) -> Sequence[QueueItem]:
    """Everything waiting or being handled, oldest first."""
    return session.exec(
        select(QueueItem)
        .where(col(QueueItem.status).in_(ACTIVE_STATUSES))
        .order_by(col(QueueItem.available_at), col(QueueItem.id))
    ).all()


def held_items(*, session: Session, operator_id: int) -> Sequence[QueueItem]:
    """What this operator is handling now, the longest held first."""
    return session.exec(
        select(QueueItem)
        .where(
            QueueItem.status == QueueStatus.CLAIMED.value,
            QueueItem.claimed_by_id == operator_id,
        )
        .order_by(col(QueueItem.claimed_at), col(QueueItem.id))
    ).all()


def items_changed_since(*, session: Session, since: datetime) -> Sequence[QueueItem]:
    return session.exec(
        select(QueueItem).where(col(QueueItem.updated_at) > since).order_by(col(QueueItem.id))
    ).all()


def transcript(*, session: Session, item_id: int) -> Sequence[TranscriptLine]:
    return session.exec(
        select(TranscriptLine)
        .where(TranscriptLine.item_id == item_id)
        .order_by(col(TranscriptLine.seq))
    ).all()


def add_line(
    *, session: Session, item_id: int, direction: str, author: str, text: str, at: datetime
) -> TranscriptLine:
    seq = session.exec(
        select(func.coalesce(func.max(TranscriptLine.seq), 0)).where(
            TranscriptLine.item_id == item_id
        )
    ).one()
    line = TranscriptLine(
        item_id=item_id, seq=int(seq) + 1, direction=direction, author=author, text=text, at=at
    )
    session.add(line)
    session.flush()
    return line


def reply_counts(*, session: Session, item_ids: Sequence[int]) -> dict[int, tuple[str, int]]:
    """Status and number of operator lines of each item, in one query."""
    out_lines = (
        select(TranscriptLine.item_id, func.count().label("n"))
        .where(
            col(TranscriptLine.item_id).in_(item_ids),
            TranscriptLine.direction == Direction.OUT.value,
        )
        .group_by(col(TranscriptLine.item_id))
        .subquery()
    )
    rows = session.exec(
        select(QueueItem.id, QueueItem.status, func.coalesce(out_lines.c.n, 0))
        .outerjoin(out_lines, out_lines.c.item_id == QueueItem.id)
        .where(col(QueueItem.id).in_(item_ids))
    ).all()
    return {int(item_id): (status, int(count)) for item_id, status, count in rows if item_id}


def attempts(*, session: Session, item_id: int) -> Sequence[CallbackAttempt]:
    return session.exec(
        select(CallbackAttempt)
        .where(CallbackAttempt.item_id == item_id)
        .order_by(col(CallbackAttempt.attempt_no))
    ).all()


def open_sign_ons(
    *, session: Session, fresh_since: datetime | None = None, operator_id: int | None = None
) -> Sequence[tuple[ChannelSignOn, Operator]]:
    """Sign-ons not ended; with ``fresh_since``, only those whose workstation was
    seen since then (a crashed workstation's sign-on goes stale, not away)."""
    query = (
        select(ChannelSignOn, Operator)
        .join(Operator, col(Operator.id) == ChannelSignOn.operator_id)
        .where(col(ChannelSignOn.signed_off_at).is_(None))
        .order_by(col(ChannelSignOn.signed_on_at))
    )
    if fresh_since is not None:
        query = query.where(col(ChannelSignOn.last_seen_at) >= fresh_since)
    if operator_id is not None:
        query = query.where(ChannelSignOn.operator_id == operator_id)
    return session.exec(query).all()


def lapsed_claims(*, session: Session, cutoff: datetime, lock: bool = False) -> Sequence[QueueItem]:
    """Items claimed before ``cutoff`` by an operator who is gone: one without an
    open sign-on seen after ``cutoff`` (a crashed or switched-off workstation
    stops heartbeating; a signed-off operator has no open sign-on).

    With ``lock``, the items are locked for this transaction; an item another
    transaction holds (its operator acting on it right now) is skipped.
    """
    seen_since = exists().where(
        col(ChannelSignOn.operator_id) == col(QueueItem.claimed_by_id),
        col(ChannelSignOn.signed_off_at).is_(None),
        col(ChannelSignOn.last_seen_at) > cutoff,
    )
    query = (
        select(QueueItem)
        .where(
            QueueItem.status == QueueStatus.CLAIMED.value,
            col(QueueItem.claimed_at) < cutoff,
            ~seen_since,
        )
        .order_by(col(QueueItem.id))
    )
    if lock:
        query = query.with_for_update(skip_locked=True)
    return session.exec(query).all()
