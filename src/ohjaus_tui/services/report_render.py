"""The report as JSON (stable, for BI tools), long-format CSV and Markdown.

The terminal table (Rich) is the CLI's (``cli/report.py``); it uses
:class:`Numbers` from here so that every format writes numbers the same way.

Small numbers: with ``suppress_below=N`` a count of 1 to N-1 is shown as
``<N`` (JSON: ``null``), and so is every figure that would give it away: a
share whose count or base is under N, a mean or a wait percentile of fewer
than N values. Zero is shown: it says nothing about anyone. The JSON's
top-level ``suppress_below`` says N.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import date
from typing import Any, TextIO

from ohjaus_tui.domain.period import Period
from ohjaus_tui.domain.report import (
    Breakdown,
    Change,
    Measure,
    Ratio,
    Report,
)
from ohjaus_tui.domain.report_labels import WEEKDAY_CODES, text, weekday_names

NOT_RECORDED = "not_recorded"
SUBSET_BREAKDOWNS = ("referral_mode", "referral_segment")
"""Breakdowns whose shares are of a part of the contacts: their ``bases`` in the JSON."""
_WITHOUT_NOT_RECORDED = frozenset({"reason", "reason_group", "identification"})
"""Breakdowns whose every contact has a code (or several)."""


class Numbers:
    """Numbers for people in one language, small counts hidden below ``suppress_below``."""

    def __init__(self, language: str, suppress_below: int | None = None) -> None:
        self.language = language
        self.below = suppress_below if suppress_below and suppress_below > 1 else None
        self.decimal = "." if language == "en" else ","
        self.thousands = "," if language == "en" else "\u00a0"

    # --- hiding ---------------------------------------------------------------------------

    def hidden(self, count: int | None) -> bool:
        """True for a count of 1 to N-1."""
        return self.below is not None and count is not None and 0 < count < self.below

    def keeps(self, measure: Measure) -> bool:
        """False when the figure would give away a small count."""
        return not (self.hidden(measure.count) or self.hidden(measure.base))

    def count_value(self, count: int) -> int | None:
        """The count for JSON: None when hidden."""
        return None if self.hidden(count) else count

    def share_value(self, count: int, base: int, value: float | None) -> float | None:
        return value if self.keeps(Measure(value, count, base)) else None

    def measure_value(self, measure: Measure) -> float | None:
        return measure.value if self.keeps(measure) else None

    # --- writing ----------------------------------------------------------------------------

    @property
    def hidden_text(self) -> str:
        return f"<{self.below}"

    def integer(self, value: int) -> str:
        return f"{value:,}".replace(",", self.thousands)

    def decimal_number(self, value: float, places: int = 1) -> str:
        return (
            f"{value:,.{places}f}".replace(",", "\x00")
            .replace(".", self.decimal)
            .replace("\x00", self.thousands)
        )

    def count(self, count: int) -> str:
        return self.hidden_text if self.hidden(count) else self.integer(count)

    def percent(
        self, share: float | None, count: int | None = None, base: int | None = None
    ) -> str:
        if share is None or not self.keeps(Measure(share, count, base)):
            return "–" if share is None else ""
        return f"{self.decimal_number(100 * share)} %"

    def ratio(self, ratio: Ratio) -> str:
        """``87,1 % (4 512 / 5 180)``."""
        if not ratio.base:
            return "–"
        if not self.keeps(Measure(ratio.share, ratio.count, ratio.base)):
            return f"{self.count(ratio.count)} / {self.count(ratio.base)}"
        share = self.percent(ratio.share)
        return f"{share} ({self.integer(ratio.count)} / {self.integer(ratio.base)})"

    def duration(self, seconds: float | None, values: int) -> str:
        """A wait: ``45 s``, ``19 min``, ``3 h 05 min``, ``2 d 4 h``."""
        if seconds is None:
            return "–"
        if self.hidden(values):
            return ""
        whole = round(seconds)
        if whole < 90:
            return f"{whole} s"
        minutes = round(whole / 60)
        if minutes < 90:
            return f"{minutes} min"
        hours, minutes = divmod(minutes, 60)
        if hours < 48:
            return f"{hours} h {minutes:02d} min"
        days, hours = divmod(hours, 24)
        return f"{days} d {hours} h"

    def day(self, value: date) -> str:
        if self.language == "en":
            return value.isoformat()
        return f"{value.day}.{value.month}.{value.year}"

    def days(self, period: Period) -> str:
        return f"{self.day(period.start)}–{self.day(period.end)}"

    def change(self, change: Change) -> str:
        """``+5,2 %`` for a count, ``+1,4 %-yks.`` for a share, ``+0,1`` for a mean."""
        if not (self.keeps(change.current) and self.keeps(change.previous)):
            return ""
        delta = change.change
        if delta is None:
            return "–"
        if change.kind == "share":
            return f"{self._signed(100 * delta)} {text('pp', self.language)}"
        if change.kind == "mean":
            return self._signed(delta, 2)
        relative = change.change_pct
        if relative is None:
            return self._signed(delta, 0)
        return f"{self._signed(delta, 0)} ({self._signed(relative)} %)"

    def measure(self, measure: Measure, kind: str) -> str:
        if measure.value is None:
            return "–"
        if not self.keeps(measure):
            return self.hidden_text if kind == "count" else ""
        if kind == "share":
            return self.percent(measure.value)
        if kind == "mean":
            return self.decimal_number(measure.value, 2)
        return self.integer(round(measure.value))

    def _signed(self, value: float, places: int = 1) -> str:
        """``+1,4``, ``−0,2``, and ``±0,0`` for what rounds to zero."""
        rounded = round(value, places)
        sign = "+" if rounded > 0 else "−" if rounded < 0 else "±"
        magnitude = abs(rounded)
        number = (
            self.integer(round(magnitude))
            if places == 0
            else self.decimal_number(magnitude, places)
        )
        return f"{sign}{number}"


# --- labels shared by the human formats ---------------------------------------------------


def period_title(report: Report, numbers: Numbers) -> str:
    period = report.period
    title = f"{text('title', report.language)} {period.label}"
    days = numbers.days(period)
    if period.to_date:
        days += f" ({text('so_far', report.language)})"
    return f"{title} · {days} · {report.time_zone}"


def metric_label(report: Report, metric: str) -> str:
    """The words for a comparison metric (``channel.phone`` -> "Yhteydenotot: Puhelin")."""
    language = report.language
    head, _, tail = metric.partition(".")
    if head in ("channel", "answered"):
        level = report.service_level.channel(tail)
        label = level.label if level else tail
        return text(f"metric.{head}", language, label=label)
    return text(f"metric.{metric}", language)


def breakdown_title(breakdown: Breakdown, language: str) -> str:
    return text(breakdown.key, language)


# --- JSON -------------------------------------------------------------------------------------


def report_json(report: Report, *, suppress_below: int | None = None) -> dict[str, Any]:
    """The stable JSON shape documented in README "Reports"."""
    numbers = Numbers(report.language, suppress_below)
    period = report.period
    data: dict[str, Any] = {
        "period": {
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
            "label": period.label,
            "kind": period.kind.value,
            "to_date": period.to_date,
            "time_zone": report.time_zone,
        },
        "contacts": numbers.count_value(report.contacts),
    }
    for breakdown in report.breakdowns:
        data[breakdown.key] = {
            item.code: {
                "count": numbers.count_value(item.count),
                "share": numbers.share_value(item.count, breakdown.base, item.share),
            }
            for item in breakdown.items
        }
    data["referral_service"] = [
        {"code": service.code, "name": service.name, "count": numbers.count_value(service.count)}
        for service in report.referral_services
    ]
    for flag in report.flags:
        data[flag.key] = {
            "count": numbers.count_value(flag.count),
            "share": numbers.share_value(flag.count, report.contacts, flag.share),
        }
    data["bases"] = {
        key: numbers.count_value(report.breakdown(key).base) for key in SUBSET_BREAKDOWNS
    }
    not_recorded = {
        breakdown.key: numbers.count_value(breakdown.not_recorded)
        for breakdown in report.breakdowns
        if breakdown.key not in _WITHOUT_NOT_RECORDED
    }
    for flag in report.flags:
        if flag.key == "resolved_first_contact":
            not_recorded[flag.key] = numbers.count_value(flag.not_recorded)
    data["not_recorded"] = not_recorded
    feedback = report.feedback
    data["feedback"] = {
        "responses": numbers.count_value(feedback.responses),
        "mean_score": numbers.measure_value(
            Measure.of_mean(feedback.mean_score, feedback.responses)
        ),
        "helped_responses": numbers.count_value(feedback.helped_responses),
        "helped": numbers.count_value(feedback.helped),
        "share_helped": numbers.share_value(
            feedback.helped, feedback.helped_responses, feedback.share_helped
        ),
    }
    data["service_level"] = _service_level_json(report, numbers)
    data["weekday_hour"] = {
        "time_zone": report.time_zone,
        "weekdays": list(WEEKDAY_CODES),
        "counts": [[numbers.count_value(count) for count in row] for row in report.weekday_hour],
    }
    data["comparison"] = _comparison_json(report, numbers)
    data["suppress_below"] = numbers.below
    data["generated_at"] = report.generated_at.isoformat()
    return data


def _ratio_json(ratio: Ratio, numbers: Numbers, count: str, base: str) -> dict[str, Any]:
    return {
        count: numbers.count_value(ratio.count),
        base: numbers.count_value(ratio.base),
        "share": numbers.share_value(ratio.count, ratio.base, ratio.share),
    }


def _wait_json(seconds: float | None, values: int, numbers: Numbers) -> int | None:
    if seconds is None or numbers.hidden(values):
        return None
    return round(seconds)


def _service_level_json(report: Report, numbers: Numbers) -> dict[str, Any]:
    level = report.service_level
    return {
        "channels": {
            channel.channel: {
                "offered": numbers.count_value(channel.offered),
                "answered": numbers.count_value(channel.answered),
                "abandoned": numbers.count_value(channel.abandoned),
                "answered_share": numbers.share_value(
                    channel.answered, channel.offered, channel.answered_share
                ),
                "median_wait_seconds": _wait_json(channel.median_wait, channel.answered, numbers),
                "p90_wait_seconds": _wait_json(channel.p90_wait, channel.answered, numbers),
            }
            for channel in level.channels
        },
        "callbacks_first_attempt": _ratio_json(
            level.callbacks_first_attempt, numbers, "reached", "attempted"
        ),
        "callbacks_same_day": _ratio_json(level.callbacks_by_due, numbers, "called", "due"),
        "messages_in_time": _ratio_json(level.messages_in_time, numbers, "answered", "due"),
    }


def _comparison_json(report: Report, numbers: Numbers) -> dict[str, Any] | None:
    comparison = report.comparison
    if comparison is None:
        return None
    metrics: dict[str, Any] = {}
    for change in comparison.changes:
        keep = numbers.keeps(change.current) and numbers.keeps(change.previous)
        metrics[change.metric] = {
            "current": numbers.measure_value(change.current),
            "previous": numbers.measure_value(change.previous),
            "change": change.change if keep else None,
            "change_pct": change.change_pct if keep else None,
            "kind": change.kind,
        }
    return {
        "period": {
            "start": comparison.period.start.isoformat(),
            "end": comparison.period.end.isoformat(),
        },
        "metrics": metrics,
    }


# --- CSV (long format) -------------------------------------------------------------------------

CSV_COLUMNS = ("section", "code", "label", "count", "share", "value", "previous", "change")


def write_report_csv(report: Report, stream: TextIO, *, suppress_below: int | None = None) -> None:
    """One figure a row: ``section,code,label,count,share,value,previous,change``.

    ``count`` and ``share`` are what their names say (``<N`` when hidden);
    ``value`` holds other figures (dates, a mean, a wait in seconds);
    ``previous`` and ``change`` are used by the comparison rows only.
    """
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    writer.writerows(_csv_rows(report, Numbers(report.language, suppress_below)))


def report_csv(report: Report, *, suppress_below: int | None = None) -> str:
    buffer = io.StringIO()
    write_report_csv(report, buffer, suppress_below=suppress_below)
    return buffer.getvalue()


def _csv_count(numbers: Numbers, count: int) -> str:
    return numbers.hidden_text if numbers.hidden(count) else str(count)


def _csv_share(numbers: Numbers, count: int, base: int, share: float | None) -> str:
    value = numbers.share_value(count, base, share)
    return "" if value is None else f"{value:.6f}"


def _csv_rows(report: Report, numbers: Numbers) -> Iterator[tuple[str, ...]]:
    language = report.language
    period = report.period
    yield ("period", "start", text("period", language), "", "", period.start.isoformat(), "", "")
    yield ("period", "end", text("period", language), "", "", period.end.isoformat(), "", "")
    yield ("period", "label", text("period", language), "", "", period.label, "", "")
    yield ("period", "time_zone", text("time_zone", language), "", "", report.time_zone, "", "")
    yield (
        "contacts",
        "",
        text("contacts", language),
        _csv_count(numbers, report.contacts),
        "",
        "",
        "",
        "",
    )
    for breakdown in report.breakdowns:
        for item in breakdown.items:
            yield (
                breakdown.key,
                item.code,
                item.label,
                _csv_count(numbers, item.count),
                _csv_share(numbers, item.count, breakdown.base, item.share),
                "",
                "",
                "",
            )
        if breakdown.key not in _WITHOUT_NOT_RECORDED:
            yield (
                breakdown.key,
                NOT_RECORDED,
                text("not_recorded", language),
                _csv_count(numbers, breakdown.not_recorded),
                _csv_share(
                    numbers, breakdown.not_recorded, breakdown.base, breakdown.not_recorded_share
                ),
                "",
                "",
                "",
            )
    for service in report.referral_services:
        yield (
            "referral_service",
            service.code,
            service.name,
            _csv_count(numbers, service.count),
            "",
            "",
            "",
            "",
        )
    for flag in report.flags:
        yield (
            flag.key,
            "true",
            text(flag.key, language),
            _csv_count(numbers, flag.count),
            _csv_share(numbers, flag.count, report.contacts, flag.share),
            "",
            "",
            "",
        )
        if flag.optional:
            yield (
                flag.key,
                NOT_RECORDED,
                text("not_recorded", language),
                _csv_count(numbers, flag.not_recorded),
                _csv_share(numbers, flag.not_recorded, report.contacts, flag.not_recorded_share),
                "",
                "",
                "",
            )
    feedback = report.feedback
    mean = numbers.measure_value(Measure.of_mean(feedback.mean_score, feedback.responses))
    yield (
        "feedback",
        "responses",
        text("responses", language),
        _csv_count(numbers, feedback.responses),
        "",
        "",
        "",
        "",
    )
    yield (
        "feedback",
        "mean_score",
        text("mean_score", language),
        "",
        "",
        "" if mean is None else f"{mean:.4f}",
        "",
        "",
    )
    yield (
        "feedback",
        "helped",
        text("helped", language),
        _csv_count(numbers, feedback.helped),
        _csv_share(numbers, feedback.helped, feedback.helped_responses, feedback.share_helped),
        "",
        "",
        "",
    )
    for channel in report.service_level.channels:
        section = f"service_level.{channel.channel}"
        for key, count in (
            ("offered", channel.offered),
            ("answered", channel.answered),
            ("abandoned", channel.abandoned),
        ):
            yield (section, key, text(key, language), _csv_count(numbers, count), "", "", "", "")
        yield (
            section,
            "answered_share",
            text("answered_share", language),
            "",
            _csv_share(numbers, channel.answered, channel.offered, channel.answered_share),
            "",
            "",
            "",
        )
        for key, seconds in (("median_wait", channel.median_wait), ("p90_wait", channel.p90_wait)):
            wait = _wait_json(seconds, channel.answered, numbers)
            yield (
                section,
                f"{key}_seconds",
                text(key, language),
                "",
                "",
                "" if wait is None else str(wait),
                "",
                "",
            )
    level = report.service_level
    for key, ratio in (
        ("callbacks.first_attempt", level.callbacks_first_attempt),
        ("callbacks.by_due", level.callbacks_by_due),
        ("messages.in_time", level.messages_in_time),
    ):
        section, _, code = key.partition(".")
        yield (
            f"service_level.{section}",
            code,
            text(key, language),
            _csv_count(numbers, ratio.count),
            _csv_share(numbers, ratio.count, ratio.base, ratio.share),
            str(ratio.base) if not numbers.hidden(ratio.base) else numbers.hidden_text,
            "",
            "",
        )
    for weekday, row in zip(WEEKDAY_CODES, report.weekday_hour, strict=True):
        for hour, count in enumerate(row):
            yield (
                "weekday_hour",
                f"{weekday} {hour:02d}",
                "",
                _csv_count(numbers, count),
                "",
                "",
                "",
                "",
            )
    if report.comparison is not None:
        for change in report.comparison.changes:
            keep = numbers.keeps(change.current) and numbers.keeps(change.previous)
            yield (
                "comparison",
                change.metric,
                metric_label(report, change.metric),
                "",
                "",
                _plain(numbers.measure_value(change.current)),
                _plain(numbers.measure_value(change.previous)),
                _plain(change.change if keep else None),
            )


def _plain(value: float | None) -> str:
    if value is None:
        return ""
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.6f}"


# --- Markdown ------------------------------------------------------------------------------------


def report_markdown(
    report: Report, *, suppress_below: int | None = None, top_services: int = 10
) -> str:
    """The report as Markdown tables, in the report's language."""
    numbers = Numbers(report.language, suppress_below)
    language = report.language
    lines = [f"# {period_title(report, numbers)}", ""]
    lines.append(f"**{text('contacts', language)}: {numbers.count(report.contacts)}**")
    lines.append("")
    if numbers.below:
        lines += [f"_{text('suppressed', language, n=numbers.below)}_", ""]
    if report.is_empty:
        lines += [text("no_contacts", language), ""]
    else:
        count_head, share_head = text("count", language), text("share", language)
        for breakdown in report.breakdowns:
            lines.append(f"## {breakdown_title(breakdown, language)}")
            lines.append("")
            if breakdown.key == "reason":
                lines += [f"_{text('several_reasons', language)}_", ""]
            if breakdown.key in SUBSET_BREAKDOWNS:
                base = text(f"{breakdown.key}_base", language)
                lines += [f"_{base}: {numbers.count(breakdown.base)}_", ""]
            lines += [f"| | {count_head} | {share_head} |", "|---|---:|---:|"]
            for item in breakdown.items:
                lines.append(
                    _row(
                        _md(item.label),
                        numbers.count(item.count),
                        numbers.percent(item.share, item.count, breakdown.base),
                    )
                )
            missing = breakdown.not_recorded
            if breakdown.optional or missing:
                lines.append(
                    _row(
                        f"_{text('not_recorded', language)}_",
                        numbers.count(missing),
                        numbers.percent(breakdown.not_recorded_share, missing, breakdown.base),
                    )
                )
            lines.append("")
        if report.referral_services:
            lines += [f"## {text('referral_service', language)}", ""]
            lines += [f"| | {text('code', language)} | {count_head} |", "|---|---|---:|"]
            for service in report.referral_services[:top_services]:
                lines.append(
                    f"| {_md(service.name)} | `{service.code}` | {numbers.count(service.count)} |"
                )
            lines.append("")
        lines += [
            f"## {text('flags', language)}",
            "",
            f"| | {count_head} | {share_head} |",
            "|---|---:|---:|",
        ]
        for flag in report.flags:
            lines.append(
                f"| {text(flag.key, language)} | {numbers.count(flag.count)} | "
                f"{numbers.percent(flag.share, flag.count, report.contacts)} |"
            )
            if flag.optional:
                missing = flag.not_recorded
                lines.append(
                    _row(
                        f"_{text('not_recorded', language)}_",
                        numbers.count(missing),
                        numbers.percent(flag.not_recorded_share, missing, report.contacts),
                    )
                )
        lines.append("")
        feedback = report.feedback
        lines += [f"## {text('feedback', language)}", ""]
        lines.append(f"- {text('responses', language)}: {numbers.count(feedback.responses)}")
        mean = Measure.of_mean(feedback.mean_score, feedback.responses)
        lines.append(f"- {text('mean_score', language)}: {numbers.measure(mean, 'mean')}")
        lines.append(
            f"- {text('helped', language)}: "
            f"{numbers.ratio(Ratio(feedback.helped, feedback.helped_responses))}"
        )
        lines.append("")
    lines += _service_level_md(report, numbers)
    if not report.is_empty:
        lines += _weekday_hour_md(report, numbers)
    if report.comparison is not None:
        comparison = report.comparison
        lines += [f"## {text('comparison', language)} ({numbers.days(comparison.period)})", ""]
        heads = [text(key, language) for key in ("current", "previous", "change")]
        lines += [_row("", *heads), "|---|---:|---:|---:|"]
        for change in comparison.changes:
            lines.append(
                _row(
                    metric_label(report, change.metric),
                    numbers.measure(change.current, change.kind),
                    numbers.measure(change.previous, change.kind),
                    numbers.change(change),
                )
            )
        lines.append("")
    return "\n".join(lines)


def _service_level_md(report: Report, numbers: Numbers) -> list[str]:
    language = report.language
    level = report.service_level
    heads = [
        text(key, language)
        for key in ("offered", "answered", "abandoned", "answered_share", "median_wait", "p90_wait")
    ]
    lines = [
        f"## {text('service_level', language)}",
        "",
        f"| {text('channel', language)} | " + " | ".join(heads) + " |",
    ]
    lines.append("|---|" + "---:|" * len(heads))
    for channel in level.channels:
        lines.append(
            _row(
                _md(channel.label),
                numbers.count(channel.offered),
                numbers.count(channel.answered),
                numbers.count(channel.abandoned),
                numbers.percent(channel.answered_share, channel.answered, channel.offered),
                numbers.duration(channel.median_wait, channel.answered),
                numbers.duration(channel.p90_wait, channel.answered),
            )
        )
    lines.append("")
    for key, ratio in (
        ("callbacks.first_attempt", level.callbacks_first_attempt),
        ("callbacks.by_due", level.callbacks_by_due),
        ("messages.in_time", level.messages_in_time),
    ):
        lines.append(f"- {text(key, language)}: {numbers.ratio(ratio)}")
    lines.append("")
    return lines


def _weekday_hour_md(report: Report, numbers: Numbers) -> list[str]:
    language = report.language
    hours = [hour for hour in range(24) if any(row[hour] for row in report.weekday_hour)]
    if not hours:
        return []
    lines = [f"## {text('weekday_hour', language)} ({report.time_zone})", ""]
    lines.append("| | " + " | ".join(f"{hour:02d}" for hour in hours) + " |")
    lines.append("|---|" + "---:|" * len(hours))
    for name, row in zip(weekday_names(language), report.weekday_hour, strict=True):
        lines.append(f"| {name} | " + " | ".join(numbers.count(row[hour]) for hour in hours) + " |")
    lines.append("")
    return lines


def _md(value: str) -> str:
    return value.replace("|", "\\|")


def _row(*cells: str) -> str:
    return "| " + " | ".join(cells) + " |"
