"""Consultations between the desk's professions: asked, answered, joined, read.

Keyword-only functions over a caller's session; the caller owns the
transaction (see :func:`ohjaus_tui.db.engine.write_session`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import ColumnElement, and_, or_, update
from sqlmodel import Session, col, select

from ohjaus_tui.db.models import Consultation, ContactLog


def get_consultation(
    *, session: Session, consultation_id: int, lock: bool = False
) -> Consultation | None:
    query = select(Consultation).where(Consultation.id == consultation_id)
    if lock:
        query = query.with_for_update()
    return session.exec(query).first()


def involving(
    *, session: Session, operator_id: int, profession: str | None, since: datetime
) -> Sequence[Consultation]:
    """The consultations asked since ``since`` that ``operator_id`` asked, answered, or
    may answer (addressed to them, or to anyone of their ``profession``), oldest first."""
    addressed: list[ColumnElement[bool]] = [
        col(Consultation.asker_id) == operator_id,
        col(Consultation.colleague_id) == operator_id,
        col(Consultation.answered_by_id) == operator_id,
    ]
    if profession is not None:
        addressed.append(
            and_(
                col(Consultation.colleague_id).is_(None),
                col(Consultation.profession) == profession,
            )
        )
    return session.exec(
        select(Consultation)
        .where(Consultation.asked_at >= since, or_(*addressed))
        .order_by(col(Consultation.asked_at), col(Consultation.id))
    ).all()


def settled_on_item(*, session: Session, item_id: int) -> bool:
    """True when a consultation on the item was answered or joined."""
    query = select(Consultation.id).where(
        Consultation.item_id == item_id, col(Consultation.outcome).is_not(None)
    )
    return session.exec(query.limit(1)).first() is not None


def joined(*, session: Session, operator_id: int, item_id: int) -> bool:
    """True when ``operator_id`` joined a consultation on the item."""
    query = select(Consultation.id).where(
        Consultation.item_id == item_id,
        Consultation.answered_by_id == operator_id,
        Consultation.outcome == "joined",
    )
    return session.exec(query.limit(1)).first() is not None


def mark_multi_professional(*, session: Session, item_id: int) -> None:
    """The contacts already logged of the item were multi-professional."""
    session.execute(
        update(ContactLog).where(col(ContactLog.item_id) == item_id).values(multi_professional=True)
    )
