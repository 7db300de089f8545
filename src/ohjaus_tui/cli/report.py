"""``ohjaus report``: period statistics for the steering group and for benchmarking."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich import box
from rich.columns import Columns
from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from ohjaus_tui.cli.common import check_output, cli_context, console, output_file
from ohjaus_tui.cli.periods import From, Month, PeriodCommand, To, Week, Year, resolve_period
from ohjaus_tui.domain.codes import Language
from ohjaus_tui.domain.report import Breakdown, Measure, Ratio, Report
from ohjaus_tui.domain.report_labels import text, weekday_names
from ohjaus_tui.errors import BadInput
from ohjaus_tui.services.report import build_report
from ohjaus_tui.services.report_render import (
    SUBSET_BREAKDOWNS,
    Numbers,
    breakdown_title,
    metric_label,
    period_title,
    report_json,
    report_markdown,
    write_report_csv,
)

app = typer.Typer()

BAR_WIDTH = 12
SHADES = ("░", "▒", "▓", "█")
"""The heat chart's blocks: up to a quarter, a half, three quarters, more of the busiest hour."""


class ReportFormat(StrEnum):
    TABLE = "table"
    JSON = "json"
    CSV = "csv"
    MD = "md"


@app.command("report", cls=PeriodCommand)
def report(
    ctx: typer.Context,
    month: Month = None,
    week: Week = None,
    year: Year = None,
    from_: From = None,
    to: To = None,
    output_format: Annotated[
        ReportFormat, typer.Option("--format", "-f", help="table (the terminal), json, csv or md")
    ] = ReportFormat.TABLE,
    suppress_below: Annotated[
        int | None,
        typer.Option(
            "--suppress-below",
            metavar="N",
            help="show counts of 1 to N-1 as <N (for publishing small municipalities' figures)",
            show_default=False,
        ),
    ] = None,
    language: Annotated[
        Language | None,
        typer.Option("--lang", help="language of the labels [default: the UI language]"),
    ] = None,
    top: Annotated[int, typer.Option("--top", help="services listed in table and md")] = 10,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="write to this file [default: standard output]"),
    ] = None,
) -> None:
    """Contacts of a period by channel, caller, reason, referral ..., service level and trend.

    Without a period option: the current month so far. Periods are whole days in
    the desk's time zone; a contact counts in the period it started in.
    """
    check_output(output)  # before the report, which is audited
    context = cli_context(ctx)
    settings = context.settings
    if suppress_below is not None and suppress_below < 1:
        raise BadInput(f"--suppress-below {suppress_below}: give a count of 2 or more")
    if top < 1:
        raise BadInput(f"--top {top}: give 1 or more")
    period = resolve_period(
        month=month, week=week, year=year, from_=from_, to=to, zone=settings.zone
    )
    result = build_report(
        context.engine,
        period,
        calendar=settings.calendar(),
        language=(language or settings.language).value,
        actor=context.actor,
    )
    if output_format is ReportFormat.TABLE:
        _print_table(result, suppress_below, top, output)
        return
    if output_format is ReportFormat.JSON:
        body = json.dumps(
            report_json(result, suppress_below=suppress_below), ensure_ascii=False, indent=2
        )
        _write(body + "\n", output)
    elif output_format is ReportFormat.CSV:
        if output is None:
            write_report_csv(result, sys.stdout, suppress_below=suppress_below)
        else:
            with output_file(output) as stream:
                write_report_csv(result, stream, suppress_below=suppress_below)
    else:
        _write(report_markdown(result, suppress_below=suppress_below, top_services=top), output)


def _write(body: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(body)
        sys.stdout.flush()
        return
    with output_file(output) as stream:
        stream.write(body)


def _print_table(result: Report, suppress_below: int | None, top: int, output: Path | None) -> None:
    if output is None:
        target: Console = console
        for part in render_report(result, suppress_below=suppress_below, top=top):
            target.print(part)
        return
    with output_file(output) as stream:
        target = Console(file=stream, width=120, no_color=True, highlight=False)
        for part in render_report(result, suppress_below=suppress_below, top=top):
            target.print(part)


# --- the terminal rendering ----------------------------------------------------------------


def render_report(
    result: Report, *, suppress_below: int | None = None, top: int = 10
) -> Iterator[RenderableType]:
    """The report as Rich renderables, in the report's language."""
    numbers = Numbers(result.language, suppress_below)
    language = result.language
    yield Text(period_title(result, numbers), style="bold")
    headline = Text(f"{text('contacts', language)}: ", style="bold")
    headline.append(numbers.count(result.contacts), style="bold cyan")
    comparison = result.comparison
    if comparison is not None and (change := comparison.get("contacts")) is not None:
        headline.append(
            f"   {text('previous', language)} {numbers.days(comparison.period)}: "
            f"{numbers.measure(change.previous, 'count')}  {numbers.change(change)}",
            style="dim",
        )
    yield headline
    if numbers.below:
        yield Text(text("suppressed", language, n=numbers.below), style="dim italic")
    if result.is_empty:
        yield Text("")
        yield Text(text("no_contacts", language), style="yellow")
    else:
        yield Columns(
            [_breakdown_table(breakdown, result, numbers) for breakdown in result.breakdowns],
            padding=(1, 2),
        )
        yield Text(text("several_reasons", language), style="dim italic")
        parts: list[RenderableType] = [
            _flags_table(result, numbers),
            _feedback_table(result, numbers),
        ]
        if result.referral_services:
            parts.insert(0, _services_table(result, numbers, top))
        yield Columns(parts, padding=(1, 2))
    yield _service_level_table(result, numbers)
    if not result.is_empty:
        yield _heat_chart(result, numbers)
    if comparison is not None:
        yield _comparison_table(result, numbers)


def _bar(share: float | None) -> str:
    if not share:
        return ""
    eighths = round(min(share, 1.0) * BAR_WIDTH * 8)
    full, rest = divmod(eighths, 8)
    return "█" * full + ("▏▎▍▌▋▊▉"[rest - 1] if rest else "")


def _table(title: str, *columns: str) -> Table:
    table = Table(title=title, title_justify="left", title_style="bold", box=box.SIMPLE_HEAD)
    table.add_column(columns[0])
    for column in columns[1:]:
        table.add_column(column, justify="right")
    return table


def _breakdown_table(breakdown: Breakdown, result: Report, numbers: Numbers) -> Table:
    language = result.language
    title = breakdown_title(breakdown, language)
    table = _table(title, "", text("count", language), text("share", language))
    table.add_column("", style="cyan", no_wrap=True)
    if breakdown.key in SUBSET_BREAKDOWNS:
        table.caption = (
            f"{text(f'{breakdown.key}_base', language)}: {numbers.count(breakdown.base)}"
        )
    for item in breakdown.items:
        shown = numbers.keeps(Measure(item.share, item.count, breakdown.base))
        table.add_row(
            item.label,
            numbers.count(item.count),
            numbers.percent(item.share, item.count, breakdown.base),
            _bar(item.share) if shown else "",
        )
    if breakdown.optional or breakdown.not_recorded:
        table.add_row(
            Text(text("not_recorded", language), style="dim"),
            numbers.count(breakdown.not_recorded),
            numbers.percent(breakdown.not_recorded_share, breakdown.not_recorded, breakdown.base),
            "",
        )
    return table


def _services_table(result: Report, numbers: Numbers, top: int) -> Table:
    language = result.language
    table = _table(text("referral_service", language), "", text("count", language))
    for service in result.referral_services[:top]:
        table.add_row(service.name, numbers.count(service.count))
    return table


def _flags_table(result: Report, numbers: Numbers) -> Table:
    language = result.language
    table = _table(text("flags", language), "", text("count", language), text("share", language))
    for flag in result.flags:
        table.add_row(
            text(flag.key, language),
            numbers.count(flag.count),
            numbers.percent(flag.share, flag.count, result.contacts),
        )
        if flag.optional:
            table.add_row(
                Text(f"  {text('not_recorded', language)}", style="dim"),
                numbers.count(flag.not_recorded),
                numbers.percent(flag.not_recorded_share, flag.not_recorded, result.contacts),
            )
    return table


def _feedback_table(result: Report, numbers: Numbers) -> Table:
    language = result.language
    feedback = result.feedback
    table = _table(text("feedback", language), "", "")
    table.show_header = False
    table.add_row(text("responses", language), numbers.count(feedback.responses))
    table.add_row(
        text("mean_score", language),
        numbers.measure(Measure.of_mean(feedback.mean_score, feedback.responses), "mean"),
    )
    table.add_row(
        text("helped", language), numbers.ratio(Ratio(feedback.helped, feedback.helped_responses))
    )
    return table


def _service_level_table(result: Report, numbers: Numbers) -> Group:
    language = result.language
    level = result.service_level
    table = _table(
        text("service_level", language),
        text("channel", language),
        text("offered", language),
        text("answered", language),
        text("abandoned", language),
        text("answered_share", language),
        text("median_wait", language),
        text("p90_wait", language),
    )
    for channel in level.channels:
        table.add_row(
            channel.label,
            numbers.count(channel.offered),
            numbers.count(channel.answered),
            numbers.count(channel.abandoned),
            numbers.percent(channel.answered_share, channel.answered, channel.offered),
            numbers.duration(channel.median_wait, channel.answered),
            numbers.duration(channel.p90_wait, channel.answered),
        )
    ratios = Table(box=None, show_header=False, padding=(0, 2, 0, 1))
    ratios.add_column()
    ratios.add_column(justify="right")
    for key, ratio in (
        ("callbacks.first_attempt", level.callbacks_first_attempt),
        ("callbacks.by_due", level.callbacks_by_due),
        ("messages.in_time", level.messages_in_time),
    ):
        ratios.add_row(text(key, language), numbers.ratio(ratio))
    return Group(table, ratios, Text(""))


def _heat_chart(result: Report, numbers: Numbers) -> Group:
    """Weekdays down, hours across, two block characters an hour, shaded by volume."""
    language = result.language
    grid = result.weekday_hour
    busiest = max((count for row in grid for count in row), default=0)
    lines = [Text(f"{text('weekday_hour', language)} ({result.time_zone})", style="bold")]
    ruler = Text("     ")
    for hour in range(24):
        ruler.append(f"{hour:02d}" if hour % 3 == 0 else "  ", style="dim")
    ruler.append("  Σ", style="dim")
    lines.append(ruler)
    for name, row in zip(weekday_names(language), grid, strict=True):
        line = Text(f"{name:<4} ")
        for count in row:
            line.append(_shade(count, busiest, numbers) * 2, style="cyan")
        line.append(f"  {numbers.count(sum(row))}", style="dim")
        lines.append(line)
    legend = "  ".join(
        f"{shade} ≤{quarter * 25} %" if quarter < 4 else f"{shade} {numbers.count(busiest)}"
        for quarter, shade in enumerate(SHADES, start=1)
    )
    lines.append(Text(f"     {legend}", style="dim"))
    lines.append(Text(""))
    return Group(*lines)


def _shade(count: int, busiest: int, numbers: Numbers) -> str:
    if count == 0 or busiest == 0:
        return " "
    if numbers.hidden(count):
        return SHADES[0]
    quarter = min(3, max(0, -(-count * 4 // busiest) - 1))
    return SHADES[quarter]


def _comparison_table(result: Report, numbers: Numbers) -> Table:
    language = result.language
    comparison = result.comparison
    assert comparison is not None
    table = _table(
        f"{text('comparison', language)} ({numbers.days(comparison.period)})",
        "",
        text("current", language),
        text("previous", language),
        text("change", language),
    )
    for change in comparison.changes:
        table.add_row(
            metric_label(result, change.metric),
            numbers.measure(change.current, change.kind),
            numbers.measure(change.previous, change.kind),
            numbers.change(change),
        )
    return table
