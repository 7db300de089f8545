"""Follow-ups with a named owner: their kinds, states, and the day and window they are due.

An operator schedules a follow-up during a contact: a callback or a task, on a
day and a time window, owned by themselves or a named colleague. The day is
written as the desk writes days (``4.12.``, ``4.12.2026``) or as a weekday
(``ke``, ``wed``: the next such day, today included), the window as hours
(``10-12``, ``9.30-11``); both are local wall times of the desk.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from ohjaus_tui.domain.calendar import END_OF_DAY, DayHours

MAX_DAYS_AHEAD = 92
"""How far ahead a follow-up may be scheduled (about three months)."""

_WEEKDAYS = {
    name: index
    for names in (
        ("ma", "ti", "ke", "to", "pe", "la", "su"),
        ("mon", "tue", "wed", "thu", "fri", "sat", "sun"),
        ("må", "ti", "on", "to", "fr", "lö", "sö"),
    )
    for index, name in enumerate(names)
}
_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})?$")


class FollowUpKind(StrEnum):
    CALLBACK = "callback"
    """The owner calls the resident back (the follow-up's item is a callback)."""
    TASK = "task"
    """The owner does something for the resident's matter (an item of the message channel)."""


class FollowUpStatus(StrEnum):
    OPEN = "open"
    DONE = "done"
    CANCELLED = "cancelled"


class FollowUpError(ValueError):
    """What is wrong with a day or a window; ``code`` names it for a front end."""

    def __init__(self, *, code: str, english: str, **params: object) -> None:
        super().__init__(english.format(**params))
        self.code = code
        self.params = params


def parse_day(text: str, today: date) -> date:
    """``4.12.`` (this year, or next when it has passed), ``4.12.2026``, or a weekday."""
    value = text.strip()
    weekday = _WEEKDAYS.get(value.lower().rstrip("."))
    if weekday is not None:
        return today + timedelta(days=(weekday - today.weekday()) % 7)
    match = _DATE.match(value)
    if match is None:
        raise _not_a_day(text)
    day, month, year = int(match[1]), int(match[2]), match[3]
    try:
        when = date(int(year) if year else today.year, month, day)
    except ValueError:
        raise _not_a_day(text) from None
    if year is None and when < today:
        when = when.replace(year=today.year + 1)
    return when


def _not_a_day(text: str) -> FollowUpError:
    return FollowUpError(
        code="followup.bad_day", english="{text!r} is not a day (e.g. 4.12. or ke)", text=text
    )


def parse_window(text: str) -> tuple[time, time]:
    """``10-12``, ``9.30-11``, ``10:00-12:00``: the opening and closing of the window."""
    try:
        hours = DayHours.parse(text)
    except ValueError:
        hours = DayHours()
    if hours.opens is None or hours.closes is None:
        raise FollowUpError(
            code="followup.bad_window",
            english="{text!r} is not a time window (e.g. 10-12)",
            text=text,
        )
    return hours.opens, hours.closes


@dataclass(frozen=True)
class DueWindow:
    """When a follow-up is due: from ``starts`` to ``ends`` (aware instants)."""

    starts: datetime
    ends: datetime

    @classmethod
    def of(cls, day: date, window: tuple[time, time], tz: ZoneInfo) -> DueWindow:
        opens, closes = window
        starts = datetime.combine(day, opens, tzinfo=tz)
        if closes == END_OF_DAY:
            ends = datetime.combine(day + timedelta(days=1), time(0), tzinfo=tz)
        else:
            ends = datetime.combine(day, closes, tzinfo=tz)
        return cls(starts, ends)

    def check(self, now: datetime) -> None:
        """FollowUpError unless the window ends in the future, within :data:`MAX_DAYS_AHEAD`."""
        if self.ends <= now:
            raise FollowUpError(code="followup.past", english="the window has passed already")
        if self.starts - now > timedelta(days=MAX_DAYS_AHEAD):
            raise FollowUpError(
                code="followup.too_far", english="at most {days} days ahead", days=MAX_DAYS_AHEAD
            )


def on_time(due_to: datetime, closed_at: datetime | None, status: str) -> bool | None:
    """Whether a follow-up was done by the end of its window (None: not done)."""
    if status != FollowUpStatus.DONE or closed_at is None:
        return None
    return closed_at <= due_to
