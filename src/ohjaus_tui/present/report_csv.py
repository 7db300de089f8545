"""The report as long-format CSV: one figure a row, labelled in one language."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import TextIO

from ohjaus_tui.domain.report import (
    WEEKDAY_CODES,
    WITHOUT_NOT_RECORDED,
    Measure,
    RepeatContacts,
    RepeatRow,
    Report,
)
from ohjaus_tui.present.report_numbers import FOLLOW_UP_COLUMNS, Numbers
from ohjaus_tui.present.report_wording import Wording
from ohjaus_tui.services.textfile import PLAIN, CsvFlavour

NOT_RECORDED = "not_recorded"
"""The code of the row of a field left empty."""

CSV_COLUMNS = ("section", "code", "label", "count", "share", "value", "previous", "change")


def write_report_csv(
    report: Report,
    words: Wording,
    stream: TextIO,
    *,
    suppress_below: int | None = None,
    flavour: CsvFlavour = PLAIN,
) -> None:
    """One figure a row: ``section,code,label,count,share,value,previous,change``.

    ``count`` and ``share`` are what their names say (``<N`` when hidden);
    ``value`` holds other figures (dates, a mean, a wait in seconds);
    ``previous`` and ``change`` are used by the comparison rows only.
    """
    writer = flavour.writer(stream)
    writer.writerow(CSV_COLUMNS)
    numbers = Numbers(words.language, suppress_below)
    writer.writerows(flavour.row(row) for row in _csv_rows(report, numbers, words))


def report_csv(
    report: Report,
    words: Wording,
    *,
    suppress_below: int | None = None,
    flavour: CsvFlavour = PLAIN,
) -> str:
    buffer = io.StringIO()
    write_report_csv(report, words, buffer, suppress_below=suppress_below, flavour=flavour)
    return buffer.getvalue()


def _csv_count(numbers: Numbers, count: int) -> str:
    return numbers.hidden_text if numbers.hidden(count) else str(count)


def _csv_share(numbers: Numbers, count: int, base: int, share: float | None) -> str:
    value = numbers.share_value(count, base, share)
    return "" if value is None else f"{value:.6f}"


def _csv_rows(report: Report, numbers: Numbers, words: Wording) -> Iterator[tuple[str, ...]]:
    period = report.period
    yield ("period", "start", words("period"), "", "", period.start.isoformat(), "", "")
    yield ("period", "end", words("period"), "", "", period.end.isoformat(), "", "")
    yield ("period", "label", words("period"), "", "", period.label, "", "")
    yield ("period", "time_zone", words("time_zone"), "", "", report.time_zone, "", "")
    yield (
        "contacts",
        "",
        words("contacts"),
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
                words.item(breakdown, item.code),
                _csv_count(numbers, item.count),
                _csv_share(numbers, item.count, breakdown.base, item.share),
                "",
                "",
                "",
            )
        if breakdown.key not in WITHOUT_NOT_RECORDED:
            yield (
                breakdown.key,
                NOT_RECORDED,
                words("not_recorded"),
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
            words(flag.key),
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
                words("not_recorded"),
                _csv_count(numbers, flag.not_recorded),
                _csv_share(numbers, flag.not_recorded, report.contacts, flag.not_recorded_share),
                "",
                "",
                "",
            )
    if report.repeat_contacts is not None:
        yield from _repeat_rows(report.repeat_contacts, numbers, words)
    feedback = report.feedback
    mean = numbers.measure_value(Measure.of_mean(feedback.mean_score, feedback.responses))
    yield (
        "feedback",
        "responses",
        words("responses"),
        _csv_count(numbers, feedback.responses),
        "",
        "",
        "",
        "",
    )
    yield (
        "feedback",
        "mean_score",
        words("mean_score"),
        "",
        "",
        "" if mean is None else f"{mean:.4f}",
        "",
        "",
    )
    yield (
        "feedback",
        "helped",
        words("helped"),
        _csv_count(numbers, feedback.helped),
        _csv_share(numbers, feedback.helped, feedback.helped_responses, feedback.share_helped),
        "",
        "",
        "",
    )
    consulted = report.consultations
    yield (
        "consultations",
        "asked",
        words("consultations_asked"),
        _csv_count(numbers, consulted.asked),
        "",
        "",
        "",
        "",
    )
    yield (
        "consultations",
        "answered",
        words("consultations_answered"),
        _csv_count(numbers, consulted.answered),
        _csv_share(numbers, consulted.answered, consulted.asked, consulted.answered_share),
        "",
        "",
        "",
    )
    yield (
        "consultations",
        "joined",
        words("consultations_joined"),
        _csv_count(numbers, consulted.joined),
        "",
        "",
        "",
        "",
    )
    for key, seconds in (
        ("median_answer", consulted.median_answer),
        ("p90_answer", consulted.p90_answer),
    ):
        took = numbers.wait_value(seconds, consulted.answered)
        yield (
            "consultations",
            f"{key}_seconds",
            words("consultation_median" if key == "median_answer" else "consultation_p90"),
            "",
            "",
            "" if took is None else str(took),
            "",
            "",
        )
    for owner in report.follow_ups.by_owner:
        for column in FOLLOW_UP_COLUMNS:
            yield (
                f"follow_ups.{owner.owner}",
                column,
                words(f"follow_ups.{column}"),
                _csv_count(numbers, getattr(owner, column)),
                "",
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
            yield (section, key, words(key), _csv_count(numbers, count), "", "", "", "")
        yield (
            section,
            "answered_share",
            words("answered_share"),
            "",
            _csv_share(numbers, channel.answered, channel.offered, channel.answered_share),
            "",
            "",
            "",
        )
        for key, seconds in (("median_wait", channel.median_wait), ("p90_wait", channel.p90_wait)):
            wait = numbers.wait_value(seconds, channel.answered)
            yield (
                section,
                f"{key}_seconds",
                words(key),
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
            words(key),
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
                words.metric(change.metric),
                "",
                "",
                _plain(numbers.measure_value(change.current)),
                _plain(numbers.measure_value(change.previous)),
                _plain(change.change if keep else None),
            )


def _repeat_rows(
    repeats: RepeatContacts, numbers: Numbers, words: Wording
) -> Iterator[tuple[str, ...]]:
    """``repeat_contacts.all``, ``repeat_contacts.channel.phone``, ``...reason.health``:
    each with its contacts, resolved in the first contact (count and share), those with a
    number, and the repeats (count and share of those with a number)."""
    labelled: list[tuple[str, str, RepeatRow]] = [("all", words("repeat.all"), repeats.total)]
    labelled += [
        (f"channel.{row.code}", words.repeat_row("channel", row.code), row)
        for row in repeats.channels
    ]
    labelled += [
        (f"reason.{row.code}", words.repeat_row("reason", row.code), row) for row in repeats.reasons
    ]
    for key, label, row in labelled:
        section = f"repeat_contacts.{key}"
        for code, count, base, share in (
            ("contacts", row.contacts, None, None),
            (
                "resolved_first_contact",
                row.resolved_first_contact,
                row.contacts,
                row.resolved_share,
            ),
            ("recognisable", row.recognisable, None, None),
            ("repeats", row.repeats, row.recognisable, row.repeat_share),
        ):
            yield (
                section,
                code,
                label,
                _csv_count(numbers, count),
                "" if base is None else _csv_share(numbers, count, base, share),
                "",
                "",
                "",
            )


def _plain(value: float | None) -> str:
    if value is None:
        return ""
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.6f}"
