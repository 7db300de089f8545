"""Data minimisation: the rows the retention purge counts and changes.

Keyword-only functions over a caller's session; the caller owns the
transaction (see :mod:`ohjaus_tui.services.retention`). Each function looks
only at rows older than ``cutoff`` and never touches a column that a report
reads: channels, statuses, codes, flags and every timestamp stay as they were.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from sqlalchemy import ColumnElement, CursorResult, and_, delete, func, or_, select, update
from sqlmodel import Session, col

from ohjaus_tui.db.models import (
    AuditEvent,
    ChatFeedback,
    Consultation,
    ContactLog,
    FollowUp,
    FormDraft,
    OutboxEvent,
    QueueItem,
    TranscriptLine,
)
from ohjaus_tui.domain.codes import QueueStatus

PURGE_ACTION = "retention.purge"
"""The audit action of a purge; the daily guard looks for the newest one."""

ENDED_STATUSES = (QueueStatus.CLOSED.value, QueueStatus.ABANDONED.value)
"""Only items that have ended are purged; waiting and claimed ones never are."""


def _items_due(cutoff: datetime) -> ColumnElement[bool]:
    """Queue items that ended before ``cutoff`` and have not been purged yet."""
    return and_(
        col(QueueItem.status).in_(ENDED_STATUSES),
        col(QueueItem.closed_at) < cutoff,
        col(QueueItem.purged_at).is_(None),
    )


def _lines_due(cutoff: datetime) -> ColumnElement[bool]:
    items = select(col(QueueItem.id)).where(_items_due(cutoff))
    return and_(col(TranscriptLine.item_id).in_(items), col(TranscriptLine.text) != "")


def _contacts_due(cutoff: datetime) -> ColumnElement[bool]:
    return and_(
        col(ContactLog.logged_at) < cutoff,
        or_(col(ContactLog.note).is_not(None), col(ContactLog.feedback_text).is_not(None)),
    )


def _consultations_due(cutoff: datetime) -> ColumnElement[bool]:
    """Consultations on items due (or on an item gone, asked before ``cutoff``) whose
    question or answer is still there."""
    items = select(col(QueueItem.id)).where(_items_due(cutoff))
    return and_(
        or_(
            col(Consultation.item_id).in_(items),
            and_(col(Consultation.item_id).is_(None), col(Consultation.asked_at) < cutoff),
        ),
        or_(col(Consultation.question).is_not(None), col(Consultation.answer).is_not(None)),
    )


def _drafts_due(cutoff: datetime) -> ColumnElement[bool]:
    return col(FormDraft.updated_at) < cutoff


def _count(session: Session, model: Any, where: ColumnElement[bool]) -> int:
    return int(session.execute(select(func.count()).select_from(model).where(where)).scalar_one())


def _changed(session: Session, statement: Any) -> int:
    result = cast(CursorResult[Any], session.execute(statement))
    return int(result.rowcount)


def count_items(*, session: Session, cutoff: datetime) -> int:
    return _count(session, QueueItem, _items_due(cutoff))


def count_callback_numbers(*, session: Session, cutoff: datetime) -> int:
    return _count(
        session, QueueItem, and_(_items_due(cutoff), col(QueueItem.callback_number).is_not(None))
    )


def count_transcript_lines(*, session: Session, cutoff: datetime) -> int:
    return _count(session, TranscriptLine, _lines_due(cutoff))


def _feedback_due(cutoff: datetime) -> ColumnElement[bool]:
    """A resident's feedback on a chat, given before ``cutoff``, with its free text."""
    return and_(col(ChatFeedback.given_at) < cutoff, col(ChatFeedback.text).is_not(None))


def count_contacts(*, session: Session, cutoff: datetime) -> int:
    """Contacts and chat feedback whose free texts :func:`clear_contact_texts` clears."""
    return _count(session, ContactLog, _contacts_due(cutoff)) + _count(
        session, ChatFeedback, _feedback_due(cutoff)
    )


def count_consultations(*, session: Session, cutoff: datetime) -> int:
    return _count(session, Consultation, _consultations_due(cutoff))


def clear_consultation_texts(*, session: Session, cutoff: datetime, now: datetime) -> int:
    """Clear the question and answer of the consultations due; who asked whom, and when,
    stay (the report counts them). Run before :func:`purge_items`, like the lines."""
    return _changed(
        session,
        update(Consultation)
        .where(_consultations_due(cutoff))
        .values(question=None, answer=None, purged_at=now)
        .execution_options(synchronize_session=False),
    )


def count_drafts(*, session: Session, cutoff: datetime) -> int:
    return _count(session, FormDraft, _drafts_due(cutoff))


def blank_transcript_lines(*, session: Session, cutoff: datetime) -> int:
    """Empty the text of the lines of items due; their order, direction and times stay.

    Run before :func:`purge_items`, which marks the items purged.
    """
    return _changed(
        session,
        update(TranscriptLine)
        .where(_lines_due(cutoff))
        .values(text="")
        .execution_options(synchronize_session=False),
    )


def purge_items(*, session: Session, cutoff: datetime, now: datetime) -> int:
    """Clear the callback number (and its keyed hash), subject and text of items due and
    stamp ``purged_at``; the count of earlier contacts stays (it names no one).

    ``updated_at`` is left alone: it tells workstations what changed on the live
    board, and an item that ended weeks ago is not on it.
    """
    return _changed(
        session,
        update(QueueItem)
        .where(_items_due(cutoff))
        .values(callback_number=None, repeat_key=None, subject=None, text=None, purged_at=now)
        .execution_options(synchronize_session=False),
    )


def clear_contact_texts(*, session: Session, cutoff: datetime) -> int:
    """Clear the free texts (note, feedback text) of contacts logged before ``cutoff``, and
    the text of the residents' feedback on their chats given before it."""
    contacts = _changed(
        session,
        update(ContactLog)
        .where(_contacts_due(cutoff))
        .values(note=None, feedback_text=None)
        .execution_options(synchronize_session=False),
    )
    return contacts + _changed(
        session,
        update(ChatFeedback)
        .where(_feedback_due(cutoff))
        .values(text=None)
        .execution_options(synchronize_session=False),
    )


def clear_follow_up_notes(*, session: Session, cutoff: datetime) -> int:
    """Clear the notes of follow-ups done or cancelled before ``cutoff`` (an open one keeps
    its note, as its item keeps its number)."""
    return _changed(
        session,
        update(FollowUp)
        .where(
            col(FollowUp.status) != "open",
            col(FollowUp.closed_at) < cutoff,
            col(FollowUp.note).is_not(None),
        )
        .values(note=None)
        .execution_options(synchronize_session=False),
    )


def delete_delivered_events(*, session: Session, cutoff: datetime) -> int:
    """Delete the webhook events delivered before ``cutoff``: their bodies hold replies'
    text, and a delivered event is of no further use. Undelivered ones stay, however old."""
    return _changed(
        session,
        delete(OutboxEvent)
        .where(col(OutboxEvent.delivered_at) < cutoff)
        .execution_options(synchronize_session=False),
    )


def delete_drafts(*, session: Session, cutoff: datetime) -> int:
    """Delete contact-form drafts last saved before ``cutoff``."""
    return _changed(
        session,
        delete(FormDraft).where(_drafts_due(cutoff)).execution_options(synchronize_session=False),
    )


def last_purge_at(*, session: Session) -> datetime | None:
    """When the newest purge ran; None when none has.

    Walks the ``at`` index from the newest event back to the first purge, so it
    reads about a day's events when purges run daily.
    """
    return session.execute(
        select(col(AuditEvent.at))
        .where(col(AuditEvent.action) == PURGE_ACTION)
        .order_by(col(AuditEvent.at).desc())
        .limit(1)
    ).scalar_one_or_none()
