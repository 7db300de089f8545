"""The desk's opening hours (``desk_hours``) and exceptional days (``desk_day``).

Keyword-only functions over a caller's session; the caller owns the
transaction (see :func:`ohjaus_tui.db.engine.write_session`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import delete
from sqlmodel import Session, col, select

from ohjaus_tui.db.models import DeskDay, DeskHours


def weekly_hours(*, session: Session) -> dict[str, str]:
    """Each channel's stored weekly hours, as written (``mon-fri 09:00-15:00``)."""
    return {row.channel: row.hours for row in session.exec(select(DeskHours))}


def exceptional_days(*, session: Session) -> list[DeskDay]:
    return list(session.exec(select(DeskDay).order_by(col(DeskDay.day), col(DeskDay.channel))))


def put_hours(*, session: Session, channel: str, hours: str, now: datetime) -> None:
    row = session.get(DeskHours, channel)
    if row is None:
        row = DeskHours(channel=channel, hours=hours, updated_at=now)
    else:
        row.hours, row.updated_at = hours, now
    session.add(row)


def put_day(
    *, session: Session, day: date, channel: str, hours: str | None, reason: str, now: datetime
) -> None:
    row = session.get(DeskDay, (day, channel))
    if row is None:
        row = DeskDay(day=day, channel=channel, hours=hours, reason=reason, updated_at=now)
    else:
        row.hours, row.reason, row.updated_at = hours, reason, now
    session.add(row)


def remove_days(*, session: Session, days: Sequence[date], channels: Sequence[str]) -> int:
    """Remove the exceptional days; the number of rows removed."""
    result = session.execute(
        delete(DeskDay).where(col(DeskDay.day).in_(days), col(DeskDay.channel).in_(channels))
    )
    return int(getattr(result, "rowcount", 0) or 0)
