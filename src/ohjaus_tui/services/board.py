"""The team lead's picture of the desk: queues, deadlines, staffing, today's traffic.

:func:`board_snapshot` reads everything the lead board shows in one short
read-only session: a handful of grouped counts, whatever the size of the desk.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import Engine
from sqlmodel import Session

from ohjaus_tui.db import board as repo
from ohjaus_tui.db.operators import list_operators
from ohjaus_tui.db.queue import open_sign_ons
from ohjaus_tui.domain.calendar import DeskCalendar
from ohjaus_tui.domain.codes import Channel, QueueStatus
from ohjaus_tui.services.queue import QueueConfig

DUE_SOON = timedelta(hours=2)
"""A message whose deadline is this close is listed as near due."""
STALE_AFTER = QueueConfig.sign_on_stale_after
"""A sign-on whose workstation has not been seen for this long is not counted."""


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
class OnDuty:
    name: str
    since: datetime
    override_reason: str | None = None
    """Set when a lead let this person on phone and chat at once."""
    overridden_by: str | None = None


@dataclass(frozen=True)
class ChannelStaff:
    channel: Channel
    people: tuple[OnDuty, ...]
    open_now: bool
    next_opening: datetime

    @property
    def unstaffed(self) -> bool:
        """Open, and nobody on it."""
        return self.open_now and not self.people


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
    staff: tuple[ChannelStaff, ...]
    today: tuple[ChannelToday, ...]

    @property
    def unstaffed_open(self) -> list[Channel]:
        return [s.channel for s in self.staff if s.unstaffed]


def local_day_range(day: date, calendar: DeskCalendar) -> tuple[datetime, datetime]:
    """The UTC instants ``[start, end)`` of a local day in the desk's zone."""
    start = datetime.combine(day, time(0), tzinfo=calendar.tz)
    end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=calendar.tz)
    return start.astimezone(UTC), end.astimezone(UTC)


def board_snapshot(
    engine: Engine,
    *,
    now: datetime,
    calendar: DeskCalendar,
    due_within: timedelta = DUE_SOON,
    stale_after: timedelta = STALE_AFTER,
) -> BoardSnapshot:
    """Everything the lead board shows, as of ``now``."""
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
        sign_ons = open_sign_ons(session=session, fresh_since=now - stale_after)

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
    people: dict[Channel, dict[str, OnDuty]] = {c: {} for c in Channel}
    for sign_on, operator in sign_ons:
        try:
            on_channel = people[Channel(sign_on.channel)]
        except ValueError:
            continue
        earlier = on_channel.get(operator.name)
        if earlier is None or (sign_on.override_reason and not earlier.override_reason):
            on_channel[operator.name] = OnDuty(
                name=operator.name,
                since=sign_on.signed_on_at,
                override_reason=sign_on.override_reason,
                overridden_by=names.get(sign_on.overridden_by_id)
                if sign_on.overridden_by_id is not None
                else None,
            )
    staff = tuple(
        ChannelStaff(
            channel=c,
            people=tuple(people[c].values()),
            open_now=calendar.is_open(c, now),
            next_opening=calendar.next_opening(c, now),
        )
        for c in Channel
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
    return BoardSnapshot(taken_at=now, day=day, queues=queues, due=due, staff=staff, today=today)
