"""The audit trail: rows are added, never changed or removed.

The database refuses to change or remove a row (triggers on both engines,
see the migration that added them), and each row carries ``chain``: a
SHA-256 over the row before it and its own content. A row changed, removed
or put in afterwards behind the database's back breaks the chain there,
which :func:`first_broken_link` finds (``ohjaus audit verify``).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import text
from sqlmodel import Session, col, select

from ohjaus_tui.db.models import AuditEvent
from ohjaus_tui.domain.calendar import utcnow
from ohjaus_tui.domain.privacy import mask_henkilotunnus


def record(
    *,
    session: Session,
    actor: str,
    action: str,
    entity: str | None = None,
    entity_id: object | None = None,
    operator_id: int | None = None,
    detail: Mapping[str, Any] | None = None,
    at: datetime | None = None,
) -> AuditEvent:
    """Add one event to the trail within the caller's transaction (``at``: now).

    What the event quotes (a name, a reason, a query's values, a file's path)
    is kept with any identity code in it masked: the trail is read by many.
    """
    tail = _tail(session)
    if tail is None:
        _lock_the_trail(session)
    event = AuditEvent(
        actor=mask_henkilotunnus(actor),
        action=mask_henkilotunnus(action),
        entity=entity,
        entity_id=None if entity_id is None else mask_henkilotunnus(str(entity_id)),
        operator_id=operator_id,
        at=at or utcnow(),
        detail=json.dumps(_masked(detail), ensure_ascii=False, sort_keys=True, default=str)
        if detail
        else None,
    )
    event.chain = link(tail.chain if tail is not None else _last_link(session), event)
    session.add(event)
    session.info[_TAIL] = (session.get_transaction(), event)
    return event


_TAIL = "audit_tail"
"""Where a session keeps the last row it added to the trail (see :func:`_tail`)."""


def _tail(session: Session) -> AuditEvent | None:
    """The row this transaction added to the trail last: the next row links to it without
    reading the trail again, and the trail is locked already (a transaction holds the
    lock to its end). None in another transaction, and when that row went with a
    savepoint rolled back (SQLAlchemy then takes it out of the session)."""
    kept = session.info.get(_TAIL)
    if kept is None:
        return None
    transaction, event = kept
    if transaction is None or transaction is not session.get_transaction():
        return None
    return event if event in session else None


GENESIS = "0" * 64
"""What the first row links to."""
_TRAIL_LOCK = 0x6F686A61
"""The PostgreSQL advisory lock that lets one transaction at a time extend the chain."""


def link(previous: str | None, event: AuditEvent) -> str:
    """The row's link: SHA-256 over the previous row's link and this row's content."""
    at = event.at.astimezone(UTC).isoformat(timespec="microseconds")
    content = [
        previous or GENESIS,
        at,
        event.operator_id,
        event.actor,
        event.action,
        event.entity,
        event.entity_id,
        event.detail,
    ]
    body = json.dumps(content, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def _lock_the_trail(session: Session) -> None:
    """Writers extend the chain one at a time (SQLite: the write lock does this).

    The transaction's pending changes are written first (explicitly, not left to
    autoflush): the rows they lock are then always locked before the trail is, in
    every transaction, so that no two wait for each other (one holding the trail,
    the other a row it needs).
    """
    bind = session.get_bind()
    if bind.dialect.name == "postgresql":
        session.flush()
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _TRAIL_LOCK})


def _last_link(session: Session) -> str | None:
    """The newest row's link (rows added in this transaction are flushed first)."""
    return session.exec(
        select(AuditEvent.chain).order_by(col(AuditEvent.id).desc()).limit(1)
    ).first()


@dataclass(frozen=True)
class ChainCheck:
    rows: int
    """Rows checked."""
    broken_at: int | None
    """The id of the first row whose link does not follow (None: the chain holds)."""


def first_broken_link(events: Iterable[AuditEvent]) -> ChainCheck:
    """Walk ``events`` (oldest first) and find the first row that breaks the chain."""
    previous: str | None = None
    rows = 0
    for event in events:
        rows += 1
        if event.chain != link(previous, event):
            return ChainCheck(rows=rows, broken_at=event.id)
        previous = event.chain
    return ChainCheck(rows=rows, broken_at=None)


def _masked(value: Any) -> Any:
    """``value`` with every text in it (keys too, at any depth) masked."""
    if isinstance(value, str):
        return mask_henkilotunnus(value)
    if isinstance(value, Mapping):
        return {_masked(str(key)): _masked(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_masked(item) for item in value]
    if isinstance(value, int | float | bool) or value is None:
        return value
    return mask_henkilotunnus(str(value))  # a date, a path: as it would print
