"""The rest of today on the lead board: the plan's forecast against the people signed on,
and the callbacks that will miss their deadline at the current pace."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from ohjaus_tui.domain.calendar import HELSINKI, DeskCalendar
from ohjaus_tui.domain.codes import Channel
from ohjaus_tui.domain.forecast import Forecast
from ohjaus_tui.domain.planner import Handling, Targets
from ohjaus_tui.domain.today import WaitingCallback, callbacks_at_risk, today_ahead
from tests.unit.test_planner import HANDLING, W10, history

CALENDAR = DeskCalendar()
TUESDAY = date(2025, 3, 4)


def at(hour: int, minute: int = 0) -> datetime:
    return datetime(2025, 3, 4, hour, minute, tzinfo=HELSINKI)


CLOSING = at(15)
FORECAST = Forecast(history(W10.start - timedelta(weeks=6), W10.start - timedelta(days=1)),
                    CALENDAR)  # fmt: skip
"""10 chats and 12 callbacks an hour, 09-15 on business days."""


def waiting(count: int) -> list[WaitingCallback]:
    """``count`` callbacks requested from 09:00 on, one a minute, due at closing."""
    return [WaitingCallback(n + 1, at(9) + timedelta(minutes=n), CLOSING) for n in range(count)]


def test_callbacks_in_order_at_the_pace_of_the_people_on_the_phone() -> None:
    """Two people, one callback every 10 minutes each, an hour before closing: twelve
    are called in time (six rounds), the thirteenth would start at closing."""
    queue = waiting(14)
    risky = callbacks_at_risk(queue, people=2, pace=timedelta(minutes=10), now=at(14))
    assert [risk.item_id for risk in risky] == [13, 14]
    assert risky[0].called_at == CLOSING
    assert callbacks_at_risk(queue[:12], people=2, pace=timedelta(minutes=10), now=at(14)) == ()


def test_nobody_on_the_phone_puts_every_callback_at_risk() -> None:
    risky = callbacks_at_risk(waiting(3), people=0, pace=timedelta(minutes=5), now=at(10))
    assert [(risk.item_id, risk.called_at) for risk in risky] == [(1, None), (2, None), (3, None)]


def test_a_retried_callback_is_not_called_before_it_is_available() -> None:
    later = WaitingCallback(1, at(14, 55), CLOSING)
    risky = callbacks_at_risk([later], people=1, pace=timedelta(minutes=5), now=at(14, 50))
    assert risky == ()
    late = WaitingCallback(2, CLOSING, CLOSING)
    assert (
        callbacks_at_risk([late], people=3, pace=timedelta(minutes=5), now=at(14))[0].item_id == 2
    )


def test_the_rest_of_today_from_the_plans_forecast() -> None:
    """At 13:30 the hours 13-15 are left; the current hour has half its forecast. The
    phone needs two people for what comes; forty waiting callbacks (12,000 s more) need
    four: 12,000 + 6 x 300 + 12 x 300 = 17,400 s in 1.5 hours of 3,060 s a person is
    3.8 people, and four call back the half hour's 13,800 s by 15:00."""
    ahead = today_ahead(FORECAST, CALENDAR, HANDLING, Targets(), now=at(13, 30),
                        on_duty={Channel.PHONE: 2, Channel.CHAT: 3}, waiting=[])  # fmt: skip
    assert [hour.hour for hour in ahead.hours] == [13, 14]
    assert ahead.hours[0].arrivals[Channel.CHAT] == 5
    assert ahead.hours[1].arrivals[Channel.PHONE] == 12
    assert ahead.hours[0].needed == {Channel.PHONE: 2, Channel.CHAT: 3}
    assert ahead.short(Channel.PHONE) == 0 and ahead.short(Channel.CHAT) == 0
    assert ahead.at_risk == ()

    busy = today_ahead(FORECAST, CALENDAR, HANDLING, Targets(), now=at(13, 30),
                       on_duty={Channel.PHONE: 2, Channel.CHAT: 3},
                       waiting=waiting(40))  # fmt: skip
    assert busy.callbacks_waiting == 40
    assert busy.needed_now(Channel.PHONE) == 4 and busy.short(Channel.PHONE) == 2
    # Two calling one every 300 / 0.85 = 353 s: sixteen rounds start in the 90 minutes.
    assert len(busy.at_risk) == 40 - 32


def test_callbacks_due_another_day_are_not_today_s() -> None:
    tomorrow = WaitingCallback(9, at(16), CLOSING + timedelta(days=1))
    ahead = today_ahead(FORECAST, CALENDAR, HANDLING, Targets(), now=at(10),
                        on_duty={}, waiting=[tomorrow])  # fmt: skip
    assert ahead.callbacks_waiting == 0 and ahead.at_risk == ()


def test_after_closing_nothing_is_ahead() -> None:
    ahead = today_ahead(FORECAST, CALENDAR, HANDLING, Targets(), now=at(15, 30),
                        on_duty={}, waiting=waiting(2))  # fmt: skip
    assert ahead.hours == ()
    assert ahead.at_risk == ()  # the line is closed: tomorrow's people call them
    assert ahead.needed_now(Channel.PHONE) == 0


def test_the_measured_handling_time_sets_the_pace() -> None:
    slow = {**HANDLING, Channel.PHONE: Handling(600, 100)}
    ahead = today_ahead(FORECAST, CALENDAR, slow, Targets(occupancy=0.5), now=at(14),
                        on_duty={Channel.PHONE: 1}, waiting=waiting(4))  # fmt: skip
    # One call every 1,200 s: at 14:00, 14:20 and 14:40 in time, the fourth at 15:00.
    assert [risk.item_id for risk in ahead.at_risk] == [4]
