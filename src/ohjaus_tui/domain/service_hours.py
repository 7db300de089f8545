"""A service channel's hours as the national service catalogue (PTV) gives them.

A channel document of Suomi.fi Palvelutietovaranto (open API v8 to v11) lists its
``serviceHours``: items of the weekly hours (``DaysOfTheWeek``), of continuous
spans over several days (``OverMidnight``), and of exceptional days or date
ranges (``Exceptional``), each valid for a period or until further notice.
:meth:`ServiceHours.from_ptv` reads them, and :meth:`ServiceHours.is_open` and
:meth:`ServiceHours.next_change` answer "is it open now, and until when".

How a day's hours are decided (the first rule that applies wins):

1. An **exceptional** item whose dates cover the day: its hours that day, or
   closed. Where several cover the day, the one with the fewest days (a single
   day within a closed week, say) decides; two alike both count.
2. A **public holiday** (``holidays``; by default Finnish public holidays,
   Midsummer Eve and Christmas Eve, :func:`~ohjaus_tui.domain.calendar.is_public_holiday`):
   closed, unless the weekly hours in force cover all seven days of the week
   (a seven-day service such as an emergency line serves on holidays too) or
   the channel is always open (which covers all seven days).
3. The **weekly** items valid that day. An item with an end (``validTo``), such
   as summer hours, replaces the open-ended ones on its dates; items alike all
   count (two ranges on the same day, e.g. 12.00-14.30 and 12.00-13.00, are
   both open time). A weekly item marked closed closes its days.

A range belongs to the day it starts on: a Friday 22.00-02.00 range is decided
by Friday's rules and makes Saturday 01:00 open (even when Saturday is a
holiday). An ``OverMidnight`` span (Friday 18.00 to Monday 08.00) is cut at each
midnight into pieces, each decided by its own day. A closing time of
``00:00:00`` or ``24:00:00`` is midnight; a closing time not after the opening
is on the next day (``00:00:00``-``00:00:00`` is 24 hours). A closing time with
seconds (``23:59:59``) is rounded up to the whole minute.

The catalogue's own verdict ``validForNow`` (true at the time of export) is not
used: the dates are. An item that says nothing computable (an exceptional item
without dates, whose hours only its ``additionalInformation`` text gives, as one
channel of the Naantali export has; an open item without any hours) is kept as
text in :attr:`ServiceHours.notes` and does not change whether the channel is
open. ``isExtra`` (v11) marks a second range of a day: it counts like any other.

All arithmetic happens on local wall times in the channel's zone (Helsinki),
turned into aware datetimes, so that the answers stay right across the daylight
saving transitions (an opening in the spring's missing hour moves forward). Every
datetime taken in must be aware; every datetime given out is aware, in ``tz``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cached_property
from typing import Any
from zoneinfo import ZoneInfo

from ohjaus_tui.domain.calendar import HELSINKI, is_public_holiday
from ohjaus_tui.domain.reasons import Reason, reason

DAY = 24 * 60
"""Minutes in a day (on the wall clock)."""
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
"""The catalogue's names of the days of the week, Monday (0) first."""
_DAY_INDEX = {name.lower(): index for index, name in enumerate(WEEKDAYS)}
_TIME = re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?")
_SEARCH_DAYS = 366
"""How far past the last dated item to look for an opening before deciding there is none."""
_JSON_VERSION = 1

Range = tuple[int, int]
"""Minutes from a day's midnight: the opening (0 to 1439) and the closing (up to a day later)."""
Info = tuple[tuple[str, str], ...]
"""An item's ``additionalInformation``: (language, text) pairs."""


class PtvHoursError(ValueError):
    """What cannot be read in a channel's ``serviceHours``: the ``field`` (its path,
    ``serviceHours[0].openingHour[1].to``) and why (``reason``, a domain Reason)."""

    def __init__(self, field: str, message: Reason) -> None:
        self.field = field
        self.reason = message
        super().__init__(f"{field}: {message}")


@dataclass(frozen=True)
class WeeklyItem:
    """Hours by the day of the week, valid from ``valid_from`` to ``valid_to`` (inclusive;
    None: no bound). ``ranges`` are (weekday, opening, closing): Monday is 0, the
    times minutes from that day's midnight. ``closed``: closed on its days (on all
    days when it names none)."""

    ranges: tuple[tuple[int, int, int], ...] = ()
    valid_from: date | None = None
    valid_to: date | None = None
    closed: bool = False
    info: Info = ()

    def covers(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )

    @cached_property
    def by_weekday(self) -> tuple[tuple[Range, ...], ...]:
        """The ranges starting on each weekday, in order."""
        days: list[list[Range]] = [[] for _ in WEEKDAYS]
        for weekday, opens, closes in self.ranges:
            days[weekday].append((opens, closes))
        return tuple(tuple(sorted(ranges)) for ranges in days)

    @cached_property
    def weekdays(self) -> frozenset[int]:
        """The days of the week this item names."""
        return frozenset(weekday for weekday, _, _ in self.ranges)

    def closes_on(self, weekday: int) -> bool:
        return self.closed and (not self.ranges or weekday in self.weekdays)


@dataclass(frozen=True)
class ExceptionalItem:
    """Hours on the days ``first`` to ``last`` (inclusive) instead of the usual ones:
    ``ranges`` each of those days, or closed when there are none."""

    first: date
    last: date
    ranges: tuple[Range, ...] = ()
    info: Info = ()

    @property
    def closed(self) -> bool:
        return not self.ranges

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1


@dataclass(frozen=True)
class ServiceHours:
    """A service channel's hours: weekly ranges, exceptional periods/days, always-open.

    See the module for the rules; build one with :meth:`from_ptv` (a channel's
    ``serviceHours``) or :meth:`from_json` (what :meth:`to_json` stored).
    ``notes`` are the texts of items that say nothing computable.
    """

    weekly: tuple[WeeklyItem, ...] = ()
    exceptional: tuple[ExceptionalItem, ...] = ()
    notes: Info = ()

    # --- reading -----------------------------------------------------------------

    @classmethod
    def from_ptv(cls, items: Sequence[Mapping[str, Any]]) -> ServiceHours:
        """A channel document's ``serviceHours`` (API v8 to v11; None: no hours).

        Raises :class:`PtvHoursError` naming the field that cannot be read.
        """
        if items is None:
            return cls()
        if not isinstance(items, list | tuple):
            raise PtvHoursError("serviceHours", _not_a("list", items))
        weekly: list[WeeklyItem] = []
        exceptional: list[ExceptionalItem] = []
        notes: list[tuple[str, str]] = []
        for index, item in enumerate(items):
            where = f"serviceHours[{index}]"
            if not isinstance(item, Mapping):
                raise PtvHoursError(where, _not_a("object", item))
            read = _read_item(item, where)
            if isinstance(read, WeeklyItem):
                weekly.append(read)
            elif isinstance(read, ExceptionalItem):
                exceptional.append(read)
            else:
                notes.extend(read)
        return cls(tuple(weekly), tuple(exceptional), tuple(notes))

    # --- storing -----------------------------------------------------------------

    def to_json(self) -> str:
        """A compact, stable text (sorted keys) for a Text column; :meth:`from_json` reads it."""
        document = {
            "v": _JSON_VERSION,
            "weekly": [
                {
                    "closed": item.closed,
                    "from": _iso(item.valid_from),
                    "info": [list(pair) for pair in item.info],
                    "ranges": [list(triple) for triple in item.ranges],
                    "to": _iso(item.valid_to),
                }
                for item in self.weekly
            ],
            "exceptional": [
                {
                    "first": item.first.isoformat(),
                    "info": [list(pair) for pair in item.info],
                    "last": item.last.isoformat(),
                    "ranges": [list(pair) for pair in item.ranges],
                }
                for item in self.exceptional
            ],
            "notes": [list(pair) for pair in self.notes],
        }
        return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> ServiceHours:
        """What :meth:`to_json` wrote; ValueError for anything else."""
        try:
            document = json.loads(text)
            if document.get("v") != _JSON_VERSION:
                raise ValueError(f"unknown version {document.get('v')!r}")
            weekly = tuple(
                WeeklyItem(
                    ranges=tuple(_checked_weekly(triple) for triple in item["ranges"]),
                    valid_from=_date_or_none(item["from"]),
                    valid_to=_date_or_none(item["to"]),
                    closed=bool(item["closed"]),
                    info=_info_pairs(item["info"]),
                )
                for item in document["weekly"]
            )
            exceptional = tuple(
                ExceptionalItem(
                    first=date.fromisoformat(item["first"]),
                    last=date.fromisoformat(item["last"]),
                    ranges=tuple(_checked_range(*pair) for pair in item["ranges"]),
                    info=_info_pairs(item["info"]),
                )
                for item in document["exceptional"]
            )
            return cls(weekly, exceptional, _info_pairs(document["notes"]))
        except (KeyError, TypeError, AttributeError, json.JSONDecodeError) as error:
            raise ValueError(f"not stored service hours: {error}") from None

    # --- asking ------------------------------------------------------------------

    @property
    def known(self) -> bool:
        """False when there is nothing to compute from (no hours at all; notes aside)."""
        return bool(self.weekly or self.exceptional)

    @cached_property
    def always_open(self) -> bool:
        """Open around the clock every day, with no exceptional items or dated hours."""
        if self.exceptional or not self.weekly:
            return False
        if any(item.valid_from or item.valid_to or item.closed for item in self.weekly):
            return False
        return all(_covers_whole_day(day) for day in _merged_week(self.weekly))

    def regular_week(self) -> tuple[tuple[Range, ...], ...]:
        """The usual hours by weekday (Monday first): the open-ended weekly items
        (those without ``validTo``; all of them where every item has an end), their
        ranges merged where they overlap. Empty days are closed."""
        usual = [item for item in self.weekly if item.valid_to is None] or list(self.weekly)
        return _merged_week([item for item in usual if not item.closed])

    def is_open(
        self,
        at: datetime,
        *,
        holidays: Callable[[date], bool] | None = None,
        tz: ZoneInfo = HELSINKI,
    ) -> bool:
        """Whether the channel is open at the instant ``at`` (aware)."""
        _require_aware(at)
        if not self.known:
            return False
        holiday = holidays or is_public_holiday
        day = at.astimezone(tz).date()
        for start_day in (day - timedelta(days=1), day):
            for opens, closes in self._ranges_on(start_day, holiday):
                if _wall(start_day, opens, tz) <= at < _wall(start_day, closes, tz):
                    return True
        return False

    def next_change(
        self,
        at: datetime,
        *,
        holidays: Callable[[date], bool] | None = None,
        tz: ZoneInfo = HELSINKI,
    ) -> datetime | None:
        """When it next opens (if closed at ``at``) or closes (if open), in ``tz``;
        None when it never does (always open, no hours, or no opening ahead)."""
        return self.state(at, holidays=holidays, tz=tz)[1]

    def state(
        self,
        at: datetime,
        *,
        holidays: Callable[[date], bool] | None = None,
        tz: ZoneInfo = HELSINKI,
    ) -> tuple[bool, datetime | None]:
        """:meth:`is_open` and :meth:`next_change` at once (what a status line needs)."""
        _require_aware(at)
        if not self.known:
            return False, None
        if self.always_open:
            return True, None
        holiday = holidays or is_public_holiday
        first_day = at.astimezone(tz).date() - timedelta(days=1)
        for opens, closes in self._blocks(first_day, holiday, tz):
            if closes is not None and closes <= at:
                continue
            if opens <= at:
                return True, None if closes is None else closes.astimezone(tz)
            return False, opens.astimezone(tz)
        return False, None

    # --- the rules ---------------------------------------------------------------

    def _ranges_on(self, day: date, holiday: Callable[[date], bool]) -> tuple[Range, ...]:
        """The ranges that start on ``day`` (local), by the rules of the module."""
        plain = self._plain_week
        if plain is not None:  # the usual case: one week, the same all year
            ranges = plain[day.weekday()]
            if ranges and not self._plain_seven_days and holiday(day):
                return ()
            return ranges
        covering = [item for item in self.exceptional if item.first <= day <= item.last]
        if covering:
            fewest = min(item.days for item in covering)
            chosen = [item for item in covering if item.days == fewest]
            return tuple(sorted(r for item in chosen for r in item.ranges))
        valid = [item for item in self.weekly if item.covers(day)]
        if not valid:
            return ()
        ended = [item for item in valid if item.valid_to is not None]
        in_force = ended or valid
        weekday = day.weekday()
        if any(item.closes_on(weekday) for item in in_force):
            return ()
        open_items = [item for item in in_force if not item.closed]
        ranges = tuple(sorted(r for item in open_items for r in item.by_weekday[weekday]))
        if ranges and holiday(day) and not _seven_days(open_items):
            return ()
        return ranges

    @cached_property
    def _plain_week(self) -> tuple[tuple[Range, ...], ...] | None:
        """The ranges by weekday when nothing is dated or closed (else None)."""
        if self.exceptional or any(
            item.valid_from or item.valid_to or item.closed for item in self.weekly
        ):
            return None
        return tuple(
            tuple(sorted(r for item in self.weekly for r in item.by_weekday[weekday]))
            for weekday in range(len(WEEKDAYS))
        )

    @cached_property
    def _plain_seven_days(self) -> bool:
        return _seven_days(self.weekly)

    @cached_property
    def _last_dated(self) -> date | None:
        """The last day any dated item (a validity bound, an exceptional day) speaks of:
        after it (and the day after, for a range over midnight) the hours repeat weekly."""
        days = [item.last for item in self.exceptional]
        for item in self.weekly:
            days += [bound for bound in (item.valid_from, item.valid_to) if bound is not None]
        return max(days) + timedelta(days=1) if days else None

    @cached_property
    def _repeats(self) -> bool:
        """Some open-ended weekly item has ranges: the channel opens again, week after week."""
        return any(
            item.valid_to is None and not item.closed and item.ranges for item in self.weekly
        )

    def _blocks(
        self, first_day: date, holiday: Callable[[date], bool], tz: ZoneInfo
    ) -> Iterator[tuple[datetime, datetime | None]]:
        """The open periods from ``first_day`` on, overlapping and touching ranges joined;
        a period still open a whole repeating week on ends None (it never closes)."""
        base = max(first_day, self._last_dated or first_day)
        endless = base + timedelta(days=8)
        give_up = base + timedelta(days=_SEARCH_DAYS if self._repeats else 1)
        pending: tuple[datetime, datetime] | None = None
        day = first_day
        while day <= give_up:
            for opens, closes in self._ranges_on(day, holiday):
                start, end = _wall(day, opens, tz), _wall(day, closes, tz)
                if pending is not None and start <= pending[1]:
                    pending = (pending[0], max(pending[1], end))
                    continue
                if pending is not None:
                    yield pending
                pending = (start, end)
            if (
                pending is not None
                and day >= endless
                and pending[0] <= _wall(day - timedelta(days=7), 0, tz)
                and pending[1] >= _wall(day + timedelta(days=1), 0, tz)
            ):
                yield pending[0], None
                return
            day += timedelta(days=1)
        if pending is not None:
            yield pending


# --- the rules' helpers ----------------------------------------------------------------


def _wall(day: date, minutes: int, tz: ZoneInfo) -> datetime:
    """The instant (in UTC) of a wall time ``minutes`` after ``day``'s midnight in ``tz``;
    a time in a DST gap moves forward, an ambiguous one is the first."""
    wall = datetime.combine(day, time(0), tzinfo=tz) + timedelta(minutes=minutes)
    return wall.astimezone(UTC)


def _seven_days(items: Sequence[WeeklyItem]) -> bool:
    """The items have hours on each of the seven days of the week."""
    days: set[int] = set()
    for item in items:
        days |= item.weekdays
    return len(days) == len(WEEKDAYS)


def _merged_week(items: Sequence[WeeklyItem]) -> tuple[tuple[Range, ...], ...]:
    week = []
    for weekday in range(len(WEEKDAYS)):
        ranges = sorted(r for item in items for r in item.by_weekday[weekday])
        merged: list[Range] = []
        for opens, closes in ranges:
            if merged and opens <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(merged[-1][1], closes))
            else:
                merged.append((opens, closes))
        week.append(tuple(merged))
    return tuple(week)


def _covers_whole_day(ranges: tuple[Range, ...]) -> bool:
    return bool(ranges) and ranges[0][0] == 0 and ranges[0][1] >= DAY


def _require_aware(at: datetime) -> None:
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError(f"the instant must be timezone-aware, got {at.isoformat()}")


# --- reading the catalogue's items -------------------------------------------------------


def _read_item(item: Mapping[str, Any], where: str) -> WeeklyItem | ExceptionalItem | Info:
    """One item: its hours, or (saying nothing computable) its texts."""
    kind = item.get("serviceHourType")
    if kind not in ("DaysOfTheWeek", "Exceptional", "OverMidnight"):
        raise PtvHoursError(
            f"{where}.serviceHourType",
            reason(
                "svchours.ptv.bad_type",
                "{value!r} is not a type of service hours "
                "(DaysOfTheWeek, Exceptional, OverMidnight)",
                value=kind,
            ),
        )
    info = _info(item.get("additionalInformation"), f"{where}.additionalInformation")
    closed = _flag(item, "isClosed", where)
    always = _flag(item, "isAlwaysOpen", where)
    valid_from = _day_of(item.get("validFrom"), f"{where}.validFrom")
    valid_to = _day_of(item.get("validTo"), f"{where}.validTo")
    if valid_from is not None and valid_to is not None and valid_to < valid_from:
        raise PtvHoursError(
            f"{where}.validTo",
            reason(
                "svchours.ptv.backwards",
                "the period ends {last} before it begins {first}",
                first=valid_from.isoformat(),
                last=valid_to.isoformat(),
            ),
        )
    hours = item.get("openingHour")
    if hours is None:
        hours = []
    if not isinstance(hours, list):
        raise PtvHoursError(f"{where}.openingHour", _not_a("list", hours))

    if kind == "Exceptional":
        if valid_from is None:
            _times(hours, f"{where}.openingHour")  # read, to refuse what cannot be
            return info
        ranges = () if closed else _exceptional_ranges(hours, always, f"{where}.openingHour")
        if not closed and not ranges:
            return info
        return ExceptionalItem(valid_from, valid_to or valid_from, ranges, info)

    if always and not closed:
        whole = tuple((weekday, 0, DAY) for weekday in range(len(WEEKDAYS)))
        return WeeklyItem(whole, valid_from, valid_to, False, info)
    reader = _over_midnight_ranges if kind == "OverMidnight" else _weekly_ranges
    weekly = reader(hours, f"{where}.openingHour")
    if not closed and not weekly:
        return info
    return WeeklyItem(weekly, valid_from, valid_to, closed, info)


def _weekly_ranges(hours: list[Any], where: str) -> tuple[tuple[int, int, int], ...]:
    """``DaysOfTheWeek``: each day from ``dayFrom`` to ``dayTo`` (wrapping the week) has
    the range ``from``-``to`` (over midnight when ``to`` is not after ``from``)."""
    ranges: list[tuple[int, int, int]] = []
    for index, hour in enumerate(hours):
        here = f"{where}[{index}]"
        if not isinstance(hour, Mapping):
            raise PtvHoursError(here, _not_a("object", hour))
        first = _weekday(hour.get("dayFrom"), f"{here}.dayFrom", required=True)
        last = _weekday(hour.get("dayTo"), f"{here}.dayTo", required=False)
        opens, closes = _range(hour, here)
        assert first is not None  # required
        count = 1 if last is None else (last - first) % len(WEEKDAYS) + 1
        ranges += [((first + step) % len(WEEKDAYS), opens, closes) for step in range(count)]
    return tuple(ranges)


def _over_midnight_ranges(hours: list[Any], where: str) -> tuple[tuple[int, int, int], ...]:
    """``OverMidnight``: one span from ``dayFrom`` at ``from`` to ``dayTo`` at ``to``
    (the next such moment), cut at each midnight."""
    week = DAY * len(WEEKDAYS)
    ranges: list[tuple[int, int, int]] = []
    for index, hour in enumerate(hours):
        here = f"{where}[{index}]"
        if not isinstance(hour, Mapping):
            raise PtvHoursError(here, _not_a("object", hour))
        first = _weekday(hour.get("dayFrom"), f"{here}.dayFrom", required=True)
        last = _weekday(hour.get("dayTo"), f"{here}.dayTo", required=False)
        opens = _minutes(hour.get("from"), f"{here}.from", closing=False)
        closes = _minutes(hour.get("to"), f"{here}.to", closing=True)
        assert first is not None  # required
        start = first * DAY + opens
        end = (first if last is None else last) * DAY + closes
        while end <= start:
            end += DAY if last is None else week
        while start < end:
            day_start = start - start % DAY
            piece_end = min(end, day_start + DAY)
            ranges.append(
                ((day_start // DAY) % len(WEEKDAYS), start - day_start, piece_end - day_start)
            )
            start = piece_end
    return tuple(ranges)


def _exceptional_ranges(hours: list[Any], always: bool, where: str) -> tuple[Range, ...]:
    """An exceptional item's hours on each of its days; its dates say which days, so a
    ``dayFrom``/``dayTo`` is read (to refuse a wrong one) but not used."""
    if always:
        return ((0, DAY),)
    return tuple(sorted(_times(hours, where)))


def _times(hours: list[Any], where: str) -> list[Range]:
    found = []
    for index, hour in enumerate(hours):
        here = f"{where}[{index}]"
        if not isinstance(hour, Mapping):
            raise PtvHoursError(here, _not_a("object", hour))
        _weekday(hour.get("dayFrom"), f"{here}.dayFrom", required=False)
        _weekday(hour.get("dayTo"), f"{here}.dayTo", required=False)
        if hour.get("from") is None and hour.get("to") is None:
            continue
        found.append(_range(hour, here))
    return found


def _range(hour: Mapping[str, Any], where: str) -> Range:
    opens = _minutes(hour.get("from"), f"{where}.from", closing=False)
    closes = _minutes(hour.get("to"), f"{where}.to", closing=True)
    return opens, closes if closes > opens else closes + DAY


def _minutes(value: object, where: str, *, closing: bool) -> int:
    """``"HH:MM:SS"`` as minutes after midnight; a closing ``00:00``/``24:00`` is midnight
    (0: the caller moves it to the day's end), and its seconds round up."""
    match = _TIME.fullmatch(value) if isinstance(value, str) else None
    if match is None:
        raise PtvHoursError(where, _bad_time(value))
    hour, minute, second = int(match[1]), int(match[2]), int(match[3] or 0)
    if minute > 59 or second > 59 or hour > 24 or (hour == 24 and (minute or second)):
        raise PtvHoursError(where, _bad_time(value))
    minutes = (hour * 60 + minute) % DAY
    if closing and second:
        minutes = (minutes + 1) % DAY
    return minutes


def _bad_time(value: object) -> Reason:
    return reason(
        "svchours.ptv.bad_time",
        "{value!r} is not a time of day (HH:MM:SS, 00:00:00 to 24:00:00)",
        value=value,
    )


def _weekday(value: object, where: str, *, required: bool) -> int | None:
    if value is None or value == "":
        if required:
            raise PtvHoursError(where, reason("svchours.ptv.no_day", "a day of the week is needed"))
        return None
    index = _DAY_INDEX.get(value.strip().lower()) if isinstance(value, str) else None
    if index is None:
        raise PtvHoursError(
            where,
            reason(
                "svchours.ptv.bad_day",
                "{value!r} is not a day of the week (Monday to Sunday)",
                value=value,
            ),
        )
    return index


def _day_of(value: object, where: str) -> date | None:
    """An ISO date or date and time as a day in Helsinki (an aware one is moved there)."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value.strip())
        except ValueError:
            pass
        else:
            if moment.tzinfo is not None:
                moment = moment.astimezone(HELSINKI)
            return moment.date()
    raise PtvHoursError(
        where,
        reason(
            "svchours.ptv.bad_date",
            "{value!r} is not a date or a date and time (ISO 8601)",
            value=value,
        ),
    )


def _flag(item: Mapping[str, Any], name: str, where: str) -> bool:
    value = item.get(name)
    if value is None:
        return False
    if not isinstance(value, bool):
        raise PtvHoursError(
            f"{where}.{name}",
            reason("svchours.ptv.not_flag", "{value!r}: expected true or false", value=value),
        )
    return value


def _info(value: object, where: str) -> Info:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise PtvHoursError(where, _not_a("list", value))
    pairs = []
    for index, entry in enumerate(value):
        if not isinstance(entry, Mapping):
            raise PtvHoursError(f"{where}[{index}]", _not_a("object", entry))
        text, language = entry.get("value"), entry.get("language")
        if text is None:  # a language without the text (the catalogue has such)
            continue
        if not isinstance(text, str) or not isinstance(language, str):
            raise PtvHoursError(f"{where}[{index}]", _not_a("text", entry))
        if text.strip():
            pairs.append((language, text.strip()))
    return tuple(pairs)


def _not_a(kind: str, value: object) -> Reason:
    if kind == "list":
        return reason("svchours.ptv.not_list", "expected a list, got {value!r}", value=value)
    if kind == "object":
        return reason("svchours.ptv.not_object", "expected an object, got {value!r}", value=value)
    return reason(
        "svchours.ptv.not_text", "expected a text and its language, got {value!r}", value=value
    )


# --- the stored form's helpers -----------------------------------------------------------


def _iso(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


def _date_or_none(value: str | None) -> date | None:
    return None if value is None else date.fromisoformat(value)


def _info_pairs(value: list[list[str]]) -> Info:
    return tuple((str(language), str(text)) for language, text in value)


def _checked_range(opens: int, closes: int) -> Range:
    if not (isinstance(opens, int) and isinstance(closes, int) and 0 <= opens < DAY):
        raise ValueError(f"not a range of minutes: {opens!r}, {closes!r}")
    if not opens < closes <= opens + DAY:
        raise ValueError(f"not a range of minutes: {opens!r}, {closes!r}")
    return opens, closes


def _checked_weekly(triple: list[int]) -> tuple[int, int, int]:
    weekday, opens, closes = triple
    if weekday not in range(len(WEEKDAYS)):
        raise ValueError(f"not a day of the week: {weekday!r}")
    return (weekday, *_checked_range(opens, closes))
