"""``ohjaus report``: periods, formats, languages, suppression, and one-line errors."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from freezegun import freeze_time
from sqlalchemy import Engine

from ohjaus_tui.domain.calendar import HELSINKI
from ohjaus_tui.domain.codes import Role
from ohjaus_tui.domain.contact import ContactRecord
from ohjaus_tui.services.actor import Actor
from ohjaus_tui.services.contacts import log_contact
from tests.cli.conftest import Invoke


def log(engine: Engine, *day: int, **fields: Any) -> None:
    year, month, date, hour, minute = day
    values: dict[str, Any] = {"channel": "chat", "caller_type": "client", "reasons": ("health",)}
    values.update(fields)
    started = datetime(year, month, date, hour, minute, tzinfo=HELSINKI)
    record = ContactRecord(started_at=started, **values)
    log_contact(
        engine,
        record,
        actor=Actor("test", role=Role.ADMIN),
        now=datetime(2030, 1, 1, tzinfo=HELSINKI),
    )


@pytest.fixture
def desk(engine: Engine) -> Engine:
    log(engine, 2025, 3, 3, 10, 0, reasons=("health", "social"))
    log(engine, 2025, 3, 14, 12, 0, channel="phone")
    log(engine, 2025, 3, 31, 23, 30, channel="message", reasons=("digital_support",))
    log(engine, 2025, 2, 10, 9, 0)
    return engine


def as_json(ohjaus: Invoke, *args: str) -> dict[str, Any]:
    result = ohjaus("report", *args, "--format", "json")
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def test_a_month_as_json(ohjaus: Invoke, desk: Engine) -> None:
    data = as_json(ohjaus, "--month", "2025-03")
    assert data["period"]["start"] == "2025-03-01"
    assert data["period"]["end"] == "2025-03-31"
    assert data["contacts"] == 3
    assert data["channel"]["chat"] == {"count": 1, "share": 1 / 3}
    assert data["reason_group"]["other"]["count"] == 1
    assert data["comparison"]["metrics"]["contacts"]["previous"] == 1


@freeze_time("2025-03-15 10:00:00")
@pytest.mark.parametrize("args", [(), ("--month",), ("--month", "current")])
def test_the_current_month_so_far(ohjaus: Invoke, desk: Engine, args: tuple[str, ...]) -> None:
    data = as_json(ohjaus, *args)
    assert (data["period"]["start"], data["period"]["end"]) == ("2025-03-01", "2025-03-15")
    assert data["period"]["to_date"] is True
    assert data["contacts"] == 2  # not the one of 31.3.
    assert data["comparison"]["period"] == {"start": "2025-02-01", "end": "2025-02-15"}


@freeze_time("2025-03-15 10:00:00")
def test_a_value_less_option_before_another_option(ohjaus: Invoke, desk: Engine) -> None:
    result = ohjaus("report", "--week", "--format", "json", "--lang", "en")
    assert result.exit_code == 0, result.output
    period = json.loads(result.stdout)["period"]
    assert (period["start"], period["end"], period["kind"]) == ("2025-03-10", "2025-03-15", "week")
    year = as_json(ohjaus, "--year")["period"]
    assert (year["start"], year["end"]) == ("2025-01-01", "2025-03-15")


def test_a_week_a_year_and_a_range(ohjaus: Invoke, desk: Engine) -> None:
    assert as_json(ohjaus, "--week", "2025-W11")["contacts"] == 1
    assert as_json(ohjaus, "--year", "2025")["contacts"] == 4
    assert as_json(ohjaus, "--from", "2025-03-14", "--to", "2025-03-31")["contacts"] == 2
    assert as_json(ohjaus, "--month=2025-02")["contacts"] == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--month", "2024-13"), "--month 2024-13: there is no month 13"),
        (("--month", "2025-03", "--year", "2025"), "give one period, not --month and --year"),
        (("--week", "--month"), "give one period, not --month and --week"),
        (("--from", "2025-03-10", "--to", "2025-03-01"), "--from 2025-03-10 is after --to"),
        (("--week", "2025-W60"), "2025 has ISO weeks 1-52"),
        (("--to", "2025-03-01"), "--to 2025-03-01 needs --from"),
        (("--from", "31.2.2025"), "there is no such day"),
        (("--suppress-below", "0"), "--suppress-below 0"),
    ],
)
def test_bad_options_give_one_line_and_exit_2(
    ohjaus: Invoke, args: tuple[str, ...], message: str
) -> None:
    result = ohjaus("report", *args)
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("ohjaus: ")
    assert message in lines[0]
    assert "Traceback" not in result.output


def test_the_table(ohjaus: Invoke, desk: Engine) -> None:
    result = ohjaus("report", "--month", "2025-03", language="fi")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Yhteydenottojen tilasto 2025-03" in out
    assert "1.3.2025–31.3.2025" in out
    assert "Kanava" in out and "Syyryhmä" in out and "Palvelutaso" in out
    assert "Yhteydenotot viikonpäivän ja kellonajan mukaan" in out
    assert "Muutos edelliseen jaksoon" in out
    assert "█" in out


def test_the_table_in_english_and_swedish(ohjaus: Invoke, desk: Engine) -> None:
    english = ohjaus("report", "--month", "2025-03", "--lang", "en")
    assert "Contact statistics 2025-03" in english.stdout
    assert "Reason group" in english.stdout
    swedish = ohjaus("--lang", "sv", "report", "--month", "2025-03")
    assert "Kontaktstatistik" in swedish.stdout
    assert "Telefon" in swedish.stdout


def test_a_bad_period_is_said_in_finnish(ohjaus: Invoke, desk: Engine) -> None:
    result = ohjaus("report", "--month", "2025-03", "--year", "2025", language="fi")
    assert result.exit_code == 2
    assert "anna yksi aikaväli, ei sekä --month että --year" in result.stderr


def test_an_empty_period_is_a_clear_empty_report(ohjaus: Invoke, desk: Engine) -> None:
    result = ohjaus("report", "--month", "2024-07", "--lang", "en")
    assert result.exit_code == 0, result.output
    assert "Contacts: 0" in result.stdout
    assert "No contacts were logged in this period." in result.stdout
    data = as_json(ohjaus, "--month", "2024-07")
    assert data["contacts"] == 0
    assert data["level"]["1"] == {"count": 0, "share": 0.0}


def test_markdown_and_csv(ohjaus: Invoke, desk: Engine) -> None:
    md = ohjaus("report", "--month", "2025-03", "--format", "md", language="fi")
    assert md.exit_code == 0, md.output
    assert md.stdout.startswith("# Yhteydenottojen tilasto 2025-03")
    assert "| Chat | 1 | 33,3\u00a0% |" in md.stdout
    result = ohjaus("report", "--month", "2025-03", "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    contacts = next(row for row in rows if row["section"] == "contacts")
    assert contacts["count"] == "3"


def test_csv_for_a_spreadsheet_has_semicolons_decimal_commas_and_a_bom(
    ohjaus: Invoke, desk: Engine
) -> None:
    result = ohjaus("report", "--month", "2025-03", "--excel", language="fi")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("\ufeffsection;code;label;count;share;")
    rows = list(csv.DictReader(io.StringIO(result.stdout.removeprefix("\ufeff")), delimiter=";"))
    chat = next(row for row in rows if row["section"] == "channel" and row["code"] == "chat")
    assert chat["count"] == "1" and chat["share"] == "0,333333"
    plain = list(
        csv.DictReader(io.StringIO(ohjaus("report", "--month", "2025-03", "-f", "csv").stdout))
    )
    assert len(plain) == len(rows)
    assert next(r for r in plain if r["code"] == "chat")["share"] == "0.333333"
    wrong = ohjaus("report", "--month", "2025-03", "--excel", "-f", "json")
    assert wrong.exit_code == 2
    assert wrong.stderr == "ohjaus: --excel writes CSV, not json\n"


def test_every_format_shows_what_was_not_recorded(ohjaus: Invoke, engine: Engine) -> None:
    """Each field that may be left empty has its not-recorded row, 0 included."""
    log(engine, 2025, 3, 3, 10, 0, level="2", resolved_first_contact=True)
    log(engine, 2025, 3, 4, 10, 0, caller_type=None, referral=None)
    log(engine, 2025, 3, 5, 10, 0, referral="external", level="3", resolved_first_contact=False)
    log(engine, 2025, 3, 6, 10, 0, referral="internal", referral_mode="handoff")
    expected = {  # field: (not recorded, base)
        "caller_type": (1, 4),
        "referral": (1, 4),
        "referral_mode": (1, 2),
        "segment": (4, 4),
        "level": (2, 4),
        "resolved_first_contact": (2, 4),
    }

    data = as_json(ohjaus, "--month", "2025-03")
    for field, (count, _) in expected.items():
        assert data["not_recorded"][field] == count, field
    assert data["resolved_first_contact"] == {"count": 1, "share": 0.25}

    rows = list(
        csv.DictReader(io.StringIO(ohjaus("report", "--month", "2025-03", "-f", "csv").stdout))
    )
    unrecorded = {row["section"]: row for row in rows if row["code"] == "not_recorded"}
    for field, (count, base) in expected.items():
        assert unrecorded[field]["count"] == str(count), field
        assert float(unrecorded[field]["share"]) == pytest.approx(count / base), field

    md = ohjaus("report", "--month", "2025-03", "-f", "md", "--lang", "en").stdout
    assert md.count("| _not recorded_ |") == len(expected)
    resolved = "| Resolved in the first contact | 1 | 25,0\u00a0% |"
    assert f"{resolved}\n| _not recorded_ | 2 | 50,0\u00a0% |" in md
    assert "_share of the contacts referred on: 2_" in md

    table = ohjaus("report", "--month", "2025-03", "--lang", "en").stdout
    lines = [" ".join(line.split()) for line in table.splitlines()]
    assert "not recorded 1 50,0 %" in lines  # the referral mode, of the 2 referred on
    assert "not recorded 2 50,0 %" in lines  # the level, and resolved
    assert sum(line.startswith("not recorded") for line in lines) == len(expected)


def test_a_field_no_contact_leaves_empty_still_says_so(ohjaus: Invoke, desk: Engine) -> None:
    md = ohjaus("report", "--month", "2025-03", "-f", "md", "--lang", "en").stdout
    caller = md.split("## Caller", 1)[1].split("##", 1)[0]
    assert "| _not recorded_ | 0 | 0,0\u00a0% |" in caller


def test_suppress_below(ohjaus: Invoke, desk: Engine) -> None:
    data = as_json(ohjaus, "--month", "2025-03", "--suppress-below", "2")
    assert data["suppress_below"] == 2
    assert data["channel"]["chat"] == {"count": None, "share": None}
    assert data["contacts"] == 3
    table = ohjaus("report", "--month", "2025-03", "--suppress-below", "5", "--lang", "en")
    assert "Counts under 5 are shown as <5." in table.stdout
    assert "Contacts: <5" in table.stdout


def test_output_to_a_file(ohjaus: Invoke, desk: Engine, tmp_path: Path) -> None:
    target = tmp_path / "march.json"
    result = ohjaus("report", "--month", "2025-03", "-f", "json", "-o", str(target))
    assert result.exit_code == 0, result.output
    assert json.loads(target.read_text(encoding="utf-8"))["contacts"] == 3
    table = tmp_path / "march.txt"
    assert ohjaus("report", "--month", "2025-03", "-o", str(table), language="fi").exit_code == 0
    assert "Kanava" in table.read_text(encoding="utf-8")
