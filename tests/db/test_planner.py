"""The staffing plan over a desk's database: its history read, its handling times measured."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from ohjaus_tui.db.models import ContactLog, QueueItem
from ohjaus_tui.domain.calendar import HELSINKI, DeskCalendar
from ohjaus_tui.domain.codes import Channel, QueueStatus, Role
from ohjaus_tui.domain.period import Period
from ohjaus_tui.domain.planner import DEFAULT_HANDLING, Team
from ohjaus_tui.errors import NotAllowed
from ohjaus_tui.services.actor import Actor
from ohjaus_tui.services.planner import history_days, read_history, staffing_plan
from tests.planner_history import CHAT_PEOPLE, PHONE_PEOPLE, add_history

CALENDAR = DeskCalendar()
LEAD = Actor("Liisa", role=Role.LEAD)
NOW = datetime(2025, 4, 24, 12, tzinfo=HELSINKI)
"""Thursday of week 17: the plan of week 18 reads the six weeks before week 17."""
W18 = Period.week(2025, 18)


def test_the_history_is_whole_weeks_before_this_one() -> None:
    assert history_days(W18.start, NOW.date(), 6) == (date(2025, 3, 10), date(2025, 4, 20))
    past = Period.week(2025, 10)  # a week gone: the weeks before it
    assert history_days(past.start, NOW.date(), 2) == (date(2025, 2, 17), date(2025, 3, 2))
    with pytest.raises(ValueError):
        history_days(W18.start, NOW.date(), 0)


def test_the_plan_of_a_known_history(engine: Engine) -> None:
    add_history(engine, date(2025, 3, 3), date(2025, 4, 25))  # this week's too: not read
    plan = staffing_plan(engine, W18, calendar=CALENDAR, actor=LEAD, now=NOW)
    assert (plan.history_days[0], plan.history_days[-1]) == (date(2025, 3, 10), date(2025, 4, 20))
    assert plan.handling[Channel.CHAT].seconds == 360
    assert plan.handling[Channel.PHONE].seconds == 300
    assert plan.handling[Channel.MESSAGE].seconds == 600
    assert plan.handling[Channel.PHONE].contacts == 29 * 6 * 12  # 30 weekdays but Good Friday
    monday = plan.days[0]
    assert monday.hours[0].arrivals == {Channel.PHONE: 12, Channel.CHAT: 10, Channel.MESSAGE: 0}
    for hour in monday.hours:
        assert hour.needed[Channel.CHAT] == CHAT_PEOPLE
        assert hour.needed[Channel.PHONE] == PHONE_PEOPLE
    assert [hour.needed[Channel.MESSAGE] for hour in monday.hours] == [0, 0, 0, 0, 0, 1]
    assert not plan.days[3].is_open  # May Day


def test_a_team_gets_a_proposal(engine: Engine) -> None:
    add_history(engine, date(2025, 3, 10), date(2025, 4, 20))
    plan = staffing_plan(engine, W18, calendar=CALENDAR, actor=LEAD, now=NOW, team=Team.parse("4"))
    proposal = plan.days[0].proposal
    assert proposal is not None and not proposal.keeps_hours
    assert plan.days[0].hours[0].available == 4


def test_an_empty_desk_plans_with_the_default_handling_times(engine: Engine) -> None:
    plan = staffing_plan(engine, W18, calendar=CALENDAR, actor=LEAD, now=NOW)
    assert plan.history_contacts == 0
    assert all(not handling.measured for handling in plan.handling.values())
    assert plan.handling[Channel.CHAT].seconds == DEFAULT_HANDLING[Channel.CHAT]
    assert {hour.needed_total for hour in plan.days[0].hours} == {2}


def test_only_a_lead_plans(engine: Engine) -> None:
    with pytest.raises(NotAllowed) as refused:
        staffing_plan(engine, W18, calendar=CALENDAR, actor=Actor("Anna", role=Role.OPERATOR))
    assert refused.value.params["what"] == "plan.action"


def test_logging_soon_after_the_end_is_handling_time(engine: Engine) -> None:
    """Ten chats of 5 minutes, each logged 2 minutes after it ended: 7 minutes each;
    an abandoned chat and a waiting one are not handled."""
    received = datetime(2025, 4, 14, 10, tzinfo=HELSINKI)
    with Session(engine) as session:
        for n in range(10):
            at = received + timedelta(minutes=n)
            item = QueueItem(
                channel=Channel.CHAT.value,
                received_at=at,
                available_at=at,
                status=QueueStatus.CLOSED.value,
                claimed_at=at,
                closed_at=at + timedelta(minutes=5),
            )
            session.add(item)
            session.flush()
            session.add(
                ContactLog(
                    item_id=item.id,
                    started_at=at,
                    logged_at=at + timedelta(minutes=7),
                    channel=Channel.CHAT.value,
                )
            )
        for status in (QueueStatus.ABANDONED, QueueStatus.WAITING):
            session.add(
                QueueItem(
                    channel=Channel.CHAT.value,
                    received_at=received,
                    available_at=received,
                    status=status.value,
                    claimed_at=received,
                    closed_at=received + timedelta(hours=1),
                )
            )
        session.commit()
    past = read_history(engine, first=date(2025, 4, 14), last=date(2025, 4, 20), calendar=CALENDAR)
    assert past.handling[Channel.CHAT].seconds == 420
    assert past.handling[Channel.CHAT].contacts == 10
    assert past.forecast.history.arrivals[(Channel.CHAT, date(2025, 4, 14), 10)] == 12
