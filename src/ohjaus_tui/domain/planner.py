"""The lead's week plan: people needed per channel and hour, and the hours a team can keep.

Each channel is staffed to its own promise:

- **Chat** is answered in real time: the people needed are the fewest whose
  service level (answered within ``chat_within`` seconds) reaches the target,
  by Erlang C, or Erlang A with the clients' patience (domain/erlang.py).
- **Callbacks** are due the same day (terveydenhuoltolaki 51 §): every request
  made while the phone line is open is called back before it closes, and those
  left while it was closed by the closing of its next open day. The phone needs,
  the same in each of the day's open hours, the fewest people whose calling
  (``occupancy`` of each hour) leaves no callback waiting at closing.
- **Messages** are answered by the end of the next business day: a business
  day answers what arrived since the business day before (a Monday answers the
  weekend's and Friday's). Their hours go to the day's calmest hours.

An open real-time channel has at least one person on it. One person is on one
channel in an hour: never phone and chat at once. With fewer people than the
plan needs, :func:`propose` looks for the opening hours of phone and chat the
team can keep (each channel one stretch of its calendar hours), serving the
most forecast contacts; callbacks requested while the line is closed wait for
its opening, as they do at the desk.

The work of callbacks and messages is counted as a fluid: seconds of handling
arriving and being done within each hour. Pure computation; the history and
the calendar come from the caller.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from itertools import combinations_with_replacement

from ohjaus_tui.domain.calendar import DeskCalendar
from ohjaus_tui.domain.codes import Channel
from ohjaus_tui.domain.erlang import Traffic, agents_needed
from ohjaus_tui.domain.forecast import HOURS, Forecast, OpenHours
from ohjaus_tui.domain.period import Period

DEFAULT_HANDLING: Mapping[Channel, float] = {
    Channel.PHONE: 360.0,
    Channel.CHAT: 600.0,
    Channel.MESSAGE: 600.0,
}
"""Handling seconds assumed for a channel the desk has too few measured contacts of."""
MIN_MEASURED = 10
"""Handled contacts of a channel needed before its measured handling time is used."""
HELD_LIMIT = timedelta(hours=4)
"""An item held longer than this was left open on a workstation: not a handling time."""
WRAP_UP_LIMIT = timedelta(minutes=30)
"""Logging the contact within this of its end counts as part of its handling."""
BACKLOG_SEARCH_DAYS = 14
"""How far back the callbacks waiting at an opening are looked for."""
HOUR = 3600.0
EPSILON = 1e-6
"""Seconds of work small enough to be none (floating-point dust)."""
WEEKDAY_CODES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_DAY_NAMES = {name: index for index, name in enumerate(WEEKDAY_CODES)} | {
    name: index for index, name in enumerate(("ma", "ti", "ke", "to", "pe", "la", "su"))
}
MOST_PEOPLE = 9999


class PlanError(ValueError):
    """Input a plan cannot be made of; ``code`` and ``params`` word it for a front end."""

    def __init__(self, message: str, *, code: str, **params: object) -> None:
        super().__init__(message)
        self.code = code
        self.params = params


# --- handling times ---------------------------------------------------------------------


@dataclass(frozen=True)
class Handling:
    """A channel's handling time: measured over ``contacts``, or assumed (``contacts`` 0)."""

    seconds: float
    contacts: int = 0

    @property
    def measured(self) -> bool:
        return self.contacts > 0


def handling_seconds(claimed: datetime, closed: datetime, logged: datetime | None) -> float | None:
    """One contact's handling: from its claim to its end, and the logging after it when
    that came soon (:data:`WRAP_UP_LIMIT`); None for an item held implausibly long."""
    held = closed - claimed
    if held <= timedelta(0) or held > HELD_LIMIT:
        return None
    wrap_up = timedelta(0) if logged is None else logged - closed
    if not timedelta(0) <= wrap_up <= WRAP_UP_LIMIT:
        wrap_up = timedelta(0)
    return (held + wrap_up).total_seconds()


def handling_times(durations: Mapping[Channel, Sequence[float]]) -> dict[Channel, Handling]:
    """The mean handling time of each channel with enough measured contacts; the
    :data:`DEFAULT_HANDLING` of the others."""
    result: dict[Channel, Handling] = {}
    for channel in Channel:
        values = durations.get(channel, ())
        if len(values) >= MIN_MEASURED:
            result[channel] = Handling(math.fsum(values) / len(values), len(values))
        else:
            result[channel] = Handling(DEFAULT_HANDLING[channel])
    return result


# --- targets and the team ---------------------------------------------------------------


@dataclass(frozen=True)
class Targets:
    """What the plan staffs for."""

    chat_within: float = 60.0
    """Seconds within which a chat is answered ..."""
    chat_share: float = 0.8
    """... for this share of the chats."""
    chat_patience: float | None = None
    """The clients' mean patience in seconds (Erlang A); None: Erlang C."""
    occupancy: float = 0.85
    """The share of an hour a person on callbacks or messages spends on them."""

    def __post_init__(self) -> None:
        if not 0 < self.chat_share < 1 or not 0 < self.occupancy <= 1:
            raise ValueError("the chat target and the occupancy are shares above zero")
        if self.chat_within < 0 or (self.chat_patience is not None and self.chat_patience <= 0):
            raise ValueError("the answer time is zero or more, the patience above zero")


@dataclass(frozen=True)
class Team:
    """The people available on each weekday (Monday first)."""

    by_weekday: tuple[int, ...]

    def on(self, day: date) -> int:
        return self.by_weekday[day.weekday()]

    @classmethod
    def parse(cls, text: str) -> Team:
        """``4`` (every day), ``mon=4,tue=3`` or ``ma-to=4,pe=3`` (days not named: nobody),
        ``4,fri=3`` (4, but 3 on Fridays)."""
        every: int | None = None
        named: dict[int, int] = {}
        for raw in text.split(","):
            item = raw.strip().lower()
            days, sep, count = item.rpartition("=")
            if not sep:
                if every is not None:
                    raise PlanError(
                        f"--people {text}: one number for every day",
                        code="plan.people_form",
                        value=text,
                    )
                every = _people(count, text)
                continue
            for day in _days(days.strip(), text):
                named[day] = _people(count.strip(), text)
        return cls(tuple(named.get(day, every or 0) for day in range(7)))


def _people(value: str, text: str) -> int:
    if not value.isdigit() or int(value) > MOST_PEOPLE:
        raise PlanError(
            f"--people {text}: use e.g. 4 or mon=4,tue=3", code="plan.people_form", value=text
        )
    return int(value)


def _days(spec: str, text: str) -> range:
    first, sep, last = spec.partition("-")
    try:
        start = _DAY_NAMES[first.strip()]
        end = _DAY_NAMES[last.strip()] if sep else start
    except KeyError:
        raise PlanError(
            f"--people {text}: {spec!r} is not a weekday (mon-sun or ma-su)",
            code="plan.people_day",
            value=text,
            day=spec,
        ) from None
    if end < start:
        raise PlanError(
            f"--people {text}: {spec!r} runs backwards",
            code="plan.people_day",
            value=text,
            day=spec,
        )
    return range(start, end + 1)


# --- the pieces of a need -----------------------------------------------------------------


def chat_people(per_hour: float, aht: float, targets: Targets) -> tuple[int, float]:
    """People an open chat needs for ``per_hour`` chats, and the service level they give."""
    if per_hour <= 0:
        return 1, 1.0
    traffic = Traffic(
        per_hour=per_hour, aht=aht, within=targets.chat_within, patience=targets.chat_patience
    )
    result = agents_needed(traffic, targets.chat_share)
    return result.agents, result.service_level


def work_left(waiting: float, arriving: Sequence[float], capacity: Sequence[float]) -> float:
    """Seconds of work not done after the hours: ``waiting`` at the start, ``arriving[h]``
    coming in hour h and ``capacity[h]`` seconds of it done in that hour."""
    left = waiting
    for coming, done in zip(arriving, capacity, strict=True):
        left = max(0.0, left + coming - done)
    return left


def phone_people(
    waiting: float, arriving: Sequence[float], hour_shares: Sequence[float], occupancy: float
) -> int:
    """The fewest people, the same in each hour, who leave no callback work at the end
    (``waiting`` and ``arriving`` in seconds; ``hour_shares``: the share of each hour the
    line is open). At least one."""
    total = waiting + math.fsum(arriving)
    open_time = math.fsum(hour_shares) * HOUR * occupancy
    if open_time <= 0:
        return 0
    people = max(1, math.ceil(total / open_time - EPSILON))
    while (
        work_left(waiting, arriving, [people * s * HOUR * occupancy for s in hour_shares]) > EPSILON
    ):
        people += 1
    return people


# --- the plan -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Window:
    """A channel open from ``opens`` to ``closes`` (local wall times) on a day."""

    opens: time
    closes: time


@dataclass(frozen=True)
class HourPlan:
    hour: int
    open: Mapping[Channel, float]
    """The share of the hour each channel is open."""
    arrivals: Mapping[Channel, float]
    """Forecast contacts arriving in the hour."""
    needed: Mapping[Channel, int]
    chat_service_level: float | None
    """What the needed chat people give (None when the chat is closed)."""
    proposed: Mapping[Channel, int] | None = None
    """People on each channel in the proposal (None without a team)."""
    available: int | None = None

    @property
    def needed_total(self) -> int:
        return sum(self.needed.values())

    @property
    def short(self) -> int:
        """People the hour lacks of its need (0 without a team)."""
        if self.available is None:
            return 0
        return max(0, self.needed_total - self.available)


@dataclass(frozen=True)
class Proposal:
    """The opening hours a team of ``people`` can keep on a day."""

    people: int
    windows: Mapping[Channel, Window | None]
    """Phone and chat (None: closed all day); messages are not shortened."""
    keeps_hours: bool
    """The calendar's hours of phone and chat stand."""
    messages_left: float
    """Messages due that the day cannot answer (0: all answered)."""


@dataclass(frozen=True)
class DayPlan:
    day: date
    hours: tuple[HourPlan, ...]
    """The hours any channel is open, in order."""
    windows: Mapping[Channel, Window | None]
    """Each channel's opening in the calendar (None: closed)."""
    callbacks_at_opening: float
    """Callbacks requested while the line was closed, waiting at its opening."""
    messages_due: float
    """Messages whose answer is due by the end of this day."""
    messages_unplaced: float
    """Of those, what the day's message hours cannot hold."""
    proposal: Proposal | None = None

    @property
    def is_open(self) -> bool:
        return any(window is not None for window in self.windows.values())

    @property
    def short_hours(self) -> int:
        return sum(1 for hour in self.hours if hour.short)


@dataclass(frozen=True)
class WeekPlan:
    week: Period
    days: tuple[DayPlan, ...]
    handling: Mapping[Channel, Handling]
    targets: Targets
    team: Team | None
    history_days: tuple[date, ...]
    """The days of the history the forecast is the mean of."""
    history_contacts: int
    """Contacts received in those days."""
    time_zone: str

    @property
    def hours(self) -> list[int]:
        """The hours of the day the desk is open in on some day of the week."""
        return sorted({hour.hour for day in self.days for hour in day.hours})


def plan_week(
    week: Period,
    forecast: Forecast,
    calendar: DeskCalendar,
    handling: Mapping[Channel, Handling],
    targets: Targets,
    team: Team | None = None,
) -> WeekPlan:
    """The plan of each day of ``week`` (and, with a team, what it can keep)."""
    planner = _Planner(forecast, calendar, handling, targets)
    days_counted = forecast.history.days
    days = tuple(planner.day(week.start + timedelta(days=n), team) for n in range(week.days))
    return WeekPlan(
        week=week,
        days=days,
        handling=dict(handling),
        targets=targets,
        team=team,
        history_days=tuple(days_counted),
        history_contacts=sum(
            count
            for (_, day, _), count in forecast.history.arrivals.items()
            if days_counted[0] <= day <= days_counted[-1]
        ),
        time_zone=calendar.tz.key,
    )


@dataclass(frozen=True)
class _Day:
    """A day's forecast, in the units the planning needs."""

    day: date
    share: Mapping[Channel, tuple[float, ...]]
    arrivals: Mapping[Channel, tuple[float, ...]]
    chat_needed: tuple[int, ...]
    chat_level: tuple[float | None, ...]
    waiting: float
    """Callback seconds waiting at the phone's opening."""
    callbacks_waiting: float
    """The same in callbacks."""
    messages: float
    """Message seconds due by the end of the day."""
    phone_work: tuple[float, ...]
    occupancy: float

    def capacity(self, channel: Channel, hour: int) -> float:
        """Seconds of work one person does on ``channel`` in ``hour``."""
        return self.share[channel][hour] * HOUR * self.occupancy

    def open_hours(self, channel: Channel) -> list[int]:
        return [hour for hour in HOURS if self.share[channel][hour] > 0]


@dataclass(frozen=True)
class _Staffed:
    """People per channel and hour, and the message work they leave."""

    people: Mapping[int, Mapping[Channel, int]]
    messages_left: float


class _Planner:
    def __init__(
        self,
        forecast: Forecast,
        calendar: DeskCalendar,
        handling: Mapping[Channel, Handling],
        targets: Targets,
    ) -> None:
        self.forecast = forecast
        self.calendar = calendar
        same = forecast.calendar is calendar  # then its readings of the calendar serve
        self.hours: OpenHours = forecast.hours if same else OpenHours(calendar)
        self.aht = {channel: handling[channel].seconds for channel in Channel}
        self.targets = targets

    def day(self, day: date, team: Team | None) -> DayPlan:
        facts = self._facts(day)
        phone_hours = facts.open_hours(Channel.PHONE)
        phone = 0
        if phone_hours:
            phone = phone_people(
                facts.waiting,
                [facts.phone_work[h] for h in phone_hours],
                [facts.share[Channel.PHONE][h] for h in phone_hours],
                self.targets.occupancy,
            )
        realtime = {
            hour: facts.chat_needed[hour] + (phone if hour in phone_hours else 0) for hour in HOURS
        }
        messages, unplaced = _place_messages(facts, realtime)
        needed = {
            hour: {
                Channel.PHONE: phone if hour in phone_hours else 0,
                Channel.CHAT: facts.chat_needed[hour],
                Channel.MESSAGE: messages.get(hour, 0),
            }
            for hour in HOURS
        }
        proposal: Proposal | None = None
        staffed: _Staffed | None = None
        people = team.on(day) if team is not None else None
        if people is not None:
            proposal, staffed = self._propose(facts, needed, people)
        desk_hours = [h for h in HOURS if any(facts.share[c][h] > 0 for c in Channel)]
        hours = tuple(
            HourPlan(
                hour=hour,
                open={c: facts.share[c][hour] for c in Channel},
                arrivals={c: facts.arrivals[c][hour] for c in Channel},
                needed=needed[hour],
                chat_service_level=facts.chat_level[hour],
                proposed=dict(staffed.people[hour]) if staffed is not None else None,
                available=people,
            )
            for hour in desk_hours
        )
        return DayPlan(
            day=day,
            hours=hours,
            windows={c: self._window(facts, c, facts.open_hours(c)) for c in Channel},
            callbacks_at_opening=facts.callbacks_waiting,
            messages_due=facts.messages / self.aht[Channel.MESSAGE],
            messages_unplaced=unplaced / self.aht[Channel.MESSAGE],
            proposal=proposal,
        )

    # --- the day's facts ------------------------------------------------------------

    def _facts(self, day: date) -> _Day:
        share = {c: tuple(self.hours.share(c, day, h) for h in HOURS) for c in Channel}
        arrivals = {c: self.forecast.day(c, day) for c in Channel}
        chat = [
            chat_people(arrivals[Channel.CHAT][h] / s, self.aht[Channel.CHAT], self.targets)
            if (s := share[Channel.CHAT][h]) > 0
            else (0, None)
            for h in HOURS
        ]
        phone_aht = self.aht[Channel.PHONE]
        waiting = self._waiting_at_opening(day)
        return _Day(
            day=day,
            share=share,
            arrivals=arrivals,
            chat_needed=tuple(people for people, _ in chat),
            chat_level=tuple(level for _, level in chat),
            waiting=waiting * phone_aht,
            callbacks_waiting=waiting,
            messages=self._messages_due(day) * self.aht[Channel.MESSAGE],
            phone_work=tuple(
                arrivals[Channel.PHONE][h] * phone_aht if share[Channel.PHONE][h] > 0 else 0.0
                for h in HOURS
            ),
            occupancy=self.targets.occupancy,
        )

    def _waiting_at_opening(self, day: date) -> float:
        """Callbacks requested after the line last closed, before it opens on ``day``."""
        phone = Channel.PHONE
        hours = self.hours.open_hours(phone, day)
        if not hours:
            return 0.0
        waiting = math.fsum(self.forecast.at(phone, day, h) for h in range(hours[0]))
        for back in range(1, BACKLOG_SEARCH_DAYS + 1):
            earlier = day - timedelta(days=back)
            for hour in reversed(HOURS):
                if self.hours.share(phone, earlier, hour) > 0:
                    return waiting
                waiting += self.forecast.at(phone, earlier, hour)
        return waiting

    def _messages_due(self, day: date) -> float:
        """Messages due by the end of ``day``: those of the days whose next business day it is."""
        if not self.calendar.is_business_day(day):
            return 0.0
        arrived = day - timedelta(days=1)
        total = 0.0
        while self.calendar.next_business_day(arrived) == day:
            total += math.fsum(self.forecast.day(Channel.MESSAGE, arrived))
            arrived -= timedelta(days=1)
        return total

    def _window(self, facts: _Day, channel: Channel, hours: Sequence[int]) -> Window | None:
        if not hours:
            return None
        opens, closes = self.hours.span(channel, facts.day, hours[0], hours[-1] + 1)
        return Window(opens, closes)

    # --- the proposal -----------------------------------------------------------------

    def _propose(
        self, facts: _Day, needed: Mapping[int, Mapping[Channel, int]], people: int
    ) -> tuple[Proposal, _Staffed]:
        chat_hours = facts.open_hours(Channel.CHAT)
        phone_hours = facts.open_hours(Channel.PHONE)
        full = {Channel.CHAT: chat_hours or None, Channel.PHONE: phone_hours or None}
        if all(sum(needed[h].values()) <= people for h in HOURS):
            staffed = _Staffed(needed, 0.0)
            windows = full
        else:
            chosen = _search(facts, people, chat_hours, phone_hours)
            staffed, windows = chosen[1], chosen[0]
        proposal = Proposal(
            people=people,
            windows={
                channel: self._window(facts, channel, windows[channel] or [])
                for channel in (Channel.PHONE, Channel.CHAT)
            },
            keeps_hours=windows == full,
            messages_left=staffed.messages_left / self.aht[Channel.MESSAGE],
        )
        return proposal, staffed


def _place_messages(facts: _Day, realtime: Mapping[int, int]) -> tuple[dict[int, int], float]:
    """Message people per hour: one at a time into the calmest hours (the latest first
    among equals) until the day's due messages are answered; and the work left over."""
    order = sorted(facts.open_hours(Channel.MESSAGE), key=lambda h: (realtime[h], -h))
    people = dict.fromkeys(order, 0)
    left = facts.messages
    while order and left > EPSILON:
        for hour in order:
            people[hour] += 1
            left -= facts.capacity(Channel.MESSAGE, hour)
            if left <= EPSILON:
                break
    return people, max(0.0, left)


def _stretches(hours: Sequence[int]) -> list[list[int] | None]:
    """Every run of consecutive open hours of a channel, and closed (None)."""
    runs: list[list[int] | None] = [None]
    for first, last in combinations_with_replacement(range(len(hours)), 2):
        run = list(hours[first : last + 1])
        if run[-1] - run[0] == len(run) - 1:
            runs.append(run)
    return runs


def _search(
    facts: _Day, people: int, chat_hours: Sequence[int], phone_hours: Sequence[int]
) -> tuple[dict[Channel, list[int] | None], _Staffed]:
    """The phone and chat stretches ``people`` can keep that serve the most forecast
    contacts: all due messages answered if any choice does so, then the most contacts,
    then the longer phone hours, then the longer chat hours."""
    chat_arrivals = facts.arrivals[Channel.CHAT]
    phone_arrivals = facts.arrivals[Channel.PHONE]

    def served(chat: list[int] | None, phone: list[int] | None) -> tuple[float, int, int]:
        kept = math.fsum(chat_arrivals[h] for h in chat or [])
        if phone:
            kept += facts.callbacks_waiting + math.fsum(
                phone_arrivals[h] for h in phone_hours if h <= phone[-1]
            )
        return (round(kept, 9), len(phone or []), len(chat or []))

    pairs = sorted(
        ((chat, phone) for chat in _stretches(chat_hours) for phone in _stretches(phone_hours)),
        key=lambda pair: served(*pair),
        reverse=True,
    )
    everyone = sum(facts.capacity(Channel.MESSAGE, h) * people for h in HOURS)
    messages_possible = everyone + EPSILON >= facts.messages
    fallback: tuple[dict[Channel, list[int] | None], _Staffed] | None = None
    for chat, phone in pairs:
        staffed = _staff(facts, people, chat, phone)
        if staffed is None:
            continue
        windows = {Channel.CHAT: chat, Channel.PHONE: phone}
        if not messages_possible or staffed.messages_left <= EPSILON:
            return windows, staffed
        if fallback is None:
            fallback = (windows, staffed)
    assert fallback is not None, "closing phone and chat is always possible"
    return fallback


def _staff(
    facts: _Day, people: int, chat: Sequence[int] | None, phone: Sequence[int] | None
) -> _Staffed | None:
    """People per channel and hour with chat and phone open in the given hours, or None
    when the team cannot: chat first, at least one on an open phone, callbacks done as
    early as they can be (all by the phone's closing), messages by the phone's people
    between callbacks (the queue gives them messages when no callback waits) and by
    the people left."""
    phone_hours = phone or ()
    chat_hours = chat or ()
    closing = phone_hours[-1] if phone_hours else -1
    waiting = facts.waiting if phone_hours else 0.0
    messages = facts.messages
    plan: dict[int, dict[Channel, int]] = {}
    for hour in HOURS:
        on_chat = facts.chat_needed[hour] if hour in chat_hours else 0
        phone_open = hour in phone_hours
        if on_chat + (1 if phone_open else 0) > people:
            return None
        free = people - on_chat
        on_phone = 0
        spare = 0.0
        if hour <= closing:  # requested while the line is closed: waiting for it
            waiting += facts.phone_work[hour]
        if phone_open:
            each = facts.capacity(Channel.PHONE, hour)
            done = min(waiting, free * each)
            waiting -= done
            on_phone = max(1, math.ceil(done / each - EPSILON))
            spare = on_phone * each - done
            if hour == closing and waiting > EPSILON:
                return None
        on_messages = 0
        each = facts.capacity(Channel.MESSAGE, hour)
        if each > 0 and messages > EPSILON:
            messages = max(0.0, messages - spare)  # the phone's people between callbacks
            on_messages = min(free - on_phone, math.ceil(messages / each - EPSILON))
            messages = max(0.0, messages - on_messages * each)
        plan[hour] = {Channel.PHONE: on_phone, Channel.CHAT: on_chat, Channel.MESSAGE: on_messages}
    return _Staffed(plan, messages)
