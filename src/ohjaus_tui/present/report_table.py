"""The report as Rich renderables for the terminal, in one language.

Breakdowns side by side with a bar for each share, the service level, a
weekday x hour heat chart and the comparison with the period before.
"""

from __future__ import annotations

from collections.abc import Iterator

from rich import box
from rich.columns import Columns
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from ohjaus_tui.domain.report import (
    SUBSET_BREAKDOWNS,
    Breakdown,
    Measure,
    Ratio,
    RepeatContacts,
    Report,
)
from ohjaus_tui.present.report_numbers import (
    FOLLOW_UP_COLUMNS,
    Numbers,
    consultation_rows,
    follow_up_rows,
)
from ohjaus_tui.present.report_wording import REPEAT_GROUPS, REPEAT_HEADS, Wording

BAR_WIDTH = 12
SHADES = ("░", "▒", "▓", "█")
"""The heat chart's blocks: up to a quarter, a half, three quarters, more of the busiest hour."""


def render_report(
    report: Report, words: Wording, *, suppress_below: int | None = None, top: int = 10
) -> Iterator[RenderableType]:
    """The report as Rich renderables, in the words' language."""
    numbers = Numbers(words.language, suppress_below)
    yield Text(words.title(report, numbers), style="bold")
    headline = Text(f"{words('contacts')}: ", style="bold")
    headline.append(numbers.count(report.contacts), style="bold cyan")
    comparison = report.comparison
    if comparison is not None and (change := comparison.get("contacts")) is not None:
        headline.append(
            f"   {words('previous')} {numbers.days(comparison.period)}: "
            f"{numbers.measure(change.previous, 'count')}  {numbers.change(change)}",
            style="dim",
        )
    yield headline
    if numbers.below:
        yield Text(words("suppressed", n=numbers.below), style="dim italic")
    if report.is_empty:
        yield Text("")
        yield Text(words("no_contacts"), style="yellow")
    else:
        yield Columns(
            [
                _breakdown_table(breakdown, report, numbers, words)
                for breakdown in report.breakdowns
            ],
            padding=(1, 2),
        )
        yield Text(words("several_reasons"), style="dim italic")
        parts: list[RenderableType] = [
            _flags_table(report, numbers, words),
            _feedback_table(report, numbers, words),
            _consultations_table(report, numbers, words),
            *([_follow_ups_table(report, numbers, words)] if report.follow_ups.by_owner else []),
        ]
        if report.referral_services:
            parts.insert(0, _services_table(report, numbers, words, top))
        yield Columns(parts, padding=(1, 2))
        if report.repeat_contacts is not None:
            yield _repeat_table(report.repeat_contacts, numbers, words)
    yield _service_level_table(report, numbers, words)
    if not report.is_empty:
        yield _heat_chart(report, numbers, words)
    if comparison is not None:
        yield _comparison_table(report, numbers, words)


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


def _breakdown_table(
    breakdown: Breakdown, report: Report, numbers: Numbers, words: Wording
) -> Table:
    table = _table(words.heading(breakdown), "", words("count"), words("share"))
    table.add_column("", style="cyan", no_wrap=True)
    if breakdown.key in SUBSET_BREAKDOWNS:
        table.caption = f"{words(f'{breakdown.key}_base')}: {numbers.count(breakdown.base)}"
    for item in breakdown.items:
        shown = numbers.keeps(Measure(item.share, item.count, breakdown.base))
        table.add_row(
            words.item(breakdown, item.code),
            numbers.count(item.count),
            numbers.percent(item.share, item.count, breakdown.base),
            _bar(item.share) if shown else "",
        )
    if breakdown.optional or breakdown.not_recorded:
        table.add_row(
            Text(words("not_recorded"), style="dim"),
            numbers.count(breakdown.not_recorded),
            numbers.percent(breakdown.not_recorded_share, breakdown.not_recorded, breakdown.base),
            "",
        )
    return table


def _services_table(report: Report, numbers: Numbers, words: Wording, top: int) -> Table:
    table = _table(words("referral_service"), "", words("count"))
    for service in report.referral_services[:top]:
        table.add_row(service.name, numbers.count(service.count))
    return table


def _flags_table(report: Report, numbers: Numbers, words: Wording) -> Table:
    table = _table(words("flags"), "", words("count"), words("share"))
    for flag in report.flags:
        table.add_row(
            words(flag.key),
            numbers.count(flag.count),
            numbers.percent(flag.share, flag.count, report.contacts),
        )
        if flag.optional:
            table.add_row(
                Text(f"  {words('not_recorded')}", style="dim"),
                numbers.count(flag.not_recorded),
                numbers.percent(flag.not_recorded_share, flag.not_recorded, report.contacts),
            )
    return table


def _feedback_table(report: Report, numbers: Numbers, words: Wording) -> Table:
    feedback = report.feedback
    table = _table(words("feedback"), "", "")
    table.show_header = False
    table.add_row(words("responses"), numbers.count(feedback.responses))
    table.add_row(
        words("mean_score"),
        numbers.measure(Measure.of_mean(feedback.mean_score, feedback.responses), "mean"),
    )
    table.add_row(words("helped"), numbers.ratio(Ratio(feedback.helped, feedback.helped_responses)))
    return table


def _follow_ups_table(report: Report, numbers: Numbers, words: Wording) -> Table:
    """Follow-ups due in the period by owner: scheduled, on time, late, cancelled."""
    heads = [words(f"follow_ups.{column}") for column in FOLLOW_UP_COLUMNS]
    table = _table(words("follow_ups"), words("follow_ups.profession"), *heads)
    for owner, profession, figures in follow_up_rows(report, numbers, words):
        table.add_row(owner, profession, *figures)
    return table


def _consultations_table(report: Report, numbers: Numbers, words: Wording) -> Table:
    table = _table(words("consultations"), "", "")
    table.show_header = False
    for key, text in consultation_rows(report, numbers):
        table.add_row(words(key), text)
    return table


def _repeat_table(repeats: RepeatContacts, numbers: Numbers, words: Wording) -> Group:
    """Repeat contacts beside the first-contact resolution, by channel and by reason."""
    table = _table(words("repeat.title"), "", *(words(key) for key in REPEAT_HEADS))
    table.add_row(Text(words("repeat.all"), style="bold"), *numbers.repeat_row(repeats.total))
    for group, heading in REPEAT_GROUPS:
        rows = repeats.channels if group == "channel" else repeats.reasons
        table.add_section()
        table.add_row(Text(words(heading), style="dim italic"))
        for row in rows:
            table.add_row(words.repeat_row(group, row.code), *numbers.repeat_row(row))
    return Group(table, Text(words("repeat.note"), style="dim italic"), Text(""))


def _service_level_table(report: Report, numbers: Numbers, words: Wording) -> Group:
    level = report.service_level
    table = _table(
        words("service_level"),
        words("channel"),
        words("offered"),
        words("answered"),
        words("abandoned"),
        words("answered_share"),
        words("median_wait"),
        words("p90_wait"),
    )
    for channel in level.channels:
        table.add_row(words.channel(channel.channel), *numbers.service_level(channel))
    ratios = Table(box=None, show_header=False, padding=(0, 2, 0, 1))
    ratios.add_column()
    ratios.add_column(justify="right")
    for key, ratio in (
        ("callbacks.first_attempt", level.callbacks_first_attempt),
        ("callbacks.by_due", level.callbacks_by_due),
        ("messages.in_time", level.messages_in_time),
    ):
        ratios.add_row(words(key), numbers.ratio(ratio))
    return Group(table, ratios, Text(""))


def _heat_chart(report: Report, numbers: Numbers, words: Wording) -> Group:
    """Weekdays down, hours across, two block characters an hour, shaded by volume."""
    grid = report.weekday_hour
    busiest = max((count for row in grid for count in row), default=0)
    lines = [Text(f"{words('weekday_hour')} ({report.time_zone})", style="bold")]
    ruler = Text("     ")
    for hour in range(24):
        ruler.append(f"{hour:02d}" if hour % 3 == 0 else "  ", style="dim")
    ruler.append("  Σ", style="dim")
    lines.append(ruler)
    for name, row in zip(words.weekdays(), grid, strict=True):
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


def _comparison_table(report: Report, numbers: Numbers, words: Wording) -> Table:
    comparison = report.comparison
    assert comparison is not None
    table = _table(
        f"{words('comparison')} ({numbers.days(comparison.period)})",
        "",
        words("current"),
        words("previous"),
        words("change"),
    )
    for change in comparison.changes:
        table.add_row(
            words.metric(change.metric),
            numbers.measure(change.current, change.kind),
            numbers.measure(change.previous, change.kind),
            numbers.change(change),
        )
    return table
