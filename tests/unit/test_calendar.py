from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from freezegun import freeze_time
from hypothesis import given
from hypothesis import strategies as st

from ohjaus_tui.domain.calendar import (
    END_OF_DAY,
    HELSINKI,
    DayHours,
    DeskCalendar,
    OpeningHours,
    holiday_names,
    to_local,
    utcnow,
)
from ohjaus_tui.domain.codes import Channel

PHONE = Channel.PHONE
CHAT = Channel.CHAT


def local(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> datetime:
    """A Helsinki wall time."""
    return datetime(year, month, day, hour, minute, second, tzinfo=HELSINKI)


@pytest.fixture
def desk() -> DeskCalendar:
    return DeskCalendar()


# --- opening hours ---------------------------------------------------------------


def test_default_opening_hours_are_weekdays_nine_to_three() -> None:
    hours = OpeningHours()
    assert hours.weekdays == frozenset({0, 1, 2, 3, 4})
    assert (hours.opens, hours.closes) == (time(9), time(15))
    assert str(hours) == "mon-fri 09:00-15:00"


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("mon-fri 09:00-15:00", "mon-fri 09:00-15:00"),
        ("mon-fri 9-15", "mon-fri 09:00-15:00"),
        ("mon,wed 08:30-12:00", "mon,wed 08:30-12:00"),
        ("  Mon - Fri   9.00 - 15.30 ", "mon-fri 09:00-15:30"),
        ("ma-pe 8-16", "mon-fri 08:00-16:00"),
        ("mon-wed,fri 10-14", "mon-wed,fri 10:00-14:00"),
        ("fri,mon,tue 10-14", "mon-tue,fri 10:00-14:00"),
        ("sat-sun 10:00-14:00", "sat-sun 10:00-14:00"),
        ("thu 12-13", "thu 12:00-13:00"),
        ("mon-fri 09:00–15:00", "mon-fri 09:00-15:00"),
        ("mon-sun 0-24", "mon-sun 00:00-24:00"),
        ("ma-su 00.00-24.00", "mon-sun 00:00-24:00"),
    ],
)
def test_opening_hours_parse_to_canonical_form(text: str, canonical: str) -> None:
    hours = OpeningHours.parse(text)
    assert str(hours) == canonical
    assert OpeningHours.parse(str(hours)) == hours


def test_a_desk_open_around_the_clock_is_open_at_midnight_and_just_before() -> None:
    always = OpeningHours.parse("mon-sun 00:00-24:00")
    calendar = DeskCalendar(dict.fromkeys(Channel, always), tz=HELSINKI)
    for day in (date(2025, 3, 8), date(2025, 12, 25)):  # a Saturday, Christmas Day
        for wall in (time(0), time(12), time(23, 59, 59)):
            moment = datetime.combine(day, wall, tzinfo=HELSINKI)
            assert calendar.is_open(Channel.PHONE, moment), (day, wall)
    weekdays = DeskCalendar(dict.fromkeys(Channel, OpeningHours.parse("mon-fri 0-24")))
    christmas = datetime(2025, 12, 25, 12, tzinfo=HELSINKI)  # a Thursday
    assert not weekdays.is_open(Channel.PHONE, christmas)


def test_opening_hours_parse_default_string_equals_default() -> None:
    assert OpeningHours.parse("mon-fri 09:00-15:00") == OpeningHours()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "not in the form"),
        ("mon-fri", "not in the form"),
        ("9-15", "not in the form"),
        ("mon-fri 9", "not in the form"),
        ("mon-fri 15-9", "must be before closing time"),
        ("mon-fri 9-9", "must be before closing time"),
        ("mon-fri 09:00-25:00", "'25:00'"),
        ("mon-fri 09:60-15:00", "'09:60'"),
        ("fri-mon 9-15", "runs backwards"),
        ("mox-fri 9-15", "unknown weekday 'mox'"),
        ("mon- 9-15", "unknown weekday ''"),
        ("mon,,fri 9-15", "unknown weekday ''"),
    ],
)
def test_opening_hours_parse_errors_say_what_is_wrong(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        OpeningHours.parse(text)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"weekdays": frozenset()},
        {"weekdays": frozenset({7})},
        {"opens": time(15), "closes": time(9)},
        {"opens": time(9, tzinfo=UTC)},
    ],
)
def test_opening_hours_reject_impossible_values(kwargs: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        OpeningHours(**kwargs)  # type: ignore[arg-type]


@given(
    weekdays=st.frozensets(st.integers(0, 6), min_size=1),
    opens=st.integers(0, 24 * 60 - 2),
    length=st.integers(1, 24 * 60 - 1),
)
def test_opening_hours_round_trip_through_their_text(
    weekdays: frozenset[int], opens: int, length: int
) -> None:
    closes = min(opens + length, 24 * 60 - 1)
    hours = OpeningHours(weekdays, time(*divmod(opens, 60)), time(*divmod(closes, 60)))
    assert OpeningHours.parse(str(hours)) == hours


# --- business days ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "why"),
    [
        (date(2025, 4, 18), "Good Friday"),
        (date(2025, 4, 21), "Easter Monday"),
        (date(2025, 5, 1), "May Day"),
        (date(2025, 5, 29), "Ascension Day"),
        (date(2025, 6, 20), "Midsummer Eve"),
        (date(2025, 12, 24), "Christmas Eve"),
        (date(2025, 12, 25), "Christmas Day"),
        (date(2025, 12, 26), "St Stephen's Day"),
        (date(2024, 12, 6), "Independence Day (a Friday)"),
        (date(2023, 12, 6), "Independence Day (a Wednesday)"),
        (date(2026, 1, 1), "New Year's Day"),
        (date(2026, 1, 6), "Epiphany"),
        (date(2025, 4, 19), "a Saturday"),
        (date(2025, 4, 13), "a Sunday"),
    ],
)
def test_non_business_days(desk: DeskCalendar, day: date, why: str) -> None:
    assert not desk.is_business_day(day), why


@pytest.mark.parametrize(
    "day",
    [
        date(2025, 4, 17),
        date(2025, 4, 22),
        date(2025, 6, 19),
        date(2025, 12, 23),
        date(2025, 12, 29),
    ],
)
def test_business_days(desk: DeskCalendar, day: date) -> None:
    assert desk.is_business_day(day)


@pytest.mark.parametrize("year", range(2000, 2061))
def test_every_midsummer_eve_and_christmas_eve_is_closed(desk: DeskCalendar, year: int) -> None:
    """Guards the holidays library: both eves must stay in its public category."""
    midsummer_eve = date(year, 6, 19) + timedelta(days=(4 - date(year, 6, 19).weekday()) % 7)
    assert midsummer_eve.weekday() == 4
    assert not desk.is_business_day(midsummer_eve)
    assert not desk.is_business_day(date(year, 12, 24))


def test_next_business_day_is_strictly_after(desk: DeskCalendar) -> None:
    assert desk.next_business_day(date(2025, 4, 16)) == date(2025, 4, 17)
    assert desk.next_business_day(date(2025, 4, 17)) == date(2025, 4, 22)
    assert desk.next_business_day(date(2025, 6, 19)) == date(2025, 6, 23)
    assert desk.next_business_day(date(2025, 12, 23)) == date(2025, 12, 29)
    assert desk.next_business_day(date(2025, 4, 30)) == date(2025, 5, 2)
    assert desk.next_business_day(date(2025, 12, 31)) == date(2026, 1, 2)


# --- open or closed ----------------------------------------------------------------


def test_is_open_within_hours_on_a_business_day(desk: DeskCalendar) -> None:
    assert desk.is_open(PHONE, local(2025, 4, 16, 9, 0))
    assert desk.is_open(PHONE, local(2025, 4, 16, 14, 59, 59))
    assert not desk.is_open(PHONE, local(2025, 4, 16, 8, 59, 59))
    assert not desk.is_open(PHONE, local(2025, 4, 16, 15, 0))


def test_is_open_is_closed_on_holidays_and_weekends(desk: DeskCalendar) -> None:
    assert not desk.is_open(PHONE, local(2025, 4, 18, 10))
    assert not desk.is_open(CHAT, local(2025, 6, 20, 10))
    assert not desk.is_open(CHAT, local(2025, 12, 24, 10))
    assert not desk.is_open(PHONE, local(2025, 4, 19, 10))


def test_is_open_takes_any_zone(desk: DeskCalendar) -> None:
    # 06:30 UTC is 09:30 in Helsinki in summer time.
    assert desk.is_open(PHONE, datetime(2025, 4, 16, 6, 30, tzinfo=UTC))
    assert not desk.is_open(PHONE, datetime(2025, 4, 16, 12, 30, tzinfo=UTC))
    new_york = ZoneInfo("America/New_York")
    assert desk.is_open(PHONE, datetime(2025, 4, 16, 2, 30, tzinfo=new_york))


def test_naive_datetimes_are_refused(desk: DeskCalendar) -> None:
    naive = datetime(2025, 4, 16, 10)
    with pytest.raises(ValueError, match="timezone-aware"):
        desk.is_open(PHONE, naive)
    with pytest.raises(ValueError, match="timezone-aware"):
        desk.next_opening(PHONE, naive)
    with pytest.raises(ValueError, match="timezone-aware"):
        desk.closing_time(PHONE, naive)
    with pytest.raises(ValueError, match="timezone-aware"):
        desk.message_due(naive)
    with pytest.raises(ValueError, match="timezone-aware"):
        desk.callback_due(naive)
    with pytest.raises(ValueError, match="timezone-aware"):
        to_local(naive)


def test_channels_keep_their_own_hours() -> None:
    desk = DeskCalendar({CHAT: OpeningHours.parse("mon-thu 10-14")})
    friday_noon = local(2025, 4, 11, 12)
    assert desk.is_open(PHONE, friday_noon)
    assert not desk.is_open(CHAT, friday_noon)
    assert desk.hours(CHAT) == OpeningHours.parse("mon-thu 10-14")
    assert desk.hours(PHONE) == OpeningHours()
    assert desk.next_opening(CHAT, friday_noon) == local(2025, 4, 14, 10)


def test_configured_weekend_hours_are_honoured_but_holidays_stay_closed() -> None:
    desk = DeskCalendar({CHAT: OpeningHours.parse("mon-sat 10-14")})
    assert desk.is_open(CHAT, local(2025, 4, 12, 11))  # an ordinary Saturday
    assert not desk.is_open(CHAT, local(2025, 6, 21, 11))  # Midsummer Day, a Saturday
    assert not desk.is_business_day(date(2025, 4, 12))


def test_closing_time(desk: DeskCalendar) -> None:
    assert desk.closing_time(PHONE, local(2025, 4, 16, 10)) == local(2025, 4, 16, 15)
    assert desk.closing_time(PHONE, local(2025, 4, 16, 15)) is None
    assert desk.closing_time(PHONE, local(2025, 4, 18, 10)) is None
    closing = desk.closing_time(PHONE, datetime(2025, 4, 16, 7, tzinfo=UTC))
    assert closing == datetime(2025, 4, 16, 12, tzinfo=UTC)
    assert closing is not None and closing.tzinfo is HELSINKI


# --- next opening ----------------------------------------------------------------------


def test_next_opening_is_now_when_open(desk: DeskCalendar) -> None:
    at = datetime(2025, 4, 16, 8, tzinfo=UTC)
    opening = desk.next_opening(PHONE, at)
    assert opening == at
    assert opening.tzinfo is HELSINKI


def test_next_opening_later_the_same_day(desk: DeskCalendar) -> None:
    assert desk.next_opening(PHONE, local(2025, 4, 16, 7, 45)) == local(2025, 4, 16, 9)


def test_next_opening_after_closing_is_next_morning(desk: DeskCalendar) -> None:
    assert desk.next_opening(PHONE, local(2025, 4, 16, 15)) == local(2025, 4, 17, 9)


@pytest.mark.parametrize(
    ("at", "opening"),
    [
        (local(2025, 4, 17, 15, 30), local(2025, 4, 22, 9)),  # Easter
        (local(2025, 4, 18, 10), local(2025, 4, 22, 9)),
        (local(2025, 6, 19, 16), local(2025, 6, 23, 9)),  # Midsummer
        (local(2025, 12, 23, 15, 30), local(2025, 12, 29, 9)),  # Christmas
        (local(2025, 4, 30, 15), local(2025, 5, 2, 9)),  # May Day
        (local(2025, 4, 12, 12), local(2025, 4, 14, 9)),  # a weekend
    ],
)
def test_next_opening_across_holidays(desk: DeskCalendar, at: datetime, opening: datetime) -> None:
    assert desk.next_opening(PHONE, at) == opening


def test_next_opening_after_spring_forward() -> None:
    """Summer time starts on Sunday 2025-03-30: Monday opens at 09:00 +03:00."""
    desk = DeskCalendar()
    opening = desk.next_opening(PHONE, local(2025, 3, 28, 15, 30))
    assert opening == local(2025, 3, 31, 9)
    assert opening.utcoffset() == timedelta(hours=3)
    assert opening == datetime(2025, 3, 31, 6, tzinfo=UTC)
    assert desk.is_open(PHONE, datetime(2025, 3, 31, 6, tzinfo=UTC))
    assert not desk.is_open(PHONE, datetime(2025, 3, 31, 5, 59, tzinfo=UTC))
    assert desk.closing_time(PHONE, opening) == datetime(2025, 3, 31, 12, tzinfo=UTC)


def test_next_opening_after_fall_back() -> None:
    """Summer time ends on Sunday 2025-10-26: Monday opens at 09:00 +02:00."""
    desk = DeskCalendar()
    opening = desk.next_opening(PHONE, local(2025, 10, 24, 15, 30))
    assert opening == local(2025, 10, 27, 9)
    assert opening.utcoffset() == timedelta(hours=2)
    assert opening == datetime(2025, 10, 27, 7, tzinfo=UTC)
    assert desk.is_open(PHONE, datetime(2025, 10, 27, 7, tzinfo=UTC))
    assert not desk.is_open(PHONE, datetime(2025, 10, 27, 6, 59, tzinfo=UTC))


def test_an_opening_in_the_spring_gap_moves_forward() -> None:
    """03:30 does not exist on 2025-03-30 in Helsinki; the line opens at 04:30 +03:00."""
    desk = DeskCalendar({CHAT: OpeningHours.parse("sun 03:30-06:00")})
    opening = desk.next_opening(CHAT, local(2025, 3, 29, 12))
    assert opening == datetime(2025, 3, 30, 1, 30, tzinfo=UTC)
    assert (opening.hour, opening.minute, opening.utcoffset()) == (4, 30, timedelta(hours=3))


def test_another_zone() -> None:
    stockholm = ZoneInfo("Europe/Stockholm")
    desk = DeskCalendar(tz=stockholm)
    at = datetime(2025, 4, 16, 7, 30, tzinfo=UTC)  # 09:30 in Stockholm, 10:30 in Helsinki
    assert desk.is_open(PHONE, at)
    assert desk.closing_time(PHONE, at) == datetime(2025, 4, 16, 15, tzinfo=stockholm)
    assert not desk.is_open(PHONE, datetime(2025, 4, 16, 6, 30, tzinfo=UTC))


# --- deadlines -------------------------------------------------------------------------


@pytest.mark.parametrize("hour", [10, 16])
def test_message_due_skips_easter(desk: DeskCalendar, hour: int) -> None:
    due = desk.message_due(local(2025, 4, 17, hour))
    assert due == local(2025, 4, 23, 0)
    assert due.tzinfo is HELSINKI


def test_message_due_on_a_saturday_is_end_of_monday(desk: DeskCalendar) -> None:
    assert desk.message_due(local(2025, 4, 12, 11)) == local(2025, 4, 15, 0)


def test_message_due_uses_the_local_date_of_receipt(desk: DeskCalendar) -> None:
    # Wednesday 23:30 local -> answered by the end of Thursday.
    assert desk.message_due(datetime(2025, 4, 16, 20, 30, tzinfo=UTC)) == local(2025, 4, 18, 0)
    # Thursday 00:30 local (still Wednesday in UTC) -> Easter in between.
    assert desk.message_due(datetime(2025, 4, 16, 21, 30, tzinfo=UTC)) == local(2025, 4, 23, 0)


def test_message_due_across_midsummer_and_christmas(desk: DeskCalendar) -> None:
    assert desk.message_due(local(2025, 6, 19, 12)) == local(2025, 6, 24, 0)
    assert desk.message_due(local(2025, 12, 23, 12)) == local(2025, 12, 30, 0)


def test_message_due_across_the_dst_transitions(desk: DeskCalendar) -> None:
    spring = desk.message_due(local(2025, 3, 29, 12))
    assert spring == datetime(2025, 3, 31, 21, tzinfo=UTC)  # 2025-04-01 00:00 +03:00
    assert spring.utcoffset() == timedelta(hours=3)
    autumn = desk.message_due(local(2025, 10, 25, 12))
    assert autumn == datetime(2025, 10, 27, 22, tzinfo=UTC)  # 2025-10-28 00:00 +02:00
    assert autumn.utcoffset() == timedelta(hours=2)


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (local(2025, 4, 16, 7), local(2025, 4, 16, 15)),  # before opening: same day
        (local(2025, 4, 16, 10), local(2025, 4, 16, 15)),  # open: closing today
        (local(2025, 4, 16, 15), local(2025, 4, 17, 15)),  # at closing: tomorrow
        (local(2025, 4, 16, 18), local(2025, 4, 17, 15)),  # evening: tomorrow
        (local(2025, 4, 11, 16), local(2025, 4, 14, 15)),  # Friday evening: Monday
        (local(2025, 4, 17, 16), local(2025, 4, 22, 15)),  # before Easter: Tuesday
        (local(2025, 3, 29, 12), local(2025, 3, 31, 15)),  # over the spring transition
    ],
)
def test_callback_due(desk: DeskCalendar, received: datetime, due: datetime) -> None:
    assert desk.callback_due(received) == due


def test_callback_due_follows_the_phone_hours() -> None:
    desk = DeskCalendar({PHONE: OpeningHours.parse("mon-fri 08:00-12:00")})
    assert desk.callback_due(local(2025, 4, 16, 11)) == local(2025, 4, 16, 12)
    assert desk.callback_due(local(2025, 4, 16, 13)) == local(2025, 4, 17, 12)


# --- now ---------------------------------------------------------------------------------


def test_utcnow_is_aware_utc_and_freezable() -> None:
    with freeze_time("2025-04-17 13:00:00"):
        now = utcnow()
    assert now == datetime(2025, 4, 17, 13, tzinfo=UTC)
    assert now.utcoffset() == timedelta(0)


def test_to_local() -> None:
    assert to_local(datetime(2025, 1, 15, 10, tzinfo=UTC)) == local(2025, 1, 15, 12)
    assert to_local(datetime(2025, 1, 15, 10, tzinfo=UTC)).tzinfo is HELSINKI
    stockholm = ZoneInfo("Europe/Stockholm")
    assert to_local(datetime(2025, 1, 15, 10, tzinfo=UTC), stockholm).hour == 11


@freeze_time("2025-04-17 13:00:00")  # Thursday 16:00 in Helsinki
def test_deadlines_for_a_contact_arriving_now(desk: DeskCalendar) -> None:
    now = utcnow()
    assert not desk.is_open(PHONE, now)
    assert desk.callback_due(now) == local(2025, 4, 22, 15)
    assert desk.message_due(now) == local(2025, 4, 23, 0)


@freeze_time("2025-04-16 08:00:00")  # Wednesday 11:00 in Helsinki
def test_open_now(desk: DeskCalendar) -> None:
    now = utcnow()
    assert desk.is_open(CHAT, now)
    assert desk.closing_time(CHAT, now) == local(2025, 4, 16, 15)


# --- properties --------------------------------------------------------------------------

ZONES = st.sampled_from([UTC, HELSINKI, ZoneInfo("America/New_York"), ZoneInfo("Asia/Tokyo")])
INSTANTS = st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2060, 12, 31), timezones=ZONES
)


@given(received=INSTANTS)
def test_message_due_is_local_midnight_after_the_next_business_day(received: datetime) -> None:
    desk = DeskCalendar()
    due = desk.message_due(received)
    assert due > received
    local_due = due.astimezone(HELSINKI)
    assert local_due.time() == time(0)
    answer_day = local_due.date() - timedelta(days=1)
    assert desk.is_business_day(answer_day)
    received_day = received.astimezone(HELSINKI).date()
    assert answer_day > received_day
    day = received_day + timedelta(days=1)
    while day < answer_day:
        assert not desk.is_business_day(day)
        day += timedelta(days=1)


@given(at=INSTANTS)
def test_next_opening_is_open_and_not_before(at: datetime) -> None:
    desk = DeskCalendar()
    opening = desk.next_opening(PHONE, at)
    assert opening >= at
    assert desk.is_open(PHONE, opening)
    if opening != at:
        assert opening.astimezone(HELSINKI).time() == time(9)
        assert not desk.is_open(PHONE, opening - timedelta(microseconds=1))


@given(received=INSTANTS)
def test_callback_due_is_a_closing_time_after_receipt(received: datetime) -> None:
    desk = DeskCalendar()
    due = desk.callback_due(received)
    assert due > received
    assert due.astimezone(HELSINKI).time() == time(15)
    assert desk.is_business_day(due.date())
    assert due - desk.next_opening(PHONE, received) <= timedelta(hours=6)


# --- exceptional days ----------------------------------------------------------------

TRAINING_DAY = date(2025, 3, 5)  # a Wednesday


def with_days(days: dict[tuple[date, Channel], DayHours]) -> DeskCalendar:
    return DeskCalendar(days=days)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (None, DayHours()),
        ("closed", DayHours()),
        ("9-12", DayHours(time(9), time(12))),
        ("08.30 - 11:45", DayHours(time(8, 30), time(11, 45))),
        ("18-24", DayHours(time(18), END_OF_DAY)),
    ],
)
def test_a_days_hours_are_read(text: str | None, expected: DayHours) -> None:
    assert DayHours.parse(text) == expected


@pytest.mark.parametrize("text", ["noon", "12-9", "9", "25-26"])
def test_a_days_hours_that_make_no_sense_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        DayHours.parse(text)


def test_a_closed_training_day_closes_only_its_channel() -> None:
    desk = with_days({(TRAINING_DAY, PHONE): DayHours(reason="koulutus")})
    assert not desk.is_open(PHONE, local(2025, 3, 5, 10))
    assert desk.is_open(CHAT, local(2025, 3, 5, 10))
    assert desk.next_opening(PHONE, local(2025, 3, 5, 10)) == local(2025, 3, 6, 9)
    assert desk.hours_on(PHONE, TRAINING_DAY) is None
    assert desk.hours_on(CHAT, TRAINING_DAY) == (time(9), time(15))


def test_a_callback_on_a_closed_day_is_due_when_the_phone_next_closes() -> None:
    desk = with_days({(TRAINING_DAY, PHONE): DayHours()})
    assert desk.callback_due(local(2025, 3, 4, 16)) == local(2025, 3, 6, 15)


def test_a_shortened_day_closes_early_and_its_callbacks_are_due_then() -> None:
    desk = with_days({(TRAINING_DAY, PHONE): DayHours(time(9), time(12))})
    assert desk.is_open(PHONE, local(2025, 3, 5, 11, 59))
    assert not desk.is_open(PHONE, local(2025, 3, 5, 12))
    assert desk.closing_time(PHONE, local(2025, 3, 5, 10)) == local(2025, 3, 5, 12)
    assert desk.callback_due(local(2025, 3, 5, 10)) == local(2025, 3, 5, 12)
    assert desk.next_opening(PHONE, local(2025, 3, 5, 12, 30)) == local(2025, 3, 6, 9)


def test_an_exceptional_opening_on_a_holiday_opens_the_desk() -> None:
    christmas_eve = date(2025, 12, 24)
    desk = with_days({(christmas_eve, PHONE): DayHours(time(9), time(12))})
    assert desk.is_open(PHONE, local(2025, 12, 24, 10))
    assert desk.next_opening(PHONE, local(2025, 12, 23, 16)) == local(2025, 12, 24, 9)


def test_a_day_the_message_channel_is_closed_is_no_business_day() -> None:
    desk = with_days({(TRAINING_DAY, Channel.MESSAGE): DayHours()})
    assert not desk.is_business_day(TRAINING_DAY)
    # Received Tuesday: due at the end of Thursday, the training day skipped.
    assert desk.message_due(local(2025, 3, 4, 10)) == local(2025, 3, 7, 0)
    assert DeskCalendar().message_due(local(2025, 3, 4, 10)) == local(2025, 3, 6, 0)


def test_holidays_are_named_in_the_desks_languages() -> None:
    assert holiday_names(2025, "fi")[date(2025, 12, 6)] == "Itsenäisyyspäivä"
    assert holiday_names(2025, "sv")[date(2025, 12, 6)] == "Självständighetsdagen"
    assert holiday_names(2025, "en")[date(2025, 12, 6)] == "Independence Day"
