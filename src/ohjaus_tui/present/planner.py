"""The staffing plan for people and for programs.

For people: the basis of the plan (history, handling times, targets), then
either a table of each open day's hours (forecast, people needed, available,
proposed) or a weekday x hour heat map of needed against available, and each
day's proposal. For programs: JSON (codes, numbers) and CSV, one row per open
hour of a day.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from datetime import time
from typing import Any, TextIO

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from ohjaus_tui.domain.calendar import END_OF_DAY
from ohjaus_tui.domain.codes import Channel
from ohjaus_tui.domain.planner import (
    MIN_MEASURED,
    WEEKDAY_CODES,
    DayPlan,
    HourPlan,
    Proposal,
    WeekPlan,
    Window,
)
from ohjaus_tui.present.report_numbers import Numbers
from ohjaus_tui.present.report_wording import Wording
from ohjaus_tui.services.textfile import PLAIN, CsvFlavour
from ohjaus_tui.words import N_

CHANNELS = (Channel.PHONE, Channel.CHAT, Channel.MESSAGE)
SHORT = {
    Channel.PHONE: N_("channel.short.phone"),
    Channel.CHAT: N_("channel.short.chat"),
    Channel.MESSAGE: N_("channel.short.message"),
}
COLUMNS = {"plan.columns": N_("plan.columns"), "plan.columns_team": N_("plan.columns_team")}
CLOSED = "·"
ENOUGH = "black on green"
SHORT_STYLE = "bold white on red"


# --- for programs ----------------------------------------------------------------------


def _clock(value: time) -> str:
    return "24:00" if value == END_OF_DAY else f"{value:%H:%M}"


def _window(window: Window | None) -> dict[str, str] | None:
    if window is None:
        return None
    return {"opens": _clock(window.opens), "closes": _clock(window.closes)}


def _by_channel(values: Any, digits: int | None = None) -> dict[str, Any]:
    return {
        channel.value: round(values[channel], digits) if digits is not None else values[channel]
        for channel in CHANNELS
    }


def _proposal_json(proposal: Proposal | None) -> dict[str, Any] | None:
    if proposal is None:
        return None
    return {
        "people": proposal.people,
        "keeps_hours": proposal.keeps_hours,
        "phone": _window(proposal.windows[Channel.PHONE]),
        "chat": _window(proposal.windows[Channel.CHAT]),
        "messages_left": round(proposal.messages_left, 2),
    }


def _hour_json(hour: HourPlan) -> dict[str, Any]:
    level = hour.chat_service_level
    return {
        "hour": hour.hour,
        "open": _by_channel(hour.open, 2),
        "forecast": _by_channel(hour.arrivals, 2),
        "needed": _by_channel(hour.needed),
        "needed_total": hour.needed_total,
        "chat_service_level": None if level is None else round(level, 4),
        "available": hour.available,
        "short": hour.short,
        "proposed": None if hour.proposed is None else _by_channel(hour.proposed),
    }


def plan_json(plan: WeekPlan) -> dict[str, Any]:
    """The plan in codes and numbers (no words): the basis, then each day and its hours."""
    targets = plan.targets
    history = plan.history_days
    return {
        "week": plan.week.label,
        "start": plan.week.start.isoformat(),
        "end": plan.week.end.isoformat(),
        "time_zone": plan.time_zone,
        "history": {
            "start": history[0].isoformat(),
            "end": history[-1].isoformat(),
            "days": len(history),
            "contacts": plan.history_contacts,
        },
        "targets": {
            "chat_within_seconds": targets.chat_within,
            "chat_share": targets.chat_share,
            "chat_patience_seconds": targets.chat_patience,
            "model": "erlang_c" if targets.chat_patience is None else "erlang_a",
            "callbacks": "same_day",
            "messages": "next_business_day",
            "occupancy": targets.occupancy,
        },
        "handling": {
            channel.value: {
                "seconds": round(plan.handling[channel].seconds, 1),
                "measured": plan.handling[channel].measured,
                "contacts": plan.handling[channel].contacts,
            }
            for channel in CHANNELS
        },
        "people": None
        if plan.team is None
        else dict(zip(WEEKDAY_CODES, plan.team.by_weekday, strict=True)),
        "days": [
            {
                "date": day.day.isoformat(),
                "weekday": WEEKDAY_CODES[day.day.weekday()],
                "open": day.is_open,
                "hours_open": {c.value: _window(day.windows[c]) for c in CHANNELS},
                "callbacks_waiting_at_opening": round(day.callbacks_at_opening, 2),
                "messages_due": round(day.messages_due, 2),
                "messages_unplaced": round(day.messages_unplaced, 2),
                "proposal": _proposal_json(day.proposal),
                "hours": [_hour_json(hour) for hour in day.hours],
            }
            for day in plan.days
        ],
    }


def plan_json_text(plan: WeekPlan) -> str:
    return json.dumps(plan_json(plan), ensure_ascii=False, indent=2) + "\n"


CSV_COLUMNS = (
    "date",
    "weekday",
    "hour",
    *(f"{c.value}_open" for c in CHANNELS),
    *(f"{c.value}_forecast" for c in CHANNELS),
    *(f"{c.value}_needed" for c in CHANNELS),
    "needed",
    "available",
    "short",
    *(f"{c.value}_proposed" for c in CHANNELS),
)


def write_plan_csv(plan: WeekPlan, stream: TextIO, *, flavour: CsvFlavour = PLAIN) -> None:
    """One row per open hour of each day; ``available`` and ``*_proposed`` are empty
    without a team."""
    writer = flavour.writer(stream)
    writer.writerow(CSV_COLUMNS)
    writer.writerows(flavour.row(row) for row in _csv_rows(plan))


def plan_csv(plan: WeekPlan, *, flavour: CsvFlavour = PLAIN) -> str:
    buffer = io.StringIO()
    write_plan_csv(plan, buffer, flavour=flavour)
    return buffer.getvalue()


def _csv_rows(plan: WeekPlan) -> Iterator[list[str]]:
    for day in plan.days:
        for hour in day.hours:
            proposed = hour.proposed
            yield [
                day.day.isoformat(),
                WEEKDAY_CODES[day.day.weekday()],
                f"{hour.hour:02d}",
                *(f"{hour.open[c]:.2f}" for c in CHANNELS),
                *(f"{hour.arrivals[c]:.2f}" for c in CHANNELS),
                *(str(hour.needed[c]) for c in CHANNELS),
                str(hour.needed_total),
                "" if hour.available is None else str(hour.available),
                "" if hour.available is None else str(hour.short),
                *("" if proposed is None else str(proposed[c]) for c in CHANNELS),
            ]


# --- for people -------------------------------------------------------------------------


def render_plan(plan: WeekPlan, words: Wording, *, as_map: bool = False) -> list[RenderableType]:
    """The basis of the plan, then the days as tables or as one heat map."""
    numbers = Numbers(words.language)
    parts: list[RenderableType] = [_basis(plan, words, numbers)]
    if not as_map:
        columns = "plan.columns_team" if plan.team is not None else "plan.columns"
        parts.append(Text(words.texts(COLUMNS[columns]), style="dim"))
    parts.append(Text(""))
    if as_map:
        parts.append(_heat_map(plan, words, numbers))
        parts.extend(_proposals(plan, words, numbers))
    else:
        for day in plan.days:
            parts.append(_day_table(day, words, numbers))
    return parts


def _day_name(day: DayPlan, words: Wording, numbers: Numbers) -> str:
    return f"{words.weekdays()[day.day.weekday()]} {numbers.day(day.day)}"


def _basis(plan: WeekPlan, words: Wording, numbers: Numbers) -> Group:
    texts = words.texts
    targets = plan.targets
    lines = [
        Text(
            " · ".join(
                (texts("plan.title", week=plan.week.label), numbers.days(plan.week), plan.time_zone)
            ),
            style="bold",
        ),
        Text(
            texts(
                "plan.history",
                first=numbers.day(plan.history_days[0]),
                last=numbers.day(plan.history_days[-1]),
                contacts=numbers.integer(plan.history_contacts),
            )
        ),
    ]
    if plan.history_contacts == 0:
        lines.append(Text(texts("plan.no_history"), style="yellow"))
    handled = []
    for channel in CHANNELS:
        handling = plan.handling[channel]
        said = (
            texts("plan.measured", contacts=numbers.integer(handling.contacts))
            if handling.measured
            else texts("plan.assumed", least=numbers.integer(MIN_MEASURED))
        )
        handled.append(
            f"{words.channel(channel.value)} {numbers.duration(handling.seconds, 1)} ({said})"
        )
    lines.append(Text(texts("plan.handling") + ": " + " · ".join(handled)))
    if any(not plan.handling[c].measured for c in CHANNELS):
        lines[-1].stylize("yellow")
    model = "Erlang C"  # a name, the same in every language
    if targets.chat_patience is not None:
        model = texts("plan.erlang_a", patience=numbers.integer(round(targets.chat_patience)))
    lines.append(
        Text(
            texts(
                "plan.targets",
                share=numbers.percent(targets.chat_share),
                within=numbers.integer(round(targets.chat_within)),
                model=model,
                occupancy=numbers.percent(targets.occupancy),
            )
        )
    )
    return Group(*lines)


def _hours(window: Window) -> str:
    return f"{_clock(window.opens)}–{_clock(window.closes)}"


def _windows(windows: Any, words: Wording) -> str:
    said = []
    for channel in (Channel.PHONE, Channel.CHAT):
        window = windows[channel]
        label = words.channel(channel.value)
        if window is None:
            said.append(words.texts("plan.channel_closed", channel=label))
        else:
            said.append(f"{label} {_hours(window)}")
    return ", ".join(said)


def _proposal_line(day: DayPlan, words: Wording, numbers: Numbers) -> Text | None:
    proposal = day.proposal
    texts = words.texts
    if proposal is None:
        return None
    people = numbers.integer(proposal.people)
    if proposal.keeps_hours:
        line = Text(texts("plan.keeps", people=people), style="green")
    else:
        line = Text(
            texts("plan.proposal", people=people, hours=_windows(proposal.windows, words)),
            style="bold yellow",
        )
    if proposal.messages_left > 0:
        left = numbers.decimal_number(proposal.messages_left)
        line.append(" " + texts("plan.messages_left", messages=left), style="bold red")
    return line


def _day_heading(day: DayPlan, words: Wording, numbers: Numbers) -> Text:
    texts = words.texts
    heading = Text(_day_name(day, words, numbers), style="bold")
    if not day.is_open:
        heading.append(": " + texts("plan.closed_day"))
        return heading
    heading.append(" · " + _windows(day.windows, words))
    heading.append(
        " · "
        + texts(
            "plan.waiting",
            callbacks=numbers.decimal_number(day.callbacks_at_opening),
            messages=numbers.decimal_number(day.messages_due),
        )
    )
    return heading


def _day_table(day: DayPlan, words: Wording, numbers: Numbers) -> RenderableType:
    """An open day's hours: each channel's people needed (forecast contacts), their
    total, and with a team the people available and the proposal."""
    texts = words.texts
    heading = _day_heading(day, words, numbers)
    if not day.hours:
        return Group(heading, Text(""))
    team = day.proposal is not None
    table = Table(box=None, padding=(0, 1), show_edge=False, header_style="bold")
    table.add_column(texts("plan.hour"), justify="left")
    for channel in CHANNELS:
        table.add_column(texts(SHORT[channel]), justify="right")
    table.add_column(texts("plan.total"), justify="right")
    if team:
        table.add_column(texts("plan.available"), justify="right")
        table.add_column(texts("plan.proposed"), justify="right")
    for hour in day.hours:
        row: list[str | Text] = [f"{hour.hour:02d}–{hour.hour + 1:02d}"]
        for channel in CHANNELS:
            forecast = numbers.decimal_number(hour.arrivals[channel])
            needed = numbers.integer(hour.needed[channel]) if hour.open[channel] else CLOSED
            row.append(f"{needed} ({forecast})")
        needed_total = Text(numbers.integer(hour.needed_total), style="bold")
        if team:
            needed_total.stylize(SHORT_STYLE if hour.short else "green")
        row.append(needed_total)
        if team and hour.proposed is not None and hour.available is not None:
            row.append(numbers.integer(hour.available))
            row.append(" · ".join(numbers.integer(hour.proposed[c]) for c in CHANNELS))
        table.add_row(*row)
    parts: list[RenderableType] = [heading, table]
    if day.messages_unplaced > 0:
        unplaced = numbers.decimal_number(day.messages_unplaced)
        parts.append(Text(texts("plan.unplaced", messages=unplaced), style="red"))
    line = _proposal_line(day, words, numbers)
    if line is not None:
        parts.append(line)
    parts.append(Text(""))
    return Group(*parts)


def _heat_map(plan: WeekPlan, words: Wording, numbers: Numbers) -> Group:
    """Weekdays down, hours across: people needed (and available), red where short."""
    texts = words.texts
    team = plan.team is not None
    hours = plan.hours
    if team:
        title = texts("plan.map_team", zone=plan.time_zone)
    else:
        title = texts("plan.map", zone=plan.time_zone)
    cells = {
        (day.day, hour.hour): (
            numbers.integer(hour.needed_total)
            + (f"/{numbers.integer(hour.available)}" if hour.available is not None else ""),
            hour,
        )
        for day in plan.days
        for hour in day.hours
    }
    width = max([len(text) for text, _ in cells.values()] + [2]) + 1
    lines = [Text(title, style="bold")]
    names = {
        day.day: f"{words.weekdays()[day.day.weekday()]} {texts.day(day.day)}" for day in plan.days
    }
    margin = max(len(name) for name in names.values()) + 1
    ruler = Text(" " * margin)
    for hour in hours:
        ruler.append(f"{hour:02d}".rjust(width), style="dim")
    lines.append(ruler)
    busiest = max((hour.needed_total for _, hour in cells.values()), default=0)
    for day in plan.days:
        line = Text(names[day.day].ljust(margin))
        for hour in hours:
            cell = cells.get((day.day, hour))
            if cell is None or not any(cell[1].open.values()):
                line.append(CLOSED.rjust(width), style="dim")
                continue
            text, planned = cell
            line.append(" " * (width - len(text)))
            line.append(text, style=_cell_style(planned, busiest, team))
        lines.append(line)
    legend = (
        texts("plan.legend_team", closed=CLOSED) if team else texts("plan.legend", closed=CLOSED)
    )
    lines.append(Text(" " * margin + legend, style="dim"))
    lines.append(Text(""))
    return Group(*lines)


def _cell_style(hour: HourPlan, busiest: int, team: bool) -> str:
    if team:
        return SHORT_STYLE if hour.short else ENOUGH
    if busiest and hour.needed_total * 2 > busiest:
        return "bold cyan"
    return "cyan"


def _proposals(plan: WeekPlan, words: Wording, numbers: Numbers) -> list[RenderableType]:
    lines: list[RenderableType] = []
    for day in plan.days:
        if not day.is_open:
            continue
        line = _proposal_line(day, words, numbers)
        if line is not None:
            lines.append(Text(f"{_day_name(day, words, numbers)} · ").append_text(line))
    if lines:
        lines.append(Text(""))
    return lines
