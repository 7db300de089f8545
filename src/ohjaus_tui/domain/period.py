"""Report periods: a month, an ISO week, a year or a range of days, in local time.

A period is a range of whole local days, ``start`` to ``end`` inclusive. Its
UTC bounds are the instants of local midnight starting ``start`` and local
midnight after ``end``, so a contact at 23:30 on the last day belongs to the
period however the clocks turned during it. A month, week or year that has
not ended yet (it contains ``today``) runs "so far": to ``today``, and it is
compared with the same number of days at the start of the period before.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

CURRENT = "current"
"""The value of ``--month``, ``--week`` or ``--year`` given without a date: the current one."""

FIRST_YEAR = 1900
LAST_YEAR = 2999

_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_WEEK = re.compile(r"^(\d{4})-?[Ww](\d{1,2})$")
_YEAR = re.compile(r"^(\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_FINNISH_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")


class PeriodError(ValueError):
    """A period that cannot be made of the given options; the message is one line.

    ``code`` and ``params`` say the same for a front end that words it in its
    user's language (the command line's catalogues have a wording for each code).
    """

    def __init__(self, message: str, *, code: str, **params: object) -> None:
        super().__init__(message)
        self.code = code
        self.params = params


class PeriodKind(StrEnum):
    MONTH = "month"
    WEEK = "week"
    YEAR = "year"
    RANGE = "range"


@dataclass(frozen=True)
class Period:
    """Local days ``start`` to ``end``, both included.

    ``to_date`` marks a month, week or year cut short at today ("so far").
    """

    start: date
    end: date
    kind: PeriodKind = PeriodKind.RANGE
    to_date: bool = False

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise PeriodError(
                f"the period ends ({self.end}) before it starts ({self.start})",
                code="period.ends_before_start",
                start=self.start.isoformat(),
                end=self.end.isoformat(),
            )

    # --- constructors -------------------------------------------------------------

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        first = date(year, month, 1)
        return cls(first, _next_month(first) - timedelta(days=1), PeriodKind.MONTH)

    @classmethod
    def week(cls, year: int, week: int) -> Period:
        """ISO week ``week`` of ``year`` (Monday to Sunday)."""
        monday = date.fromisocalendar(year, week, 1)
        return cls(monday, monday + timedelta(days=6), PeriodKind.WEEK)

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(date(year, 1, 1), date(year, 12, 31), PeriodKind.YEAR)

    @classmethod
    def days_between(cls, start: date, end: date) -> Period:
        return cls(start, end, PeriodKind.RANGE)

    # --- properties ---------------------------------------------------------------

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def label(self) -> str:
        """``2025-03``, ``2025-W10``, ``2025`` or ``2025-03-01..2025-03-15``.

        A period running "so far" keeps its name; ``to_date`` and ``end`` say where it stops.
        """
        if self.kind is PeriodKind.MONTH:
            return f"{self.start:%Y-%m}"
        if self.kind is PeriodKind.WEEK:
            year, week, _ = self.start.isocalendar()
            return f"{year}-W{week:02d}"
        if self.kind is PeriodKind.YEAR:
            return f"{self.start:%Y}"
        return f"{self.start.isoformat()}..{self.end.isoformat()}"

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end

    def __str__(self) -> str:
        return self.label

    # --- arithmetic ---------------------------------------------------------------

    def so_far(self, today: date) -> Period:
        """The part up to ``today`` of a month, week or year that has not ended yet."""
        if self.kind is PeriodKind.RANGE or not self.start <= today < self.end:
            return self
        return replace(self, end=today, to_date=True)

    def previous(self) -> Period:
        """The period before, of the same length.

        The month, ISO week or year before; for one running "so far", the same
        number of days from the start of the one before (at most all of it);
        for a range of days, as many days just before it.
        """
        if self.kind is PeriodKind.RANGE:
            return Period.days_between(
                self.start - timedelta(days=self.days), self.start - timedelta(days=1)
            )
        if self.kind is PeriodKind.MONTH:
            first = self.start.replace(day=1)
            before = Period.month(*_month_before(first.year, first.month))
        elif self.kind is PeriodKind.WEEK:
            year, week, _ = (self.start - timedelta(days=7)).isocalendar()
            before = Period.week(year, week)
        else:
            before = Period.year(self.start.year - 1)
        if not self.to_date:
            return before
        end = min(before.start + timedelta(days=self.days - 1), before.end)
        return Period.days_between(before.start, end) if end < before.end else before

    def utc_bounds(self, tz: ZoneInfo) -> tuple[datetime, datetime]:
        """``[start, end)`` in UTC: local midnight starting ``start`` and ending ``end``."""
        return _midnight(self.start, tz), _midnight(self.end + timedelta(days=1), tz)


def _midnight(day: date, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0), tzinfo=tz).astimezone(UTC)


def _next_month(first: date) -> date:
    return date(first.year + 1, 1, 1) if first.month == 12 else date(first.year, first.month + 1, 1)


def _month_before(year: int, month: int) -> tuple[int, int]:
    return (year - 1, 12) if month == 1 else (year, month - 1)


def _shown(raw: str) -> str:
    """An option's value for a one-line message: quoted when it would not print as itself."""
    return raw if raw.isprintable() else repr(raw)


def _check_year(year: int, option: str, raw: str) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise PeriodError(
            f"{option} {_shown(raw)}: the year must be {FIRST_YEAR}-{LAST_YEAR}",
            code="period.year_range",
            option=option,
            value=_shown(raw),
            first=FIRST_YEAR,
            last=LAST_YEAR,
        )


# --- parsing the command line's options ----------------------------------------------


def parse_month(raw: str) -> Period:
    """``YYYY-MM``."""
    match = _MONTH.match(raw.strip())
    if match is None:
        raise PeriodError(
            f"--month {_shown(raw)}: use YYYY-MM, e.g. 2025-03",
            code="period.month_form",
            value=_shown(raw),
        )
    year, month = int(match[1]), int(match[2])
    _check_year(year, "--month", raw)
    if not 1 <= month <= 12:
        raise PeriodError(
            f"--month {_shown(raw)}: there is no month {month} (use 01-12)",
            code="period.no_month",
            value=_shown(raw),
            month=month,
        )
    return Period.month(year, month)


def parse_week(raw: str) -> Period:
    """``YYYY-Www`` (ISO 8601 week; ``2025W10`` and ``2025-w10`` are fine too)."""
    match = _WEEK.match(raw.strip())
    if match is None:
        raise PeriodError(
            f"--week {_shown(raw)}: use YYYY-Www, e.g. 2025-W10",
            code="period.week_form",
            value=_shown(raw),
        )
    year, week = int(match[1]), int(match[2])
    _check_year(year, "--week", raw)
    weeks = date(year, 12, 28).isocalendar().week  # 28 December is always in the last week
    if not 1 <= week <= weeks:
        raise PeriodError(
            f"--week {_shown(raw)}: {year} has ISO weeks 1-{weeks}",
            code="period.no_week",
            value=_shown(raw),
            year=year,
            weeks=weeks,
        )
    return Period.week(year, week)


def parse_year(raw: str) -> Period:
    """``YYYY``."""
    if _YEAR.match(raw.strip()) is None:
        raise PeriodError(
            f"--year {_shown(raw)}: use YYYY, e.g. 2025", code="period.year_form", value=_shown(raw)
        )
    year = int(raw.strip())
    _check_year(year, "--year", raw)
    return Period.year(year)


def parse_date(raw: str, option: str) -> date:
    """``YYYY-MM-DD``, or the Finnish ``D.M.YYYY``."""
    text = raw.strip()
    if match := _ISO_DATE.match(text):
        year, month, day = int(match[1]), int(match[2]), int(match[3])
    elif match := _FINNISH_DATE.match(text):
        day, month, year = int(match[1]), int(match[2]), int(match[3])
    else:
        raise PeriodError(
            f"{option} {_shown(raw)}: use a date YYYY-MM-DD, e.g. 2025-03-01",
            code="period.date_form",
            option=option,
            value=_shown(raw),
        )
    _check_year(year, option, raw)
    try:
        return date(year, month, day)
    except ValueError:
        raise PeriodError(
            f"{option} {_shown(raw)}: there is no such day",
            code="period.no_day",
            option=option,
            value=_shown(raw),
        ) from None


def parse_period(
    *,
    month: str | None = None,
    week: str | None = None,
    year: str | None = None,
    from_: str | None = None,
    to: str | None = None,
    today: date,
) -> Period:
    """The period the options name; none at all is the current month so far.

    ``month``, ``week`` and ``year`` take :data:`CURRENT` for the current one.
    ``from_`` without ``to`` runs to ``today``. Raises :class:`PeriodError`.
    """
    given = [
        name
        for name, value in (("--month", month), ("--week", week), ("--year", year))
        if value is not None
    ]
    if from_ is not None or to is not None:
        given.append("--from/--to")
    if len(given) > 1:
        raise PeriodError(
            f"give one period, not {' and '.join(given)}: "
            "--month, --week, --year or --from DATE --to DATE",
            code="period.not_one",
            given=", ".join(given[:-1]),
            last=given[-1],
        )
    if month is not None:
        if month == CURRENT:
            return Period.month(today.year, today.month).so_far(today)
        return parse_month(month).so_far(today)
    if week is not None:
        if week == CURRENT:
            iso = today.isocalendar()
            return Period.week(iso.year, iso.week).so_far(today)
        return parse_week(week).so_far(today)
    if year is not None:
        if year == CURRENT:
            return Period.year(today.year).so_far(today)
        return parse_year(year).so_far(today)
    if to is not None and from_ is None:
        raise PeriodError(
            f"--to {_shown(to)} needs --from DATE as well", code="period.to_alone", value=_shown(to)
        )
    if from_ is not None:
        start = parse_date(from_, "--from")
        end = parse_date(to, "--to") if to is not None else today
        if start > end:
            if to is not None:
                raise PeriodError(
                    f"--from {_shown(from_)} is after --to {_shown(to)}",
                    code="period.after_to",
                    value=_shown(from_),
                    to=_shown(to),
                )
            raise PeriodError(
                f"--from {_shown(from_)} is after today ({today.isoformat()})",
                code="period.after_today",
                value=_shown(from_),
                today=today.isoformat(),
            )
        return Period.days_between(start, end)
    return Period.month(today.year, today.month).so_far(today)
