"""A service channel's hours in words: the usual week, and whether it is open now.

``week_text`` writes the usual weekly hours compactly (``ma–pe 8.00–16.00,
la 10.00–14.00``; days abbreviated as Babel's locale data has them), and
``hours_status`` says whether the channel is open at an instant and until when
(``auki nyt, sulkeutuu 16.00``), with ``open`` for a front end to colour it
(None when the hours are not known). A clock time is written as the language
writes it in the catalogues (``8.00`` in Finnish and Swedish, ``8:00`` in
English); a day that is not today is its abbreviation and date (``ma 4.12.``).

The workstation asks for the status of every hit of a search as the operator
types: the day names are read from Babel once a language, and nothing here
imports more than the domain and the words.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo

from ohjaus_tui.domain.calendar import HELSINKI
from ohjaus_tui.domain.service_hours import DAY, WEEKDAYS, Range, ServiceHours
from ohjaus_tui.words import Texts

_DASH = "\N{EN DASH}"


@dataclass(frozen=True)
class HoursStatus:
    """Whether a channel is open (None: its hours are not known), said in a language."""

    open: bool | None
    text: str


def hours_status(
    hours: ServiceHours,
    at: datetime,
    language: str,
    tz: ZoneInfo = HELSINKI,
) -> HoursStatus:
    """Whether ``hours`` are open at ``at`` and until when, in ``language``."""
    texts = _texts(language)
    if not hours.known:
        return HoursStatus(None, texts("svchours.unknown"))
    is_open, change = hours.state(at, tz=tz)
    today = at.astimezone(tz).date()
    if is_open:
        if change is None:
            return HoursStatus(True, texts("svchours.always"))
        day, clock = _when(change, today, language, closing=True)
        if day is None:
            return HoursStatus(True, texts("svchours.closes", time=clock))
        return HoursStatus(True, texts("svchours.closes_on", day=day, time=clock))
    if change is None:
        return HoursStatus(False, texts("svchours.closed"))
    day, clock = _when(change, today, language, closing=False)
    if day is None:
        return HoursStatus(False, texts("svchours.opens", time=clock))
    return HoursStatus(False, texts("svchours.opens_on", day=day, time=clock))


def status_text(hours: ServiceHours, at: datetime, language: str, tz: ZoneInfo = HELSINKI) -> str:
    """:func:`hours_status`'s words alone."""
    return hours_status(hours, at, language, tz).text


def week_text(hours: ServiceHours, language: str) -> str:
    """The usual weekly hours, days with the same hours together: ``ma–pe 8.00–16.00``."""
    texts = _texts(language)
    if not hours.known:
        return texts("svchours.unknown")
    if hours.always_open:
        return texts("svchours.always")
    week = _spans(hours.regular_week())
    if not any(week):
        return texts("svchours.no_week")
    names = _day_names(language)
    said: dict[str, list[int]] = {}
    for weekday, spans in enumerate(week):
        if spans:
            words = [_span_text(weekday, span, names, language) for span in spans]
            joined = words[0]
            for word in words[1:]:
                joined = texts("svchours.and", first=joined, second=word)
            said.setdefault(joined, []).append(weekday)
    return ", ".join(f"{_days_text(days, names)} {ranges}" for ranges, days in said.items())


# --- a week's spans ----------------------------------------------------------------------

Span = tuple[int, int]
"""Opening and closing, in minutes from the opening day's midnight (a closing may be days later)."""


def _spans(week: tuple[tuple[Range, ...], ...]) -> list[list[Span]]:
    """Each day's ranges, a range ending at midnight joined with the next days' that begin
    there (``pe 18.00–24.00`` + ``la 0.00–24.00`` + ``su 0.00–8.00``: ``pe 18.00–su 8.00``);
    days open around the clock (``0.00–24.00``) stay each on its own."""
    days = [list(ranges) for ranges in week]
    spans: list[list[Span]] = [[] for _ in days]
    for weekday in range(len(days)):
        for opens, closes in [r for r in days[weekday] if r[0] > 0 and r[1] == DAY]:
            days[weekday].remove((opens, closes))
            later, end = 0, closes
            while end == DAY and later < len(WEEKDAYS) - 1:
                following = days[(weekday + later + 1) % len(WEEKDAYS)]
                if not following or following[0][0] != 0:
                    break
                first = following.pop(0)
                later, end = later + 1, first[1]
            spans[weekday].append((opens, later * DAY + end))
    for weekday, ranges in enumerate(days):
        spans[weekday] = sorted(spans[weekday] + ranges)
    return spans


def _span_text(weekday: int, span: Span, names: tuple[str, ...], language: str) -> str:
    """``8.00–16.00``, ``22.00–2.00`` (over midnight), ``18.00–ma 8.00`` (to a later day)."""
    opens, closes = span
    if closes <= DAY or closes - DAY < opens:
        end = closes - DAY if closes > DAY else closes
        return f"{_clock(opens, language)}{_DASH}{_clock(end, language)}"
    later = (closes - 1) // DAY
    end_day = names[(weekday + later) % len(WEEKDAYS)]
    return f"{_clock(opens, language)}{_DASH}{end_day} {_clock(closes - later * DAY, language)}"


def _days_text(days: list[int], names: tuple[str, ...]) -> str:
    runs: list[list[int]] = []
    for day in days:
        if runs and runs[-1][-1] == day - 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    return ", ".join(
        names[run[0]] if len(run) == 1 else f"{names[run[0]]}{_DASH}{names[run[-1]]}"
        for run in runs
    )


# --- times and days ----------------------------------------------------------------------


def _clock(minutes: int, language: str) -> str:
    """``8.00`` (``8:00``): the catalogue's way of writing a clock time; ``24.00`` for
    a closing at midnight."""
    hour, minute = divmod(minutes, 60)
    texts = _texts(language)
    return texts("svchours.clock", hour=hour, minute=str(minute).rjust(2, "0"))


def _when(change: datetime, today: date, language: str, *, closing: bool) -> tuple[str | None, str]:
    """The day (None: today) and clock time of a change; a closing at midnight ending
    today is today's ``24.00``."""
    minutes = change.hour * 60 + change.minute
    day = change.date()
    if closing and minutes == 0:
        day, minutes = day - timedelta(days=1), DAY
    clock = _clock(minutes, language)
    if day == today:
        return None, clock
    texts = _texts(language)
    return f"{_day_names(language)[day.weekday()]} {texts.day(day)}", clock


@cache
def _texts(language: str) -> Texts:
    return Texts(language)


@cache
def _day_names(language: str) -> tuple[str, ...]:
    """The language's abbreviated day names, Monday first (``ma``, ``mån``, ``Mon``)."""
    from babel.dates import get_day_names

    names = get_day_names("abbreviated", locale=_texts(language).locale)
    return tuple(names[index] for index in range(len(WEEKDAYS)))
