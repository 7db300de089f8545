"""``ohjaus staffing erlang``: the calculator on the command line."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import pytest
from freezegun import freeze_time
from sqlalchemy import Engine

from tests.cli.conftest import Invoke
from tests.conftest import PINS
from tests.planner_history import add_history

CHECK = ("staffing", "erlang", "--per-hour", "200", "--aht", "180", "--within", "20")


def test_json_gives_the_published_figures(ohjaus: Invoke) -> None:
    result = ohjaus(*CHECK, "--target", "0.8", "--shrinkage", "30%", "-f", "json")
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout)
    assert figures["model"] == "erlang_c"
    assert figures["agents"] == 14
    assert figures["service_level"] == 0.8884
    assert figures["occupancy"] == 0.7143
    assert figures["p_wait"] == 0.1741
    assert figures["asa_seconds"] == 7.8
    assert figures["positions"] == 20


def test_patience_asks_erlang_a_for_fewer_agents(ohjaus: Invoke) -> None:
    result = ohjaus(*CHECK, "--target", "80%", "--patience", "120", "-f", "json")
    figures = json.loads(result.stdout)
    assert figures["model"] == "erlang_a"
    assert figures["agents"] == 12
    assert 0 < figures["abandoned"] < 0.1


def test_the_table_speaks_the_desks_language(ohjaus: Invoke) -> None:
    result = ohjaus(*CHECK, "--target", "80 %", "--shrinkage", "0.3", language="fi")
    assert result.exit_code == 0, result.output
    lines = [" ".join(line.split()) for line in result.stdout.splitlines()]
    assert "Tarvittavat vastaajat 14" in lines
    assert "Palvelutaso (vastattu 20 sekunnissa) 88,8 %" in lines
    assert "Keskimääräinen vastausaika 7,8 s" in lines
    assert "Vuoroon tarvittavat henkilöt (poissaoloja 30,0 %) 20" in lines


def test_a_bad_share_or_traffic_is_one_line(ohjaus: Invoke) -> None:
    bad = ohjaus(*CHECK, "--target", "lots", language="fi")
    assert bad.exit_code == 2
    assert bad.stderr == "ohjaus: --target lots: anna osuus, esim. 0.8 tai 80 %\n"
    none = ohjaus(
        "staffing", "erlang", "--per-hour", "0", "--aht", "180", "--within", "20", "--target", "0.8"
    )
    assert none.exit_code == 2
    assert "must be above zero" in none.stderr
    huge = ohjaus(
        "staffing",
        "erlang",
        "--per-hour",
        "9000000",
        "--aht",
        "180",
        "--within",
        "20",
        "--target",
        "0.8",
    )
    assert huge.exit_code == 2
    assert "more load than the calculator takes" in huge.stderr


# --- ohjaus staffing plan ---------------------------------------------------------------


@pytest.fixture
def history(engine: Engine) -> Engine:
    """Six weeks (10 March - 20 April 2025) of the desk in tests/planner_history.py."""
    add_history(engine, date(2025, 3, 10), date(2025, 4, 20))
    return engine


PLAN = ("staffing", "plan", "--week", "2025-W18")


@freeze_time("2025-04-24 10:00:00")
def test_the_plan_as_json(ohjaus: Invoke, history: Engine) -> None:
    result = ohjaus(*PLAN, "--people", "4,fri=2", "-f", "json")
    assert result.exit_code == 0, result.output
    plan = json.loads(result.stdout)
    assert (plan["week"], plan["start"], plan["end"]) == ("2025-W18", "2025-04-28", "2025-05-04")
    assert plan["history"] == {"start": "2025-03-10", "end": "2025-04-20", "days": 42,
                               "contacts": 29 * (6 * 22 + 3)}  # fmt: skip
    assert plan["handling"]["chat"] == {"seconds": 360.0, "measured": True, "contacts": 29 * 60}
    assert plan["people"]["fri"] == 2
    monday, thursday = plan["days"][0], plan["days"][3]
    assert monday["hours_open"]["phone"] == {"opens": "09:00", "closes": "15:00"}
    first = monday["hours"][0]
    assert first["needed"] == {"phone": 2, "chat": 3, "message": 0}
    assert (first["needed_total"], first["available"], first["short"]) == (5, 4, 1)
    assert monday["proposal"]["chat"] == {"opens": "09:00", "closes": "14:00"}
    assert monday["proposal"]["keeps_hours"] is False
    assert thursday["open"] is False and thursday["hours"] == []  # May Day
    assert plan["days"][4]["proposal"]["chat"] is None


@freeze_time("2025-04-24 10:00:00")
def test_the_plan_as_a_table_in_finnish(ohjaus: Invoke, history: Engine) -> None:
    result = ohjaus(*PLAN, "--people", "4", language="fi")
    assert result.exit_code == 0, result.output
    lines = [" ".join(line.split()) for line in result.stdout.splitlines()]
    assert lines[0] == "Henkilöstösuunnitelma 2025-W18 · 28.4.2025–4.5.2025 · Europe/Helsinki"
    assert "09–10 2 (12,0) 3 (10,0) 0 (0,0) 5 4 1 · 3 · 0" in lines
    assert "to 1.5.2025: suljettu" in lines
    assert "Käytettävissä 4: pidä auki Puhelin 09:00–15:00, Chat 09:00–14:00." in lines


@freeze_time("2025-04-24 10:00:00")
def test_the_heat_map_shows_needed_against_available(ohjaus: Invoke, history: Engine) -> None:
    result = ohjaus(*PLAN, "--people", "6", "-f", "map")
    assert result.exit_code == 0, result.output
    lines = [" ".join(line.split()) for line in result.stdout.splitlines()]
    assert "09 10 11 12 13 14" in lines
    assert "Mon 28/04 5/6 5/6 5/6 5/6 5/6 6/6" in lines
    assert "Thu 01/05 · · · · · ·" in lines
    assert any(line.endswith("With 6 available the opening hours stand.") for line in lines)


@freeze_time("2025-04-24 10:00:00")
def test_the_plan_as_csv_for_a_spreadsheet(ohjaus: Invoke, history: Engine, tmp_path: Path) -> None:
    target = tmp_path / "plan.csv"
    result = ohjaus(*PLAN, "--excel", "--output", str(target))
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    text = target.read_text(encoding="utf-8")
    assert text.startswith("\ufeffdate;weekday;hour;phone_open;")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert len(rows) == 4 * 6  # four open days, six hours each
    assert rows[0]["chat_forecast"] == "10,00"
    assert (rows[0]["needed"], rows[0]["available"]) == ("5", "")
    plain = ohjaus(*PLAN, "-f", "csv")
    assert plain.stdout.splitlines()[1].startswith("2025-04-28,mon,09,1.00,1.00,1.00,12.00,")


@freeze_time("2025-04-24 10:00:00")
def test_without_history_the_plan_says_what_it_assumed(ohjaus: Invoke) -> None:
    result = ohjaus(*PLAN)
    assert result.exit_code == 0, result.output
    out = " ".join(result.stdout.split())
    assert "No contacts were received in those days" in out
    assert "assumed: fewer than 10 handled" in out
    assert "Give the people available with --people" in out


@freeze_time("2025-04-24 10:00:00")
def test_the_next_week_by_default(ohjaus: Invoke) -> None:
    result = ohjaus("staffing", "plan", "-f", "json")
    assert json.loads(result.stdout)["week"] == "2025-W18"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--week", "2025-W60"), "2025 has ISO weeks 1-52"),
        (("--people", "mon=x"), "--people mon=x: give e.g. 4"),
        (("--people", "monday=4"), "is not a weekday"),
        (("--weeks", "0"), "--weeks 0: give 1 to 104 weeks"),
        (("--chat-target", "0"), "--chat-target 0: give a share"),
        (("--chat-patience", "-5"), "patience above zero"),
        (("-f", "json", "--excel"), "--excel"),
    ],
)
def test_bad_plan_options_are_one_line(ohjaus: Invoke, args: tuple[str, ...], message: str) -> None:
    result = ohjaus("staffing", "plan", *args)
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.founding
def test_only_a_lead_makes_a_plan(ohjaus: Invoke, people: dict[str, int]) -> None:
    refused = ohjaus("--as", "Anna", "staffing", "plan", input=f"{PINS['Anna']}\n")
    assert refused.exit_code == 1
    assert "making a staffing plan" in refused.stderr
    allowed = ohjaus("--as", "Liisa", "staffing", "plan", "-f", "json", input=f"{PINS['Liisa']}\n")
    assert allowed.exit_code == 0, allowed.output


@freeze_time("2025-04-24 10:00:00")
def test_the_desks_exceptional_days_close_and_shorten_the_plan(
    ohjaus: Invoke, history: Engine
) -> None:
    assert ohjaus("hours", "except", "2025-04-29", "--closed").exit_code == 0
    assert ohjaus("hours", "except", "2025-04-30", "-c", "phone", "--open", "9-12").exit_code == 0
    result = ohjaus(*PLAN, "-f", "json")
    assert result.exit_code == 0, result.output
    tuesday, wednesday = json.loads(result.stdout)["days"][1:3]
    assert tuesday["open"] is False and tuesday["hours"] == []
    assert wednesday["hours_open"]["phone"] == {"opens": "09:00", "closes": "12:00"}
    assert wednesday["hours_open"]["chat"] == {"opens": "09:00", "closes": "15:00"}
    phone_hours = [hour["hour"] for hour in wednesday["hours"] if hour["needed"]["phone"]]
    assert phone_hours == [9, 10, 11]
