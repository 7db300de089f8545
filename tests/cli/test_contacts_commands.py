"""``ohjaus contacts import/export``: checked, all or nothing, no identity codes, round trip."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from sqlalchemy import Engine, func
from sqlmodel import Session, col, select

from ohjaus_tui.db.engine import write_session
from ohjaus_tui.db.models import AuditEvent, ContactLog, ContactReason, Service
from ohjaus_tui.domain.contact import COLUMNS
from tests.cli.conftest import Invoke

HEADER = ",".join(COLUMNS)
HETU = "131052-308T"


def row(**cells: str) -> str:
    values = {
        "started_at": "2024-05-06T10:15",
        "channel": "phone",
        "caller_type": "client",
        "reasons": "health",
        "referral": "none",
    }
    values.update(cells)
    line = io.StringIO()
    csv.writer(line, lineterminator="").writerow([values.get(column, "") for column in COLUMNS])
    return line.getvalue()


def write(tmp_path: Path, *lines: str, name: str = "contacts.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def contacts_in(engine: Engine) -> int:
    with Session(engine) as session:
        return int(session.exec(select(func.count()).select_from(ContactLog)).one())


@pytest.fixture
def directory(engine: Engine) -> Engine:
    with write_session(engine) as session:
        session.add(
            Service(
                code="soite-kotihoito",
                name_fi="Kotihoito, Kokkola",
                segment="older_people",
                provider_type="county",
                search_text="",
            )
        )
    return engine


def test_import_a_tally_sheet(ohjaus: Invoke, directory: Engine, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "# Soite, kevät 2024",
        HEADER,
        row(reasons="health;appointment", identified="true", resolved_first_contact="true"),
        row(
            started_at="2024-05-31T23:30",
            channel="chat",
            caller_type="relative",
            reasons="social",
            referral="internal",
            referral_mode="handoff",
            referral_service="soite-kotihoito",
            feedback_score="4",
            helped="true",
            language="sv",
            note="ohjattu kotihoitoon",
        ),
    )
    result = ohjaus("contacts", "import", str(path))
    assert result.exit_code == 0, result.output
    assert "contacts.csv: 2 contacts imported (2024-05-06 – 2024-05-31)." in result.stdout
    with Session(directory) as session:
        stored = session.exec(select(ContactLog).order_by(col(ContactLog.started_at))).all()
        assert [c.source for c in stored] == ["import", "import"]
        referred = stored[1]
        assert referred.referral_service_code == "soite-kotihoito"
        assert referred.referral_service_name == "Kotihoito, Kokkola"
        assert referred.referral_segment == "older_people"  # from the directory
        assert referred.referral_service_id is not None
        assert (referred.feedback_scale, referred.feedback_score) == (5, 4)
        reasons = session.exec(select(ContactReason.reason).order_by(ContactReason.reason)).all()
        assert list(reasons) == ["appointment", "health", "social"]
        event = session.exec(select(AuditEvent).where(AuditEvent.action == "contacts.import")).one()
        assert event.detail is not None
        assert json.loads(event.detail)["contacts"] == 2
    report = json.loads(ohjaus("report", "--month", "2024-05", "-f", "json").stdout)
    assert report["contacts"] == 2  # 31.5. 23:30 local is May
    assert report["referral_segment"]["older_people"]["count"] == 1


def test_a_tally_sheet_that_did_not_record_everything(
    ohjaus: Invoke, directory: Engine, tmp_path: Path
) -> None:
    """What a sheet left empty is imported as not recorded, and the report counts it so."""
    path = write(
        tmp_path,
        "started_at,channel,reasons,caller_type,referral,referral_mode,referral_service",
        "2024-05-06T10:15,phone,health,,internal,,soite-kotihoito",  # no mode
        "2024-05-07T10:15,phone,health,client,external,,",  # no mode
        "2024-05-08T10:15,chat,social,relative,internal,handoff,soite-kotihoito",
        "2024-05-09T10:15,chat,health,,,,",  # neither caller nor referral
        "2024-05-10T10:15,message,health,client,none,,",
    )
    result = ohjaus("contacts", "import", str(path))
    assert result.exit_code == 0, result.output
    with Session(directory) as session:
        stored = session.exec(select(ContactLog).order_by(col(ContactLog.started_at))).all()
    assert [c.referral_mode for c in stored] == [None, None, "handoff", None, None]
    assert [c.referral for c in stored] == ["internal", "external", "internal", None, "none"]
    assert [c.caller_type for c in stored] == [None, "client", "relative", None, "client"]

    report = json.loads(ohjaus("report", "--month", "2024-05", "-f", "json").stdout)
    assert report["bases"]["referral_mode"] == 3  # the contacts referred on
    assert report["referral_mode"]["handoff"] == {"count": 1, "share": pytest.approx(1 / 3)}
    assert report["not_recorded"]["referral_mode"] == 2
    assert report["not_recorded"]["referral"] == 1
    assert report["not_recorded"]["caller_type"] == 2
    assert report["comparison"]["metrics"]["referred"]["current"] == pytest.approx(3 / 5)
    table = ohjaus("report", "--month", "2024-05", "--lang", "en").stdout
    assert "not recorded" in table

    exported = ohjaus("contacts", "export", "--month", "2024-05").stdout
    again = write(tmp_path, exported.rstrip("\n"), name="again.csv")
    assert ohjaus("contacts", "import", str(again), "--dry-run").exit_code == 0
    rows = list(csv.DictReader(io.StringIO(exported)))
    assert [r["referral_mode"] for r in rows] == ["", "", "handoff", "", ""]
    assert [r["caller_type"] for r in rows] == ["", "client", "relative", "", "client"]


def test_every_error_is_listed_and_nothing_is_written(
    ohjaus: Invoke, directory: Engine, tmp_path: Path
) -> None:
    path = write(
        tmp_path,
        HEADER,
        row(),  # line 2: good
        row(started_at="6.5.2024 10:15"),
        row(started_at="2024-05-06"),
        row(channel="fax"),
        row(caller_type="neighbour"),
        row(reasons="health;health"),
        row(reasons="weather"),
        row(reasons=""),
        row(referral_mode="handoff"),
        row(referral="", referral_service="soite-kotihoito"),
        row(referral="internal", referral_mode="handoff", referral_service="no-such-service"),
        row(identified="yes"),
        row(feedback_score="7"),
        row(feedback_score="good"),
        row(level="9"),
        row(note=f"asiakkaan hetu {HETU}"),
        row(started_at="2099-01-01T10:00"),
        "2024-05-06T10:15,phone,client,health,none,extra,,,,,,,,,,,,,",
    )
    result = ohjaus("contacts", "import", str(path))
    assert result.exit_code == 2
    errors = result.stderr.strip().splitlines()
    assert errors[-1] == "ohjaus: contacts.csv: 17 errors, nothing was imported"
    expected = [
        "line 3, started_at: '6.5.2024 10:15' is not an ISO 8601 date and time",
        "line 4, started_at: '2024-05-06' has no time of day",
        "line 5, channel: unknown channel code 'fax'",
        "line 6, caller_type: unknown caller_type code 'neighbour'",
        "line 7, reasons: reason 'health' is given twice",
        "line 8, reasons: unknown reason code 'weather'",
        "line 9, reasons: required, but empty",
        "line 10, referral_mode: must be empty when referral is 'none'",
        "line 11, referral_service: must be empty when referral is not recorded",
        "line 12, referral_service: no service 'no-such-service' in the directory",
        "line 13, identified: 'yes': use true or false",
        "line 14, feedback_score: must be 1-5, not 7",
        "line 15, feedback_score: 'good' is not a whole number 1-5",
        "line 16, level: unknown level code '9'",
        "line 17, note: the text contains a personal identity code (henkilötunnus)",
        "line 18, started_at: 2099-01-01T10:00:00+02:00 is in the future",
        "line 19, row: 19 values, but the header has 18 columns",
    ]
    assert len(errors) == len(expected) + 1
    for error, start in zip(errors, expected, strict=False):
        assert error.startswith(start), (error, start)
    assert HETU not in result.output
    assert "Traceback" not in result.output
    assert contacts_in(directory) == 0


def test_header_errors(ohjaus: Invoke, engine: Engine, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "started_at,chanel,caller_type,reasons,reasons,colour",
        "2024-05-06T10:15,phone,client,health,health,red",
    )
    result = ohjaus("contacts", "import", str(path))
    assert result.exit_code == 2
    errors = result.stderr.splitlines()
    assert "line 1, header: unknown column 'chanel'; did you mean 'channel'?" in errors
    assert "line 1, header: column 'reasons' appears twice" in errors
    assert any(e.startswith("line 1, header: unknown column 'colour'") for e in errors)
    assert "line 1, header: required column 'channel' is missing" in errors
    assert not any("'referral' is missing" in error for error in errors)  # may be left out
    assert contacts_in(engine) == 0


def test_the_reasons_are_said_in_finnish(ohjaus: Invoke, engine: Engine, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "started_at,channel,reasons,referral,feedback_score,identified,notes",
        "2024-05-06T10:15,phone,health,none,7,true,",
        "2024-05-06,phone,health,none,,kyllä,",
        "2024-05-06T10:15,fax,weather,none,,,",
        "2024-05-06T10:15,phone",
    )
    result = ohjaus("contacts", "import", str(path), language="fi")
    assert result.exit_code == 2
    errors = result.stderr.splitlines()
    assert "rivi 1, otsikkorivi: tuntematon sarake 'notes'; tarkoititko 'note'?" in errors
    assert "rivi 2, feedback_score: oltava 1-5, ei 7" in errors
    assert any(e.startswith("rivi 3, started_at: '2024-05-06': kellonaika puuttuu") for e in errors)
    assert "rivi 3, identified: 'kyllä': käytä arvoa true tai false" in errors
    unknown_channel = "rivi 4, channel: tuntematon koodi 'fax' luettelossa channel (tunnetut:"
    assert any(error.startswith(unknown_channel) for error in errors)
    assert any(e.startswith("rivi 4, reasons: tuntematon koodi 'weather'") for e in errors)
    assert "rivi 5, rivi: 2 arvoa, mutta otsikkorivillä on 7 saraketta" in errors
    assert errors[-1] == "ohjaus: contacts.csv: 7 virhettä, mitään ei tuotu"
    assert not any("line" in error or "unknown" in error for error in errors), errors
    assert contacts_in(engine) == 0


def test_a_henkilotunnus_in_the_note_is_refused(
    ohjaus: Invoke, engine: Engine, tmp_path: Path
) -> None:
    path = write(tmp_path, HEADER, row(note=f"soitti {HETU.lower()}"), row())
    result = ohjaus("contacts", "import", str(path))
    assert result.exit_code == 2
    assert (
        "line 2, note: the text contains a personal identity code (henkilötunnus)" in result.stderr
    )
    assert HETU.lower() not in result.output
    assert contacts_in(engine) == 0


def test_unreadable_files(ohjaus: Invoke, engine: Engine, tmp_path: Path) -> None:
    missing = ohjaus("contacts", "import", str(tmp_path / "nothing.csv"))
    assert missing.exit_code == 2
    assert "no such file" in missing.stderr
    latin = tmp_path / "latin.csv"
    latin.write_bytes((HEADER + "\n" + row(note="hyvä") + "\n").encode("latin-1"))
    result = ohjaus("contacts", "import", str(latin))
    assert result.exit_code == 2
    assert "line 2 is not UTF-8 text" in result.stderr
    empty = write(tmp_path, HEADER, name="empty.csv")
    assert "has no contacts" in ohjaus("contacts", "import", str(empty)).stderr


def test_dry_run_writes_nothing(ohjaus: Invoke, engine: Engine, tmp_path: Path) -> None:
    path = write(tmp_path, HEADER, row(), row())
    result = ohjaus("contacts", "import", str(path), "--dry-run")
    assert result.exit_code == 0, result.output
    assert "2 contacts checked" in result.stdout
    assert contacts_in(engine) == 0


def test_the_same_file_is_not_imported_twice_by_mistake(
    ohjaus: Invoke, engine: Engine, tmp_path: Path
) -> None:
    path = write(tmp_path, HEADER, row())
    assert ohjaus("contacts", "import", str(path)).exit_code == 0
    again = ohjaus("contacts", "import", str(path))
    assert again.exit_code == 2
    assert "was imported already" in again.stderr
    assert "--allow-duplicate" in again.stderr
    assert contacts_in(engine) == 1
    assert ohjaus("contacts", "import", str(path), "--allow-duplicate").exit_code == 0
    assert contacts_in(engine) == 2


def test_a_semicolon_separated_file(ohjaus: Invoke, engine: Engine, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "started_at;channel;caller_type;reasons;referral",
        '2024-05-06T10:15;chat;client;"health;social";none',
    )
    result = ohjaus("contacts", "import", str(path))
    assert result.exit_code == 0, result.output
    with Session(engine) as session:
        assert len(session.exec(select(ContactReason)).all()) == 2


def exported(ohjaus: Invoke, *args: str) -> list[dict[str, str]]:
    result = ohjaus("contacts", "export", *args)
    assert result.exit_code == 0, result.output
    return list(csv.DictReader(io.StringIO(result.stdout)))


def test_export_then_import_round_trips(ohjaus: Invoke, directory: Engine, tmp_path: Path) -> None:
    original = write(
        tmp_path,
        HEADER,
        row(started_at="2024-03-31T23:30", reasons="social;health;other", level="2"),
        row(
            started_at="2024-10-27T03:30+02:00",
            channel="chat",
            referral="external",
            referral_mode="instructed",
            referral_service="soite-kotihoito",
            referral_segment="health",
            segment="working_age",
            identified="true",
            on_behalf="true",
            language="en",
            resolved_first_contact="false",
            many_services="true",
            feedback_score="2",
            helped="false",
            note='sanoi "kiitos", ja lähti',
        ),
        row(started_at="2024-11-01T00:00:00.250000+02:00", channel="message"),
    )
    assert ohjaus("contacts", "import", str(original)).exit_code == 0
    first = exported(ohjaus)
    assert [r["started_at"] for r in first] == [
        "2024-03-31T23:30:00+03:00",
        "2024-10-27T03:30:00+02:00",
        "2024-11-01T00:00:00.250000+02:00",
    ]
    assert first[0]["reasons"] == "health;social;other"  # in code-list order
    assert first[1]["referral_segment"] == "health"  # as given, not the directory's
    assert first[1]["note"] == 'sanoi "kiitos", ja lähti'
    report_before = json.loads(ohjaus("report", "--year", "2024", "-f", "json").stdout)

    dump = tmp_path / "export.csv"
    assert ohjaus("contacts", "export", "-o", str(dump)).exit_code == 0
    result = ohjaus("contacts", "import", str(dump))
    assert result.exit_code == 0, result.output
    second = exported(ohjaus)
    assert second == [r for r in first for _ in range(2)]
    report_after = json.loads(ohjaus("report", "--year", "2024", "-f", "json").stdout)
    assert report_after["contacts"] == 2 * report_before["contacts"]
    for key in ("channel", "reason", "reason_group", "referral", "level", "language"):
        for code, value in report_before[key].items():
            assert report_after[key][code]["count"] == 2 * value["count"]
            assert report_after[key][code]["share"] == pytest.approx(value["share"])


def test_export_a_period(ohjaus: Invoke, engine: Engine, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        HEADER,
        row(started_at="2024-04-30T23:59"),
        row(started_at="2024-05-01T00:00"),
        row(started_at="2024-05-31T23:30"),
        row(started_at="2024-06-01T00:00"),
    )
    assert ohjaus("contacts", "import", str(path)).exit_code == 0
    may = exported(ohjaus, "--month", "2024-05")
    assert [r["started_at"][:16] for r in may] == ["2024-05-01T00:00", "2024-05-31T23:30"]
    assert len(exported(ohjaus, "--from", "2024-04-30", "--to", "2024-05-01")) == 2
    bad = ohjaus("contacts", "export", "--month", "2024-13")
    assert bad.exit_code == 2
    assert len(bad.stderr.strip().splitlines()) == 1


def test_export_of_an_empty_log_is_a_header(ohjaus: Invoke, engine: Engine) -> None:
    result = ohjaus("contacts", "export")
    assert result.exit_code == 0
    assert result.stdout == HEADER + "\n"


def test_an_export_for_a_spreadsheet_opens_in_finland_and_imports_back(
    ohjaus: Invoke, directory: Engine, tmp_path: Path
) -> None:
    original = write(
        tmp_path,
        HEADER,
        row(started_at="2024-03-31T23:30", reasons="social;health", note="kello 9.30, ok"),
    )
    assert ohjaus("contacts", "import", str(original)).exit_code == 0
    sheet = tmp_path / "excel.csv"
    assert ohjaus("contacts", "export", "--excel", "-o", str(sheet)).exit_code == 0
    data = sheet.read_bytes()
    assert data.startswith("\ufeff".encode())  # the mark that makes a spreadsheet read UTF-8
    header, first = data.decode("utf-8-sig").splitlines()[:2]
    assert header == HEADER.replace(",", ";")
    assert '"health;social"' in first and "kello 9.30, ok" in first
    result = ohjaus("contacts", "import", str(sheet))
    assert result.exit_code == 0, result.output
    assert len(exported(ohjaus)) == 2
