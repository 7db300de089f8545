"""The period report as values, and the arithmetic that needs no database.

:class:`Report` is what ``ohjaus report`` prints in every format; the
database computes the counts (``db/reports.py``) and the service fills this
tree (``services/report.py``). It holds numbers and codes only; the words
for them (code labels, headings) are the presentation's. Here: shares,
nearest-rank percentiles, the start of a wait (a callback requested while the
desk is closed waits from the next opening), the weekday x hour chart in
local time, the contacts by channel over the days, weeks or months of the
period, and the comparison with the period before.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from ohjaus_tui.domain.calendar import DeskCalendar
from ohjaus_tui.domain.codes import Channel
from ohjaus_tui.domain.period import Period

WEEKDAYS = 7
HOURS = 24
MEDIAN = 0.5
P90 = 0.9

WEEKDAY_CODES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
"""The rows of the weekday x hour chart, as codes for the machine-readable formats."""
SUBSET_BREAKDOWNS = ("referral_mode", "referral_segment")
"""Breakdowns whose base is a part of the contacts (those referred on; to a service area)."""
WITHOUT_NOT_RECORDED = frozenset({"reason", "reason_group", "identification", "many_services_sign"})
"""Breakdowns in which every contact has a code (or several), or none is a "no" (a
contact without a many-services sign): nothing is not recorded."""
SIGNS_BREAKDOWN = "many_services_sign"
"""The many-services signs ticked, each counted (a contact may have several)."""


def share(count: int, base: int) -> float:
    """``count / base``; 0.0 for an empty base (an empty period has 0 % of everything)."""
    return count / base if base else 0.0


def ratio(count: int, base: int) -> float | None:
    """``count / base``, None when nothing was measured."""
    return count / base if base else None


def nearest_rank(ordered: Sequence[float], p: float) -> float | None:
    """The p-th percentile by nearest rank: the value at rank ceil(p * n) of the sorted values.

    The smallest value that at least ``p`` of the values are at or below.
    """
    if not ordered:
        return None
    rank = max(1, math.ceil(p * len(ordered) - 1e-9))
    return ordered[rank - 1]


# --- the report ---------------------------------------------------------------------


@dataclass(frozen=True)
class Count:
    code: str
    count: int
    share: float


@dataclass(frozen=True)
class Breakdown:
    """Contacts by the codes of one list; ``share`` is of ``base``.

    ``not_recorded`` is the part of the base with no code of the list
    (a field left empty). For reasons and reason groups it is 0 and the
    shares may add up to more than 100 %: a contact can have several.
    ``optional``: the field may be left unrecorded, so its not-recorded
    share is worth showing even when it is 0.
    ``code_list``: the code list of the items' codes (the code book words
    them); None where the codes are the report's own (the reason groups).
    """

    key: str
    base: int
    items: tuple[Count, ...]
    not_recorded: int = 0
    optional: bool = False
    code_list: str | None = None

    @property
    def not_recorded_share(self) -> float:
        return share(self.not_recorded, self.base)

    def get(self, code: str) -> Count | None:
        return next((item for item in self.items if item.code == code), None)

    def count(self, code: str) -> int:
        item = self.get(code)
        return item.count if item else 0


@dataclass(frozen=True)
class Flag:
    """Contacts with a yes/no field set; ``not_recorded`` where it may be left open.

    ``share`` and :attr:`not_recorded_share` are of ``base``, all the
    contacts; the rest of them recorded "no".
    """

    key: str
    count: int
    share: float
    not_recorded: int = 0
    optional: bool = False
    """The field may be left unrecorded (its not-recorded share is shown)."""
    base: int = 0

    @property
    def not_recorded_share(self) -> float:
        return share(self.not_recorded, self.base)


@dataclass(frozen=True)
class ServiceCount:
    code: str
    name: str
    count: int


@dataclass(frozen=True)
class Feedback:
    """Smiley scores on 1-5 (a 3-step score s counts as 2s - 1) and "were you helped?"."""

    responses: int
    mean_score: float | None
    helped_responses: int
    helped: int

    @property
    def share_helped(self) -> float | None:
        return ratio(self.helped, self.helped_responses)


@dataclass(frozen=True)
class Ratio:
    count: int
    base: int

    @property
    def share(self) -> float | None:
        return ratio(self.count, self.base)


@dataclass(frozen=True)
class ChannelLevel:
    """Queue items of one channel that arrived in the period."""

    channel: str
    offered: int
    answered: int
    abandoned: int
    median_wait: float | None
    """Seconds, nearest rank, over the answered items."""
    p90_wait: float | None

    @property
    def answered_share(self) -> float | None:
        return ratio(self.answered, self.offered)


@dataclass(frozen=True)
class ServiceLevel:
    channels: tuple[ChannelLevel, ...]
    callbacks_first_attempt: Ratio
    """Reached on the first attempt, of the callbacks tried at all."""
    callbacks_by_due: Ratio
    """First attempt by the deadline (closing time that day), of the callbacks due."""
    messages_in_time: Ratio
    """Answered by the end of the next business day, of the messages due."""

    def channel(self, code: str) -> ChannelLevel | None:
        return next((level for level in self.channels if level.channel == code), None)


@dataclass(frozen=True)
class Measure:
    """A figure with what it was computed from, so that small numbers can be hidden.

    A count has ``count``; a share its ``count`` and ``base``; a mean the
    number of values behind it as ``count``.
    """

    value: float | None
    count: int | None = None
    base: int | None = None

    @classmethod
    def of_count(cls, count: int) -> Measure:
        return cls(count, count)

    @classmethod
    def of_ratio(cls, count: int, base: int) -> Measure:
        return cls(ratio(count, base), count, base)

    @classmethod
    def of_mean(cls, mean: float | None, values: int) -> Measure:
        return cls(mean, values)


@dataclass(frozen=True)
class Change:
    """One figure now and in the period before."""

    metric: str
    current: Measure
    previous: Measure
    kind: str = "count"
    """``count``, ``share`` (0-1: its change is in percentage points) or ``mean``."""

    @property
    def change(self) -> float | None:
        if self.current.value is None or self.previous.value is None:
            return None
        return self.current.value - self.previous.value

    @property
    def change_pct(self) -> float | None:
        """The change relative to the period before, in per cent."""
        change = self.change
        if change is None or not self.previous.value:
            return None
        return 100.0 * change / self.previous.value


@dataclass(frozen=True)
class Comparison:
    period: Period
    changes: tuple[Change, ...]

    def get(self, metric: str) -> Change | None:
        return next((change for change in self.changes if change.metric == metric), None)


@dataclass(frozen=True)
class OwnerFollowUps:
    """One owner's follow-ups whose window started in the period."""

    owner: str
    profession: str | None
    scheduled: int = 0
    on_time: int = 0
    """Done by the end of their window."""
    late: int = 0
    """Done after their window, or still open after it."""
    cancelled: int = 0


@dataclass(frozen=True)
class FollowUps:
    """Follow-ups with a named owner whose window started in the period, by owner.

    A follow-up still open before the end of its window is neither on time nor
    late yet: it counts only as scheduled.
    """

    by_owner: tuple[OwnerFollowUps, ...] = ()

    @classmethod
    def of(
        cls,
        rows: Iterable[tuple[str, str | None, str, datetime, datetime | None]],
        now: datetime,
    ) -> FollowUps:
        """``rows``: (owner, profession, status, end of window, done or cancelled at)."""
        counts: dict[tuple[str, str | None], list[int]] = {}
        for owner, profession, status, due_to, closed_at in rows:
            tally = counts.setdefault((owner, profession), [0, 0, 0, 0])
            tally[0] += 1
            if status == "cancelled":
                tally[3] += 1
            elif status == "done" and closed_at is not None:
                tally[1 if closed_at <= due_to else 2] += 1
            elif status == "open" and now > due_to:
                tally[2] += 1
        return cls(
            tuple(
                OwnerFollowUps(owner, profession, *tally)
                for (owner, profession), tally in sorted(counts.items(), key=lambda kv: kv[0][0])
            )
        )

    @property
    def total(self) -> OwnerFollowUps:
        return OwnerFollowUps(
            "",
            None,
            sum(row.scheduled for row in self.by_owner),
            sum(row.on_time for row in self.by_owner),
            sum(row.late for row in self.by_owner),
            sum(row.cancelled for row in self.by_owner),
        )


@dataclass(frozen=True)
class Consultations:
    """Questions to a colleague of another profession asked in the period.

    ``answered`` counts those answered in text or joined (``joined`` of them);
    the answer times are from asking to that answer, in seconds, nearest rank.
    """

    asked: int
    answered: int
    joined: int
    median_answer: float | None
    p90_answer: float | None

    @classmethod
    def of(cls, asked: int, joined: int, answer_seconds: Iterable[float]) -> Consultations:
        ordered = sorted(answer_seconds)
        return cls(
            asked=asked,
            answered=len(ordered),
            joined=joined,
            median_answer=nearest_rank(ordered, MEDIAN),
            p90_answer=nearest_rank(ordered, P90),
        )

    @property
    def answered_share(self) -> float | None:
        return ratio(self.answered, self.asked)


@dataclass(frozen=True)
class ChannelDay:
    """Contacts of one channel that started on one local day."""

    day: date
    channel: str
    count: int


@dataclass(frozen=True)
class RepeatRow:
    """The contacts of one channel or reason (``all``: every contact), how many were
    resolved in the first contact, and how many were repeat contacts.

    A repeat contact came from a callback number that had contacted the desk in the
    7 days before (domain/repeat.py). Only a contact whose queue item had a number
    can be recognised: :attr:`repeat_share` is of those (:attr:`recognisable`), while
    :attr:`resolved_share` is of all the contacts, as in the report's flags.
    """

    code: str
    contacts: int
    resolved_first_contact: int
    recognisable: int
    repeats: int

    @property
    def resolved_share(self) -> float | None:
        return ratio(self.resolved_first_contact, self.contacts)

    @property
    def repeat_share(self) -> float | None:
        return ratio(self.repeats, self.recognisable)


ALL = "all"
"""The code of the row of every contact."""


@dataclass(frozen=True)
class RepeatContacts:
    """ "One contact is enough": repeat contacts beside the first-contact resolution."""

    total: RepeatRow
    channels: tuple[RepeatRow, ...]
    reasons: tuple[RepeatRow, ...]
    """A contact counts once under each of its reasons."""


@dataclass(frozen=True)
class Report:
    period: Period
    time_zone: str
    generated_at: datetime
    contacts: int
    breakdowns: tuple[Breakdown, ...]
    flags: tuple[Flag, ...]
    referral_services: tuple[ServiceCount, ...]
    """Every service referred to in the period, most referred first."""
    feedback: Feedback
    service_level: ServiceLevel
    weekday_hour: tuple[tuple[int, ...], ...]
    """Contacts by local weekday (Monday first) and hour of their start."""
    comparison: Comparison | None = None
    channel_days: tuple[ChannelDay, ...] | None = None
    """Contacts by local day and channel, the days that have any, in order; None unless
    the report was built to be drawn over time."""
    consultations: Consultations = Consultations(0, 0, 0, None, None)
    """Consultations between the desk's professions asked in the period."""
    repeat_contacts: RepeatContacts | None = None
    """Repeat contacts and first-contact resolution by channel and reason."""
    follow_ups: FollowUps = FollowUps()
    """Follow-ups with a named owner due in the period: on time, late, cancelled."""

    @property
    def is_empty(self) -> bool:
        return self.contacts == 0

    def breakdown(self, key: str) -> Breakdown:
        for breakdown in self.breakdowns:
            if breakdown.key == key:
                return breakdown
        raise KeyError(key)

    def flag(self, key: str) -> Flag:
        for flag in self.flags:
            if flag.key == key:
                return flag
        raise KeyError(key)


# --- the comparison -------------------------------------------------------------------


@dataclass(frozen=True)
class PeriodFigures:
    """The figures compared between a period and the one before."""

    contacts: int
    by_channel: Mapping[str, int]
    referred: int
    resolved_first_contact: int
    mean_score: float | None
    feedback_responses: int
    helped: Ratio
    offered: Mapping[str, int]
    answered: Mapping[str, int]
    callbacks_first_attempt: Ratio
    callbacks_by_due: Ratio
    messages_in_time: Ratio
    channels: tuple[str, ...] = field(default=tuple(channel.value for channel in Channel))

    @classmethod
    def of(cls, feedback: Feedback, **values: Any) -> PeriodFigures:
        return cls(
            mean_score=feedback.mean_score,
            feedback_responses=feedback.responses,
            helped=Ratio(feedback.helped, feedback.helped_responses),
            **values,
        )


def compare(current: PeriodFigures, previous: PeriodFigures, period: Period) -> Comparison:
    """The changes of the figures from ``previous`` (of ``period``) to ``current``."""

    def count(metric: str, now: int, before: int) -> Change:
        return Change(metric, Measure.of_count(now), Measure.of_count(before))

    def shares(metric: str, now: Ratio, before: Ratio) -> Change:
        return Change(
            metric,
            Measure.of_ratio(now.count, now.base),
            Measure.of_ratio(before.count, before.base),
            "share",
        )

    changes = [count("contacts", current.contacts, previous.contacts)]
    changes += [
        count(
            f"channel.{channel}",
            current.by_channel.get(channel, 0),
            previous.by_channel.get(channel, 0),
        )
        for channel in current.channels
    ]
    changes += [
        shares(
            "referred",
            Ratio(current.referred, current.contacts),
            Ratio(previous.referred, previous.contacts),
        ),
        shares(
            "resolved_first_contact",
            Ratio(current.resolved_first_contact, current.contacts),
            Ratio(previous.resolved_first_contact, previous.contacts),
        ),
        Change(
            "feedback.mean_score",
            Measure.of_mean(current.mean_score, current.feedback_responses),
            Measure.of_mean(previous.mean_score, previous.feedback_responses),
            "mean",
        ),
        shares("feedback.share_helped", current.helped, previous.helped),
    ]
    changes += [
        shares(
            f"answered.{channel}",
            Ratio(current.answered.get(channel, 0), current.offered.get(channel, 0)),
            Ratio(previous.answered.get(channel, 0), previous.offered.get(channel, 0)),
        )
        for channel in current.channels
    ]
    changes += [
        shares(
            "callbacks.first_attempt",
            current.callbacks_first_attempt,
            previous.callbacks_first_attempt,
        ),
        shares("callbacks.by_due", current.callbacks_by_due, previous.callbacks_by_due),
        shares("messages.in_time", current.messages_in_time, previous.messages_in_time),
    ]
    return Comparison(period, tuple(changes))


# --- time: weekday x hour, and when a wait starts ----------------------------------------


def weekday_hour(
    hour_counts: Iterable[tuple[datetime, int]], tz: ZoneInfo
) -> tuple[tuple[int, ...], ...]:
    """Counts per UTC hour turned into a 7 x 24 grid of local weekday (Monday first) and hour.

    Every UTC hour is one local hour (the zone's offsets are whole hours), so
    no contact moves to another hour; the repeated hour of the autumn change
    gathers the contacts of both.
    """
    grid = [[0] * HOURS for _ in range(WEEKDAYS)]
    for hour, count in hour_counts:
        local = hour.astimezone(tz)
        grid[local.weekday()][local.hour] += count
    return tuple(tuple(row) for row in grid)


def channel_days(
    hour_channel_counts: Iterable[tuple[datetime, str, int]], tz: ZoneInfo
) -> tuple[ChannelDay, ...]:
    """Counts per UTC hour and channel summed by local day and channel, day by day.

    A UTC hour is one local hour (see :func:`weekday_hour`), so its contacts
    fall on one local day.
    """
    days: dict[tuple[date, str], int] = {}
    for hour, channel, count in hour_channel_counts:
        key = (hour.astimezone(tz).date(), channel)
        days[key] = days.get(key, 0) + count
    return tuple(ChannelDay(day, channel, count) for (day, channel), count in sorted(days.items()))


# --- the period over time ------------------------------------------------------------------

DAYS_BY_DAY = 31
"""The longest period drawn day by day (a month); a longer one goes by weeks."""
DAYS_BY_WEEK = 13 * 7
"""The longest period drawn week by week (a quarter); a longer one goes by months."""


class TimeUnit(StrEnum):
    DAY = "day"
    WEEK = "week"
    MONTH = "month"


def time_unit(period: Period) -> TimeUnit:
    """Days for a month or less, ISO weeks for a quarter or less, months beyond."""
    if period.days <= DAYS_BY_DAY:
        return TimeUnit.DAY
    if period.days <= DAYS_BY_WEEK:
        return TimeUnit.WEEK
    return TimeUnit.MONTH


@dataclass(frozen=True)
class TimeSpan:
    """The contacts by channel of a day, a week or a month of the period.

    ``start`` and ``end`` (both included) are cut to the period: the first and
    last week or month of a range may be part ones.
    """

    unit: TimeUnit
    start: date
    end: date
    counts: Mapping[str, int]
    """Channel code -> contacts; every channel of the report, 0 included."""

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def time_spans(
    period: Period, days: Iterable[ChannelDay], channels: Sequence[str]
) -> tuple[TimeSpan, ...]:
    """The period's days, weeks or months (:func:`time_unit`), each with its counts."""
    unit = time_unit(period)
    bounds: list[tuple[date, date]] = []
    start = period.start
    while start <= period.end:
        if unit is TimeUnit.DAY:
            end = start
        elif unit is TimeUnit.WEEK:
            end = start + timedelta(days=6 - start.weekday())
        else:
            following = date(start.year + start.month // 12, start.month % 12 + 1, 1)
            end = following - timedelta(days=1)
        end = min(end, period.end)
        bounds.append((start, end))
        start = end + timedelta(days=1)
    starts = [first for first, _ in bounds]
    tallies = [dict.fromkeys(channels, 0) for _ in bounds]
    for day in days:
        if day.day in period:
            tally = tallies[bisect.bisect_right(starts, day.day) - 1]
            tally[day.channel] = tally.get(day.channel, 0) + day.count
    return tuple(
        TimeSpan(unit, first, last, tally)
        for (first, last), tally in zip(bounds, tallies, strict=True)
    )


class OpeningTimes:
    """When each wait of a channel starts: at arrival, or at the next opening if closed.

    The channel's open intervals over a span of time are computed once from
    the desk calendar; each arrival is then a binary search. Instants here
    are naive UTC datetimes, as the report reads them in bulk.
    """

    LOOKAHEAD = timedelta(days=30)
    """How far past the span to know the openings (a request on Christmas Eve waits days)."""

    def __init__(
        self, calendar: DeskCalendar, channel: Channel, start: datetime, end: datetime
    ) -> None:
        self.calendar = calendar
        self.channel = channel
        opens: list[datetime] = []
        closes: list[datetime] = []
        at = start
        until = end + self.LOOKAHEAD
        while at < until:
            try:
                opening = calendar.next_opening(channel, at)
            except RuntimeError:  # never opens again
                break
            closing = calendar.closing_time(channel, opening)
            assert closing is not None, "the channel is open at its opening"
            opens.append(_naive_utc(opening))
            closes.append(_naive_utc(closing))
            at = closing
        self._opens = opens
        self._closes = closes

    def wait_start(self, received: datetime) -> datetime:
        """``received`` (naive UTC) if the channel was open then, else its next opening."""
        index = bisect.bisect_right(self._opens, received) - 1
        if index >= 0 and received < self._closes[index]:
            return received
        if index + 1 < len(self._opens):
            return self._opens[index + 1]
        try:
            opening = self.calendar.next_opening(self.channel, received.replace(tzinfo=UTC))
        except RuntimeError:
            return received
        return _naive_utc(opening)


def _naive_utc(value: datetime) -> datetime:
    return value.astimezone(UTC).replace(tzinfo=None)
