"""``ohjaus hours``: the desk's opening hours per channel and its exceptional days."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from ohjaus_tui.cli.common import OutputFormat, cli_context, console, print_json
from ohjaus_tui.domain.calendar import DayHours, OpeningHours, holiday_names, to_local, utcnow
from ohjaus_tui.domain.codes import Channel
from ohjaus_tui.domain.period import PeriodError, parse_date
from ohjaus_tui.errors import BadInput

if TYPE_CHECKING:
    from ohjaus_tui.cli.common import CliContext
    from ohjaus_tui.domain.calendar import DeskCalendar
    from ohjaus_tui.words import Texts

app = typer.Typer(
    help="Opening hours per channel and exceptional days: show, set, except.",
    no_args_is_help=True,
)

ALL = "all"
SHOW_DAYS = 60
"""How far ahead ``hours show`` lists the days that differ from the usual week."""


def day_of(raw: str, option: str) -> date:
    """A day, ``2026-12-24`` or ``24.12.2026``; BadInput in the desk's words otherwise."""
    from ohjaus_tui.cli.periods import period_input

    try:
        return parse_date(raw, option)
    except PeriodError as error:
        raise period_input(error) from None


def channels_of(raw: list[str] | None) -> list[Channel]:
    """``phone``, ``chat``, ``message`` or ``all`` (none given: all), each once."""
    if not raw or ALL in raw:
        return list(Channel)
    chosen: list[Channel] = []
    for value in raw:
        try:
            channel = Channel(value.strip().lower())
        except ValueError:
            known = ", ".join([*(c.value for c in Channel), ALL])
            raise BadInput(code="hours.unknown_channel", value=value, known=known) from None
        if channel not in chosen:
            chosen.append(channel)
    return chosen


@app.command("show")
def show(
    ctx: typer.Context,
    start: Annotated[
        str | None,
        typer.Option("--from", metavar="DATE", help="first day to list (default: today)"),
    ] = None,
    days: Annotated[int, typer.Option("--days", min=1, max=366, help="days to list")] = SHOW_DAYS,
    output: Annotated[OutputFormat, typer.Option("--format", "-f")] = OutputFormat.TABLE,
) -> None:
    """The weekly hours of each channel, and the days ahead that differ from them:
    public holidays and their eves, and the desk's exceptional days."""
    from ohjaus_tui.services.hours import load_calendar

    context = cli_context(ctx)
    zone = context.settings.zone
    calendar = load_calendar(context.engine, zone)
    first = day_of(start, "--from") if start else to_local(utcnow(), zone).date()
    listed = _days_that_differ(calendar, first, days, context.settings.language)
    if output is OutputFormat.JSON:
        print_json(
            {
                "weekly": {c.value: str(calendar.hours(c)) for c in Channel},
                "days": [
                    {
                        "date": day.isoformat(),
                        **{c.value: _range(calendar, c, day) for c in Channel},
                        "holiday": holiday,
                        "reason": reason,
                    }
                    for day, holiday, reason in listed
                ],
            }
        )
        return
    if output is OutputFormat.CSV:
        raise BadInput(code="hours.no_csv")
    _print_show(context.texts, _channel_names(context), calendar, listed, first, days)


def _days_that_differ(
    calendar: DeskCalendar, first: date, count: int, language: str
) -> list[tuple[date, str | None, str]]:
    """Each day whose hours differ from the usual week on some channel, with its holiday
    name (or None) and the desk's reason for it."""
    names: dict[date, str] = {}
    for year in range(first.year, (first + timedelta(days=count)).year + 1):
        names |= holiday_names(year, language)
    special = calendar.exceptional_days()
    listed = []
    for offset in range(count):
        day = first + timedelta(days=offset)
        usual = [
            (calendar.hours(c).opens, calendar.hours(c).closes)
            if day.weekday() in calendar.hours(c).weekdays
            else None
            for c in Channel
        ]
        actual = [calendar.hours_on(c, day) for c in Channel]
        reasons = [special[(day, c)].reason for c in Channel if (day, c) in special]
        if actual != usual or reasons:
            reason = next((text for text in reasons if text), "")
            listed.append((day, names.get(day), reason))
    return listed


def _range(calendar: DeskCalendar, channel: Channel, day: date) -> str | None:
    hours = calendar.hours_on(channel, day)
    return None if hours is None else DayHours(*hours).range_text


def _channel_names(context: CliContext) -> dict[Channel, str]:
    """Each channel's name in the desk's language, from its code list."""
    from ohjaus_tui.services.codelists import codebook

    book = codebook(context.engine)
    return {c: book.label("channel", c.value, context.settings.language) for c in Channel}


def _weekday_and_day(texts: Texts, day: date) -> str:
    """``to 24.12.``: the day with its weekday, as the language writes them."""
    from babel.dates import format_skeleton

    return format_skeleton("MEd", day, locale=texts.locale)


def _print_show(
    texts: Texts,
    names: dict[Channel, str],
    calendar: DeskCalendar,
    listed: list[tuple[date, str | None, str]],
    first: date,
    days: int,
) -> None:
    weekly = Table(texts("cli.hours.channel"), texts("cli.hours.weekly"), box=None)
    for channel in Channel:
        weekly.add_row(names[channel], str(calendar.hours(channel)))
    console.print(weekly)
    last = first + timedelta(days=days - 1)
    console.print()
    if not listed:
        console.print(texts("cli.hours.no_days", first=texts.day(first), last=texts.day(last)))
        return
    console.print(texts("cli.hours.days_heading", first=texts.day(first), last=texts.day(last)))
    table = Table(
        texts("cli.hours.day"),
        *(names[c] for c in Channel),
        texts("cli.hours.why"),
        box=None,
    )
    closed = texts("cli.hours.closed")
    for day, holiday, reason in listed:
        why = " · ".join(part for part in (holiday, reason) if part)
        table.add_row(
            _weekday_and_day(texts, day),
            *(_range(calendar, c, day) or closed for c in Channel),
            why,
        )
    console.print(table)


@app.command("set")
def set_hours(
    ctx: typer.Context,
    channel: Annotated[str, typer.Argument(help="phone, chat, message or all")],
    hours: Annotated[
        str, typer.Argument(help="weekly hours, e.g. 'mon-fri 09:00-15:00' or 'ma-pe 8-16'")
    ],
) -> None:
    """Set a channel's weekly opening hours (admin). Every workstation follows at once."""
    from ohjaus_tui.services.hours import set_hours as store_hours

    context = cli_context(ctx)
    chosen = channels_of([channel])
    try:
        weekly = OpeningHours.parse(hours)
    except ValueError:
        raise BadInput(code="hours.bad_weekly", value=hours) from None
    store_hours(context.engine, chosen, weekly, actor=context.actor)
    names = _channel_names(context)
    chosen_names = ", ".join(names[c] for c in chosen)
    console.print(context.texts("cli.hours.set", channels=chosen_names, hours=str(weekly)))


@app.command("except")
def except_days(
    ctx: typer.Context,
    day: Annotated[str, typer.Argument(metavar="DATE", help="2026-12-24 or 24.12.2026")],
    until: Annotated[
        str | None, typer.Option("--until", metavar="DATE", help="last day of a span")
    ] = None,
    channel: Annotated[
        list[str] | None,
        typer.Option("--channel", "-c", help="phone, chat, message (repeat; default: all)"),
    ] = None,
    closed: Annotated[bool, typer.Option("--closed", help="closed all day")] = False,
    open_hours: Annotated[
        str | None,
        typer.Option("--open", metavar="HOURS", help="open these hours instead, e.g. 9-12"),
    ] = None,
    reason: Annotated[
        str, typer.Option("--reason", help="why, e.g. 'training day' (shown to the desk)")
    ] = "",
    remove: Annotated[
        bool, typer.Option("--remove", help="back to the usual hours on these days")
    ] = False,
) -> None:
    """Make days exceptional (admin): closed (--closed), or open other hours (--open),
    for all channels or the ones named; --remove returns them to the usual week."""
    from ohjaus_tui.services.hours import day_span, remove_days, set_days

    context = cli_context(ctx)
    chosen = channels_of(channel)
    span = day_span(day_of(day, "DATE"), day_of(until, "--until") if until else None)
    texts = context.texts
    first, last = texts.day(span[0]), texts.day(span[-1])
    days = first if first == last else f"{first}–{last}"
    every_name = _channel_names(context)
    names = ", ".join(every_name[c] for c in chosen)
    if remove:
        if closed or open_hours:
            raise BadInput(code="hours.remove_and_set")
        removed = remove_days(context.engine, span, chosen, actor=context.actor)
        console.print(texts.plural("cli.hours.removed", removed, days=days, channels=names))
        return
    if closed == (open_hours is not None):
        raise BadInput(code="hours.closed_or_open")
    try:
        hours = DayHours.parse(None if closed else open_hours, reason)
    except ValueError:
        raise BadInput(code="hours.bad_range", value=open_hours) from None
    set_days(context.engine, span, chosen, hours, actor=context.actor)
    if hours.closed:
        line = texts("cli.hours.closed_days", days=days, channels=names)
    else:
        line = texts("cli.hours.open_days", days=days, channels=names, hours=hours.range_text)
    console.print(line)
