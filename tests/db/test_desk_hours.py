"""The desk's calendar is desk data: every workstation, the queue and the report read one."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine

from ohjaus_tui.db.engine import write_session
from ohjaus_tui.db.models import QueueItem
from ohjaus_tui.domain.calendar import DayHours, DeskCalendar
from ohjaus_tui.domain.codes import Channel, Role
from ohjaus_tui.domain.intake import ContactRequest
from ohjaus_tui.domain.period import Period
from ohjaus_tui.errors import NotAllowed
from ohjaus_tui.services.actor import Actor
from ohjaus_tui.services.desk import Desk
from ohjaus_tui.services.hours import load_calendar, set_days
from ohjaus_tui.services.queue import ChannelClosed
from ohjaus_tui.services.report import build_report
from ohjaus_tui.settings import Settings
from tests.conftest import PINS

HKI = ZoneInfo("Europe/Helsinki")
ADMIN = Actor("Admin", role=Role.ADMIN)
TRAINING_DAY = date(2025, 3, 5)  # a Wednesday: the phone line is closed for training
WEDNESDAY_10 = datetime(2025, 3, 5, 10, 0, tzinfo=HKI)
THURSDAY_9 = datetime(2025, 3, 6, 9, 0, tzinfo=HKI)


def close_the_phone_for_training(engine: Engine) -> None:
    set_days(engine, [TRAINING_DAY], [Channel.PHONE], DayHours(reason="training"), actor=ADMIN)


def desk(engine: Engine) -> Desk:
    return Desk(engine, Settings(database_url=str(engine.url)))


def test_only_an_admin_makes_a_day_exceptional(engine: Engine) -> None:
    with pytest.raises(NotAllowed):
        set_days(
            engine, [TRAINING_DAY], [Channel.PHONE], DayHours(), actor=Actor("L", role=Role.LEAD)
        )
    assert load_calendar(engine).exceptional_days() == {}


def test_two_workstations_agree_on_a_closed_day(engine: Engine) -> None:
    running = desk(engine)
    close_the_phone_for_training(engine)
    running.queue.refresh_calendar()  # what its live feed does on the change
    for workstation in (running, desk(engine)):
        assert not workstation.config.calendar.is_open(Channel.PHONE, WEDNESDAY_10)
        assert workstation.config.calendar.is_open(Channel.CHAT, WEDNESDAY_10)


def test_a_running_workstation_reads_the_hours_again(
    engine: Engine, people: dict[str, int]
) -> None:
    workstation = desk(engine)
    session = workstation.sign_on(workstation.person("Anna"), Channel.CHAT, pin=PINS["Anna"])
    close_the_phone_for_training(engine)  # while the workstation is open
    delivered = threading.Event()
    session.watch(lambda _update: delivered.set(), delivered.is_set)
    assert workstation.config.calendar.hours_on(Channel.PHONE, TRAINING_DAY) is None


def test_the_queue_holds_a_callback_over_a_closed_day_and_refuses_a_chat(engine: Engine) -> None:
    set_days(engine, [TRAINING_DAY], list(Channel), DayHours(reason="training"), actor=ADMIN)
    queue = desk(engine).queue
    outcome = queue.intake(
        ContactRequest(
            channel=Channel.PHONE, received_at=WEDNESDAY_10, callback_number="040 123 4567"
        )
    )
    item = queue.item(outcome.item_id)
    assert item is not None
    assert (item.available_at, item.due_at) == (THURSDAY_9, THURSDAY_9.replace(hour=15))
    with pytest.raises(ChannelClosed):
        queue.intake(
            ContactRequest(
                channel=Channel.CHAT, received_at=WEDNESDAY_10, external_id="c1", text="Hei"
            )
        )


def test_the_report_waits_from_the_next_opening_after_a_closed_day(engine: Engine) -> None:
    close_the_phone_for_training(engine)
    with write_session(engine) as session:
        session.add(
            QueueItem(
                channel=Channel.PHONE,
                received_at=WEDNESDAY_10,
                available_at=THURSDAY_9,  # as the intake stamps it
                status="closed",
                first_answered_at=THURSDAY_9.replace(minute=20),
            )
        )
    report = build_report(
        engine,
        Period.month(2025, 3),
        calendar=load_calendar(engine, HKI),
        now=datetime(2025, 4, 1, tzinfo=UTC),
        actor=Actor("Liisa", role=Role.LEAD),
    )
    phone = report.service_level.channels[0]
    assert phone.median_wait == 20 * 60  # from Thursday's opening, not from Wednesday 10:00
    usual = build_report(
        engine,
        Period.month(2025, 3),
        calendar=DeskCalendar(tz=HKI),
        now=datetime(2025, 4, 1, tzinfo=UTC),
        actor=Actor("Liisa", role=Role.LEAD),
    )
    assert usual.service_level.channels[0].median_wait == 23 * 3600 + 20 * 60
