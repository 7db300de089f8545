"""The team lead's picture of the desk: queues, deadlines, staffing, today's traffic,
and the rest of today against the staff signed on.

:func:`board_snapshot` reads everything the lead board shows in one short
read-only session: a handful of grouped counts, whatever the size of the desk.
The forecast for the rest of today comes from the desk's history, which the
caller reads once a day (:func:`~ohjaus_tui.services.planner.read_history`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import Engine
from sqlmodel import Session

from ohjaus_tui.db import board as repo
from ohjaus_tui.db.operators import list_operators
from ohjaus_tui.domain.calendar import DeskCalendar
from ohjaus_tui.domain.codes import Channel, QueueStatus
from ohjaus_tui.domain.planner import Targets
from ohjaus_tui.domain.today import TodayAhead, WaitingCallback, today_ahead
from ohjaus_tui.services.desk_config import DeskConfig
from ohjaus_tui.services.followups import FollowUpView, list_follow_ups
from ohjaus_tui.services.planner import DeskHistory
from ohjaus_tui.services.staffing import ChannelStaff, Staffing, read_staffing

DUE_SOON = timedelta(hours=2)
"""A message whose deadline is this close is listed as near due."""


@dataclass(frozen=True)
class ChannelQueue:
    channel: Channel
    waiting: int = 0
    claimed: int = 0
    oldest_waiting: datetime | None = None
    """Arrival of the longest-waiting item (the screen ticks the wait from it)."""

    def longest_wait(self, now: datetime) -> timedelta | None:
        return None if self.oldest_waiting is None else now - self.oldest_waiting


@dataclass(frozen=True)
class DueMessage:
    item_id: int
    received_at: datetime
    due_at: datetime
    handler: str | None
    """Who has it open, or None while it waits."""
    past_due: bool


@dataclass(frozen=True)
class ChannelToday:
    channel: Channel
    offered: int = 0
    """Items received today (local day)."""
    answered: int = 0
    """Of those, answered (a callback reached, a chat or message replied to)."""
    abandoned: int = 0
    """Of those, ended without contact (the client left, callbacks gave up)."""
    logged: int = 0
    """Contacts written to the log today, whenever they started."""


@dataclass(frozen=True)
class BoardSnapshot:
    taken_at: datetime
    day: date
    """The desk's local date the "today" counts are of."""
    queues: tuple[ChannelQueue, ...]
    due: tuple[DueMessage, ...]
    staffing: Staffing
    today: tuple[ChannelToday, ...]
    ahead: TodayAhead | None = None
    """The rest of today: forecast, people needed and callbacks at risk (None without
    the desk's history)."""
    follow_ups: tuple[FollowUpView, ...] = ()
    """Open follow-ups whose window starts today or started before (late when it ended)."""

    @property
    def staff(self) -> tuple[ChannelStaff, ...]:
        return self.staffing.channels

    @property
    def unstaffed_open(self) -> list[Channel]:
        return self.staffing.unstaffed_open


def local_day_range(day: date, calendar: DeskCalendar) -> tuple[datetime, datetime]:
    """The UTC instants ``[start, end)`` of a local day in the desk's zone."""
    start = datetime.combine(day, time(0), tzinfo=calendar.tz)
    end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=calendar.tz)
    return start.astimezone(UTC), end.astimezone(UTC)


def board_snapshot(
    engine: Engine,
    *,
    now: datetime,
    config: DeskConfig,
    due_within: timedelta = DUE_SOON,
    history: DeskHistory | None = None,
    targets: Targets | None = None,
) -> BoardSnapshot:
    """Everything the lead board shows, as of ``now``; with the desk's ``history``, the
    rest of today against the staff signed on (to the plan's ``targets``)."""
    calendar = config.calendar
    day = now.astimezone(calendar.tz).date()
    start, end = local_day_range(day, calendar)
    with Session(engine) as session:
        names = {o.id: o.name for o in list_operators(session=session) if o.id is not None}
        queue_rows = {r.channel: r for r in repo.queue_by_channel(session=session)}
        traffic = {
            r.channel: r for r in repo.traffic_by_channel(session=session, start=start, end=end)
        }
        logged = repo.logged_by_channel(session=session, start=start, end=end)
        due_items = repo.messages_due_before(session=session, before=now + due_within)
        staffing = read_staffing(session, now=now, config=config, names=names)
        callbacks = repo.waiting_callbacks(session=session) if history is not None else []
    queues = tuple(
        ChannelQueue(c, r.waiting, r.claimed, r.oldest_waiting)
        if (r := queue_rows.get(c.value))
        else ChannelQueue(c)
        for c in Channel
    )
    due = tuple(
        DueMessage(
            item_id=item.id,
            received_at=item.received_at,
            due_at=item.due_at,
            handler=names.get(item.claimed_by_id)
            if item.status == QueueStatus.CLAIMED.value and item.claimed_by_id is not None
            else None,
            past_due=now >= item.due_at,
        )
        for item in due_items
        if item.id is not None and item.due_at is not None
    )
    today = tuple(
        ChannelToday(
            channel=c,
            offered=t.offered if (t := traffic.get(c.value)) else 0,
            answered=t.answered if t else 0,
            abandoned=t.abandoned if t else 0,
            logged=logged.get(c.value, 0),
        )
        for c in Channel
    )
    ahead = None
    if history is not None:
        ahead = today_ahead(
            history.forecast,
            calendar,
            history.handling,
            targets or Targets(),
            now=now,
            on_duty={staff.channel: len(staff.people) for staff in staffing.channels},
            waiting=[WaitingCallback(*callback) for callback in callbacks],
        )
    return BoardSnapshot(
        taken_at=now,
        day=day,
        queues=queues,
        due=due,
        staffing=staffing,
        today=today,
        ahead=ahead,
        follow_ups=tuple(list_follow_ups(engine, due_before=end)),
    )
