"""The report as one HTML page for the steering group, in one language.

The figures of the table (``report_table.py``) with the same rule for small
numbers (:class:`~ohjaus_tui.present.report_numbers.Numbers`), and charts
where a picture reads faster: the channels over the days, weeks or months of
the period, the service level against its target, the service areas referred
to and the weekday x hour heat map. Each chart has its figures in a table
beside it. The page stands alone: its style sheet is inline, its charts are
SVG drawn in ``report_charts.py``, it loads nothing and runs no script; it
prints on A4 with a section kept on one page where it fits.

Every word and label is escaped: code labels and service names come from the
desk's database.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import timedelta
from zoneinfo import ZoneInfo

from ohjaus_tui.domain.report import (
    SUBSET_BREAKDOWNS,
    WEEKDAY_CODES,
    Breakdown,
    Measure,
    Ratio,
    Report,
    TimeSpan,
    TimeUnit,
    time_spans,
)
from ohjaus_tui.present.report_charts import (
    CHANNEL_COLOURS,
    HeatCell,
    Series,
    ShareBar,
    TargetBar,
    e,
    hatch,
    heat_chart,
    share_chart,
    target_chart,
    time_chart,
)
from ohjaus_tui.present.report_numbers import (
    FOLLOW_UP_COLUMNS,
    Numbers,
    consultation_rows,
    follow_up_rows,
)
from ohjaus_tui.present.report_wording import REPEAT_GROUPS, REPEAT_HEADS, Wording

DEFAULT_TARGET = 0.9
"""The share of each service level measure the desk aims at, unless told another."""

STYLE = """
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1000px; padding: 24px 28px 40px;
  font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
  sans-serif; color: #1a1a1a; background: #ffffff;
  -webkit-print-color-adjust: exact; print-color-adjust: exact; }
h1 { font-size: 1.7em; margin: 0 0 4px; line-height: 1.2; }
h2 { font-size: 1.3em; margin: 0 0 10px; border-bottom: 2px solid #0072b2; padding-bottom: 3px;
  break-after: avoid; }
h3 { font-size: 1.05em; margin: 0 0 6px; break-after: avoid; }
header { margin-bottom: 22px; }
.sub, .note, footer { color: #4a4a4a; }
.headline { font-size: 1.2em; margin: 10px 0 4px; }
.headline strong { font-size: 1.5em; }
section.block { margin: 0 0 28px; break-inside: avoid; page-break-inside: avoid; }
section.block.long { break-inside: auto; page-break-inside: auto; }
.chart { display: block; width: 100%; height: auto; margin: 4px 0 10px; }
.chart text { font-size: 12px; }
.chart text.cell { font-size: 11px; }
table { border-collapse: collapse; font-variant-numeric: tabular-nums; margin: 0 0 8px; }
caption { text-align: left; font-weight: 600; padding-bottom: 4px; }
th, td { padding: 3px 8px; border-bottom: 1px solid #d0d0d0; vertical-align: top; }
thead th { border-bottom: 2px solid #595959; text-align: right; font-weight: 600; }
thead th:first-child, tbody th { text-align: left; font-weight: normal; }
td { text-align: right; white-space: nowrap; }
td.text { text-align: left; white-space: normal; }
tr { break-inside: avoid; }
tr.minor th, tr.minor td { color: #4a4a4a; font-style: italic; }
.figures { font-size: 0.9em; }
td.bar { text-align: left; width: 4.5em; padding-right: 0; }
td.bar span { display: inline-block; height: 0.8em; background: #0072b2; }
.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(290px, 1fr));
  gap: 18px 28px; }
.grid > div { break-inside: avoid; page-break-inside: avoid; }
.grid table { width: 100%; }
.legend { list-style: none; padding: 0; margin: 0 0 4px; display: flex; flex-wrap: wrap;
  gap: 4px 18px; }
.legend svg { width: 14px; height: 14px; vertical-align: -2px; margin-right: 5px; }
.columns { display: grid; grid-template-columns: repeat(auto-fit, minmax(300px, 1fr));
  gap: 0 28px; align-items: start; }
.sr-only { position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px;
  overflow: hidden; clip: rect(0, 0, 0, 0); white-space: nowrap; border: 0; }
@page { size: A4; margin: 14mm 12mm 16mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 10.5pt; }
  section.block { margin-bottom: 18px; }
  .grid { grid-template-columns: repeat(2, 1fr); }
}
"""


def report_html(
    report: Report,
    words: Wording,
    *,
    suppress_below: int | None = None,
    top: int = 10,
    target: float = DEFAULT_TARGET,
) -> str:
    """The report as a page of HTML, in the words' language.

    ``top``: the services referred to that are listed; ``target``: the share
    of each service level measure the desk aims at (0-1).
    """
    page = _Page(report, words, Numbers(words.language, suppress_below), top, target)
    return "".join(page.lines())


class _Page:
    def __init__(
        self, report: Report, words: Wording, numbers: Numbers, top: int, target: float
    ) -> None:
        self.report = report
        self.words = words
        self.numbers = numbers
        self.top = top
        self.target = target

    def lines(self) -> Iterator[str]:
        report, words, numbers = self.report, self.words, self.numbers
        title = words.title(report, numbers)
        yield "<!DOCTYPE html>\n"
        yield f'<html lang="{e(words.language)}">\n<head>\n<meta charset="utf-8">\n'
        yield '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        yield f"<title>{e(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
        yield from self.header()
        yield "<main>\n"
        if report.is_empty:
            yield f'<p class="note" id="no-contacts">{e(words("no_contacts"))}</p>\n'
        else:
            yield from self.over_time()
        yield from self.service_level()
        if not report.is_empty:
            yield from self.repeats()
            yield from self.referrals()
            yield from self.heat_map()
            yield from self.breakdowns()
        if report.comparison is not None:
            yield from self.comparison()
        yield "</main>\n"
        yield from self.footer()
        yield "</body>\n</html>\n"

    # --- the parts ------------------------------------------------------------------------

    def header(self) -> Iterator[str]:
        report, words, numbers = self.report, self.words, self.numbers
        period = report.period
        days = numbers.days(period)
        if period.to_date:
            days += f" ({words('so_far')})"
        yield "<header>\n"
        yield f"<h1>{e(words('title'))} {e(period.label)}</h1>\n"
        yield f'<p class="sub">{e(days)} · {e(report.time_zone)}</p>\n'
        yield (
            f'<p class="headline">{e(words("contacts"))}: '
            f'<strong id="contacts">{e(numbers.count(report.contacts))}</strong>'
        )
        comparison = report.comparison
        if comparison is not None and (change := comparison.get("contacts")) is not None:
            yield (
                f' <span class="note">{e(words("previous"))} {e(numbers.days(comparison.period))}:'
                f" {e(numbers.measure(change.previous, 'count'))}"
                f" {e(numbers.change(change))}</span>"
            )
        yield "</p>\n"
        if numbers.below:
            yield (
                f'<p class="note" id="suppressed">{e(words("suppressed", n=numbers.below))} '
                f"{e(words('html.hidden', n=numbers.below))}</p>\n"
            )
        yield "</header>\n"

    def footer(self) -> Iterator[str]:
        from babel.dates import format_datetime

        local = self.report.generated_at.astimezone(ZoneInfo(self.report.time_zone))
        when = format_datetime(local, "short", locale=self.numbers.locale)
        yield f"<footer><p>{e(self.words('html.made', when=when))}</p></footer>\n"

    def _section(self, key: str, heading: str, *, long: bool = False) -> str:
        """A section's start: kept on one printed page unless ``long`` (its parts are)."""
        css = "block long" if long else "block"
        return f'<section class="{css}" id="{key}" aria-labelledby="{key}-h">\n' + (
            f'<h2 id="{key}-h">{e(heading)}</h2>\n'
        )

    def _chart_title(self, heading: str) -> str:
        return self.words("html.chart", title=heading)

    def over_time(self) -> Iterator[str]:
        report, words, numbers = self.report, self.words, self.numbers
        assert report.channel_days is not None, "build the report with over_time=True"
        channels = report.breakdown("channel")
        codes = [item.code for item in channels.items]
        spans = time_spans(report.period, report.channel_days, codes)
        unit = spans[0].unit
        heading = words(f"html.over_time.{unit.value}")
        labels = [words.item(channels, code) for code in codes]
        colours = [CHANNEL_COLOURS[index % len(CHANNEL_COLOURS)] for index in range(len(codes))]
        series = [
            Series(label, colour, [span.counts.get(code, 0) for span in spans])
            for code, label, colour in zip(codes, labels, colours, strict=True)
        ]
        yield self._section("over-time", heading)
        yield '<ul class="legend" aria-hidden="true">'
        for label, colour in zip(labels, colours, strict=True):
            yield (
                f'<li><svg viewBox="0 0 14 14"><rect width="14" height="14" fill="{colour}"/>'
                f"</svg>{e(label)}</li>"
            )
        if numbers.below:
            yield (
                f'<li><svg viewBox="0 0 14 14"><defs>{hatch("legend-hatch", "#595959")}</defs>'
                '<rect width="14" height="14" fill="url(#legend-hatch)" stroke="#595959"/></svg>'
                f"&lt;{numbers.below}</li>"
            )
        yield "</ul>\n"
        yield time_chart(
            "over-time-chart",
            self._chart_title(heading),
            [self._span_short(span, spans) for span in spans],
            series,
            hidden=[[numbers.hidden(count) for count in one.counts] for one in series],
            hidden_most=(numbers.below or 1) - 1,
            written=[[numbers.count(count) for count in one.counts] for one in series],
            axis_number=numbers.integer,
        )
        yield "\n"
        yield '<table class="figures" id="over-time-table" aria-labelledby="over-time-h">\n'
        yield f'<thead><tr><th scope="col">{e(words(f"html.unit.{unit.value}"))}</th>'
        for code, label in zip(codes, labels, strict=True):
            yield f'<th scope="col" data-channel="{e(code)}">{e(label)}</th>'
        yield f'<th scope="col">{e(words("html.total"))}</th></tr></thead>\n<tbody>\n'
        for span in spans:
            yield f'<tr data-start="{span.start.isoformat()}"><th scope="row">'
            yield f"{e(self._span_long(span))}</th>"
            for code in codes:
                count = span.counts.get(code, 0)
                yield f'<td data-channel="{e(code)}">{e(numbers.count(count))}</td>'
            yield f'<td class="total">{e(numbers.count(span.total))}</td></tr>\n'
        yield "</tbody>\n</table>\n</section>\n"

    def _span_short(self, span: TimeSpan, spans: Sequence[TimeSpan]) -> str:
        from babel.dates import format_date, format_skeleton

        locale = self.numbers.locale
        if span.unit is TimeUnit.DAY:
            return str(format_skeleton("Md", span.start, locale=locale))
        if span.unit is TimeUnit.WEEK:
            return self.words("html.week", week=span.start.isocalendar()[1])
        if spans[0].start.year != spans[-1].start.year:
            return str(format_skeleton("yMMM", span.start, locale=locale))
        return str(format_date(span.start, "LLL", locale=locale))

    def _span_long(self, span: TimeSpan) -> str:
        from babel.dates import format_date, format_skeleton

        locale, numbers = self.numbers.locale, self.numbers
        if span.unit is TimeUnit.DAY:
            return str(format_skeleton("yMEd", span.start, locale=locale))
        if span.unit is TimeUnit.WEEK:
            week = self.words("html.week", week=span.start.isocalendar()[1])
            return f"{week} ({numbers.day(span.start)}–{numbers.day(span.end)})"
        month = str(format_date(span.start, "LLLL y", locale=locale))
        if span.start.day != 1 or (span.end + timedelta(days=1)).day != 1:  # a part month
            month += f" ({numbers.day(span.start)}–{numbers.day(span.end)})"
        return month

    def service_level(self) -> Iterator[str]:
        report, words, numbers = self.report, self.words, self.numbers
        level = report.service_level
        yield self._section("service-level", words("service_level"))
        heads = ("offered", "answered", "abandoned", "answered_share", "median_wait", "p90_wait")
        yield '<table class="figures" id="service-level-table" aria-labelledby="service-level-h">'
        yield f'<thead><tr><th scope="col">{e(words("channel"))}</th>'
        yield "".join(f'<th scope="col">{e(words(head))}</th>' for head in heads)
        yield "</tr></thead>\n<tbody>\n"
        for channel in level.channels:
            yield f'<tr data-key="{e(channel.channel)}">'
            yield f'<th scope="row">{e(words.channel(channel.channel))}</th>'
            yield "".join(f"<td>{e(text)}</td>" for text in numbers.service_level(channel))
            yield "</tr>\n"
        yield "</tbody>\n</table>\n"
        measures: list[tuple[str, str, Ratio]] = [
            (
                f"answered.{channel.channel}",
                words.metric(f"answered.{channel.channel}"),
                Ratio(channel.answered, channel.offered),
            )
            for channel in level.channels
        ]
        measures += [
            (key, words(key), ratio)
            for key, ratio in (
                ("callbacks.first_attempt", level.callbacks_first_attempt),
                ("callbacks.by_due", level.callbacks_by_due),
                ("messages.in_time", level.messages_in_time),
            )
        ]
        target_text = words("html.target_of", target=numbers.percent(self.target))
        heading = words("html.against_target")
        rows = []
        for _, label, ratio in measures:
            kept = numbers.keeps(Measure(ratio.share, ratio.count, ratio.base))
            rows.append(TargetBar(label, ratio.share if kept else None, numbers.ratio(ratio)))
        yield f'<h3 id="target-h">{e(heading)}</h3>\n'
        yield target_chart(
            "target-chart",
            self._chart_title(f"{heading} ({target_text})"),
            rows,
            target=self.target,
            target_text=target_text,
            percent=self._whole_percent,
        )
        yield "\n"
        yield '<table class="figures" id="target-table" aria-labelledby="target-h">'
        yield f'<thead><tr><th scope="col">{e(words("html.measure"))}</th>'
        yield f'<th scope="col">{e(words("share"))}</th>'
        yield f'<th scope="col">{e(words("html.target"))}</th><th scope="col"></th></tr></thead>\n'
        yield "<tbody>\n"
        for (key, label, _), row in zip(measures, rows, strict=True):
            if row.share is None:
                verdict = "–"
            else:
                verdict = words("html.met" if row.share >= self.target - 1e-12 else "html.missed")
            yield (
                f'<tr data-metric="{e(key)}"><th scope="row">{e(label)}</th>'
                f"<td>{e(row.text)}</td><td>{e(numbers.percent(self.target))}</td>"
                f'<td class="text">{e(verdict)}</td></tr>\n'
            )
        yield "</tbody>\n</table>\n</section>\n"

    def _whole_percent(self, share: float) -> str:
        from babel.numbers import format_percent

        return str(format_percent(share, locale=self.numbers.locale))

    def repeats(self) -> Iterator[str]:
        """Repeat contacts beside the first-contact resolution, by channel and by reason."""
        words, numbers = self.words, self.numbers
        repeats = self.report.repeat_contacts
        if repeats is None:
            return
        yield self._section("repeat-contacts", words("repeat.title"))
        yield f'<p class="note">{e(words("repeat.note"))}</p>\n'
        yield '<table class="figures" id="repeat-table" aria-labelledby="repeat-contacts-h">'
        yield '<thead><tr><th scope="col"></th>'
        yield "".join(f'<th scope="col">{e(words(key))}</th>' for key in REPEAT_HEADS)
        yield "</tr></thead>\n<tbody>\n"
        yield '<tr data-key="all"><th scope="row"><strong>'
        yield f"{e(words('repeat.all'))}</strong></th>"
        yield "".join(f"<td>{e(text)}</td>" for text in numbers.repeat_row(repeats.total))
        yield "</tr>\n"
        for group, heading in REPEAT_GROUPS:
            yield (
                f'<tr class="minor"><th scope="rowgroup" colspan="{len(REPEAT_HEADS) + 1}">'
                f"{e(words(heading))}</th></tr>\n"
            )
            for row in repeats.channels if group == "channel" else repeats.reasons:
                yield f'<tr data-key="{e(group)}.{e(row.code)}">'
                yield f'<th scope="row">{e(words.repeat_row(group, row.code))}</th>'
                yield "".join(f"<td>{e(text)}</td>" for text in numbers.repeat_row(row))
                yield "</tr>\n"
        yield "</tbody>\n</table>\n</section>\n"

    def referrals(self) -> Iterator[str]:
        report, words, numbers = self.report, self.words, self.numbers
        areas = report.breakdown("referral_segment")
        heading = words.heading(areas)
        yield self._section("referrals", heading)
        base = f"{words('referral_segment_base')}: {numbers.count(areas.base)}"
        yield f'<p class="note">{e(base)}</p>\n'
        bars = []
        for item in areas.items:
            kept = numbers.keeps(Measure(item.share, item.count, areas.base))
            text = numbers.percent(item.share) if kept else numbers.count(item.count)
            bars.append(ShareBar(words.item(areas, item.code), item.share if kept else None, text))
        yield share_chart("referrals-chart", self._chart_title(heading), bars, CHANNEL_COLOURS[0])
        yield '\n<div class="columns">\n<div>'
        yield from self._breakdown_table(areas, labelled_by="referrals-h")
        yield "</div>\n"
        if report.referral_services:
            yield '<div>\n<table class="figures" id="services-table">'
            yield f"<caption>{e(words('referral_service'))}</caption>"
            yield f'<thead><tr><th scope="col"></th><th scope="col">{e(words("count"))}</th>'
            yield "</tr></thead>\n<tbody>\n"
            for service in report.referral_services[: self.top]:
                yield (
                    f'<tr data-key="{e(service.code)}"><th scope="row">{e(service.name)}</th>'
                    f"<td>{e(numbers.count(service.count))}</td></tr>\n"
                )
            yield "</tbody>\n</table>\n</div>\n"
        yield "</div>\n</section>\n"

    def heat_map(self) -> Iterator[str]:
        report, words, numbers = self.report, self.words, self.numbers
        grid = report.weekday_hour
        used = [hour for hour in range(24) if any(row[hour] for row in grid)]
        if not used:
            return
        hours = list(range(used[0], used[-1] + 1))
        heading = f"{words('weekday_hour')} ({report.time_zone})"
        weekdays = words.weekdays()
        cells = [
            [
                HeatCell(row[hour], numbers.hidden(row[hour]), numbers.count(row[hour]))
                for hour in hours
            ]
            for row in grid
        ]
        busiest = max((cell.count for line in cells for cell in line if not cell.hidden), default=0)
        legend = [f"≤{quarter * 25} %" for quarter in range(1, 4)]
        legend.append(words("html.heat_busiest", count=numbers.count(busiest)))
        legend.append(f"<{numbers.below}" if numbers.below else "")
        yield self._section("weekday-hour", heading)
        yield heat_chart(
            "weekday-hour-chart",
            self._chart_title(heading),
            weekdays,
            hours,
            cells,
            totals=[numbers.count(sum(row)) for row in grid],
            total_head=words("html.total"),
            legend=legend if numbers.below else legend[:4],
        )
        yield "\n"
        yield (
            '<table class="figures sr-only" id="weekday-hour-table" '
            'aria-labelledby="weekday-hour-h">'
        )
        yield f'<thead><tr><th scope="col">{e(words("html.weekday"))}</th>'
        yield "".join(f'<th scope="col">{hour:02d}</th>' for hour in hours)
        yield f'<th scope="col">{e(words("html.total"))}</th></tr></thead>\n<tbody>\n'
        for code, name, row in zip(WEEKDAY_CODES, weekdays, grid, strict=True):
            yield f'<tr data-weekday="{code}"><th scope="row">{e(name)}</th>'
            yield "".join(
                f'<td data-hour="{hour}">{e(numbers.count(row[hour]))}</td>' for hour in hours
            )
            yield f"<td>{e(numbers.count(sum(row)))}</td></tr>\n"
        yield "</tbody>\n</table>\n</section>\n"

    def breakdowns(self) -> Iterator[str]:
        report, words, numbers = self.report, self.words, self.numbers
        yield self._section("contacts-by", words("contacts"), long=True)
        yield '<div class="grid">\n'
        for breakdown in report.breakdowns:
            if breakdown.key == "referral_segment":
                continue  # with its chart
            yield "<div>\n"
            yield f'<h3 id="{breakdown.key}-h">{e(words.heading(breakdown))}</h3>\n'
            if breakdown.key == "reason":
                yield f'<p class="note">{e(words("several_reasons"))}</p>\n'
            if breakdown.key in SUBSET_BREAKDOWNS:
                base = f"{words(f'{breakdown.key}_base')}: {numbers.count(breakdown.base)}"
                yield f'<p class="note">{e(base)}</p>\n'
            yield from self._breakdown_table(breakdown, labelled_by=f"{breakdown.key}-h")
            yield "</div>\n"
        yield from self._flags()
        yield from self._feedback()
        yield from self._consultations()
        yield from self._follow_ups()
        yield "</div>\n</section>\n"

    def _breakdown_table(self, breakdown: Breakdown, *, labelled_by: str) -> Iterator[str]:
        words, numbers = self.words, self.numbers
        yield (
            f'<table class="figures" id="breakdown-{breakdown.key}" '
            f'aria-labelledby="{labelled_by}">'
        )
        yield f'<thead><tr><th scope="col"></th><th scope="col">{e(words("count"))}</th>'
        yield f'<th scope="col">{e(words("share"))}</th><th scope="col"></th></tr></thead>\n'
        yield "<tbody>\n"
        for item in breakdown.items:
            shown = numbers.keeps(Measure(item.share, item.count, breakdown.base))
            yield f'<tr data-key="{e(item.code)}">'
            yield f'<th scope="row">{e(words.item(breakdown, item.code))}</th>'
            yield f"<td>{e(numbers.count(item.count))}</td>"
            yield f"<td>{e(numbers.percent(item.share, item.count, breakdown.base))}</td>"
            yield f'<td class="bar">{_bar(item.share) if shown else ""}</td></tr>\n'
        if breakdown.optional or breakdown.not_recorded:
            missing = breakdown.not_recorded
            yield '<tr class="minor" data-key="not_recorded"><th scope="row">'
            yield f"{e(words('not_recorded'))}</th><td>{e(numbers.count(missing))}</td>"
            yield (
                f"<td>{e(numbers.percent(breakdown.not_recorded_share, missing, breakdown.base))}"
                "</td><td></td></tr>\n"
            )
        yield "</tbody>\n</table>\n"

    def _flags(self) -> Iterator[str]:
        report, words, numbers = self.report, self.words, self.numbers
        yield f'<div>\n<h3 id="flags-h">{e(words("flags"))}</h3>\n'
        yield '<table class="figures" id="flags-table" aria-labelledby="flags-h">'
        yield f'<thead><tr><th scope="col"></th><th scope="col">{e(words("count"))}</th>'
        yield f'<th scope="col">{e(words("share"))}</th></tr></thead>\n<tbody>\n'
        for flag in report.flags:
            yield (
                f'<tr data-key="{e(flag.key)}"><th scope="row">{e(words(flag.key))}</th>'
                f"<td>{e(numbers.count(flag.count))}</td>"
                f"<td>{e(numbers.percent(flag.share, flag.count, report.contacts))}</td></tr>\n"
            )
            if flag.optional:
                missing = flag.not_recorded
                share = numbers.percent(flag.not_recorded_share, missing, report.contacts)
                yield (
                    f'<tr class="minor" data-key="{e(flag.key)}.not_recorded">'
                    f'<th scope="row">{e(words("not_recorded"))}</th>'
                    f"<td>{e(numbers.count(missing))}</td><td>{e(share)}</td></tr>\n"
                )
        yield "</tbody>\n</table>\n</div>\n"

    def _feedback(self) -> Iterator[str]:
        words, numbers = self.words, self.numbers
        feedback = self.report.feedback
        mean = numbers.measure(Measure.of_mean(feedback.mean_score, feedback.responses), "mean")
        rows = (
            ("responses", numbers.count(feedback.responses)),
            ("mean_score", mean),
            ("helped", numbers.ratio(Ratio(feedback.helped, feedback.helped_responses))),
        )
        yield f'<div>\n<h3 id="feedback-h">{e(words("feedback"))}</h3>\n'
        yield '<table class="figures" id="feedback-table" aria-labelledby="feedback-h"><tbody>\n'
        for key, text in rows:
            yield (
                f'<tr data-key="{key}"><th scope="row">{e(words(key))}</th>'
                f"<td>{e(text)}</td></tr>\n"
            )
        yield "</tbody>\n</table>\n</div>\n"

    def _follow_ups(self) -> Iterator[str]:
        words = self.words
        if not self.report.follow_ups.by_owner:
            return
        yield f'<div>\n<h3 id="follow-ups-h">{e(words("follow_ups"))}</h3>\n'
        yield '<table class="figures" id="follow-ups-table" aria-labelledby="follow-ups-h">\n'
        heads = [words("follow_ups.owner"), words("follow_ups.profession")]
        heads += [words(f"follow_ups.{column}") for column in FOLLOW_UP_COLUMNS]
        yield "<thead><tr>" + "".join(f'<th scope="col">{e(h)}</th>' for h in heads)
        yield "</tr></thead>\n<tbody>\n"
        for owner, profession, figures in follow_up_rows(self.report, self.numbers, words):
            cells = "".join(f"<td>{e(figure)}</td>" for figure in figures)
            yield f'<tr><th scope="row">{e(owner)}</th><td>{e(profession)}</td>{cells}</tr>\n'
        yield "</tbody>\n</table>\n</div>\n"

    def _consultations(self) -> Iterator[str]:
        words = self.words
        yield f'<div>\n<h3 id="consultations-h">{e(words("consultations"))}</h3>\n'
        yield (
            '<table class="figures" id="consultations-table" '
            'aria-labelledby="consultations-h"><tbody>\n'
        )
        for key, text in consultation_rows(self.report, self.numbers):
            yield (
                f'<tr data-key="{key}"><th scope="row">{e(words(key))}</th>'
                f"<td>{e(text)}</td></tr>\n"
            )
        yield "</tbody>\n</table>\n</div>\n"

    def comparison(self) -> Iterator[str]:
        words, numbers = self.words, self.numbers
        comparison = self.report.comparison
        assert comparison is not None
        heading = f"{words('comparison')} ({numbers.days(comparison.period)})"
        yield self._section("comparison", heading)
        yield '<table class="figures" id="comparison-table" aria-labelledby="comparison-h">'
        yield '<thead><tr><th scope="col"></th>'
        yield "".join(
            f'<th scope="col">{e(words(key))}</th>' for key in ("current", "previous", "change")
        )
        yield "</tr></thead>\n<tbody>\n"
        for change in comparison.changes:
            yield (
                f'<tr data-metric="{e(change.metric)}">'
                f'<th scope="row">{e(words.metric(change.metric))}</th>'
                f"<td>{e(numbers.measure(change.current, change.kind))}</td>"
                f"<td>{e(numbers.measure(change.previous, change.kind))}</td>"
                f"<td>{e(numbers.change(change))}</td></tr>\n"
            )
        yield "</tbody>\n</table>\n</section>\n"


def _bar(share: float) -> str:
    """A share as a bar in its table cell, at most the cell's width (100 %)."""
    if share <= 0:
        return ""
    width = min(share, 1.0) * 4
    return f'<span style="width: {width:.2f}em" aria-hidden="true"></span>'
