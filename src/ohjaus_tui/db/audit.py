"""The audit trail: rows are added, never changed or removed by the program."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlmodel import Session

from ohjaus_tui.db.models import AuditEvent
from ohjaus_tui.domain.calendar import utcnow


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
    """Add one event to the trail within the caller's transaction (``at``: now)."""
    event = AuditEvent(
        actor=actor,
        action=action,
        entity=entity,
        entity_id=None if entity_id is None else str(entity_id),
        operator_id=operator_id,
        at=at or utcnow(),
        detail=json.dumps(detail, ensure_ascii=False, sort_keys=True, default=str)
        if detail
        else None,
    )
    session.add(event)
    return event
