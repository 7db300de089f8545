"""Drafts of the contact-logging form: nothing typed is lost.

The workstation saves the form's state as it changes, so that a form in
progress survives a crash, a closed terminal or a lost SSH session, and
offers it back at the next sign-in. A draft never keeps a henkilötunnus:
every text in it is masked before it is stored (the log, and so its drafts,
is not a patient record).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session

from ohjaus_tui.db import drafts as repo
from ohjaus_tui.db.engine import write_session
from ohjaus_tui.domain.calendar import utcnow
from ohjaus_tui.domain.privacy import mask_henkilotunnus

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Draft:
    """A form in progress: whose, for which queue item, and its state."""

    operator_id: int
    item_id: int | None
    updated_at: datetime
    data: dict[str, Any]


def masked(value: Any) -> Any:
    """``value`` (JSON-like) with every henkilötunnus in its texts masked."""
    if isinstance(value, str):
        return mask_henkilotunnus(value)
    if isinstance(value, Mapping):
        return {key: masked(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [masked(item) for item in value]
    return value


def save_draft(
    engine: Engine,
    operator_id: int,
    item_id: int | None,
    data: Mapping[str, Any],
    *,
    now: datetime | None = None,
) -> None:
    """Keep the form's state (JSON-serialisable) for this operator and item."""
    text = json.dumps(masked(data), ensure_ascii=False, sort_keys=True)
    with write_session(engine) as session:
        repo.upsert_draft(
            session=session,
            operator_id=operator_id,
            item_id=item_id,
            data=text,
            now=now or utcnow(),
        )


def load_drafts(engine: Engine, operator_id: int) -> list[Draft]:
    """The operator's drafts, the most recently changed first.

    A draft whose item has a logged contact already (the workstation stopped
    between logging and removing the draft) is removed, not offered: its
    contact would count twice. A draft whose text is not readable is left
    in place and skipped.
    """
    with Session(engine) as session:
        rows = list(repo.list_drafts(session=session, operator_id=operator_id))
        logged = repo.logged_items(
            session=session, item_ids=[row.item_id for row in rows if row.item_id is not None]
        )
    drafts: list[Draft] = []
    for row in rows:
        if row.item_id is not None and row.item_id in logged:
            delete_draft(engine, operator_id, row.item_id)
            continue
        try:
            data = json.loads(row.data)
        except ValueError:
            log.warning("draft %s of operator %s is not JSON; skipped", row.id, operator_id)
            continue
        if not isinstance(data, dict):
            log.warning("draft %s of operator %s is not an object; skipped", row.id, operator_id)
            continue
        drafts.append(Draft(operator_id, row.item_id, row.updated_at, data))
    return drafts


def delete_draft(engine: Engine, operator_id: int, item_id: int | None) -> bool:
    """Remove the draft of this item (the contact is logged); True if there was one."""
    with write_session(engine) as session:
        return repo.delete_draft(session=session, operator_id=operator_id, item_id=item_id) > 0
