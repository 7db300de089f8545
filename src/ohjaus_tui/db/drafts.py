"""Contact-logging forms in progress (``form_draft``), one per operator and queue item.

Keyword-only functions over a caller's session; the caller owns the
transaction (see :func:`ohjaus_tui.db.engine.write_session`). ``data`` is
the form's state as JSON text: what it holds is the form's business.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete
from sqlmodel import Session, col, select

from ohjaus_tui.db.models import ContactLog, FormDraft

IN_CHUNK = 500


def _same_item(item_id: int | None) -> Any:
    column = col(FormDraft.item_id)
    return column.is_(None) if item_id is None else column == item_id


def get_draft(*, session: Session, operator_id: int, item_id: int | None) -> FormDraft | None:
    query = select(FormDraft).where(FormDraft.operator_id == operator_id, _same_item(item_id))
    return session.exec(query).first()


def upsert_draft(
    *, session: Session, operator_id: int, item_id: int | None, data: str, now: datetime
) -> FormDraft:
    """Store the form's state, replacing the one kept before for this item."""
    draft = get_draft(session=session, operator_id=operator_id, item_id=item_id)
    if draft is None:
        draft = FormDraft(operator_id=operator_id, item_id=item_id, data=data, updated_at=now)
    else:
        draft.data = data
        draft.updated_at = now
    session.add(draft)
    session.flush()
    return draft


def list_drafts(*, session: Session, operator_id: int) -> Sequence[FormDraft]:
    """The operator's drafts, the most recently changed first."""
    query = (
        select(FormDraft)
        .where(FormDraft.operator_id == operator_id)
        .order_by(col(FormDraft.updated_at).desc(), col(FormDraft.id).desc())
    )
    return session.exec(query).all()


def delete_draft(*, session: Session, operator_id: int, item_id: int | None) -> int:
    """Remove the draft of this item; returns how many rows went (0 or 1)."""
    statement = delete(FormDraft).where(
        col(FormDraft.operator_id) == operator_id, _same_item(item_id)
    )
    result = session.execute(statement)
    return int(getattr(result, "rowcount", 0) or 0)


def logged_items(*, session: Session, item_ids: Collection[int]) -> set[int]:
    """Those of ``item_ids`` that a contact has been logged for."""
    found: set[int] = set()
    ordered = sorted(set(item_ids))
    for first in range(0, len(ordered), IN_CHUNK):
        chunk = ordered[first : first + IN_CHUNK]
        query = select(ContactLog.item_id).where(col(ContactLog.item_id).in_(chunk)).distinct()
        found.update(item_id for item_id in session.exec(query) if item_id is not None)
    return found
