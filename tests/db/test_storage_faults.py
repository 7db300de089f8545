"""A database that cannot do what was asked: one line saying so, nothing stored, nothing quoted.

Busy past the wait (another program holds the write lock), read-only (a file
opened read-only; on PostgreSQL a read-only session), and full (SQLite's page
limit, which fails a write exactly as a full disk does): each ends in a
:class:`StorageFault` of one line whose words are the program's own, never
the statement or the values it carried, and the step stores nothing.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, event, text
from sqlmodel import Session, select

from ohjaus_tui.db import engine as engine_module
from ohjaus_tui.db.engine import make_engine
from ohjaus_tui.db.models import QueueItem
from ohjaus_tui.domain.calendar import utcnow
from ohjaus_tui.domain.codes import Channel
from ohjaus_tui.domain.intake import ContactRequest
from ohjaus_tui.errors import StorageFault
from ohjaus_tui.services.drafts import save_draft
from ohjaus_tui.services.queue import QueueService

SECRET = "Asukkaan oma kertomus 7b2f"
"""A text the failing step carried: no error may quote it."""


def request() -> ContactRequest:
    return ContactRequest(
        channel=Channel.MESSAGE,
        received_at=utcnow(),
        subject="Asia",
        text=SECRET,
    )


def stored_items(engine: Engine) -> int:
    with Session(engine) as session:
        return len(session.exec(select(QueueItem)).all())


def assert_one_clean_line(fault: StorageFault, kind: str) -> None:
    message = str(fault)
    assert fault.kind == kind
    assert "\n" not in message and message.endswith("nothing was changed")
    for leak in (SECRET, "INSERT", "SELECT", "parameters", "[SQL"):
        assert leak not in message
    assert fault.__cause__ is None or SECRET not in str(fault.__cause__)


def sqlite_file(db_url: str) -> Path:
    return Path(db_url.removeprefix("sqlite:///"))


@pytest.mark.sqlite_only
def test_a_write_lock_held_past_the_wait(
    engine: Engine, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(engine_module, "BUSY_TIMEOUT_MS", 300)
    waiting = make_engine(db_url)  # waits 0.3 s for the lock, not half a minute
    holder = sqlite3.connect(sqlite_file(db_url), isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")  # another program is writing
        with pytest.raises(StorageFault) as fault:
            QueueService(waiting).intake(request())
        assert_one_clean_line(fault.value, "busy")
        assert "busy" in str(fault.value)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
        waiting.dispose()
    assert stored_items(engine) == 0


@pytest.mark.sqlite_only
def test_a_read_only_database_file(engine: Engine, db_url: str) -> None:
    read_only = make_engine(f"sqlite:///file:{sqlite_file(db_url)}?mode=ro&uri=true")
    try:
        with pytest.raises(StorageFault) as fault:
            QueueService(read_only).intake(request())
        assert_one_clean_line(fault.value, "readonly")
    finally:
        read_only.dispose()
    assert stored_items(engine) == 0


@pytest.mark.sqlite_only
def test_a_full_disk(engine: Engine, db_url: str) -> None:
    full = make_engine(db_url)

    @event.listens_for(full, "connect")
    def no_room(connection: Any, _record: Any) -> None:
        pages = connection.execute("PRAGMA page_count").fetchone()[0]
        connection.execute(f"PRAGMA max_page_count = {pages}")  # not one page more

    queue = QueueService(full)
    big = ContactRequest(
        channel=Channel.MESSAGE, received_at=utcnow(), subject="Asia", text=SECRET * 200
    )
    try:
        with pytest.raises(StorageFault) as fault:
            for _ in range(200):
                queue.intake(big)
        assert_one_clean_line(fault.value, "full")
    finally:
        full.dispose()


@pytest.mark.postgresql_only
def test_a_read_only_session_on_postgresql(engine: Engine, db_url: str) -> None:
    read_only = make_engine(db_url)

    @event.listens_for(read_only, "connect")
    def read_only_session(connection: Any, _record: Any) -> None:
        with connection.cursor() as cursor:
            cursor.execute("SET default_transaction_read_only = on")
        connection.commit()

    try:
        with pytest.raises(StorageFault) as fault:
            QueueService(read_only).intake(request())
        assert_one_clean_line(fault.value, "readonly")
    finally:
        read_only.dispose()
    assert stored_items(engine) == 0


def test_ordinary_errors_are_left_as_they_are(engine: Engine) -> None:
    """Only faults of the storage become StorageFault: a duplicate key the program
    expects (a retried intake) still works as before."""
    queue = QueueService(engine)
    sent = ContactRequest(
        channel=Channel.MESSAGE, received_at=utcnow(), external_id="m-1", subject="A", text="Hei"
    )
    first, again = queue.intake(sent), queue.intake(sent)
    assert first.created and not again.created and first.item_id == again.item_id


def test_a_draft_of_an_item_that_is_gone(engine: Engine, people: dict[str, int]) -> None:
    """An item removed meanwhile: one line, not the database's error quoting the draft."""
    with pytest.raises(StorageFault) as fault:
        save_draft(engine, people["Anna"], 10_000, {"note": SECRET})
    assert_one_clean_line(fault.value, "missing")


@pytest.mark.postgresql_only
def test_a_row_held_past_the_wait_on_postgresql(
    engine: Engine, db_url: str, people: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another transaction holds the item: waited for as long as SQLite would wait for
    its lock (0.3 s here), then one line, not a wait without end."""
    queue = QueueService(engine)
    queue.staff.sign_on(people["Anna"], Channel.MESSAGE)
    queue.intake(request())
    item = queue.take_next(people["Anna"], Channel.MESSAGE)
    assert item is not None and item.id is not None
    monkeypatch.setattr(engine_module, "BUSY_TIMEOUT_MS", 300)
    waiting = make_engine(db_url)
    try:
        with engine.begin() as holder:
            holder.execute(
                text("SELECT id FROM queue_item WHERE id = :id FOR UPDATE"), {"id": item.id}
            )
            with pytest.raises(StorageFault) as fault:
                QueueService(waiting).release(item.id, people["Anna"])
        assert_one_clean_line(fault.value, "busy")
    finally:
        waiting.dispose()
