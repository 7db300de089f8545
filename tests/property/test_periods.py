"""The report's period options: a period that makes sense, or one clear line.

``--month``, ``--week``, ``--year`` and ``--from/--to`` are tried with any
text, with values one slip away from valid ones (month 13, 30 February,
week 53 of a year without one, a year out of range, Unicode digits), and
through the command line's own parsing (``cli/periods.py``).
"""

from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

import typer
from hypothesis import example, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from ohjaus_tui.cli.periods import (
    OPTIONAL_VALUE,
    From,
    Month,
    PeriodCommand,
    To,
    Week,
    Year,
    resolve_period,
    today_in,
)
from ohjaus_tui.domain.calendar import HELSINKI
from ohjaus_tui.domain.period import (
    CURRENT,
    FIRST_YEAR,
    LAST_YEAR,
    Period,
    PeriodError,
    PeriodKind,
    parse_month,
    parse_period,
    parse_week,
    parse_year,
)
from ohjaus_tui.errors import BadInput
from tests.property.inputs import nasty_text

TODAY = st.dates(min_value=date(1950, 1, 1), max_value=date(2100, 12, 31))
TIME_ZONES = (
    HELSINKI,
    ZoneInfo("UTC"),
    ZoneInfo("Pacific/Kiritimati"),  # UTC+14
    ZoneInfo("Pacific/Pago_Pago"),  # UTC-11
)
OPTION_NAMES = ("month", "week", "year", "from_", "to")

_DIGITS = "0123456789"
_OTHER_DIGITS = (
    "٠١٢٣٤٥٦٧٨٩",
    "０１２３４５６７８９",
    "߀߁߂߃߄߅߆߇߈߉",
)  # Arabic-Indic, fullwidth, N'Ko


@st.composite
def numbers(draw: st.DrawFn, low: int, high: int, *, width: int) -> str:
    """An integer as a person might type it: padded or not, rarely in other digits."""
    value = draw(st.integers(low, high))
    text = f"{value:0{width}d}" if draw(st.booleans()) else str(value)
    if draw(st.integers(0, 9)) == 0:
        text = text.translate(str.maketrans(_DIGITS, draw(st.sampled_from(_OTHER_DIGITS))))
    return text


def years() -> st.SearchStrategy[str]:
    return numbers(FIRST_YEAR - 20, LAST_YEAR + 20, width=4) | numbers(0, 99_999, width=4)


def months() -> st.SearchStrategy[str]:
    return st.builds(lambda y, m: f"{y}-{m}", years(), numbers(0, 14, width=2))


def weeks() -> st.SearchStrategy[str]:
    return st.builds(
        lambda y, sep, w: f"{y}{sep}{w}",
        years(),
        st.sampled_from(["-W", "W", "-w", "w", "-", "-W-"]),
        numbers(0, 55, width=2),
    )


def days() -> st.SearchStrategy[str]:
    day, month = numbers(0, 32, width=2), numbers(0, 13, width=2)
    return st.one_of(
        st.builds(lambda y, m, d: f"{y}-{m}-{d}", years(), month, day),
        st.builds(lambda y, m, d: f"{d}.{m}.{y}", years(), month, day),
        st.sampled_from(["2025-02-29", "29.2.2024", "2025-02-30", "31.4.2025", "2025-3-1"]),
    )


def padded(values: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """``values``, sometimes with spaces (of any kind) around them."""
    space = st.sampled_from(["", " ", "\t", "\u00a0", "\u2028", "\n", "\x1c"])
    return st.builds(lambda a, value, b: a + value + b, space, values, space)


def option(values: st.SearchStrategy[str]) -> st.SearchStrategy[str | None]:
    return st.one_of(st.none(), st.just(CURRENT), padded(values), nasty_text())


Options = dict[str, str | None]


def options() -> st.SearchStrategy[Options]:
    """Values of --month, --week, --year, --from and --to; mostly one or two given."""
    given_ = st.fixed_dictionaries(
        {},
        optional={
            "month": option(months()),
            "week": option(weeks()),
            "year": option(years()),
            "from_": option(days()),
            "to": option(days()),
        },
    )
    return given_.map(lambda values: {name: values.get(name) for name in OPTION_NAMES})


def _check(period: Period, today: date) -> None:
    """What every period the options give must be."""
    assert period.start <= period.end
    if period.to_date:
        assert period.end == today and period.kind is not PeriodKind.RANGE
    before = period.previous()
    assert before.end < period.start
    if period.kind is PeriodKind.RANGE:
        assert before.days == period.days
        assert before.end + timedelta(days=1) == period.start
    for zone in TIME_ZONES:
        start, end = period.utc_bounds(zone)
        assert start.tzinfo is not None and start < end
    assert str(period)


@settings(max_examples=400, deadline=None)
@given(values=options(), today=TODAY)
@example(values={**dict.fromkeys(OPTION_NAMES), "year": "2025\x1f"}, today=date(2025, 3, 3))
@example(values={**dict.fromkeys(OPTION_NAMES), "month": "\n"}, today=date(2025, 3, 3))
@example(values={**dict.fromkeys(OPTION_NAMES), "to": "2025-03-01\n"}, today=date(2025, 3, 3))
@example(values={**dict.fromkeys(OPTION_NAMES), "week": "2026-W53"}, today=date(2025, 3, 3))
@example(values={**dict.fromkeys(OPTION_NAMES), "from_": "1.1.1900"}, today=date(2025, 3, 3))
def test_period_options_give_a_period_or_one_clear_line(values: Options, today: date) -> None:
    try:
        period = parse_period(**values, today=today)
    except PeriodError as refused:
        message = str(refused)
        assert message.strip() and "\n" not in message.strip("\n")
        return
    _check(period, today)
    if values["from_"] is not None and values["to"] is None:
        assert period.end == today


@settings(max_examples=200, deadline=None)
@given(raw=padded(months()) | nasty_text())
def test_a_month_reads_back_from_its_label(raw: str) -> None:
    try:
        period = parse_month(raw)
    except PeriodError:
        return
    assert period.kind is PeriodKind.MONTH and period.start.day == 1
    assert parse_month(period.label) == period


@settings(max_examples=200, deadline=None)
@given(raw=padded(weeks()) | nasty_text())
def test_a_week_reads_back_from_its_label(raw: str) -> None:
    try:
        period = parse_week(raw)
    except PeriodError:
        return
    assert period.days == 7 and period.start.weekday() == 0
    assert parse_week(period.label) == period


@settings(max_examples=200, deadline=None)
@given(raw=padded(years()) | nasty_text())
def test_a_year_reads_back_from_its_label(raw: str) -> None:
    try:
        period = parse_year(raw)
    except PeriodError:
        return
    assert FIRST_YEAR <= period.start.year <= LAST_YEAR
    assert parse_year(period.label) == period


@settings(max_examples=200, deadline=None)
@given(values=options(), zone=st.sampled_from(TIME_ZONES))
def test_the_command_line_gives_a_period_or_bad_input(values: Options, zone: ZoneInfo) -> None:
    try:
        period = resolve_period(**values, zone=zone)
    except BadInput as refused:
        assert str(refused).strip()
        return
    _check(period, today_in(zone))


# --- the options as the command line reads them ------------------------------------------

periods = typer.Typer()


@periods.command(cls=PeriodCommand)
def show(
    month: Month = None, week: Week = None, year: Year = None, from_: From = None, to: To = None
) -> None:
    """What ``ohjaus report`` does with its period options, without a database."""
    try:
        period = resolve_period(
            month=month, week=week, year=year, from_=from_, to=to, zone=HELSINKI
        )
    except BadInput as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(exc.exit_code) from None
    typer.echo(f"{period.start} {period.end} {period.kind}")


TOKENS = st.one_of(
    st.sampled_from([*OPTIONAL_VALUE, "--from", "--to", "--", "-", "--month=2025-03", "--to="]),
    months(),
    weeks(),
    years(),
    days(),
    nasty_text(),
)


@settings(max_examples=150, deadline=None)
@given(args=st.lists(TOKENS, max_size=5))
@example(args=["--month", "--week"])
@example(args=["--from", "--month"])
@example(args=["--month", "--", "2025-03"])
@example(args=["--year", "-1"])
def test_the_period_options_on_the_command_line(args: list[str]) -> None:
    result = CliRunner().invoke(periods, args)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert result.exit_code in (0, 2), result.output
    if result.exit_code == 0:
        start, end, kind = result.stdout.split()
        assert date.fromisoformat(start) <= date.fromisoformat(end)
        assert kind in set(PeriodKind)
