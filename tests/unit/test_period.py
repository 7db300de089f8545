"""Report periods: parsing the options, the period before, UTC bounds across DST."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from ohjaus_tui.domain.calendar import HELSINKI
from ohjaus_tui.domain.period import (
    CURRENT,
    Period,
    PeriodError,
    PeriodKind,
    parse_date,
    parse_period,
)

TODAY = date(2025, 3, 15)


def parse(**options: str | None) -> Period:
    return parse_period(today=TODAY, **options)


# --- parsing -------------------------------------------------------------------------------


def test_no_option_is_the_current_month_so_far() -> None:
    period = parse()
    assert (period.start, period.end) == (date(2025, 3, 1), TODAY)
    assert period.kind is PeriodKind.MONTH
    assert period.to_date
    assert period.label == "2025-03"


@pytest.mark.parametrize("option", ["month", "week", "year"])
def test_an_option_without_a_value_is_the_current_one_so_far(option: str) -> None:
    period = parse(**{option: CURRENT})
    assert period.end == TODAY
    assert period.to_date
    assert (
        period.start
        == {
            "month": date(2025, 3, 1),
            "week": date(2025, 3, 10),  # Monday of ISO week 11
            "year": date(2025, 1, 1),
        }[option]
    )


def test_a_month() -> None:
    period = parse(month="2024-02")
    assert (period.start, period.end, period.days) == (date(2024, 2, 1), date(2024, 2, 29), 29)
    assert not period.to_date
    assert period.label == "2024-02"


def test_a_named_month_that_has_not_ended_runs_so_far() -> None:
    period = parse(month="2025-03")
    assert (period.end, period.to_date) == (TODAY, True)


def test_a_future_month_is_kept_whole() -> None:
    period = parse(month="2025-06")
    assert (period.start, period.end, period.to_date) == (
        date(2025, 6, 1),
        date(2025, 6, 30),
        False,
    )


def test_an_iso_week() -> None:
    period = parse(week="2025-W10")
    assert (period.start, period.end) == (date(2025, 3, 3), date(2025, 3, 9))
    assert period.start.weekday() == 0
    assert period.label == "2025-W10"
    assert parse(week="2025w10") == period


def test_week_53_exists_only_in_long_years() -> None:
    assert parse(week="2020-W53").start == date(2020, 12, 28)
    with pytest.raises(PeriodError, match="2024 has ISO weeks 1-52"):
        parse(week="2024-W53")


def test_a_year() -> None:
    period = parse(year="2024")
    assert (period.start, period.end, period.kind) == (
        date(2024, 1, 1),
        date(2024, 12, 31),
        PeriodKind.YEAR,
    )


def test_a_range_of_days_is_inclusive() -> None:
    period = parse(from_="2025-01-10", to="2025-01-12")
    assert (period.start, period.end, period.days) == (date(2025, 1, 10), date(2025, 1, 12), 3)
    assert period.kind is PeriodKind.RANGE
    assert period.label == "2025-01-10..2025-01-12"


def test_from_alone_runs_to_today_and_finnish_dates_are_read() -> None:
    period = parse(from_="1.3.2025")
    assert (period.start, period.end) == (date(2025, 3, 1), TODAY)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"month": "2024-13"}, "--month 2024-13: there is no month 13"),
        ({"month": "2024-00"}, "there is no month 0"),
        ({"month": "2024/03"}, "--month 2024/03: use YYYY-MM"),
        ({"month": "March"}, "use YYYY-MM"),
        ({"week": "2025-10"}, "--week 2025-10: use YYYY-Www"),
        ({"week": "2025-W00"}, "2025 has ISO weeks 1-52"),
        ({"year": "25"}, "--year 25: use YYYY"),
        ({"year": "0999"}, "the year must be 1900-2999"),
        ({"from_": "2025-02-30", "to": "2025-03-01"}, "--from 2025-02-30: there is no such day"),
        ({"from_": "yesterday"}, "--from yesterday: use a date YYYY-MM-DD"),
        ({"from_": "2025-03-10", "to": "2025-03-01"}, "--from 2025-03-10 is after --to 2025-03-01"),
        ({"from_": "2025-04-01"}, "--from 2025-04-01 is after today (2025-03-15)"),
        ({"to": "2025-03-01"}, "--to 2025-03-01 needs --from"),
        ({"month": "2025-01", "year": "2025"}, "give one period, not --month and --year"),
        ({"week": CURRENT, "from_": "2025-01-01"}, "not --week and --from/--to"),
    ],
)
def test_bad_options_say_what_is_wrong_in_one_line(options: dict[str, str], message: str) -> None:
    with pytest.raises(PeriodError) as raised:
        parse(**options)
    assert message in str(raised.value)
    assert "\n" not in str(raised.value)


def test_parse_date_formats() -> None:
    assert parse_date("2025-3-1", "--from") == date(2025, 3, 1)
    assert parse_date(" 01.03.2025 ", "--from") == date(2025, 3, 1)


def test_a_period_cannot_end_before_it_starts() -> None:
    with pytest.raises(PeriodError):
        Period(date(2025, 3, 2), date(2025, 3, 1))


def test_contains() -> None:
    period = Period.month(2025, 3)
    assert date(2025, 3, 31) in period
    assert date(2025, 4, 1) not in period


# --- the period before -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("period", "start", "end"),
    [
        (Period.month(2025, 3), date(2025, 2, 1), date(2025, 2, 28)),
        (Period.month(2025, 1), date(2024, 12, 1), date(2024, 12, 31)),
        (Period.week(2025, 1), date(2024, 12, 23), date(2024, 12, 29)),
        (Period.week(2021, 1), date(2020, 12, 28), date(2021, 1, 3)),  # 2020-W53
        (Period.year(2024), date(2023, 1, 1), date(2023, 12, 31)),
        (
            Period.days_between(date(2025, 3, 10), date(2025, 3, 12)),
            date(2025, 3, 7),
            date(2025, 3, 9),
        ),
    ],
)
def test_previous_has_the_same_length(period: Period, start: date, end: date) -> None:
    before = period.previous()
    assert (before.start, before.end) == (start, end)


def test_previous_of_a_month_keeps_its_kind() -> None:
    assert Period.month(2025, 3).previous() == Period.month(2025, 2)
    assert Period.month(2025, 3).previous().kind is PeriodKind.MONTH


def test_previous_of_a_month_so_far_is_as_many_days_of_the_month_before() -> None:
    so_far = Period.month(2025, 3).so_far(date(2025, 3, 15))
    before = so_far.previous()
    assert (before.start, before.end) == (date(2025, 2, 1), date(2025, 2, 15))
    assert before.days == so_far.days


def test_previous_of_a_long_month_so_far_is_at_most_the_whole_month_before() -> None:
    so_far = Period.month(2025, 3).so_far(date(2025, 3, 30))
    assert so_far.previous() == Period.month(2025, 2)


def test_previous_of_a_year_so_far() -> None:
    before = Period.year(2025).so_far(date(2025, 1, 31)).previous()
    assert (before.start, before.end) == (date(2024, 1, 1), date(2024, 1, 31))


# --- UTC bounds --------------------------------------------------------------------------------


def test_bounds_of_the_march_of_the_spring_change() -> None:
    # Clocks go from 03:00 to 04:00 on 30 March 2025: UTC+2 before, UTC+3 after.
    start, end = Period.month(2025, 3).utc_bounds(HELSINKI)
    assert start == datetime(2025, 2, 28, 22, 0, tzinfo=UTC)
    assert end == datetime(2025, 3, 31, 21, 0, tzinfo=UTC)
    last_evening = datetime(2025, 3, 31, 23, 30, tzinfo=HELSINKI)
    assert start <= last_evening < end


def test_bounds_of_the_october_of_the_autumn_change() -> None:
    # Clocks go from 04:00 back to 03:00 on 26 October 2025: UTC+3 before, UTC+2 after.
    start, end = Period.month(2025, 10).utc_bounds(HELSINKI)
    assert start == datetime(2025, 9, 30, 21, 0, tzinfo=UTC)
    assert end == datetime(2025, 10, 31, 22, 0, tzinfo=UTC)
    assert (end - start).total_seconds() == (31 * 24 + 1) * 3600  # the repeated hour
    assert start <= datetime(2025, 10, 31, 23, 30, tzinfo=HELSINKI) < end
    assert datetime(2025, 11, 1, 0, 0, tzinfo=HELSINKI) == end


def test_consecutive_periods_meet_without_a_gap() -> None:
    march, april = Period.month(2025, 3), Period.month(2025, 4)
    assert march.utc_bounds(HELSINKI)[1] == april.utc_bounds(HELSINKI)[0]
