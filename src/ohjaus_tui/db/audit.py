"""The audit trail: rows are added, never changed or removed by the program."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlmodel import Session

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
    session.add(event)
    return event


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
