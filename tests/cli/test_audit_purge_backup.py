"""``ohjaus audit``, ``ohjaus purge``, ``ohjaus db backup`` and ``ohjaus db restore``.

Backups copy SQLite files, so their tests run in the SQLite pass only; what
the audit and purge commands do runs on both engines.
"""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import stat
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, col, select
from typer.testing import CliRunner, Result

from ohjaus_tui.cli.app import app
from ohjaus_tui.db.engine import make_engine, write_session
from ohjaus_tui.db.migrate import head_revision
from ohjaus_tui.db.models import AuditEvent, ContactLog, ContactReason, QueueItem
from ohjaus_tui.db.url import normalise_url
from ohjaus_tui.domain.calendar import utcnow
from ohjaus_tui.domain.codes import Role
from ohjaus_tui.services.actor import Actor, os_user_name
from ohjaus_tui.services.backup import backup_desk
from ohjaus_tui.services.operators import add_operator
from tests.cli.conftest import DESK_ADMIN, Invoke
from tests.db.test_copy import dump, fill_desk

FAKE_PG = "postgresql+psycopg://ohjaus@127.0.0.1:1/ohjaus"


def run(database: str, *args: str) -> Result:
    return CliRunner().invoke(app, ["--db", database, *args], env={"OHJAUS_LANGUAGE": "en"})


def one_error_line(result: Result, exit_code: int = 2) -> str:
    assert result.exit_code == exit_code, result.output
    assert "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("ohjaus: ")
    return lines[0]


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def audit_actions(engine: Engine, prefix: str) -> list[AuditEvent]:
    with Session(engine) as session:
        return list(
            session.exec(
                select(AuditEvent)
                .where(col(AuditEvent.action).startswith(prefix))
                .order_by(col(AuditEvent.id))
            )
        )


# --- audit ----------------------------------------------------------------------------------


@pytest.mark.usefixtures("people")
def test_audit_lists_the_trail_and_records_the_view(ohjaus: Invoke, engine: Engine) -> None:
    first = ohjaus("audit", "--format", "json")
    assert first.exit_code == 0, first.output
    rows = [  # but the desk's admin (tests/cli/conftest.py)
        row for row in json.loads(first.stdout) if row["detail"]["name"] != DESK_ADMIN
    ]
    assert [row["action"] for row in rows] == ["operator.add"] * 3
    assert rows[0]["detail"] == {"name": "Anna", "role": "operator"}
    assert rows[0]["at"].endswith(("+02:00", "+03:00"))  # local time, Europe/Helsinki

    again = ohjaus("audit", "--action", "audit.", "--format", "json")
    [view] = json.loads(again.stdout)
    assert view["action"] == "audit.view"
    assert view["actor"] == DESK_ADMIN
    assert view["detail"] == {"rows": 4}


@pytest.mark.usefixtures("people")
def test_audit_as_csv_and_as_a_table(ohjaus: Invoke) -> None:
    result = ohjaus("audit", "--operator", "test", "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = [  # but the desk's admin
        row
        for row in csv.DictReader(io.StringIO(result.stdout))
        if json.loads(row["detail"])["name"] != DESK_ADMIN
    ]
    assert [row["action"] for row in rows] == ["operator.add"] * 3
    assert list(rows[0]) == ["at", "actor", "action", "entity", "entity_id", "detail"]
    assert json.loads(rows[0]["detail"])["name"] == "Anna"

    table = ohjaus("audit", "--action", "operator.")
    assert table.exit_code == 0, table.output
    assert "Europe/Helsinki" in table.stdout
    assert "4 events." in table.stdout


def test_audit_speaks_finnish(ohjaus: Invoke) -> None:
    ohjaus("audit")  # the view is recorded: one event to show
    table = ohjaus("audit", "--action", "audit.view", language="fi")
    assert table.exit_code == 0, table.output
    assert "aika (Europe/Helsinki)" in table.stdout
    assert "1 tapahtuma." in table.stdout
    verified = ohjaus("audit", "verify", language="fi")
    assert verified.exit_code == 0, verified.output
    assert "Tapahtumaloki on ehjä:" in verified.stdout
    late = one_error_line(ohjaus("audit", "--from", "5.3.2025", "--to", "4.3.2025", language="fi"))
    assert late == "ohjaus: --from 2025-03-05 on myöhemmin kuin --to 2025-03-04"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--from", "2025-02-30"), "--from 2025-02-30: there is no such day"),
        (("--to", "yesterday"), "--to yesterday: use a date YYYY-MM-DD"),
        (("--from", "5.3.2025", "--to", "2025-03-04"), "--from 2025-03-05 is after --to"),
    ],
)
def test_audit_bad_dates_are_one_line_and_exit_2(
    ohjaus: Invoke, args: tuple[str, ...], message: str
) -> None:
    assert message in one_error_line(ohjaus("audit", *args))


def test_audit_help_says_the_trail_cannot_be_edited(ohjaus: Invoke) -> None:
    result = ohjaus("audit", "--help")
    assert result.exit_code == 0
    said = " ".join(result.stdout.split())
    assert "the database refuses to change or delete an audit row" in said
    assert "verify" in said


# --- purge ----------------------------------------------------------------------------------


def closed_item(engine: Engine, days_ago: int) -> int:
    at = utcnow() - timedelta(days=days_ago)
    with write_session(engine) as session:
        item = QueueItem(
            channel="phone",
            received_at=at,
            available_at=at,
            status="closed",
            closed_at=at,
            callback_number="+358401234567",
            updated_at=at,
        )
        session.add(item)
        session.flush()
        assert item.id is not None
        return item.id


def callback_number(engine: Engine, item_id: int) -> str | None:
    with Session(engine) as session:
        return session.get_one(QueueItem, item_id).callback_number


def test_purge_dry_run_then_purge(ohjaus: Invoke, engine: Engine) -> None:
    old, recent = closed_item(engine, 31), closed_item(engine, 29)

    dry = ohjaus("purge", "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert "Would purge" in dry.stdout
    assert "nothing was written" in dry.stdout
    assert callback_number(engine, old) == "+358401234567"

    done = ohjaus("purge", "--format", "json")
    assert done.exit_code == 0, done.output
    data = json.loads(done.stdout)
    assert (data["dry_run"], data["days"]) == (False, 30)
    assert data["counts"]["queue_items"] == 1
    assert data["counts"]["callback_numbers"] == 1
    assert callback_number(engine, old) is None
    assert callback_number(engine, recent) == "+358401234567"
    [event] = audit_actions(engine, "retention.purge")
    assert event.actor == DESK_ADMIN


def test_purge_days_from_the_option_and_the_setting(
    ohjaus: Invoke, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    recent = closed_item(engine, 8)
    monkeypatch.setenv("OHJAUS_RETENTION_DAYS", "10")
    assert json.loads(ohjaus("purge", "--dry-run", "-f", "json").stdout)["days"] == 10
    assert callback_number(engine, recent) is not None

    result = ohjaus("purge", "--days", "7")
    assert result.exit_code == 0, result.output
    assert "(7 days ago)" in result.stdout
    assert callback_number(engine, recent) is None


def test_purge_refuses_zero_days(ohjaus: Invoke) -> None:
    assert "--days 0" in one_error_line(ohjaus("purge", "--days", "0"))


def test_purge_speaks_finnish(ohjaus: Invoke) -> None:
    result = ohjaus("purge", "--days", "1", "--dry-run", language="fi")
    assert result.exit_code == 0, result.output
    said = " ".join(result.stdout.split())
    assert "Poistettaisiin tunnistetiedot" in said
    assert "(1 päivä sitten):" in said
    assert "lomakeluonnoksia poistettu 0" in said
    assert "Kokeiluajo: mitään ei kirjoitettu." in said
    refused = one_error_line(ohjaus("purge", "--days", "0", language="fi"))
    assert refused == "ohjaus: --days 0: anna 1–3650 päivää"


# --- backup ---------------------------------------------------------------------------------


def test_backup_of_postgresql_points_at_pg_dump(tmp_path: Path) -> None:
    line = one_error_line(run(FAKE_PG, "db", "backup", str(tmp_path / "b.db")))
    assert "pg_dump" in line
    line = one_error_line(run(FAKE_PG, "db", "restore", str(tmp_path / "b.db")))
    assert "pg_restore" in line
    assert list(tmp_path.iterdir()) == []


@pytest.mark.sqlite_only
def test_backup_is_0600_verified_and_counted(
    ohjaus: Invoke, engine: Engine, tmp_path: Path
) -> None:
    fill_desk(engine)
    target = tmp_path / "backups" / "desk-backup.db"
    target.parent.mkdir()

    result = ohjaus("db", "backup", str(target), "--format", "json")

    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert mode(target) == 0o600
    assert data["bytes"] == target.stat().st_size > 0
    assert data["revision"] == head_revision()
    assert data["counts"]["queue_item"] == 2
    assert data["counts"]["form_draft"] == 1
    assert sorted(p.name for p in target.parent.iterdir()) == ["desk-backup.db"]  # one file
    with sqlite3.connect(target) as copy:
        assert copy.execute("PRAGMA journal_mode").fetchone() == ("delete",)
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    [event] = audit_actions(engine, "db.backup")
    assert json.loads(event.detail or "")["path"] == str(target)


@pytest.mark.sqlite_only
def test_backup_refuses_to_overwrite_without_force(
    ohjaus: Invoke, engine: Engine, tmp_path: Path
) -> None:
    target = tmp_path / "old-backup.db"
    target.write_bytes(b"yesterday's backup")

    line = one_error_line(ohjaus("db", "backup", str(target)))

    assert "exists; give --force" in line
    assert target.read_bytes() == b"yesterday's backup"
    assert not [p for p in tmp_path.iterdir() if "partial" in p.name]  # nothing left behind
    finnish = one_error_line(ohjaus("db", "backup", str(target), language="fi"))
    assert f"{target} on jo olemassa; korvaa se antamalla --force" in finnish
    forced = ohjaus("db", "backup", str(target), "--force")
    assert forced.exit_code == 0, forced.output
    assert target.read_bytes().startswith(b"SQLite format 3\x00")
    assert mode(target) == 0o600


@pytest.mark.sqlite_only
def test_backup_refuses_the_database_itself_and_a_folder(
    ohjaus: Invoke, engine: Engine, db_url: str, tmp_path: Path
) -> None:
    database = Path(db_url.removeprefix("sqlite:///"))
    assert "the database itself" in one_error_line(ohjaus("db", "backup", str(database)))
    assert "is a folder" in one_error_line(ohjaus("db", "backup", str(tmp_path)))


def add_contacts(engine: Engine, count: int) -> None:
    """``count`` contacts, each with exactly two reasons, in one transaction."""
    with write_session(engine) as session:
        for _ in range(count):
            contact = ContactLog(started_at=utcnow(), channel="chat", caller_type="client")
            session.add(contact)
            session.flush()
            assert contact.id is not None
            session.add(ContactReason(contact_id=contact.id, reason="health"))
            session.add(ContactReason(contact_id=contact.id, reason="social"))


def copy_counts(path: Path) -> tuple[int, int, str]:
    """Contacts, contacts without exactly two reasons, and the integrity check of a copy."""
    with sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True) as copy:
        contacts = copy.execute("SELECT count(*) FROM contact_log").fetchone()[0]
        broken = copy.execute(
            "SELECT count(*) FROM contact_log c WHERE "
            "(SELECT count(*) FROM contact_reason r WHERE r.contact_id = c.id) != 2"
        ).fetchone()[0]
        integrity = copy.execute("PRAGMA integrity_check").fetchone()[0]
    return contacts, broken, integrity


@pytest.mark.sqlite_only
def test_backup_while_a_write_transaction_is_open(
    engine: Engine, db_url: str, tmp_path: Path
) -> None:
    add_contacts(engine, 10)
    target = tmp_path / "during.db"
    in_transaction = threading.Event()
    errors: list[BaseException] = []
    operator = make_engine(db_url)

    def write_and_hold() -> None:
        try:
            with write_session(operator) as session:
                for _ in range(5):
                    session.add(
                        ContactLog(started_at=utcnow(), channel="chat", caller_type="client")
                    )
                session.flush()
                in_transaction.set()
                deadline = time.monotonic() + 30
                while not target.exists() and time.monotonic() < deadline:
                    time.sleep(0.01)  # hold the write lock until the copy is in place
        except BaseException as exc:  # reported below
            errors.append(exc)

    writer = threading.Thread(target=write_and_hold)
    writer.start()
    try:
        assert in_transaction.wait(timeout=30)
        result = backup_desk(db_url, target, identify=lambda: Actor("test", role=Role.ADMIN))
    finally:
        writer.join(timeout=60)
        operator.dispose()

    assert errors == []
    assert result.counts["contact_log"] == 10
    assert copy_counts(target) == (10, 0, "ok")  # the open transaction's rows are not in it
    with Session(engine) as session:
        assert len(session.exec(select(ContactLog)).all()) == 15  # and they did commit


@pytest.mark.sqlite_only
def test_backups_while_operators_keep_writing_are_consistent(
    engine: Engine, db_url: str, tmp_path: Path
) -> None:
    add_contacts(engine, 50)
    stop = threading.Event()
    errors: list[BaseException] = []
    operator = make_engine(db_url)

    def keep_writing() -> None:
        try:
            while not stop.is_set():
                add_contacts(operator, 3)
        except BaseException as exc:  # reported below
            errors.append(exc)

    writer = threading.Thread(target=keep_writing)
    writer.start()
    seen: list[int] = []
    try:
        for number in range(4):
            target = tmp_path / f"busy-{number}.db"
            backup_desk(db_url, target, identify=lambda: Actor("test", role=Role.ADMIN))
            contacts, broken, integrity = copy_counts(target)
            assert (broken, integrity) == (0, "ok")
            assert contacts % 3 == 50 % 3  # whole transactions only
            seen.append(contacts)
    finally:
        stop.set()
        writer.join(timeout=60)
        operator.dispose()

    assert errors == []
    assert seen == sorted(seen)
    assert seen[-1] > 50  # the writer was writing while the backups were made


# --- restore --------------------------------------------------------------------------------


def make_backup(tmp_path: Path, name: str = "backup.db") -> Path:
    """A backup of a filled desk of its own."""
    source = normalise_url(str(tmp_path / f"source-of-{name}"))
    fill_desk_at(source)
    target = tmp_path / name
    result = run(source, "db", "backup", str(target))
    assert result.exit_code == 0, result.output
    return target


def fill_desk_at(url: str) -> None:
    from ohjaus_tui.services.database import open_desk

    engine = open_desk(url)
    try:
        fill_desk(engine)
        add_operator(
            engine,
            DESK_ADMIN,
            role=Role.ADMIN,
            os_user=os_user_name(),
            actor=Actor("test", role=Role.ADMIN),
        )
    finally:
        engine.dispose()


def refused_untouched(ohjaus: Invoke, path: Path, message: str, db_url: str) -> None:
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    line = one_error_line(ohjaus("db", "restore", str(path)))
    assert message in line
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before
    assert not Path(db_url.removeprefix("sqlite:///")).exists()  # nothing created either


@pytest.mark.sqlite_only
@pytest.mark.founding  # no desk at all yet
def test_restore_refuses_a_text_file(ohjaus: Invoke, db_url: str, tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("not a database\n")
    refused_untouched(ohjaus, notes, "is not an ohjaus database (not a SQLite file)", db_url)


@pytest.mark.sqlite_only
@pytest.mark.founding  # no desk at all yet
def test_restore_refuses_another_programs_database(
    ohjaus: Invoke, db_url: str, tmp_path: Path
) -> None:
    other = tmp_path / "other.sqlite"
    with sqlite3.connect(other) as connection:
        connection.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
        connection.execute("INSERT INTO notes (body) VALUES ('hello')")
    connection.close()
    refused_untouched(
        ohjaus, other, "is not an ohjaus database (it has no schema revision)", db_url
    )


@pytest.mark.sqlite_only
@pytest.mark.founding  # no desk at all yet
def test_restore_refuses_a_newer_schema(ohjaus: Invoke, db_url: str, tmp_path: Path) -> None:
    newer = make_backup(tmp_path, "newer.db")
    with sqlite3.connect(newer) as connection:
        connection.execute("UPDATE alembic_version SET version_num = 'ffffffffffff'")
    connection.close()
    refused_untouched(ohjaus, newer, "schema revision ffffffffffff", db_url)


@pytest.mark.sqlite_only
def test_restore_refuses_a_damaged_backup(ohjaus: Invoke, db_url: str, tmp_path: Path) -> None:
    damaged = make_backup(tmp_path, "damaged.db")
    with sqlite3.connect(damaged) as connection:
        page_size = connection.execute("PRAGMA page_size").fetchone()[0]
        root = connection.execute(
            "SELECT rootpage FROM sqlite_master WHERE name = 'code'"
        ).fetchone()[0]
    connection.close()
    with damaged.open("r+b") as handle:
        handle.seek((root - 1) * page_size)  # the table's b-tree page header
        handle.write(b"\xff" * 16)
    before = damaged.read_bytes()
    line = one_error_line(ohjaus("db", "restore", str(damaged)))
    assert "integrity" in line or "not a usable database" in line
    assert damaged.read_bytes() == before


@pytest.mark.sqlite_only
def test_restore_refuses_a_desk_with_rows_unless_forced(
    ohjaus: Invoke, engine: Engine, tmp_path: Path
) -> None:
    backup = make_backup(tmp_path)
    added = ohjaus("operators", "add", "Anna", input="2580\n2580\n")
    assert added.exit_code == 0, added.output

    line = one_error_line(ohjaus("db", "restore", str(backup)))
    assert "holds 4 rows; give --force" in line  # Anna, the admin and their audit events

    forced = ohjaus("db", "restore", str(backup), "--force", "--format", "json")
    assert forced.exit_code == 0, forced.output
    assert json.loads(forced.stdout)["replaced_rows"] == 4
    # Anna is gone, but not the trail's record of adding her: carried over, marked as such
    [added_anna] = [
        json.loads(e.detail or "{}")
        for e in audit_actions(engine, "operator.add")
        if "Anna" in (e.detail or "")
    ]
    assert added_anna["carried_over"]["id"] > 0


@pytest.mark.sqlite_only
def test_a_restore_of_an_older_backup_keeps_the_trail_written_since(
    ohjaus: Invoke, engine: Engine, tmp_path: Path
) -> None:
    """106 audit rows became 98 when a restore rolled the trail back with the desk."""
    backup = tmp_path / "earlier.db"
    assert ohjaus("db", "backup", str(backup)).exit_code == 0
    for n in range(5):
        assert ohjaus("audit", "--action", f"x{n}").exit_code == 0  # each view is recorded
    with Session(engine) as session:
        before = session.exec(select(AuditEvent).order_by(col(AuditEvent.id))).all()
    forced = ohjaus("db", "restore", str(backup), "--force", "--format", "json")
    assert forced.exit_code == 0, forced.output
    with Session(engine) as session:
        after = session.exec(select(AuditEvent).order_by(col(AuditEvent.id))).all()
    kept = {(e.at, e.actor, e.action, e.entity_id) for e in after}
    assert all((e.at, e.actor, e.action, e.entity_id) in kept for e in before)
    restore = after[-1]
    assert restore.action == "db.restore"
    carried = json.loads(restore.detail or "{}")["audit_rows_carried_over"]
    marked = [e for e in after if "carried_over" in json.loads(e.detail or "{}")]
    assert carried == len(marked) >= 5 and len(after) >= len(before) + 1  # each once
    views = [json.loads(e.detail or "{}") for e in after if e.action == "audit.view"]
    assert len(views) == 5 and all("carried_over" in view for view in views)
    verified = ohjaus("audit", "verify")
    assert verified.exit_code == 0, verified.output
    assert "The audit trail holds" in verified.stdout


@pytest.mark.sqlite_only
def test_backup_then_restore_keeps_every_row(
    ohjaus: Invoke, engine: Engine, tmp_path: Path
) -> None:
    fill_desk(engine)
    source_url = str(engine.url.render_as_string(hide_password=False))
    before = dump(source_url)
    backup = tmp_path / "round-trip.db"
    assert ohjaus("db", "backup", str(backup)).exit_code == 0

    restored = tmp_path / "restored" / "desk.db"
    restored.parent.mkdir()
    result = run(str(restored), "db", "restore", str(backup))

    assert result.exit_code == 0, result.output
    assert "Restored" in result.stdout
    assert mode(restored) == 0o600
    after = dump(normalise_url(str(restored)))
    [restore_event] = [row for row in after["audit_event"] if row[4] == "db.restore"]
    after["audit_event"].remove(restore_event)
    assert after == before
    assert json.loads(restore_event[7])["path"] == str(backup)
