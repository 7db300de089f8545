"""The audit trail is append-only in the database, and chained so that tampering shows.

The database itself refuses to change or remove an audit row (a trigger on
each engine: the role the program runs as cannot, whatever the command).
Each row carries a SHA-256 over the row before it and its own content;
``verify_audit_trail`` names the first row where the chain breaks: a row
changed or removed by someone who first took the trigger away (a superuser
on PostgreSQL, the file's owner on SQLite).
"""

from __future__ import annotations

import itertools
import threading
import time

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session, col, select

from ohjaus_tui.db.audit import GENESIS, link, record
from ohjaus_tui.db.engine import is_sqlite, make_engine, write_session
from ohjaus_tui.db.models import AuditEvent, QueueItem
from ohjaus_tui.domain.calendar import utcnow
from ohjaus_tui.domain.codes import Channel, Role
from ohjaus_tui.domain.intake import ContactRequest
from ohjaus_tui.errors import NotAllowed
from ohjaus_tui.services.actor import Actor
from ohjaus_tui.services.audit import verify_audit_trail
from ohjaus_tui.services.queue import QueueService

ADMIN = Actor("test", role=Role.ADMIN)


def write(engine: Engine, count: int, *, actor: str = "anna") -> None:
    for n in range(count):
        with write_session(engine) as session:
            record(session=session, actor=actor, action="test.row", entity_id=n, detail={"n": n})


def trail(engine: Engine) -> list[AuditEvent]:
    with Session(engine) as session:
        return list(session.exec(select(AuditEvent).order_by(col(AuditEvent.id))).all())


def without_the_guard(engine: Engine, statement: str) -> None:
    """Run ``statement`` on audit_event as someone who took the trigger away first."""
    with engine.begin() as connection:
        if is_sqlite(engine):
            connection.exec_driver_sql("DROP TRIGGER audit_event_no_update")
            connection.exec_driver_sql("DROP TRIGGER audit_event_no_delete")
        else:
            connection.exec_driver_sql("ALTER TABLE audit_event DISABLE TRIGGER USER")
        connection.exec_driver_sql(statement)


def test_each_row_links_to_the_one_before(engine: Engine) -> None:
    write(engine, 5)
    rows = trail(engine)
    assert rows[0].chain == link(None, rows[0]) != GENESIS
    for before, row in itertools.pairwise(rows):
        assert row.chain == link(before.chain, row)
    check = verify_audit_trail(engine, actor=ADMIN)
    assert (check.rows, check.broken_at) == (5, None)


def test_several_rows_in_one_transaction_chain_in_order(engine: Engine) -> None:
    with write_session(engine) as session:
        for n in range(3):
            record(session=session, actor="anna", action="test.row", entity_id=n)
    assert verify_audit_trail(engine, actor=ADMIN).broken_at is None


@pytest.mark.parametrize(
    "statement",
    ["UPDATE audit_event SET actor = 'mallory'", "DELETE FROM audit_event"],
    ids=["update", "delete"],
)
def test_the_database_refuses_to_change_or_remove_a_row(engine: Engine, statement: str) -> None:
    write(engine, 2)
    with pytest.raises(DBAPIError, match="append-only"), engine.begin() as connection:
        connection.execute(text(statement))
    assert [row.actor for row in trail(engine)] == ["anna", "anna"]


@pytest.mark.postgresql_only
def test_nor_can_postgresql_empty_the_table(engine: Engine) -> None:
    write(engine, 1)
    with pytest.raises(DBAPIError, match="append-only"), engine.begin() as connection:
        connection.execute(text("TRUNCATE audit_event"))


@pytest.mark.parametrize(
    ("statement", "broken_at"),
    [
        ("UPDATE audit_event SET actor = 'mallory' WHERE id = 3", 3),
        ("UPDATE audit_event SET detail = NULL WHERE id = 5", 5),
        ("DELETE FROM audit_event WHERE id = 2", 3),  # the row after the gap
        ("DELETE FROM audit_event WHERE id = 6", None),  # the newest: see below
    ],
    ids=["actor changed", "detail removed", "row removed", "newest removed"],
)
def test_verify_names_the_first_row_that_breaks_the_chain(
    engine: Engine, statement: str, broken_at: int | None
) -> None:
    write(engine, 6)
    without_the_guard(engine, statement)
    check = verify_audit_trail(engine, actor=ADMIN)
    assert check.broken_at == broken_at
    # Removing the newest row leaves a shorter chain that holds: the next row written
    # (the verify itself is recorded) links to the row now last, so the gap is not
    # seen by the chain alone; a backup, or the ids, show it.


def test_concurrent_writers_keep_one_chain(engine: Engine, db_url: str) -> None:
    """Writers of several connections at once (several workstations): one chain."""
    errors: list[BaseException] = []

    def writer(name: str) -> None:
        own = make_engine(db_url)
        try:
            write(own, 15, actor=name)
        except BaseException as error:  # reported below
            errors.append(error)
        finally:
            own.dispose()

    threads = [threading.Thread(target=writer, args=(f"w{n}",)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert len(trail(engine)) == 60
    assert verify_audit_trail(engine, actor=ADMIN).broken_at is None


def test_verifying_needs_an_admin(engine: Engine) -> None:
    with pytest.raises(NotAllowed):
        verify_audit_trail(engine, actor=Actor("anna", role=Role.OPERATOR))


@pytest.mark.postgresql_only
def test_a_writer_holding_a_row_and_one_holding_the_trail_do_not_deadlock(
    engine: Engine,
) -> None:
    """A holds a queue item's row and then records; B changed the same item and records.
    Had B taken the trail's lock before writing its change, each would wait for the
    other (PostgreSQL ends one with a deadlock error)."""
    queue = QueueService(engine)
    item_id = queue.intake(
        ContactRequest(channel=Channel.MESSAGE, received_at=utcnow(), subject="A", text="B")
    ).item_id
    a_holds_the_row = threading.Event()
    errors: list[BaseException] = []

    def writer_b() -> None:
        try:
            a_holds_the_row.wait(timeout=10)
            with write_session(engine) as session:
                item = session.get(QueueItem, item_id)
                assert item is not None
                item.subject = "B"  # a change not yet written ...
                record(session=session, actor="b", action="test.b", entity_id=item_id)
        except BaseException as error:  # reported below
            errors.append(error)

    thread = threading.Thread(target=writer_b)
    thread.start()
    with write_session(engine) as session:
        session.exec(select(QueueItem).where(QueueItem.id == item_id).with_for_update()).one()
        a_holds_the_row.set()
        wait_for_a_lock_wait(engine)  # B is under way, waiting for the row A holds
        record(session=session, actor="a", action="test.a", entity_id=item_id)
    thread.join(timeout=30)
    assert not errors, errors
    assert [row.action for row in trail(engine)][-2:] == ["test.a", "test.b"]
    assert verify_audit_trail(engine, actor=ADMIN).broken_at is None


def wait_for_a_lock_wait(engine: Engine, timeout: float = 10.0) -> None:
    """Until another session of this database waits for a lock (PostgreSQL)."""
    deadline = time.monotonic() + timeout
    query = text(
        "SELECT count(*) FROM pg_stat_activity "
        "WHERE datname = current_database() AND wait_event_type = 'Lock'"
    )
    while time.monotonic() < deadline:
        with engine.connect() as connection:
            if connection.execute(query).scalar():
                return
        time.sleep(0.01)
    raise AssertionError("no session came to wait for a lock")


def test_a_row_gone_with_a_savepoint_is_not_linked_to(engine: Engine) -> None:
    """A transaction links its rows without reading the trail again; a row added in a
    savepoint that rolled back is no longer there, and the next row links to the one
    before it (the API stores each event of a request in a savepoint)."""
    with write_session(engine) as session:
        record(session=session, actor="anna", action="test.kept", entity_id=1)
        with pytest.raises(RuntimeError), session.begin_nested():
            record(session=session, actor="anna", action="test.gone", entity_id=2)
            session.flush()
            raise RuntimeError("the event was refused")
        record(session=session, actor="anna", action="test.kept", entity_id=3)
    assert [row.entity_id for row in trail(engine)] == ["1", "3"]
    assert verify_audit_trail(engine, actor=ADMIN).broken_at is None


def test_a_session_that_commits_reads_the_trail_again_in_its_next_transaction(
    engine: Engine,
) -> None:
    """A row another writer added between two transactions of one session is linked to."""
    with Session(engine) as session:
        record(session=session, actor="anna", action="test.first", entity_id=1)
        session.commit()
        write(engine, 1, actor="mikko")  # another writer, in between
        record(session=session, actor="anna", action="test.second", entity_id=2)
        session.commit()
    assert [row.actor for row in trail(engine)] == ["anna", "mikko", "anna"]
    assert verify_audit_trail(engine, actor=ADMIN).broken_at is None
