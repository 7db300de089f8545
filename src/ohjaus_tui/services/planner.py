"""The lead's staffing plan: the desk's own history read, a week planned from it.

The history is the whole weeks before the planned week, and never the week
running now (it has not ended): ``weeks`` of them. The handling times are
measured over the same weeks' handled contacts (domain/planner.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import Engine
from sqlmodel import Session

from ohjaus_tui.db.planning import arrivals_by_hour, handled_items
from ohjaus_tui.domain.calendar import DeskCalendar, utcnow
from ohjaus_tui.domain.codes import Channel, Role
from ohjaus_tui.domain.forecast import Forecast, History
from ohjaus_tui.domain.period import Period
from ohjaus_tui.domain.planner import (
    Handling,
    Targets,
    Team,
    WeekPlan,
    handling_seconds,
    handling_times,
    plan_week,
)
from ohjaus_tui.services.actor import Actor
from ohjaus_tui.words import N_

DEFAULT_WEEKS = 6
MOST_WEEKS = 104


@dataclass(frozen=True)
class DeskHistory:
    """What the desk's past says: the forecast of its arrivals and its handling times."""

    forecast: Forecast
    handling: dict[Channel, Handling]


def history_days(before: date, today: date, weeks: int) -> tuple[date, date]:
    """The first and last day of the ``weeks`` whole weeks before ``before``'s week,
    or before the week of ``today`` when that is earlier."""
    if not 1 <= weeks <= MOST_WEEKS:
        raise ValueError(f"a history of 1 to {MOST_WEEKS} weeks")
    monday = min(before - timedelta(days=before.weekday()), today - timedelta(days=today.weekday()))
    return monday - timedelta(weeks=weeks), monday - timedelta(days=1)


def read_history(engine: Engine, *, first: date, last: date, calendar: DeskCalendar) -> DeskHistory:
    """Arrivals per channel, local day and hour, and the handling times, of days
    ``first`` to ``last`` in the calendar's zone."""
    start = _midnight(first, calendar)
    end = _midnight(last + timedelta(days=1), calendar)
    with Session(engine) as session:
        counted = arrivals_by_hour(session=session, start=start, end=end)
        handled = handled_items(session=session, start=start, end=end)
    arrivals: dict[tuple[Channel, date, int], int] = {}
    for code, hour, count in counted:
        channel = _channel(code)
        if channel is None:
            continue
        local = hour.astimezone(calendar.tz)  # Finland is a whole number of hours from UTC
        key = (channel, local.date(), local.hour)
        arrivals[key] = arrivals.get(key, 0) + count
    durations: dict[Channel, list[float]] = {channel: [] for channel in Channel}
    for code, claimed, closed, logged in handled:
        channel = _channel(code)
        seconds = handling_seconds(claimed, closed, logged)
        if channel is not None and seconds is not None:
            durations[channel].append(seconds)
    history = History(first, last, arrivals)
    return DeskHistory(Forecast(history, calendar), handling_times(durations))


def staffing_plan(
    engine: Engine,
    week: Period,
    *,
    calendar: DeskCalendar,
    actor: Actor,
    weeks: int = DEFAULT_WEEKS,
    targets: Targets | None = None,
    team: Team | None = None,
    now: datetime | None = None,
) -> WeekPlan:
    """The people ``week`` needs per channel and hour (a lead's), from ``weeks`` of history;
    with a ``team``, the opening hours it can keep."""
    actor.require(Role.LEAD, N_("plan.action"))
    today = (now or utcnow()).astimezone(calendar.tz).date()
    first, last = history_days(week.start, today, weeks)
    past = read_history(engine, first=first, last=last, calendar=calendar)
    return plan_week(week, past.forecast, calendar, past.handling, targets or Targets(), team)


def _channel(code: str) -> Channel | None:
    try:
        return Channel(code)
    except ValueError:
        return None


def _midnight(day: date, calendar: DeskCalendar) -> datetime:
    return datetime.combine(day, time(0), tzinfo=calendar.tz).astimezone(UTC)
