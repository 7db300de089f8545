"""The desk's calendar as desk data: weekly hours per channel and exceptional days.

Every front end reads the calendar from here, so that two workstations, the
command line and the report agree on whether the desk is open. An admin sets
it (``ohjaus hours set|except``); each change is audited.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Engine
from sqlmodel import Session

from ohjaus_tui.db import hours as repo
from ohjaus_tui.db.audit import record
from ohjaus_tui.db.engine import write_session
from ohjaus_tui.domain.calendar import HELSINKI, DayHours, DeskCalendar, OpeningHours, utcnow
from ohjaus_tui.domain.codes import Channel, Role
from ohjaus_tui.errors import BadInput, refuse_identity_code
from ohjaus_tui.services.actor import Actor
from ohjaus_tui.words import N_

MAX_DAYS = 366
"""The most days one ``hours except`` sets or removes at once."""
REASON_LENGTH = 200


def load_calendar(engine: Engine, tz: ZoneInfo = HELSINKI) -> DeskCalendar:
    """The desk's calendar as stored (two small reads)."""
    with Session(engine) as session:
        return read_calendar(session, tz)


def read_calendar(session: Session, tz: ZoneInfo = HELSINKI) -> DeskCalendar:
    weekly = {
        Channel(channel): OpeningHours.parse(text)
        for channel, text in repo.weekly_hours(session=session).items()
        if channel in Channel.__members__.values()
    }
    days = {
        (row.day, Channel(row.channel)): DayHours.parse(row.hours, row.reason)
        for row in repo.exceptional_days(session=session)
        if row.channel in Channel.__members__.values()
    }
    return DeskCalendar(weekly, tz=tz, days=days)


def set_hours(
    engine: Engine, channels: Sequence[Channel], hours: OpeningHours, *, actor: Actor
) -> None:
    """The weekly hours of ``channels`` (admin)."""
    actor.require(Role.ADMIN, N_("action.hours"))
    now = utcnow()
    with write_session(engine) as session:
        for channel in channels:
            repo.put_hours(session=session, channel=channel.value, hours=str(hours), now=now)
            record(
                session=session,
                actor=actor.name,
                operator_id=actor.operator_id,
                action="hours.set",
                entity="hours",
                entity_id=channel.value,
                detail={"hours": str(hours)},
            )


def day_span(first: date, last: date | None) -> list[date]:
    """The days from ``first`` to ``last`` (inclusive); BadInput for a span backwards or
    longer than :data:`MAX_DAYS`."""
    last = last or first
    if last < first:
        raise BadInput(code="hours.span_backwards", first=first.isoformat(), last=last.isoformat())
    count = (last - first).days + 1
    if count > MAX_DAYS:
        raise BadInput(code="hours.span_too_long", days=count, most=MAX_DAYS)
    return [first + timedelta(days=offset) for offset in range(count)]


def set_days(
    engine: Engine,
    days: Sequence[date],
    channels: Sequence[Channel],
    hours: DayHours,
    *,
    actor: Actor,
) -> int:
    """Make ``days`` exceptional for ``channels``: closed, or open ``hours`` (admin).

    Replaces what those days held before; returns the number of day-channel pairs set.
    """
    actor.require(Role.ADMIN, N_("action.hours"))
    reason = hours.reason.strip()
    refuse_identity_code(reason, code="hours.reason_hetu")
    if len(reason) > REASON_LENGTH:
        raise BadInput(code="hours.reason_too_long", most=REASON_LENGTH)
    now = utcnow()
    with write_session(engine) as session:
        for day in days:
            for channel in channels:
                repo.put_day(
                    session=session,
                    day=day,
                    channel=channel.value,
                    hours=hours.range_text,
                    reason=reason,
                    now=now,
                )
        record(
            session=session,
            actor=actor.name,
            operator_id=actor.operator_id,
            action="hours.except",
            entity="hours",
            entity_id=_span_id(days),
            detail={
                "channels": [channel.value for channel in channels],
                "hours": hours.range_text or "closed",
                "reason": reason,
            },
        )
    return len(days) * len(channels)


def remove_days(
    engine: Engine, days: Sequence[date], channels: Sequence[Channel], *, actor: Actor
) -> int:
    """The usual hours again on ``days`` for ``channels`` (admin); the pairs removed."""
    actor.require(Role.ADMIN, N_("action.hours"))
    with write_session(engine) as session:
        removed = repo.remove_days(
            session=session, days=days, channels=[channel.value for channel in channels]
        )
        if removed:
            record(
                session=session,
                actor=actor.name,
                operator_id=actor.operator_id,
                action="hours.except_removed",
                entity="hours",
                entity_id=_span_id(days),
                detail={"channels": [channel.value for channel in channels]},
            )
    return removed


def _span_id(days: Sequence[date]) -> str:
    first, last = min(days), max(days)
    return first.isoformat() if first == last else f"{first.isoformat()}/{last.isoformat()}"
