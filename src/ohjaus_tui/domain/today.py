"""The rest of today: the forecast against the people signed on, and the callbacks at risk.

The lead board's live reading. For each open hour left today, the contacts
the desk's history forecasts (:class:`~ohjaus_tui.domain.forecast.Forecast`,
the week plan's own) and the people each real-time channel needs, counted as
the plan counts them (:func:`~ohjaus_tui.domain.planner.chat_people`,
:func:`~ohjaus_tui.domain.planner.phone_people`): the chat by its answer-time
target, the phone enough people, from now to closing, to call back every
callback waiting and every one forecast to come before the line closes
(terveydenhuoltolaki 51 §).

A waiting callback is at risk when, at the current pace, its call would not
start before its deadline: the callbacks are called in the queue's order, by
the people on the phone now, each taking the measured handling time (of
which ``occupancy``); the first ones are called at once. Those being called
now are not counted. Pure computation.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from ohjaus_tui.domain.calendar import DeskCalendar
from ohjaus_tui.domain.codes import Channel
from ohjaus_tui.domain.forecast import HOURS, Forecast, OpenHours
from ohjaus_tui.domain.planner import HOUR, Handling, Targets, chat_people, phone_people


@dataclass(frozen=True)
class WaitingCallback:
    """A callback in the queue, in the order the queue gives them out."""

    item_id: int
    available_at: datetime
    due_at: datetime


@dataclass(frozen=True)
class CallbackAtRisk:
    item_id: int
    due_at: datetime
    called_at: datetime | None
    """When its call would start at the current pace; None: nobody is on the phone."""


@dataclass(frozen=True)
class HourAhead:
    hour: int
    arrivals: Mapping[Channel, float]
    """Contacts forecast in what is left of the hour."""
    needed: Mapping[Channel, int]
    """People phone and chat need in the hour (0 where closed)."""


@dataclass(frozen=True)
class TodayAhead:
    hours: tuple[HourAhead, ...]
    """The hours left today in which a channel is open, the current one first."""
    on_duty: Mapping[Channel, int]
    """People signed on to each channel now."""
    callbacks_waiting: int
    """Callbacks in the queue due by today's closing."""
    at_risk: tuple[CallbackAtRisk, ...]
    """Of those, the ones whose call would start too late at the current pace."""

    def needed_now(self, channel: Channel) -> int:
        """People the channel needs in the current hour (0 when it is closed now)."""
        if not self.hours:
            return 0
        return self.hours[0].needed.get(channel, 0)

    def short(self, channel: Channel) -> int:
        """People the channel lacks now."""
        return max(0, self.needed_now(channel) - self.on_duty.get(channel, 0))


def today_ahead(
    forecast: Forecast,
    calendar: DeskCalendar,
    handling: Mapping[Channel, Handling],
    targets: Targets,
    *,
    now: datetime,
    on_duty: Mapping[Channel, int],
    waiting: Sequence[WaitingCallback],
) -> TodayAhead:
    """The rest of the local day of ``now``; ``waiting``: the phone queue in its order."""
    hours = forecast.hours if forecast.calendar is calendar else OpenHours(calendar)
    local = now.astimezone(calendar.tz)
    day = local.date()
    elapsed = (local.minute * 60 + local.second) / HOUR
    phone_aht = handling[Channel.PHONE].seconds
    ahead: list[tuple[int, dict[Channel, float], dict[Channel, float], int]] = []
    phone_work: list[float] = []
    phone_time: list[float] = []
    for hour in HOURS[local.hour :]:
        share = {channel: hours.share(channel, day, hour) for channel in Channel}
        if not any(share.values()):
            continue
        left = 1 - elapsed if hour == local.hour else 1.0
        arrivals = {c: forecast.at(c, day, hour) * left for c in Channel}
        chat = 0
        if share[Channel.CHAT] > 0:
            per_hour = forecast.at(Channel.CHAT, day, hour) / share[Channel.CHAT]
            chat = chat_people(per_hour, handling[Channel.CHAT].seconds, targets)[0]
        if share[Channel.PHONE] > 0:
            phone_work.append(arrivals[Channel.PHONE] * phone_aht)
            phone_time.append(share[Channel.PHONE] * left)
        ahead.append((hour, arrivals, share, chat))
    due_today = [w for w in waiting if w.due_at.astimezone(calendar.tz).date() <= day]
    phone = 0
    if phone_time:
        waiting_work = len(due_today) * phone_aht
        phone = phone_people(waiting_work, phone_work, phone_time, targets.occupancy)
    rows = tuple(
        HourAhead(
            hour=hour,
            arrivals=arrivals,
            needed={
                Channel.PHONE: phone if share[Channel.PHONE] > 0 else 0,
                Channel.CHAT: chat,
            },
        )
        for hour, arrivals, share, chat in ahead
    )
    at_risk: tuple[CallbackAtRisk, ...] = ()
    if calendar.is_open(Channel.PHONE, now):
        pace = timedelta(seconds=phone_aht / targets.occupancy)
        at_risk = callbacks_at_risk(due_today, people=on_duty.get(Channel.PHONE, 0), pace=pace,
                                    now=now)  # fmt: skip
    return TodayAhead(
        hours=rows,
        on_duty=dict(on_duty),
        callbacks_waiting=len(due_today),
        at_risk=at_risk,
    )


def callbacks_at_risk(
    waiting: Sequence[WaitingCallback], *, people: int, pace: timedelta, now: datetime
) -> tuple[CallbackAtRisk, ...]:
    """The callbacks whose call would start at or after their deadline when ``people``
    call them in order, one every ``pace`` each, starting now."""
    risky: list[CallbackAtRisk] = []
    for place, callback in enumerate(waiting):
        called: datetime | None = None
        if people > 0:
            called = max(now + pace * (place // people), callback.available_at)
        if called is None or called >= callback.due_at:
            risky.append(CallbackAtRisk(callback.item_id, callback.due_at, called))
    return tuple(risky)
