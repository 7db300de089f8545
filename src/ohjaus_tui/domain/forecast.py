"""Expected arrivals per channel and local hour, from the desk's own history.

The forecast of a channel's hour on a day is the mean of that hour over the
history's days of the same kind: for a day the channel is open, the days of
the same weekday it was open (a public holiday in the history does not pull
the Monday down); for a day it is closed (a weekend, a holiday), its closed
days of the same weekday, or else all its closed days (a holiday Thursday
gets messages as a Sunday does). Where the history has no day of the kind,
the forecast falls back to all the channel's days of that kind, and then to
nothing. Days before the first recorded arrival of the history are not
counted: a desk that started recording three weeks ago has three weeks.

Whether a channel is open is asked of the desk calendar for each quarter of
an hour, so that hours such as 08:30-15:00 and the calendar's closed days
(public holidays, exceptional days) are honoured as they are.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from ohjaus_tui.domain.calendar import END_OF_DAY, DeskCalendar
from ohjaus_tui.domain.codes import Channel

HOURS = range(24)
QUARTERS = (0, 15, 30, 45)
"""The minutes of an hour at which the calendar is asked whether a channel is open."""


class OpenHours:
    """How much of each local hour a channel is open, asked of a calendar once."""

    def __init__(self, calendar: DeskCalendar) -> None:
        self.calendar = calendar
        self._quarters: dict[tuple[Channel, date], tuple[bool, ...]] = {}

    def _open_quarters(self, channel: Channel, day: date) -> tuple[bool, ...]:
        key = (channel, day)
        if key not in self._quarters:
            tz = self.calendar.tz
            self._quarters[key] = tuple(
                self.calendar.is_open(channel, datetime.combine(day, time(hour, minute), tz))
                for hour in HOURS
                for minute in QUARTERS
            )
        return self._quarters[key]

    def share(self, channel: Channel, day: date, hour: int) -> float:
        """The share of the local hour ``hour`` of ``day`` the channel is open (0 to 1)."""
        quarters = self._open_quarters(channel, day)
        start = hour * len(QUARTERS)
        return sum(quarters[start : start + len(QUARTERS)]) / len(QUARTERS)

    def is_open_day(self, channel: Channel, day: date) -> bool:
        """Open at some time of ``day``."""
        return any(self._open_quarters(channel, day))

    def open_hours(self, channel: Channel, day: date) -> list[int]:
        """The local hours of ``day`` the channel is open in, at least in part."""
        return [hour for hour in HOURS if self.share(channel, day, hour) > 0]

    def span(self, channel: Channel, day: date, first: int, end: int) -> tuple[time, time]:
        """When the channel is open within the hours ``first`` to ``end`` (exclusive):
        from its first open quarter to the end of its last one."""
        quarters = self._open_quarters(channel, day)
        step = len(QUARTERS)
        indices = [i for i in range(first * step, end * step) if quarters[i]]
        if not indices:
            raise ValueError(f"{channel} is not open on {day} between {first} and {end}")
        opens, last = indices[0], indices[-1] + 1
        return _quarter_time(opens), _quarter_time(last)


def _quarter_time(index: int) -> time:
    if index >= len(HOURS) * len(QUARTERS):
        return END_OF_DAY
    hour, quarter = divmod(index, len(QUARTERS))
    return time(hour, QUARTERS[quarter])


@dataclass(frozen=True)
class History:
    """Arrivals of each channel per local day and hour, over local days ``first`` to ``last``."""

    first: date
    last: date
    arrivals: Mapping[tuple[Channel, date, int], int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.last < self.first:
            raise ValueError("a history ends on or after the day it starts")

    @property
    def days(self) -> list[date]:
        """The days counted: from the first with any arrival (or ``first``) to ``last``."""
        recorded = [day for _, day, _ in self.arrivals if self.first <= day <= self.last]
        start = min(recorded, default=self.first)
        return [start + timedelta(days=n) for n in range((self.last - start).days + 1)]

    @property
    def weeks(self) -> float:
        return len(self.days) / 7


class Forecast:
    """The expected arrivals of each channel in each local hour of any day."""

    def __init__(self, history: History, calendar: DeskCalendar) -> None:
        self.history = history
        self.calendar = calendar
        self.hours = OpenHours(calendar)
        self._days = history.days
        self._means: dict[tuple[Channel, bool, int | None], tuple[float, ...]] = {}

    def day(self, channel: Channel, day: date) -> tuple[float, ...]:
        """The 24 hours of ``day``: the expected arrivals of each."""
        is_open = self.hours.is_open_day(channel, day)
        for weekday in (day.weekday(), None):
            mean = self._mean(channel, is_open, weekday)
            if mean is not None:
                return mean
        return (0.0,) * len(HOURS)

    def at(self, channel: Channel, day: date, hour: int) -> float:
        return self.day(channel, day)[hour]

    def _mean(
        self, channel: Channel, is_open: bool, weekday: int | None
    ) -> tuple[float, ...] | None:
        key = (channel, is_open, weekday)
        if key not in self._means:
            pool = [
                day
                for day in self._days
                if self.hours.is_open_day(channel, day) == is_open
                and (weekday is None or day.weekday() == weekday)
            ]
            if not pool:
                return None
            arrivals = self.history.arrivals
            self._means[key] = tuple(
                sum(arrivals.get((channel, day, hour), 0) for day in pool) / len(pool)
                for hour in HOURS
            )
        return self._means[key]
