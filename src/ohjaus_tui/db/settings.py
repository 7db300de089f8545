"""The desk's own settings (``desk_setting``): read one, or put one.

Keyword-only functions over a caller's session; the caller owns the transaction
(and the audit of a change).
"""

from __future__ import annotations

from sqlmodel import Session

from ohjaus_tui.db.models import DeskSetting
from ohjaus_tui.domain.calendar import utcnow


def get_setting(*, session: Session, name: str) -> str | None:
    """The setting called ``name`` as stored (JSON); None when the desk has none."""
    row = session.get(DeskSetting, name)
    return row.value if row is not None else None


def put_setting(*, session: Session, name: str, value: str) -> None:
    """Store ``value`` as the setting ``name``, replacing the one the desk had."""
    row = session.get(DeskSetting, name)
    if row is None:
        row = DeskSetting(name=name, value=value)
    else:
        row.value = value
        row.updated_at = utcnow()
    session.add(row)
