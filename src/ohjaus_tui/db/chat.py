"""The resident's chat page's reads and writes: its lines' own ids, the feedback a
resident gives when the desk ends the chat, and the figures of the chat queue that
the page's estimate of the wait comes from."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, update
from sqlmodel import Session, col, select

from ohjaus_tui.db.models import ChatFeedback, ContactLog, QueueItem, TranscriptLine
from ohjaus_tui.domain.codes import Channel, QueueStatus

FEEDBACK_SCALE = 5
"""The page's smileys: 1 to 5."""


def line_by_ref(*, session: Session, item_id: int, client_ref: str) -> TranscriptLine | None:
    return session.exec(
        select(TranscriptLine).where(
            TranscriptLine.item_id == item_id, TranscriptLine.client_ref == client_ref
        )
    ).first()


def mark_seen(*, session: Session, item_id: int, at: datetime) -> None:
    """The resident of a chat still going was there at ``at``. Leaves ``updated_at`` as
    it is: no page has anything new to show."""
    session.execute(
        update(QueueItem)
        .where(
            col(QueueItem.id) == item_id,
            col(QueueItem.client_left_at).is_(None),
            col(QueueItem.status).not_in((QueueStatus.CLOSED.value, QueueStatus.ABANDONED.value)),
        )
        .values(resident_seen_at=at)
    )


def feedback_of(*, session: Session, item_id: int) -> ChatFeedback | None:
    return session.get(ChatFeedback, item_id)


def add_feedback(*, session: Session, feedback: ChatFeedback) -> ChatFeedback:
    session.add(feedback)
    session.flush()
    return feedback


def contacts_of_item(*, session: Session, item_id: int) -> Sequence[ContactLog]:
    return session.exec(select(ContactLog).where(ContactLog.item_id == item_id)).all()


def copy_feedback(feedback: ChatFeedback, contact: ContactLog) -> bool:
    """Give ``contact`` the resident's feedback unless it has a score of its own (the
    operator asked and wrote one down); True when it did."""
    if contact.feedback_score is not None:
        return False
    contact.feedback_scale = FEEDBACK_SCALE
    contact.feedback_score = feedback.score
    contact.helped = feedback.helped if contact.helped is None else contact.helped
    contact.feedback_text = contact.feedback_text or feedback.text
    return True


def waiting_chats(*, session: Session, now: datetime) -> list[int]:
    """The waiting chats' ids in the order the desk takes them (as ``next_waiting``)."""
    return [
        int(item_id)
        for item_id in session.exec(
            select(QueueItem.id)
            .where(
                QueueItem.status == QueueStatus.WAITING.value,
                QueueItem.channel == Channel.CHAT.value,
                col(QueueItem.available_at) <= now,
            )
            .order_by(col(QueueItem.available_at), col(QueueItem.received_at), col(QueueItem.id))
        ).all()
        if item_id is not None
    ]


def chats_answered(*, session: Session, since: datetime, until: datetime) -> int:
    """How many chats an operator first answered in ``[since, until)``."""
    return int(
        session.exec(
            select(func.count()).where(
                QueueItem.channel == Channel.CHAT.value,
                col(QueueItem.first_answered_at) >= since,
                col(QueueItem.first_answered_at) < until,
            )
        ).one()
    )


def chats_changed_since(*, session: Session, since: datetime) -> list[tuple[int, datetime]]:
    """The chats stamped after ``since``: their ids and stamps."""
    rows = session.exec(
        select(QueueItem.id, QueueItem.updated_at).where(
            QueueItem.channel == Channel.CHAT.value, col(QueueItem.updated_at) > since
        )
    ).all()
    return [(int(item_id), stamp) for item_id, stamp in rows if item_id is not None]
