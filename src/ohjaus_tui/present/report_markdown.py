"""The report as Markdown tables, in one language."""

from __future__ import annotations

from ohjaus_tui.domain.report import SUBSET_BREAKDOWNS, Measure, Ratio, RepeatContacts, Report
from ohjaus_tui.present.report_numbers import (
    FOLLOW_UP_COLUMNS,
    Numbers,
    consultation_rows,
    follow_up_rows,
)
from ohjaus_tui.present.report_wording import REPEAT_GROUPS, REPEAT_HEADS, Wording


def report_markdown(
    report: Report, words: Wording, *, suppress_below: int | None = None, top_services: int = 10
) -> str:
    """The report as Markdown tables, in the words' language."""
    numbers = Numbers(words.language, suppress_below)
    lines = [f"# {words.title(report, numbers)}", ""]
    lines.append(f"**{words('contacts')}: {numbers.count(report.contacts)}**")
    lines.append("")
    if numbers.below:
        lines += [f"_{words('suppressed', n=numbers.below)}_", ""]
    if report.is_empty:
        lines += [words("no_contacts"), ""]
    else:
        count_head, share_head = words("count"), words("share")
        for breakdown in report.breakdowns:
            lines.append(f"## {words.heading(breakdown)}")
            lines.append("")
            if breakdown.key == "reason":
                lines += [f"_{words('several_reasons')}_", ""]
            if breakdown.key in SUBSET_BREAKDOWNS:
                base = words(f"{breakdown.key}_base")
                lines += [f"_{base}: {numbers.count(breakdown.base)}_", ""]
            lines += [f"| | {count_head} | {share_head} |", "|---|---:|---:|"]
            for item in breakdown.items:
                lines.append(
                    _row(
                        _md(words.item(breakdown, item.code)),
                        numbers.count(item.count),
                        numbers.percent(item.share, item.count, breakdown.base),
                    )
                )
            missing = breakdown.not_recorded
            if breakdown.optional or missing:
                lines.append(
                    _row(
                        f"_{words('not_recorded')}_",
                        numbers.count(missing),
                        numbers.percent(breakdown.not_recorded_share, missing, breakdown.base),
                    )
                )
            lines.append("")
        if report.referral_services:
            lines += [f"## {words('referral_service')}", ""]
            lines += [f"| | {words('code')} | {count_head} |", "|---|---|---:|"]
            for service in report.referral_services[:top_services]:
                lines.append(
                    f"| {_md(service.name)} | `{service.code}` | {numbers.count(service.count)} |"
                )
            lines.append("")
        lines += [
            f"## {words('flags')}",
            "",
            f"| | {count_head} | {share_head} |",
            "|---|---:|---:|",
        ]
        for flag in report.flags:
            lines.append(
                f"| {words(flag.key)} | {numbers.count(flag.count)} | "
                f"{numbers.percent(flag.share, flag.count, report.contacts)} |"
            )
            if flag.optional:
                missing = flag.not_recorded
                lines.append(
                    _row(
                        f"_{words('not_recorded')}_",
                        numbers.count(missing),
                        numbers.percent(flag.not_recorded_share, missing, report.contacts),
                    )
                )
        lines.append("")
        feedback = report.feedback
        lines += [f"## {words('feedback')}", ""]
        lines.append(f"- {words('responses')}: {numbers.count(feedback.responses)}")
        mean = Measure.of_mean(feedback.mean_score, feedback.responses)
        lines.append(f"- {words('mean_score')}: {numbers.measure(mean, 'mean')}")
        lines.append(
            f"- {words('helped')}: "
            f"{numbers.ratio(Ratio(feedback.helped, feedback.helped_responses))}"
        )
        lines.append("")
    if not report.is_empty and report.repeat_contacts is not None:
        lines += _repeat_md(report.repeat_contacts, numbers, words)
    lines += _consultations_md(report, numbers, words)
    lines += _follow_ups_md(report, numbers, words)
    lines += _service_level_md(report, numbers, words)
    if not report.is_empty:
        lines += _weekday_hour_md(report, numbers, words)
    if report.comparison is not None:
        comparison = report.comparison
        lines += [f"## {words('comparison')} ({numbers.days(comparison.period)})", ""]
        heads = [words(key) for key in ("current", "previous", "change")]
        lines += [_row("", *heads), "|---|---:|---:|---:|"]
        for change in comparison.changes:
            lines.append(
                _row(
                    words.metric(change.metric),
                    numbers.measure(change.current, change.kind),
                    numbers.measure(change.previous, change.kind),
                    numbers.change(change),
                )
            )
        lines.append("")
    return "\n".join(lines)


def _follow_ups_md(report: Report, numbers: Numbers, words: Wording) -> list[str]:
    if not report.follow_ups.by_owner:
        return []
    heads = [words(f"follow_ups.{column}") for column in FOLLOW_UP_COLUMNS]
    lines = [f"## {words('follow_ups')}", ""]
    lines.append(_row(words("follow_ups.owner"), words("follow_ups.profession"), *heads))
    lines.append("|---|---|" + "---:|" * len(heads))
    for owner, profession, figures in follow_up_rows(report, numbers, words):
        lines.append(_row(owner, profession, *figures))
    return [*lines, ""]


def _consultations_md(report: Report, numbers: Numbers, words: Wording) -> list[str]:
    lines = [f"## {words('consultations')}", ""]
    lines += [f"- {words(key)}: {text}" for key, text in consultation_rows(report, numbers)]
    return [*lines, ""]


def _repeat_md(repeats: RepeatContacts, numbers: Numbers, words: Wording) -> list[str]:
    lines = [f"## {words('repeat.title')}", "", f"_{words('repeat.note')}_", ""]
    lines.append(_row("", *(words(key) for key in REPEAT_HEADS)))
    lines.append("|---|" + "---:|" * len(REPEAT_HEADS))
    lines.append(_row(f"**{words('repeat.all')}**", *numbers.repeat_row(repeats.total)))
    for group, heading in REPEAT_GROUPS:
        lines.append(_row(f"_{words(heading)}_", *("" for _ in REPEAT_HEADS)))
        for row in repeats.channels if group == "channel" else repeats.reasons:
            lines.append(_row(_md(words.repeat_row(group, row.code)), *numbers.repeat_row(row)))
    lines.append("")
    return lines


def _service_level_md(report: Report, numbers: Numbers, words: Wording) -> list[str]:
    level = report.service_level
    heads = [
        words(key)
        for key in ("offered", "answered", "abandoned", "answered_share", "median_wait", "p90_wait")
    ]
    lines = [
        f"## {words('service_level')}",
        "",
        f"| {words('channel')} | " + " | ".join(heads) + " |",
    ]
    lines.append("|---|" + "---:|" * len(heads))
    for channel in level.channels:
        lines.append(_row(_md(words.channel(channel.channel)), *numbers.service_level(channel)))
    lines.append("")
    for key, ratio in (
        ("callbacks.first_attempt", level.callbacks_first_attempt),
        ("callbacks.by_due", level.callbacks_by_due),
        ("messages.in_time", level.messages_in_time),
    ):
        lines.append(f"- {words(key)}: {numbers.ratio(ratio)}")
    lines.append("")
    return lines


def _weekday_hour_md(report: Report, numbers: Numbers, words: Wording) -> list[str]:
    hours = [hour for hour in range(24) if any(row[hour] for row in report.weekday_hour)]
    if not hours:
        return []
    lines = [f"## {words('weekday_hour')} ({report.time_zone})", ""]
    lines.append("| | " + " | ".join(f"{hour:02d}" for hour in hours) + " |")
    lines.append("|---|" + "---:|" * len(hours))
    for name, row in zip(words.weekdays(), report.weekday_hour, strict=True):
        lines.append(f"| {name} | " + " | ".join(numbers.count(row[hour]) for hour in hours) + " |")
    lines.append("")
    return lines


def _md(value: str) -> str:
    return value.replace("|", "\\|")


def _row(*cells: str) -> str:
    return "| " + " | ".join(cells) + " |"
