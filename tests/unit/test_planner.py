"""The week plan on histories whose needs are known: people per channel and hour, the
calendar's closed days, and the opening hours a smaller team can keep."""

from __future__ import annotations

import math
from datetime import date, datetime, time, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ohjaus_tui.domain.calendar import HELSINKI, DayHours, DeskCalendar, OpeningHours
from ohjaus_tui.domain.codes import Channel
from ohjaus_tui.domain.erlang import Traffic, performance
from ohjaus_tui.domain.forecast import Forecast, History
from ohjaus_tui.domain.period import Period
from ohjaus_tui.domain.planner import (
    DEFAULT_HANDLING,
    MIN_MEASURED,
    DayPlan,
    Handling,
    PlanError,
    Targets,
    Team,
    WeekPlan,
    Window,
    handling_seconds,
    handling_times,
    phone_people,
    plan_week,
    work_left,
)

CALENDAR = DeskCalendar()
HANDLING = {
    Channel.PHONE: Handling(300, 100),
    Channel.CHAT: Handling(360, 100),
    Channel.MESSAGE: Handling(600, 100),
}
W10 = Period.week(2025, 10)
"""3-9 March 2025: no public holiday."""
W18 = Period.week(2025, 18)
"""28 April - 4 May 2025: Thursday 1 May is May Day (vappu)."""


def history(
    first: date,
    last: date,
    *,
    chats: float = 10,
    callbacks: float = 12,
    messages: int = 3,
    calendar: DeskCalendar = CALENDAR,
    extra: dict[tuple[Channel, date, int], int] | None = None,
) -> History:
    """On each business day, per hour 09-14, ``chats`` and ``callbacks``; ``messages`` at 20."""
    arrivals: dict[tuple[Channel, date, int], int] = {}
    day = first
    while day <= last:
        if calendar.is_business_day(day):
            for hour in range(9, 15):
                arrivals[(Channel.CHAT, day, hour)] = round(chats)
                arrivals[(Channel.PHONE, day, hour)] = round(callbacks)
            arrivals[(Channel.MESSAGE, day, 20)] = messages
        day += timedelta(days=1)
    arrivals.update(extra or {})
    return History(first, last, arrivals)


def plan(
    week: Period = W10,
    past: History | None = None,
    *,
    team: Team | None = None,
    calendar: DeskCalendar = CALENDAR,
    targets: Targets | None = None,
) -> WeekPlan:
    past = past or history(week.start - timedelta(weeks=6), week.start - timedelta(days=1))
    forecast = Forecast(past, calendar)
    return plan_week(week, forecast, calendar, HANDLING, targets or Targets(), team)


def needed(day: DayPlan) -> dict[int, tuple[int, int, int]]:
    return {
        hour.hour: (
            hour.needed[Channel.PHONE],
            hour.needed[Channel.CHAT],
            hour.needed[Channel.MESSAGE],
        )
        for hour in day.hours
    }


def test_the_needs_of_a_known_history() -> None:
    """Chat: 10 an hour of 6 min is one erlang; two people answer 71.8 % within 60 s,
    three 93.5 %. Phone: 3,600 s of calls an hour, one person calls 3,060 s: two.
    Messages: three of 10 min (the day before's) in the calmest hour, the latest."""
    assert performance(Traffic(10, 360, 60), 2).service_level < 0.8
    assert performance(Traffic(10, 360, 60), 3).service_level >= 0.8
    result = plan()
    monday = result.days[0]
    assert [hour.hour for hour in monday.hours] == list(range(9, 15))
    assert needed(monday) == {9: (2, 3, 0), 10: (2, 3, 0), 11: (2, 3, 0), 12: (2, 3, 0),
                              13: (2, 3, 0), 14: (2, 3, 1)}  # fmt: skip
    assert monday.hours[0].arrivals == {Channel.PHONE: 12, Channel.CHAT: 10, Channel.MESSAGE: 0}
    assert monday.hours[0].chat_service_level == pytest.approx(0.935, abs=0.001)
    assert monday.messages_due == 3  # Friday's; the weekend brought none
    assert monday.callbacks_at_opening == 0
    assert monday.windows[Channel.PHONE] == Window(time(9), time(15))
    assert [day.is_open for day in result.days] == [True] * 5 + [False] * 2
    assert result.days[5].hours == ()
    assert result.hours == list(range(9, 15))
    assert len(result.history_days) == 42 and result.history_contacts == 30 * (6 * 22 + 3)


def test_a_public_holiday_in_the_week_is_closed_in_the_plan() -> None:
    result = plan(W18)
    thursday = result.days[3]
    assert thursday.day == date(2025, 5, 1)
    assert not thursday.is_open
    assert thursday.hours == ()
    assert thursday.messages_due == 0
    friday = result.days[4]
    assert friday.messages_due == 3  # Wednesday's, and none on the holiday
    assert needed(friday)[9] == (2, 3, 0)


def test_a_holiday_in_the_history_does_not_pull_its_weekday_down() -> None:
    """The six weeks before W18 hold Good Friday and Easter Monday: no arrivals, and
    not counted, so Mondays and Fridays are still 10 chats an hour."""
    result = plan(W18)
    assert result.days[0].hours[0].arrivals[Channel.CHAT] == 10
    assert result.days[4].hours[0].arrivals[Channel.CHAT] == 10


def closed_on(day: date) -> DeskCalendar:
    """A calendar with an exceptional day closed on every channel (a training day)."""
    return DeskCalendar(days={(day, channel): DayHours(reason="training") for channel in Channel})


def test_a_day_the_calendar_closes_is_closed_in_the_plan() -> None:
    wednesday = date(2025, 3, 5)
    result = plan(calendar=closed_on(wednesday), team=Team.parse("6"))
    closed = result.days[2]
    assert not closed.is_open and closed.hours == ()
    assert closed.proposal is not None and closed.proposal.windows[Channel.CHAT] is None
    assert result.days[3].is_open


def test_callbacks_requested_while_closed_wait_for_the_opening() -> None:
    """Eight requests left at 16-17 on each business day: Tuesday opens with Monday's
    eight waiting, Monday with Friday's (the weekend's are none)."""
    first, last = W10.start - timedelta(weeks=6), W10.start - timedelta(days=1)
    extra = {}
    day = first
    while day <= last:
        if CALENDAR.is_business_day(day):
            extra[(Channel.PHONE, day, 16)] = 8
        day += timedelta(days=1)
    result = plan(past=history(first, last, extra=extra))
    assert [day.callbacks_at_opening for day in result.days[:5]] == [8] * 5
    # 8 x 300 s more to call a day: 24,000 s in six hours of 3,060 s a person: still 2.
    assert needed(result.days[1])[9][0] == 2


def test_a_late_peak_of_callbacks_needs_more_people_all_day() -> None:
    """Calls made early cannot serve requests that come later: 30 callbacks in the last
    hour are 9,000 s, which three people at 3,060 s each can just call back."""
    assert phone_people(0, [0, 0, 0, 0, 0, 9000], [1] * 6, 0.85) == 3
    assert phone_people(9000, [0] * 6, [1] * 6, 0.85) == 1
    assert work_left(100, [50, 0], [120, 10]) == 20


def test_the_team_keeps_the_hours_when_it_is_enough() -> None:
    result = plan(team=Team.parse("6"))
    for day in result.days[:5]:
        assert day.proposal is not None and day.proposal.keeps_hours
        assert all(hour.short == 0 for hour in day.hours)
        assert all(hour.proposed == hour.needed for hour in day.hours)


def test_four_people_close_the_chat_an_hour_early() -> None:
    """Five are needed (three on chat, two on phone). Four keep the phone line 09-15 and
    the chat 09-14: one on callbacks while the chat is open, the backlog called back in
    the last hour by three, who answer the messages between callbacks."""
    result = plan(team=Team.parse("4"))
    monday = result.days[0]
    proposal = monday.proposal
    assert proposal is not None and not proposal.keeps_hours
    assert proposal.windows[Channel.PHONE] == Window(time(9), time(15))
    assert proposal.windows[Channel.CHAT] == Window(time(9), time(14))
    assert proposal.messages_left == 0
    assert [hour.short for hour in monday.hours] == [1, 1, 1, 1, 1, 2]
    proposed = {hour.hour: hour.proposed for hour in monday.hours}
    assert proposed[9] == {Channel.PHONE: 1, Channel.CHAT: 3, Channel.MESSAGE: 0}
    assert proposed[14] == {Channel.PHONE: 3, Channel.CHAT: 0, Channel.MESSAGE: 0}


def test_one_person_is_never_on_phone_and_chat_at_once() -> None:
    """One person, one chat and two callbacks an hour: the chat in the morning, the
    phone line in the afternoon (the morning's requests wait for it), and the messages
    between callbacks."""
    quiet = history(W10.start - timedelta(weeks=6), W10.start - timedelta(days=1),
                    chats=1, callbacks=2)  # fmt: skip
    result = plan(past=quiet, team=Team.parse("1"))
    tuesday = result.days[1]
    proposal = tuesday.proposal
    assert proposal is not None
    assert proposal.windows[Channel.CHAT] == Window(time(9), time(13))
    assert proposal.windows[Channel.PHONE] == Window(time(13), time(15))
    assert proposal.messages_left == 0
    for hour in tuesday.hours:
        assert hour.proposed is not None
        assert sum(hour.proposed.values()) <= 1
        assert hour.proposed[Channel.PHONE] + hour.proposed[Channel.CHAT] == 1


def test_nobody_closes_everything() -> None:
    result = plan(team=Team.parse("mon=5"))
    tuesday = result.days[1].proposal
    assert tuesday is not None
    assert tuesday.windows == {Channel.PHONE: None, Channel.CHAT: None}
    assert tuesday.messages_left == 3
    monday = result.days[0].proposal
    assert monday is not None and monday.windows[Channel.PHONE] is not None


@settings(max_examples=60, deadline=None)
@given(
    people=st.integers(min_value=0, max_value=7),
    chats=st.integers(min_value=0, max_value=40),
    callbacks=st.integers(min_value=0, max_value=40),
    messages=st.integers(min_value=0, max_value=30),
    late=st.integers(min_value=0, max_value=30),
)
def test_a_proposal_keeps_every_rule(
    people: int, chats: int, callbacks: int, messages: int, late: int
) -> None:
    """Whatever the traffic and the team: nobody on two channels, the chat staffed to its
    target while open, someone on an open phone line, and every callback called back
    by the line's (proposed) closing."""
    first, last = W10.start - timedelta(weeks=2), W10.start - timedelta(days=1)
    extra = {(Channel.PHONE, first + timedelta(days=n), 17): late for n in range(14)}
    past = history(first, last, chats=chats, callbacks=callbacks, messages=messages, extra=extra)
    result = plan(past=past, team=Team.parse(str(people)))
    aht = HANDLING[Channel.PHONE].seconds
    for day in result.days:
        proposal = day.proposal
        assert proposal is not None
        phone = proposal.windows[Channel.PHONE]
        waiting = day.callbacks_at_opening * aht if phone is not None else 0.0
        for hour in day.hours:
            assert hour.proposed is not None
            assert sum(hour.proposed.values()) <= people
            chat_open = _open(proposal.windows[Channel.CHAT], hour.hour)
            assert hour.proposed[Channel.CHAT] == (hour.needed[Channel.CHAT] if chat_open else 0)
            if _open(phone, hour.hour):
                assert hour.proposed[Channel.PHONE] >= 1
            if phone is not None and hour.hour < phone.closes.hour:
                waiting += hour.arrivals[Channel.PHONE] * aht
                done = hour.proposed[Channel.PHONE] * 3600 * 0.85 if _open(phone, hour.hour) else 0
                waiting = max(0.0, waiting - done)
        assert waiting < 1e-6


def _open(window: Window | None, hour: int) -> bool:
    return window is not None and window.opens.hour <= hour < window.closes.hour


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("4", (4, 4, 4, 4, 4, 4, 4)),
        ("mon=4,tue=3", (4, 3, 0, 0, 0, 0, 0)),
        ("ma-to=4, pe=3", (4, 4, 4, 4, 3, 0, 0)),
        ("4,fri=3", (4, 4, 4, 4, 3, 4, 4)),
        ("MON-FRI=2", (2, 2, 2, 2, 2, 0, 0)),
    ],
)
def test_the_people_available(text: str, days: tuple[int, ...]) -> None:
    assert Team.parse(text).by_weekday == days


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("four", "plan.people_form"),
        ("4,5", "plan.people_form"),
        ("mon=-1", "plan.people_form"),
        ("monday=4", "plan.people_day"),
        ("fri-mon=2", "plan.people_day"),
        ("", "plan.people_form"),
    ],
)
def test_people_that_are_not_a_team(text: str, code: str) -> None:
    with pytest.raises(PlanError) as raised:
        Team.parse(text)
    assert raised.value.code == code


def test_a_handling_time_is_the_claim_to_the_end_and_the_logging_soon_after() -> None:
    claimed = datetime(2025, 3, 3, 9, tzinfo=HELSINKI)
    closed = claimed + timedelta(minutes=5)
    assert handling_seconds(claimed, closed, None) == 300
    assert handling_seconds(claimed, closed, closed + timedelta(minutes=2)) == 420
    assert handling_seconds(claimed, closed, closed + timedelta(hours=3)) == 300  # much later
    assert handling_seconds(claimed, claimed + timedelta(hours=5), None) is None  # left open
    assert handling_seconds(closed, claimed, None) is None


def test_too_few_measured_contacts_give_the_default() -> None:
    times = handling_times(
        {Channel.CHAT: [100.0, 200.0] * (MIN_MEASURED // 2), Channel.PHONE: [60.0]}
    )
    assert times[Channel.CHAT] == Handling(150.0, MIN_MEASURED)
    assert times[Channel.PHONE] == Handling(DEFAULT_HANDLING[Channel.PHONE])
    assert not times[Channel.PHONE].measured
    assert times[Channel.MESSAGE].seconds == DEFAULT_HANDLING[Channel.MESSAGE]


def test_without_history_each_open_channel_gets_one() -> None:
    empty = History(W10.start - timedelta(weeks=6), W10.start - timedelta(days=1))
    result = plan(past=empty)
    assert result.history_contacts == 0
    assert set(needed(result.days[0]).values()) == {(1, 1, 0)}


def test_days_before_the_first_recorded_arrival_are_not_counted() -> None:
    """Recording started two weeks before: the mean is of those two weeks."""
    past = history(W10.start - timedelta(weeks=2), W10.start - timedelta(days=1))
    widened = History(W10.start - timedelta(weeks=6), past.last, past.arrivals)
    assert len(widened.days) == 14
    assert plan(past=widened).days[0].hours[0].arrivals[Channel.CHAT] == 10


def test_a_half_hour_opening_is_half_an_hour_of_calling() -> None:
    """The phone opens at 08:30: the hour 08-09 is half open, its window says 08:30."""
    calendar = DeskCalendar({Channel.PHONE: OpeningHours.parse("mon-fri 8.30-15")})
    result = plan(calendar=calendar)
    monday = result.days[0]
    assert monday.windows[Channel.PHONE] == Window(time(8, 30), time(15))
    first = monday.hours[0]
    assert first.hour == 8 and first.open[Channel.PHONE] == 0.5 and first.open[Channel.CHAT] == 0
    assert first.needed[Channel.CHAT] == 0 and first.needed[Channel.PHONE] >= 1


def test_erlang_a_asks_for_no_more_chat_people_than_erlang_c() -> None:
    busy = history(W10.start - timedelta(weeks=6), W10.start - timedelta(days=1), chats=40)
    c = plan(past=busy).days[0].hours[0].needed[Channel.CHAT]
    a = plan(past=busy, targets=Targets(chat_patience=60)).days[0].hours[0].needed[Channel.CHAT]
    assert a <= c and math.isfinite(a)
