"""``ohjaus hours``: the desk's opening hours and exceptional days as desk data."""

from __future__ import annotations

import json
from datetime import date, time

import pytest
from freezegun import freeze_time
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from ohjaus_tui.db.models import AuditEvent
from ohjaus_tui.domain.calendar import HELSINKI, DayHours
from ohjaus_tui.domain.codes import Channel
from ohjaus_tui.services.hours import load_calendar
from tests.cli.conftest import Invoke


def audited(engine: Engine, action: str) -> list[AuditEvent]:
    with Session(engine) as session:
        query = select(AuditEvent).where(AuditEvent.action == action).order_by(col(AuditEvent.id))
        return list(session.exec(query))


def test_set_stores_the_weekly_hours_for_every_workstation(ohjaus: Invoke, engine: Engine) -> None:
    result = ohjaus("hours", "set", "phone", "ma-pe 8-16")
    assert result.exit_code == 0, result.output
    assert "mon-fri 08:00-16:00" in result.stdout
    calendar = load_calendar(engine, HELSINKI)
    assert (calendar.hours(Channel.PHONE).opens, calendar.hours(Channel.PHONE).closes) == (
        time(8),
        time(16),
    )
    assert str(calendar.hours(Channel.CHAT)) == "mon-fri 09:00-15:00"  # untouched
    (event,) = audited(engine, "hours.set")
    assert event.entity_id == "phone"
    assert json.loads(event.detail or "{}") == {"hours": "mon-fri 08:00-16:00"}


def test_set_all_sets_every_channel(ohjaus: Invoke, engine: Engine) -> None:
    assert ohjaus("hours", "set", "all", "mon-sun 00:00-24:00").exit_code == 0
    calendar = load_calendar(engine, HELSINKI)
    assert {str(calendar.hours(c)) for c in Channel} == {"mon-sun 00:00-24:00"}


def test_except_closes_a_span_and_remove_restores_it(ohjaus: Invoke, engine: Engine) -> None:
    result = ohjaus(
        "hours", "except", "2026-12-28", "--until", "30.12.2026", "--closed", "--reason", "tauko"
    )
    assert result.exit_code == 0, result.output
    assert "Closed" in result.stdout
    days = load_calendar(engine, HELSINKI).exceptional_days()
    assert len(days) == 9  # three days, three channels
    assert days[(date(2026, 12, 29), Channel.CHAT)] == DayHours(reason="tauko")
    removed = ohjaus("hours", "except", "2026-12-29", "--remove", "-c", "chat")
    assert removed.exit_code == 0, removed.output
    assert "1 exception removed" in removed.stdout
    assert len(load_calendar(engine, HELSINKI).exceptional_days()) == 8
    assert [e.action for e in audited(engine, "hours.except")] == ["hours.except"]
    assert [e.entity_id for e in audited(engine, "hours.except_removed")] == ["2026-12-29"]


def test_except_with_other_hours_shortens_the_day(ohjaus: Invoke, engine: Engine) -> None:
    result = ohjaus("hours", "except", "2026-12-23", "-c", "phone", "--open", "9-12")
    assert result.exit_code == 0, result.output
    calendar = load_calendar(engine, HELSINKI)
    assert calendar.hours_on(Channel.PHONE, date(2026, 12, 23)) == (time(9), time(12))
    assert calendar.hours_on(Channel.CHAT, date(2026, 12, 23)) == (time(9), time(15))


@freeze_time("2026-12-01 08:00:00")
def test_show_lists_the_weeks_hours_holidays_and_exceptional_days(ohjaus: Invoke) -> None:
    ohjaus("hours", "except", "2026-12-10", "-c", "chat", "--open", "9-12", "--reason", "training")
    result = ohjaus("hours", "show", "--days", "31", "-f", "json")
    assert result.exit_code == 0, result.output
    shown = json.loads(result.stdout)
    assert shown["weekly"]["phone"] == "mon-fri 09:00-15:00"
    by_day = {day["date"]: day for day in shown["days"]}
    assert by_day["2026-12-10"] == {
        "date": "2026-12-10",
        "phone": "09:00-15:00",
        "chat": "09:00-12:00",
        "message": "09:00-15:00",
        "holiday": None,
        "reason": "training",
    }
    assert by_day["2026-12-24"]["holiday"] == "Christmas Eve"
    assert by_day["2026-12-24"]["phone"] is None
    assert "2026-12-05" not in by_day  # a Saturday is closed every week: nothing to list


@freeze_time("2026-12-01 08:00:00")
def test_show_speaks_the_desks_language(ohjaus: Invoke) -> None:
    result = ohjaus("hours", "show", "--days", "31", language="fi")
    assert result.exit_code == 0, result.output
    lines = [" ".join(line.split()) for line in result.stdout.splitlines()]
    assert "Puhelin mon-fri 09:00-15:00" in lines
    assert "to 24.12. suljettu suljettu suljettu Jouluaatto" in lines


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("set", "fax", "mon-fri 9-15"), "There is no channel fax"),
        (("set", "phone", "9-15"), "are not valid"),
        (("except", "2026-12-24"), "Give either --closed"),
        (("except", "2026-12-24", "--closed", "--open", "9-12"), "Give either --closed"),
        (("except", "2026-12-24", "--open", "noon"), "are not valid"),
        (("except", "2026-12-24", "--closed", "--remove"), "--remove returns the usual hours"),
        (("except", "2026-12-24", "--until", "2026-12-01", "--closed"), "ends"),
        (("except", "2026-01-01", "--until", "2027-12-31", "--closed"), "at most 366"),
        (("except", "2026-12-24", "--closed", "--reason", "131052-308T"), "identity code"),
        (("except", "31.2.2026", "--closed"), "no such day"),
    ],
)
def test_bad_input_is_refused_in_one_line_and_nothing_is_stored(
    ohjaus: Invoke, engine: Engine, args: tuple[str, ...], says: str
) -> None:
    result = ohjaus("hours", *args)
    assert result.exit_code != 0
    assert says in result.stderr
    assert "Traceback" not in result.output
    assert "131052-308T" not in result.output
    calendar = load_calendar(engine, HELSINKI)
    assert calendar.exceptional_days() == {}
    assert str(calendar.hours(Channel.PHONE)) == "mon-fri 09:00-15:00"


@pytest.mark.founding
def test_only_an_admin_sets_the_hours(ohjaus: Invoke, people: dict[str, int]) -> None:
    result = ohjaus("--as", "Liisa", "hours", "set", "phone", "mon-fri 8-16", input="2468\n")
    assert result.exit_code != 0
    assert "changing the opening hours" in result.stderr
    shown = ohjaus("--as", "Anna", "hours", "show", input="2580\n")
    assert shown.exit_code == 0, shown.output


def test_hours_left_in_the_settings_are_refused_with_the_way_forward(ohjaus: Invoke) -> None:
    from typer.testing import CliRunner

    from ohjaus_tui.cli.app import app

    result = CliRunner().invoke(
        app,
        ["hours", "show"],
        env={"OHJAUS_HOURS_PHONE": "mon-fri 8-16", "OHJAUS_LANGUAGE": "en"},
    )
    assert result.exit_code != 0
    assert "ohjaus hours set phone" in result.stderr
