"""The report's charts as inline SVG: drawn here, so the page needs nothing from outside.

Each function takes figures already decided on (a hidden count arrives as
hidden, a label as the words to show) and returns one ``<svg>`` element as
text, every label escaped. A chart is an image with a title (``role="img"``);
the page puts the figures beside it in a table, so a screen reader and a
printout without colour get them too.

A count hidden by the rule for small numbers never sets a length, a colour or
a position: it is drawn hatched at a fixed size (a bar up to the most it can
be, N - 1; a stub; a hatched cell), so the picture gives away no more than
the ``<N`` beside it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

WIDTH = 960
"""The charts' own coordinate width; the page scales them to its width."""
TEXT_WIDTH = 6.6
"""About how wide a character of the charts' 12 px text is, for placing labels."""
INK = "#1a1a1a"
GRID = "#d0d0d0"
MUTED = "#595959"
"""Grey for axes' numbers: 7:1 on white."""
HIDDEN_INK = "#595959"
CHANNEL_COLOURS = ("#0072b2", "#c4480a", "#007a5e", "#aa3377", "#7a5c00", "#4b4b9b")
"""Channels in their order, colours apart for colour-blind readers, each 4.5:1 on white."""
MET = "#0072b2"
MISSED = "#c4480a"
HEAT = ("#deebf7", "#9ecae1", "#2171b5", "#08306b")
"""The heat map's shades: up to a quarter, a half, three quarters, more of the busiest hour."""
HEAT_TEXT = (INK, INK, "#ffffff", "#ffffff")
"""A shade's text colour: each at least 4.5:1 on its shade."""


def e(text: str) -> str:
    """``text`` escaped for HTML text and attribute values alike."""
    return escape(text, quote=True)


def _n(value: float) -> str:
    """A coordinate: one decimal at most."""
    return f"{value:.1f}".removesuffix(".0")


def _open(chart_id: str, width: float, height: float, title: str, css: str) -> list[str]:
    return [
        f'<svg class="chart {css}" id="{e(chart_id)}" viewBox="0 0 {_n(width)} {_n(height)}" '
        f'style="max-width: {_n(width)}px" role="img" aria-labelledby="{e(chart_id)}-title">',
        f'<title id="{e(chart_id)}-title">{e(title)}</title>',
    ]


def hatch(pattern_id: str, colour: str) -> str:
    """A pattern of diagonal stripes of ``colour`` on white: the fill of a hidden figure."""
    return (
        f'<pattern id="{e(pattern_id)}" width="6" height="6" patternUnits="userSpaceOnUse" '
        f'patternTransform="rotate(45)"><rect width="6" height="6" fill="#ffffff"/>'
        f'<rect width="2.5" height="6" fill="{colour}"/></pattern>'
    )


def nice_step(top: float, steps: int = 5) -> float:
    """The gridline spacing: 1, 2 or 5 times a power of ten, at most ``steps`` lines to ``top``."""
    if top <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(top / steps))
    for factor in (1, 2, 5, 10):
        if top / (factor * power) <= steps:
            return float(factor * power)
    return float(10 * power)  # pragma: no cover - the loop ends at 10


def _label_width(labels: Sequence[str]) -> float:
    return max((len(label) for label in labels), default=0) * TEXT_WIDTH


# --- contacts by channel over time -------------------------------------------------------


@dataclass(frozen=True)
class Series:
    """One channel over the period: its label, colour and a count a time span."""

    label: str
    colour: str
    counts: Sequence[int]


def time_chart(
    chart_id: str,
    title: str,
    spans: Sequence[str],
    series: Sequence[Series],
    *,
    hidden: Sequence[Sequence[bool]],
    hidden_most: int,
    written: Sequence[Sequence[str]],
    axis_number: Callable[[int], str],
) -> str:
    """Bars side by side, a group a time span (``spans``: its label on the axis).

    ``hidden[s][i]``: the count of series s in span i is hidden; its bar is
    drawn hatched up to ``hidden_most``. ``written[s][i]``: the count as the
    page writes it, for the bar's tooltip; ``axis_number`` writes the axis' counts.
    """
    height, left, right, top, bottom = 300.0, 56.0, 12.0, 14.0, 40.0
    plot_w, plot_h = WIDTH - left - right, height - top - bottom
    shown = [
        count
        for one, flags in zip(series, hidden, strict=True)
        for count, flag in zip(one.counts, flags, strict=True)
        if not flag
    ]
    highest = max([*shown, hidden_most if any(map(any, hidden)) else 0, 1])
    step = max(1, round(nice_step(highest)))
    axis_top = math.ceil(highest / step) * step

    def y(value: float) -> float:
        return top + plot_h * (1 - value / axis_top)

    parts = _open(chart_id, WIDTH, height, title, "time-chart")
    parts.append(
        "<defs>"
        + "".join(hatch(f"{chart_id}-hatch-{i}", one.colour) for i, one in enumerate(series))
        + "</defs>"
    )
    for tick in range(0, axis_top + 1, step):
        parts.append(
            f'<line x1="{_n(left)}" x2="{_n(WIDTH - right)}" y1="{_n(y(tick))}" '
            f'y2="{_n(y(tick))}" stroke="{GRID}" stroke-width="1"/>'
        )
        parts.append(
            f'<text x="{_n(left - 6)}" y="{_n(y(tick) + 4)}" text-anchor="end" '
            f'fill="{MUTED}">{e(axis_number(tick))}</text>'
        )
    groups = max(1, len(spans))
    group = plot_w / groups
    inner = group * (0.8 if len(series) > 1 else 0.6)
    bar = min(inner / max(1, len(series)), 48.0)
    every = max(1, math.ceil((_label_width(spans) + 10) / group))
    for index, span in enumerate(spans):
        x0 = left + group * index + (group - bar * len(series)) / 2
        for number, one in enumerate(series):
            count = one.counts[index]
            is_hidden = hidden[number][index]
            if count == 0:
                continue
            value = hidden_most if is_hidden else count
            fill = f"url(#{chart_id}-hatch-{number})" if is_hidden else one.colour
            x = x0 + bar * number
            parts.append(
                f'<rect x="{_n(x)}" y="{_n(y(value))}" width="{_n(max(bar - 1, 1))}" '
                f'height="{_n(y(0) - y(value))}" fill="{fill}"'
                + (f' stroke="{one.colour}" stroke-width="1"' if is_hidden else "")
                + f"><title>{e(one.label)} · {e(span)}: {e(written[number][index])}</title></rect>"
            )
        if index % every == 0:
            parts.append(
                f'<text x="{_n(left + group * (index + 0.5))}" y="{_n(height - bottom + 16)}" '
                f'text-anchor="middle">{e(span)}</text>'
            )
    parts.append(
        f'<line x1="{_n(left)}" x2="{_n(WIDTH - right)}" y1="{_n(y(0))}" y2="{_n(y(0))}" '
        f'stroke="{INK}" stroke-width="1"/>'
    )
    parts.append("</svg>")
    return "".join(parts)


# --- shares as horizontal bars ------------------------------------------------------------


@dataclass(frozen=True)
class ShareBar:
    """A row of a bar chart of shares: its label, its share (None: hidden) and its text."""

    label: str
    share: float | None
    text: str


def share_chart(chart_id: str, title: str, rows: Sequence[ShareBar], colour: str) -> str:
    """One horizontal bar a row, up to the largest share shown (rounded up to a tenth).

    A row whose share is hidden gets a hatched stub of fixed width and its text.
    """
    row_h, top, bottom = 26.0, 6.0, 8.0
    label_w = min(_label_width([row.label for row in rows]) + 12, WIDTH * 0.4)
    text_w = 70.0
    plot_x, plot_w = label_w, WIDTH - label_w - text_w
    height = top + bottom + row_h * len(rows)
    largest = max((row.share for row in rows if row.share is not None), default=0.0)
    scale = max(0.1, math.ceil(largest * 10 - 1e-9) / 10)
    parts = _open(chart_id, WIDTH, height, title, "share-chart")
    parts.append(f"<defs>{hatch(f'{chart_id}-hatch', colour)}</defs>")
    for index, row in enumerate(rows):
        y = top + row_h * index
        parts.append(
            f'<text x="{_n(plot_x - 8)}" y="{_n(y + row_h / 2 + 4)}" '
            f'text-anchor="end">{e(row.label)}</text>'
        )
        if row.share is None:
            width = 8.0
            parts.append(
                f'<rect x="{_n(plot_x)}" y="{_n(y + 5)}" width="{_n(width)}" '
                f'height="{_n(row_h - 10)}" fill="url(#{chart_id}-hatch)" stroke="{colour}"/>'
            )
        else:
            width = plot_w * min(row.share / scale, 1.0)
            if width > 0:
                parts.append(
                    f'<rect x="{_n(plot_x)}" y="{_n(y + 5)}" width="{_n(width)}" '
                    f'height="{_n(row_h - 10)}" fill="{colour}"/>'
                )
        parts.append(
            f'<text x="{_n(plot_x + width + 6)}" y="{_n(y + row_h / 2 + 4)}">{e(row.text)}</text>'
        )
    parts.append(
        f'<line x1="{_n(plot_x)}" x2="{_n(plot_x)}" y1="{_n(top)}" y2="{_n(height - bottom)}" '
        f'stroke="{INK}" stroke-width="1"/>'
    )
    parts.append("</svg>")
    return "".join(parts)


# --- the service level against its target ------------------------------------------------


@dataclass(frozen=True)
class TargetBar:
    """A measure of the service level: its label, share (None: not measured or hidden), text."""

    label: str
    share: float | None
    text: str


def target_chart(
    chart_id: str,
    title: str,
    rows: Sequence[TargetBar],
    *,
    target: float,
    target_text: str,
    percent: Callable[[float], str],
) -> str:
    """A bar a measure on 0-100 %, a dashed line at ``target``.

    A bar at or over the target is blue, one under it orange; the page's
    table says which in words as well.
    """
    row_h, top, bottom = 28.0, 26.0, 26.0
    label_w = min(_label_width([row.label for row in rows]) + 12, WIDTH * 0.45)
    text_w = 175.0
    plot_x, plot_w = label_w, WIDTH - label_w - text_w
    height = top + bottom + row_h * len(rows)
    parts = _open(chart_id, WIDTH, height, title, "target-chart")
    for quarter in range(5):
        x = plot_x + plot_w * quarter / 4
        parts.append(
            f'<line x1="{_n(x)}" x2="{_n(x)}" y1="{_n(top)}" y2="{_n(height - bottom)}" '
            f'stroke="{GRID}" stroke-width="1"/>'
            f'<text x="{_n(x)}" y="{_n(height - bottom + 16)}" text-anchor="middle" '
            f'fill="{MUTED}">{e(percent(quarter / 4))}</text>'
        )
    for index, row in enumerate(rows):
        y = top + row_h * index
        parts.append(
            f'<text x="{_n(plot_x - 8)}" y="{_n(y + row_h / 2 + 4)}" '
            f'text-anchor="end">{e(row.label)}</text>'
        )
        if row.share is not None:
            met = row.share >= target - 1e-12
            width = plot_w * min(max(row.share, 0.0), 1.0)
            parts.append(
                f'<rect x="{_n(plot_x)}" y="{_n(y + 6)}" width="{_n(width)}" '
                f'height="{_n(row_h - 12)}" fill="{MET if met else MISSED}" '
                f'data-met="{"yes" if met else "no"}"/>'
            )
        parts.append(
            f'<text x="{_n(plot_x + plot_w + 10)}" y="{_n(y + row_h / 2 + 4)}">{e(row.text)}</text>'
        )
    x = plot_x + plot_w * target
    parts.append(
        f'<line class="target" x1="{_n(x)}" x2="{_n(x)}" y1="{_n(top - 6)}" '
        f'y2="{_n(height - bottom)}" stroke="{INK}" stroke-width="2" stroke-dasharray="6 4"/>'
        f'<text x="{_n(x)}" y="{_n(top - 10)}" text-anchor="middle">{e(target_text)}</text>'
    )
    parts.append("</svg>")
    return "".join(parts)


# --- the weekday x hour heat map ------------------------------------------------------------


@dataclass(frozen=True)
class HeatCell:
    """A weekday's hour: its count, whether it is hidden, and the count as written."""

    count: int
    hidden: bool
    text: str


def shade(count: int, busiest: int) -> int | None:
    """The index of a count's shade in :data:`HEAT`; None for no contacts."""
    if count <= 0 or busiest <= 0:
        return None
    return min(3, max(0, -(-count * 4 // busiest) - 1))


def heat_chart(
    chart_id: str,
    title: str,
    weekdays: Sequence[str],
    hours: Sequence[int],
    cells: Sequence[Sequence[HeatCell]],
    *,
    totals: Sequence[str],
    total_head: str,
    legend: Sequence[str],
) -> str:
    """Weekdays down, ``hours`` across, each cell shaded by its count and written in it.

    Hidden cells are hatched grey whatever their count; the shades are of the
    busiest hour shown. ``totals``: each weekday's contacts, written at the
    right. ``legend``: the words of the four shades, then of the hatch.
    """
    left, top, total_w = 48.0, 22.0, 64.0
    cell_w = min(40.0, (WIDTH - left - total_w) / max(1, len(hours)))
    cell_h = 28.0
    grid_w = cell_w * len(hours)
    legend_y = top + cell_h * len(weekdays) + 14
    height = legend_y + 24
    busiest = max(
        (cell.count for row in cells for cell in row if not cell.hidden),
        default=0,
    )
    parts = _open(chart_id, left + grid_w + total_w, height, title, "heat-chart")
    parts.append(f"<defs>{hatch(f'{chart_id}-hatch', '#9a9a9a')}</defs>")
    for column, hour in enumerate(hours):
        parts.append(
            f'<text x="{_n(left + cell_w * (column + 0.5))}" y="{_n(top - 7)}" '
            f'text-anchor="middle" fill="{MUTED}">{hour:02d}</text>'
        )
    parts.append(
        f'<text x="{_n(left + grid_w + total_w - 4)}" y="{_n(top - 7)}" text-anchor="end" '
        f'fill="{MUTED}">{e(total_head)}</text>'
    )
    for line, (name, row) in enumerate(zip(weekdays, cells, strict=True)):
        y = top + cell_h * line
        parts.append(
            f'<text x="{_n(left - 8)}" y="{_n(y + cell_h / 2 + 4)}" text-anchor="end">'
            f"{e(name)}</text>"
        )
        for column, cell in enumerate(row):
            x = left + cell_w * column
            step = None if cell.hidden else shade(cell.count, busiest)
            if cell.hidden:
                fill, ink = f"url(#{chart_id}-hatch)", INK
            elif step is None:
                fill, ink = "#ffffff", MUTED
            else:
                fill, ink = HEAT[step], HEAT_TEXT[step]
            parts.append(
                f"<g><title>{e(name)} {hours[column]:02d}: {e(cell.text)}</title>"
                f'<rect x="{_n(x + 1)}" y="{_n(y + 1)}" width="{_n(cell_w - 2)}" '
                f'height="{_n(cell_h - 2)}" fill="{fill}" stroke="{GRID}" stroke-width="0.5"/>'
            )
            if cell.count:
                parts.append(
                    f'<text x="{_n(x + cell_w / 2)}" y="{_n(y + cell_h / 2 + 4)}" '
                    f'text-anchor="middle" fill="{ink}" class="cell">{e(cell.text)}</text>'
                )
            parts.append("</g>")
        parts.append(
            f'<text x="{_n(left + grid_w + total_w - 4)}" y="{_n(y + cell_h / 2 + 4)}" '
            f'text-anchor="end">{e(totals[line])}</text>'
        )
    x = left
    swatches = [(HEAT[step], None) for step in range(4)] + [(None, f"url(#{chart_id}-hatch)")]
    for (colour, pattern), words in zip(swatches[: len(legend)], legend, strict=True):
        parts.append(
            f'<rect x="{_n(x)}" y="{_n(legend_y)}" width="14" height="14" '
            f'fill="{colour or pattern}" stroke="{GRID}"/>'
            f'<text x="{_n(x + 19)}" y="{_n(legend_y + 11)}">{e(words)}</text>'
        )
        x += 19 + len(words) * TEXT_WIDTH + 16
    parts.append("</svg>")
    return "".join(parts)
