"""The report as JSON: the stable shape BI tools read (docs/lead.md, "The JSON shape").

Codes and numbers, never the report's words (the referred services carry
their names as logged): the same report gives the same bytes in any language.
"""

from __future__ import annotations

import json
from typing import Any

from ohjaus_tui.domain.report import (
    SUBSET_BREAKDOWNS,
    WEEKDAY_CODES,
    WITHOUT_NOT_RECORDED,
    Measure,
    Ratio,
    RepeatContacts,
    RepeatRow,
    Report,
)
from ohjaus_tui.present.report_numbers import FOLLOW_UP_COLUMNS, Suppression


def report_json(report: Report, *, suppress_below: int | None = None) -> dict[str, Any]:
    """The stable JSON shape documented in docs/lead.md."""
    numbers = Suppression(suppress_below)
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
        if breakdown.key not in WITHOUT_NOT_RECORDED
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
    consulted = report.consultations
    data["consultations"] = {
        "asked": numbers.count_value(consulted.asked),
        "answered": numbers.count_value(consulted.answered),
        "joined": numbers.count_value(consulted.joined),
        "answered_share": numbers.share_value(
            consulted.answered, consulted.asked, consulted.answered_share
        ),
        "median_answer_seconds": numbers.wait_value(consulted.median_answer, consulted.answered),
        "p90_answer_seconds": numbers.wait_value(consulted.p90_answer, consulted.answered),
    }
    data["follow_ups"] = [
        {
            "owner": row.owner,
            "profession": row.profession,
            **{column: numbers.count_value(getattr(row, column)) for column in FOLLOW_UP_COLUMNS},
        }
        for row in report.follow_ups.by_owner
    ]
    data["repeat_contacts"] = _repeat_json(report.repeat_contacts, numbers)
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


def _repeat_row_json(row: RepeatRow, numbers: Suppression) -> dict[str, Any]:
    return {
        "contacts": numbers.count_value(row.contacts),
        "resolved_first_contact": numbers.count_value(row.resolved_first_contact),
        "resolved_share": numbers.share_value(
            row.resolved_first_contact, row.contacts, row.resolved_share
        ),
        "recognisable": numbers.count_value(row.recognisable),
        "repeats": numbers.count_value(row.repeats),
        "repeat_share": numbers.share_value(row.repeats, row.recognisable, row.repeat_share),
    }


def _repeat_json(repeats: RepeatContacts | None, numbers: Suppression) -> dict[str, Any] | None:
    if repeats is None:
        return None
    return {
        "all": _repeat_row_json(repeats.total, numbers),
        "channel": {row.code: _repeat_row_json(row, numbers) for row in repeats.channels},
        "reason": {row.code: _repeat_row_json(row, numbers) for row in repeats.reasons},
    }


def _ratio_json(ratio: Ratio, numbers: Suppression, count: str, base: str) -> dict[str, Any]:
    return {
        count: numbers.count_value(ratio.count),
        base: numbers.count_value(ratio.base),
        "share": numbers.share_value(ratio.count, ratio.base, ratio.share),
    }


def _service_level_json(report: Report, numbers: Suppression) -> dict[str, Any]:
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
                "median_wait_seconds": numbers.wait_value(channel.median_wait, channel.answered),
                "p90_wait_seconds": numbers.wait_value(channel.p90_wait, channel.answered),
            }
            for channel in level.channels
        },
        "callbacks_first_attempt": _ratio_json(
            level.callbacks_first_attempt, numbers, "reached", "attempted"
        ),
        "callbacks_same_day": _ratio_json(level.callbacks_by_due, numbers, "called", "due"),
        "messages_in_time": _ratio_json(level.messages_in_time, numbers, "answered", "due"),
    }


def _comparison_json(report: Report, numbers: Suppression) -> dict[str, Any] | None:
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


def report_json_text(report: Report, *, suppress_below: int | None = None) -> str:
    """:func:`report_json` as the text written to a file: indented UTF-8, a newline at the end."""
    data = report_json(report, suppress_below=suppress_below)
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
