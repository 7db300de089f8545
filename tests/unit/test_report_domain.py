"""The report's arithmetic and number formatting, without a database."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime

import pytest

from ohjaus_tui.domain.calendar import HELSINKI, DeskCalendar
from ohjaus_tui.domain.codebook import CodeBook, CodeEntry
from ohjaus_tui.domain.codes import Channel
from ohjaus_tui.domain.period import Period
from ohjaus_tui.domain.report import (
    Breakdown,
    Change,
    ChannelDay,
    Count,
    Flag,
    Measure,
    OpeningTimes,
    PeriodFigures,
    Ratio,
    TimeUnit,
    channel_days,
    compare,
    nearest_rank,
    share,
    time_spans,
    time_unit,
    weekday_hour,
)
from ohjaus_tui.present.report_numbers import Numbers
from ohjaus_tui.present.report_wording import Wording
from ohjaus_tui.present.report_words import WORDS


def test_share_of_nothing_is_zero() -> None:
    assert share(0, 0) == 0.0
    assert share(1, 3) == pytest.approx(1 / 3)


def test_the_not_recorded_share_is_of_the_base() -> None:
    level = Breakdown("level", 4, (Count("2", 1, 0.25),), not_recorded=3, optional=True)
    assert level.not_recorded_share == 0.75
    assert Breakdown("level", 0, (), optional=True).not_recorded_share == 0.0
    resolved = Flag("resolved_first_contact", 1, 0.25, not_recorded=2, optional=True, base=4)
    assert resolved.not_recorded_share == 0.5


@pytest.mark.parametrize(
    ("values", "p", "expected"),
    [
        ([], 0.5, None),
        ([7.0], 0.5, 7.0),
        ([1.0, 2.0], 0.5, 1.0),
        ([1.0, 2.0], 0.9, 2.0),
        ([1.0, 2.0, 3.0], 0.5, 2.0),
        ([float(n) for n in range(1, 11)], 0.9, 9.0),
        ([float(n) for n in range(1, 12)], 0.9, 10.0),
    ],
)
def test_nearest_rank(values: list[float], p: float, expected: float | None) -> None:
    assert nearest_rank(values, p) == expected


def test_weekday_hour_is_local_and_keeps_every_contact_across_dst() -> None:
    hours = [
        (datetime(2025, 3, 31, 20, 0, tzinfo=UTC), 1),  # Mon 31.3. 23:00 EEST
        (datetime(2025, 10, 26, 0, 0, tzinfo=UTC), 2),  # Sun 26.10. 03:00 EEST
        (datetime(2025, 10, 26, 1, 0, tzinfo=UTC), 3),  # Sun 26.10. 03:00 EET, again
        (datetime(2025, 3, 30, 1, 0, tzinfo=UTC), 4),  # Sun 30.3. 04:00 EEST (03:00 skipped)
    ]
    grid = weekday_hour(hours, HELSINKI)
    assert grid[0][23] == 1
    assert grid[6][3] == 5
    assert grid[6][4] == 4
    assert sum(map(sum, grid)) == 10


def test_channel_days_are_local_days() -> None:
    hours = [
        (datetime(2025, 3, 31, 20, 0, tzinfo=UTC), "chat", 1),  # 23:00 EEST on 31.3.
        (datetime(2025, 3, 31, 21, 0, tzinfo=UTC), "chat", 2),  # 00:00 on 1.4.
        (datetime(2025, 3, 31, 22, 0, tzinfo=UTC), "chat", 3),
        (datetime(2025, 3, 31, 22, 0, tzinfo=UTC), "phone", 4),
    ]
    assert channel_days(hours, HELSINKI) == (
        ChannelDay(date(2025, 3, 31), "chat", 1),
        ChannelDay(date(2025, 4, 1), "chat", 5),
        ChannelDay(date(2025, 4, 1), "phone", 4),
    )


@pytest.mark.parametrize(
    ("period", "unit", "spans"),
    [
        (Period.week(2025, 10), TimeUnit.DAY, 7),
        (Period.month(2025, 2), TimeUnit.DAY, 28),
        (Period.days_between(date(2025, 1, 1), date(2025, 3, 31)), TimeUnit.WEEK, 14),
        (Period.days_between(date(2025, 1, 1), date(2025, 4, 2)), TimeUnit.MONTH, 4),
        (Period.year(2025), TimeUnit.MONTH, 12),
    ],
)
def test_a_period_is_drawn_by_days_weeks_or_months(
    period: Period, unit: TimeUnit, spans: int
) -> None:
    assert time_unit(period) is unit
    drawn = time_spans(period, (), ("phone",))
    assert len(drawn) == spans
    assert drawn[0].start == period.start
    assert drawn[-1].end == period.end
    for before, after in itertools.pairwise(drawn):
        assert (after.start - before.end).days == 1


def test_time_spans_cut_weeks_and_months_to_the_period_and_count_every_contact() -> None:
    weeks = Period.days_between(date(2025, 1, 1), date(2025, 2, 5))  # Wed to Wed
    days = [
        ChannelDay(date(2024, 12, 31), "chat", 9),  # outside: not counted
        ChannelDay(date(2025, 1, 1), "chat", 1),
        ChannelDay(date(2025, 1, 5), "phone", 2),  # Sunday: still the first week
        ChannelDay(date(2025, 1, 6), "chat", 3),
        ChannelDay(date(2025, 2, 5), "message", 4),  # a channel not asked for is kept
    ]
    spans = time_spans(weeks, days, ("phone", "chat"))
    assert spans[0].unit is TimeUnit.WEEK
    assert (spans[0].start, spans[0].end) == (date(2025, 1, 1), date(2025, 1, 5))
    assert spans[0].counts == {"phone": 2, "chat": 1}
    assert spans[1].counts == {"phone": 0, "chat": 3}
    assert (spans[-1].start, spans[-1].end) == (date(2025, 2, 3), date(2025, 2, 5))
    assert spans[-1].counts == {"phone": 0, "chat": 0, "message": 4}
    assert sum(span.total for span in spans) == 10
    months = Period.days_between(date(2024, 10, 15), date(2025, 2, 10))
    assert [(span.start, span.end) for span in time_spans(months, (), ())] == [
        (date(2024, 10, 15), date(2024, 10, 31)),
        (date(2024, 11, 1), date(2024, 11, 30)),
        (date(2024, 12, 1), date(2024, 12, 31)),
        (date(2025, 1, 1), date(2025, 1, 31)),
        (date(2025, 2, 1), date(2025, 2, 10)),
    ]


def test_a_wait_starts_at_the_next_opening_when_closed() -> None:
    calendar = DeskCalendar()
    start = datetime(2025, 4, 14, tzinfo=HELSINKI)
    end = datetime(2025, 4, 21, tzinfo=HELSINKI)
    openings = OpeningTimes(calendar, Channel.PHONE, start, end)

    def naive(value: datetime) -> datetime:
        return value.astimezone(UTC).replace(tzinfo=None)

    inside = naive(datetime(2025, 4, 14, 10, 0, tzinfo=HELSINKI))
    assert openings.wait_start(inside) == inside
    evening = naive(datetime(2025, 4, 14, 18, 0, tzinfo=HELSINKI))
    assert openings.wait_start(evening) == naive(datetime(2025, 4, 15, 9, 0, tzinfo=HELSINKI))
    # Maundy Thursday evening: Good Friday, the weekend and Easter Monday are closed.
    thursday = naive(datetime(2025, 4, 17, 16, 0, tzinfo=HELSINKI))
    assert openings.wait_start(thursday) == naive(datetime(2025, 4, 22, 9, 0, tzinfo=HELSINKI))
    # Past the span it asks the calendar.
    later = naive(datetime(2025, 8, 1, 20, 0, tzinfo=HELSINKI))
    assert openings.wait_start(later) == naive(datetime(2025, 8, 4, 9, 0, tzinfo=HELSINKI))


def figures(contacts: int, phone: int, helped: Ratio) -> PeriodFigures:
    return PeriodFigures(
        contacts=contacts,
        by_channel={"phone": phone},
        referred=1,
        resolved_first_contact=contacts // 2,
        mean_score=4.0,
        feedback_responses=2,
        helped=helped,
        offered={"phone": phone},
        answered={"phone": phone},
        callbacks_first_attempt=Ratio(0, 0),
        callbacks_by_due=Ratio(1, 2),
        messages_in_time=Ratio(0, 0),
    )


def test_compare() -> None:
    comparison = compare(
        figures(10, 4, Ratio(1, 2)), figures(8, 0, Ratio(1, 4)), Period.month(2025, 2)
    )
    contacts = comparison.get("contacts")
    assert contacts is not None
    assert (contacts.change, contacts.change_pct) == (2, 25.0)
    phone = comparison.get("channel.phone")
    assert phone is not None
    assert (phone.change, phone.change_pct) == (4, None)  # from nothing: no relative change
    helped = comparison.get("feedback.share_helped")
    assert helped is not None
    assert helped.kind == "share"
    assert helped.change == pytest.approx(0.25)
    messages = comparison.get("messages.in_time")
    assert messages is not None
    assert messages.change is None
    assert [change.metric for change in comparison.changes][:4] == [
        "contacts",
        "channel.phone",
        "channel.chat",
        "channel.message",
    ]


# --- numbers for people --------------------------------------------------------------------------


def test_numbers_are_written_by_babel_as_in_finland() -> None:
    """CLDR's fi_FI, sv_FI and en_FI: a no-break space between thousands and before
    the percent sign, a decimal comma; English as written in Finland, too."""
    fi, sv, en = Numbers("fi"), Numbers("sv"), Numbers("en")
    for numbers in (fi, sv, en):
        assert numbers.count(1234567) == "1\u00a0234\u00a0567"
        assert numbers.percent(0.4862) == "48,6\u00a0%"
    assert fi.ratio(Ratio(3, 4)) == "75,0\u00a0% (3 / 4)"
    assert fi.ratio(Ratio(0, 0)) == "–"
    assert fi.measure(Measure.of_mean(4.256, 40), "mean") == "4,26"
    assert fi.day(date(2025, 3, 1)) == sv.day(date(2025, 3, 1)) == "1.3.2025"
    assert en.day(date(2025, 3, 1)) == "01/03/2025"


@pytest.mark.parametrize(
    ("seconds", "shown"),
    [
        (45, "45 s"),
        (89.4, "89 s"),
        (89.6, "2 min"),
        (1147, "19 min"),
        (3723, "62 min"),
        (48757, "13 h 33 min"),
        (200000, "2 d 7 h"),
        (None, "–"),
    ],
)
def test_durations(seconds: float | None, shown: str) -> None:
    assert Numbers("fi").duration(seconds, 100) == shown


def test_suppression_hides_counts_of_one_to_n_minus_one_and_what_gives_them_away() -> None:
    numbers = Numbers("fi", suppress_below=5)
    assert [numbers.count(n) for n in (0, 1, 4, 5)] == ["0", "<5", "<5", "5"]
    assert numbers.count_value(3) is None
    assert numbers.count_value(0) == 0
    assert numbers.percent(0.02, 3, 150) == ""  # the count is small
    assert numbers.percent(0.75, 3, 4) == ""  # the base is small
    assert numbers.percent(0.5, 50, 100) == "50,0\u00a0%"
    assert numbers.duration(60, 3) == ""  # a wait of three calls
    assert numbers.measure(Measure.of_mean(4.5, 2), "mean") == ""
    change = Change("contacts", Measure.of_count(3), Measure.of_count(10))
    assert numbers.change(change) == ""
    assert numbers.measure(change.current, "count") == "<5"


def test_suppress_below_one_or_none_hides_nothing() -> None:
    assert Numbers("fi", suppress_below=1).count(1) == "1"
    assert Numbers("fi").hidden(1) is False


def test_changes_are_signed() -> None:
    numbers = Numbers("fi")
    grew = Change("contacts", Measure.of_count(110), Measure.of_count(100))
    assert numbers.change(grew) == "+10 (+10,0\u00a0%)"
    fell = Change("x", Measure.of_ratio(1, 4), Measure.of_ratio(1, 2), "share")
    assert numbers.change(fell) == "−25,0 %-yks."
    same = Change("x", Measure.of_ratio(1000, 2001), Measure.of_ratio(1000, 2000), "share")
    assert numbers.change(same) == "±0,0 %-yks."


def test_the_report_words_come_from_the_catalogues_of_each_language() -> None:
    book = CodeBook.of([])
    for language in ("fi", "sv", "en"):
        words = Wording(book, language)
        for name, key in WORDS.items():
            assert key.startswith(("report.", "consult.report.")), name
            assert words(name) not in ("", key), (language, name)
    assert Wording(book, "sv")("contacts") == "Kontakter"
    assert Wording(book, "de")("contacts") == Wording(book, "fi")("contacts") == "Yhteydenotot"
    assert Wording(book, "en")("suppressed", n=5) == "Counts under 5 are shown as <5."


# --- words ----------------------------------------------------------------------------------------


def test_codes_are_worded_by_the_code_book_and_the_report() -> None:
    book = CodeBook.of(
        [
            CodeEntry("channel", "phone", "Puhelin", "Telefon", "Phone"),
            CodeEntry("level", "2", "Ohjaus", "Handledning", "Guidance"),
        ]
    )
    words = Wording(book, "sv")
    level = Breakdown("level", 4, (Count("2", 1, 0.25), Count("9", 1, 0.25)), code_list="level")
    assert words.item(level, "2") == "Handledning"
    assert words.item(level, "9") == "9"  # not in the code book: the code itself
    groups = Breakdown("reason_group", 4, (Count("health", 1, 0.25),))
    assert words.item(groups, "health") == "Hälsorelaterade"
    assert words.channel("phone") == "Telefon"
    assert words.metric("answered.phone") == "Besvarat: Telefon"
    assert words.metric("contacts") == "Kontakter"
    assert Wording(book, "en").weekdays()[0] == "Mon"
