"""Opening hours, business days and answer deadlines of the desk.

All arithmetic happens on local wall times in the desk's zone, which are then
turned into aware datetimes, so the answers stay right across the daylight
saving transitions. Every datetime taken in must be timezone-aware.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from itertools import groupby
from zoneinfo import ZoneInfo

from ohjaus_tui.domain.codes import Channel

HELSINKI = ZoneInfo("Europe/Helsinki")

_DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_DAYS: dict[str, int] = {name: index for index, name in enumerate(_DAY_NAMES)} | {
    name: index for index, name in enumerate(("ma", "ti", "ke", "to", "pe", "la", "su"))
}
_TIME = r"\d{1,2}(?:[:.]\d{2})?"
_HOURS_RE = re.compile(
    rf"(?P<days>[a-z][a-z,\s-]*?)\s+(?P<opens>{_TIME})\s*[-–]\s*(?P<closes>{_TIME})"
)
_RANGE_RE = re.compile(rf"(?P<opens>{_TIME})\s*[-–]\s*(?P<closes>{_TIME})")
_SEARCH_DAYS = 400
"""How far ahead to look for an opening before deciding there is none."""


END_OF_DAY = time.max
"""A closing time of "24:00": open until midnight (a desk open around the clock)."""


@dataclass(frozen=True)
class OpeningHours:
    """When a channel is open: the same hours on each of the given weekdays (Mon=0)."""

    weekdays: frozenset[int] = field(default_factory=lambda: frozenset(range(5)))
    opens: time = time(9)
    closes: time = time(15)

    def __post_init__(self) -> None:
        if not self.weekdays:
            raise ValueError("opening hours need at least one weekday")
        if not self.weekdays <= frozenset(range(7)):
            raise ValueError(
                f"weekdays must be 0 (Monday) to 6 (Sunday), got {sorted(self.weekdays)}"
            )
        if self.opens.tzinfo is not None or self.closes.tzinfo is not None:
            raise ValueError("opening and closing times are local wall times, without a zone")
        if self.opens >= self.closes:
            raise ValueError(
                f"opening time {self.opens:%H:%M} must be before closing time {self.closes:%H:%M}"
            )

    @classmethod
    def parse(cls, text: str) -> OpeningHours:
        """Read ``"mon-fri 09:00-15:00"``, ``"mon,wed 8.30-12"``, ``"ma-pe 9-15"`` and the like."""
        match = _HOURS_RE.fullmatch(text.strip().lower())
        if match is None:
            raise ValueError(f"opening hours {text!r} are not in the form 'mon-fri 09:00-15:00'")
        weekdays = _parse_days(match["days"], text)
        return cls(weekdays, _parse_time(match["opens"], text), _closing(match["closes"], text))

    def __str__(self) -> str:
        return f"{_format_days(self.weekdays)} {self.opens:%H:%M}-{_format_closing(self.closes)}"


@dataclass(frozen=True)
class DayHours:
    """One channel's hours on one exceptional day: closed, or open ``opens``-``closes``.

    An exceptional day (a training day, a shortened Christmas week, a county's
    extra closing, or an opening on a day the desk is usually closed) replaces
    the week's hours and the holiday rule for that day and channel.
    """

    opens: time | None = None
    closes: time | None = None
    reason: str = ""

    def __post_init__(self) -> None:
        if (self.opens is None) != (self.closes is None):
            raise ValueError("an exceptional day is closed, or has both an opening and a closing")
        if self.opens is not None and self.closes is not None and self.opens >= self.closes:
            raise ValueError(
                f"opening time {self.opens:%H:%M} must be before closing time {self.closes:%H:%M}"
            )

    @property
    def closed(self) -> bool:
        return self.opens is None

    @classmethod
    def parse(cls, text: str | None, reason: str = "") -> DayHours:
        """``None`` or ``"closed"``: closed; ``"09:00-12:00"``, ``"9-12"``: open then."""
        if text is None or text.strip().lower() == "closed":
            return cls(reason=reason)
        match = _RANGE_RE.fullmatch(text.strip())
        if match is None:
            raise ValueError(f"hours {text!r} are not in the form '09:00-12:00'")
        return cls(_parse_time(match["opens"], text), _closing(match["closes"], text), reason)

    @property
    def range_text(self) -> str | None:
        """``"09:00-12:00"``, or None when closed (the stored form)."""
        if self.opens is None or self.closes is None:
            return None
        return f"{self.opens:%H:%M}-{_format_closing(self.closes)}"


def _closing(value: str, text: str) -> time:
    if value.replace(".", ":") in ("24", "24:00"):
        return END_OF_DAY
    return _parse_time(value, text)


def _format_closing(value: time) -> str:
    return "24:00" if value == END_OF_DAY else f"{value:%H:%M}"


def _parse_days(spec: str, text: str) -> frozenset[int]:
    days: set[int] = set()
    for item in re.sub(r"\s+", "", spec).split(","):
        first, sep, last = item.partition("-")
        start = _day(first, text)
        end = _day(last, text) if sep else start
        if start > end:
            raise ValueError(
                f"day range {item!r} in {text!r} runs backwards (write e.g. 'mon-fri')"
            )
        days.update(range(start, end + 1))
    return frozenset(days)


def _day(name: str, text: str) -> int:
    try:
        return _DAYS[name]
    except KeyError:
        raise ValueError(
            f"unknown weekday {name!r} in {text!r} (use {', '.join(_DAY_NAMES)})"
        ) from None


def _parse_time(value: str, text: str) -> time:
    hour, _, minute = value.replace(".", ":").partition(":")
    try:
        return time(int(hour), int(minute or 0))
    except ValueError:
        raise ValueError(f"{value!r} in {text!r} is not a time between 00:00 and 23:59") from None


def _format_days(weekdays: frozenset[int]) -> str:
    """Runs of consecutive days as ranges: ``mon-wed,fri``."""
    parts: list[str] = []
    for _, run in groupby(enumerate(sorted(weekdays)), key=lambda pair: pair[1] - pair[0]):
        days = [day for _, day in run]
        first, last = _DAY_NAMES[days[0]], _DAY_NAMES[days[-1]]
        parts.append(first if first == last else f"{first}-{last}")
    return ",".join(parts)


@lru_cache(maxsize=64)
def _closed_days(year: int) -> frozenset[date]:
    """Finnish public holidays of a year, Midsummer Eve and Christmas Eve included.

    ``holidays`` (0.109) lists both eves in its ``public`` category, so nothing is
    added here; a unit test guards that against a library upgrade. (Imported here,
    not with the module: it is slow to import, and the workstation's first frame has no
    use for it.)
    """
    import holidays

    return frozenset(holidays.country_holidays("FI", years=year, categories=("public",)))


def is_public_holiday(day: date) -> bool:
    """A Finnish public holiday, Midsummer Eve or Christmas Eve: no service day."""
    return day in _closed_days(day.year)


def _require_aware(value: datetime, name: str) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(
            f"{name} must be timezone-aware, got the naive datetime {value.isoformat()}"
        )


def to_local(dt: datetime, tz: ZoneInfo = HELSINKI) -> datetime:
    """The same instant on the desk's wall clock."""
    _require_aware(dt, "the datetime")
    return dt.astimezone(tz)


def utcnow() -> datetime:
    """The current instant, aware, in UTC."""
    return datetime.now(UTC)


_HOLIDAY_LANGUAGES = {"fi": "fi", "sv": "sv_FI", "en": "en_US"}


def holiday_names(year: int, language: str = "fi") -> dict[date, str]:
    """The public holidays of a year (and both eves) named in ``language`` (else Finnish)."""
    import holidays

    names = holidays.country_holidays(
        "FI", years=year, categories=("public",), language=_HOLIDAY_LANGUAGES.get(language, "fi")
    )
    return dict(sorted(names.items()))


class DeskCalendar:
    """The desk's opening hours per channel, its exceptional days, and business days.

    ``days`` maps a day and a channel to that day's own hours (closed, or
    other hours than the week's); such a day overrides the weekly hours and the
    holiday rule for that channel.
    """

    def __init__(
        self,
        hours: Mapping[Channel, OpeningHours] | None = None,
        tz: ZoneInfo = HELSINKI,
        days: Mapping[tuple[date, Channel], DayHours] | None = None,
    ) -> None:
        given = dict(hours or {})
        self.tz = tz
        self._hours = {channel: given.get(channel, OpeningHours()) for channel in Channel}
        self._days = dict(days or {})

    def __repr__(self) -> str:
        hours = ", ".join(f"{channel}={hours}" for channel, hours in self._hours.items())
        return f"DeskCalendar({hours}, tz={self.tz.key}, {len(self._days)} exceptional days)"

    def hours(self, channel: Channel) -> OpeningHours:
        """The channel's usual weekly hours."""
        return self._hours[channel]

    def exceptional_days(self) -> dict[tuple[date, Channel], DayHours]:
        return dict(self._days)

    def hours_on(self, channel: Channel, day: date) -> tuple[time, time] | None:
        """When the channel is open on ``day`` (local), or None when it is closed all day."""
        special = self._days.get((day, channel))
        if special is not None:
            if special.opens is None or special.closes is None:
                return None
            return special.opens, special.closes
        hours = self._hours[channel]
        if self._is_open_day(hours, day):
            return hours.opens, hours.closes
        return None

    def is_business_day(self, day: date) -> bool:
        """Monday to Friday, not a public holiday, Midsummer Eve or Christmas Eve, and not
        a day the desk has closed its message channel (a training day, an extra closing)."""
        special = self._days.get((day, Channel.MESSAGE))
        if special is not None and special.closed:
            return False
        return day.weekday() < 5 and day not in _closed_days(day.year)

    def next_business_day(self, day: date) -> date:
        """The first business day strictly after ``day``."""
        day += timedelta(days=1)
        while not self.is_business_day(day):
            day += timedelta(days=1)
        return day

    def is_open(self, channel: Channel, at: datetime) -> bool:
        _require_aware(at, "at")
        local = at.astimezone(self.tz)
        open_hours = self.hours_on(channel, local.date())
        return open_hours is not None and open_hours[0] <= local.time() < open_hours[1]

    def next_opening(self, channel: Channel, at: datetime) -> datetime:
        """``at`` (in the desk's zone) if the channel is open then, else its next opening."""
        if self.is_open(channel, at):
            return at.astimezone(self.tz)
        local = at.astimezone(self.tz)
        for offset in range(_SEARCH_DAYS):
            day = local.date() + timedelta(days=offset)
            open_hours = self.hours_on(channel, day)
            if open_hours is not None and (offset > 0 or local.time() < open_hours[0]):
                return self._wall(day, open_hours[0])
        raise RuntimeError(f"{channel} does not open within {_SEARCH_DAYS} days of {at}")

    def closing_time(self, channel: Channel, at: datetime) -> datetime | None:
        """The end of the open period containing ``at``; None when the channel is closed."""
        if not self.is_open(channel, at):
            return None
        return self._closing_on(channel, at.astimezone(self.tz).date())

    def _closing_on(self, channel: Channel, day: date) -> datetime:
        open_hours = self.hours_on(channel, day)
        if open_hours is None:
            raise ValueError(f"{channel} is closed on {day}")
        return self._wall(day, open_hours[1])

    def message_due(self, received_at: datetime) -> datetime:
        """The deadline for answering a message: the end of the next business day.

        The end is the exclusive instant, local midnight starting the following day.
        """
        _require_aware(received_at, "received_at")
        answer_day = self.next_business_day(received_at.astimezone(self.tz).date())
        return self._wall(answer_day + timedelta(days=1), time(0))

    def callback_due(self, received_at: datetime) -> datetime:
        """The deadline for a phone callback: closing time of the day it can first be handled.

        Requested while the phone line is open: closing time that day (the same-day
        contact of the Health Care Act, 51 §); otherwise the closing time of the next
        opening's day.
        """
        opening = self.next_opening(Channel.PHONE, received_at)
        return self._closing_on(Channel.PHONE, opening.date())

    def _is_open_day(self, hours: OpeningHours, day: date) -> bool:
        """One of the channel's weekdays, and not a public holiday or eve.

        For the default Monday-Friday hours this is exactly a business day; a
        weekend day configured in the hours is honoured rather than ignored.
        A channel open on all seven days (a service such as päivystysapu) is
        open on public holidays too.
        """
        if day.weekday() not in hours.weekdays:
            return False
        return len(hours.weekdays) == 7 or day not in _closed_days(day.year)

    def _wall(self, day: date, at: time) -> datetime:
        """The aware instant of a local wall time; a time in a DST gap moves forward."""
        return datetime.combine(day, at, tzinfo=self.tz).astimezone(UTC).astimezone(self.tz)
