"""A process killed (SIGKILL) in the middle of its work leaves nothing half-written.

Each test starts ``crash_worker.py`` against the test's database, reads the
ids it prints as its transactions commit, kills it while it is still working,
and checks what is in the database: every committed unit is whole, nothing of
an uncommitted one is there, and the database opens and is sound.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine, func, insert, text
from sqlmodel import Session, col, select

from ohjaus_tui.db.engine import write_session
from ohjaus_tui.db.models import (
    AuditEvent,
    ContactLog,
    ContactReason,
    Operator,
    QueueItem,
    TranscriptLine,
)
from ohjaus_tui.domain.calendar import utcnow
from ohjaus_tui.domain.codes import Channel, QueueStatus
from ohjaus_tui.domain.phones import parse_phone
from ohjaus_tui.services.database import open_desk
from ohjaus_tui.services.desk_config import DeskConfig
from ohjaus_tui.services.intake import run_intake
from ohjaus_tui.services.queue import QueueService
from tests.db.crash_worker import HKI, READY, reasons

WORKER = Path(__file__).with_name("crash_worker.py")
DEADLINE = 120.0
"""Seconds to wait for a worker's progress before the test fails: never reached."""
KILLED = -signal.SIGKILL


class Worker:
    """A ``crash_worker.py`` process, and the ids it has printed (read by a thread)."""

    def __init__(self, *args: str, progress: threading.Condition | None = None) -> None:
        self.process = subprocess.Popen(
            [sys.executable, str(WORKER), *args],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.ids: list[int] = []
        self.ready = False
        self.ended = False
        self.progress = progress or threading.Condition()
        """Notified at each printed id and at the end of the output."""
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            with self.progress:
                if line.strip() == READY:
                    self.ready = True
                else:
                    self.ids.append(int(line))
                self.progress.notify_all()
        with self.progress:
            self.ended = True
            self.progress.notify_all()

    def say(self, line: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(line)
        self.process.stdin.flush()

    def kill(self) -> None:
        """SIGKILL, then collect what it printed before it died."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=DEADLINE)
        self._reader.join(timeout=DEADLINE)
        assert self.process.returncode == KILLED, self.ended_early()

    def ended_early(self) -> str:
        self.process.wait(timeout=DEADLINE)
        stderr = self.process.stderr.read() if self.process.stderr else ""
        return f"the worker ended by itself (exit {self.process.returncode}): {stderr}"


def wait_until(workers: list[Worker], done: Callable[[], bool]) -> None:
    """Wait (on their shared condition) until ``done()``; fail if a worker ends first."""
    progress = workers[0].progress
    with progress:
        finished = progress.wait_for(
            lambda: done() or any(worker.ended for worker in workers), timeout=DEADLINE
        )
    assert finished, f"no progress in {DEADLINE} s"
    for worker in workers:
        assert not worker.ended, worker.ended_early()


@contextmanager
def killed_at_last(*workers: Worker) -> Iterator[list[Worker]]:
    try:
        yield list(workers)
    finally:
        for worker in workers:
            if worker.process.poll() is None:
                worker.kill()


def assert_sound(db_url: str) -> None:
    """The database opens as a desk (schema checked), and SQLite finds no damage."""
    engine = open_desk(db_url)
    try:
        with engine.connect() as connection:
            if engine.dialect.name == "sqlite":
                assert connection.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
                assert connection.exec_driver_sql("PRAGMA foreign_key_check").all() == []
            else:
                assert connection.execute(text("SELECT 1")).scalar() == 1
    finally:
        engine.dispose()


def count_rows(engine: Engine, table: type) -> int:
    with Session(engine) as session:
        return int(session.exec(select(func.count()).select_from(table)).one())


# --- intake -------------------------------------------------------------------------------

LINES = 600
FED = 300
"""Lines the killed worker is given: it is killed after 50, and never runs out of work."""
RECEIVED = datetime(2025, 3, 4, 10, 0, tzinfo=HKI)  # a Tuesday, the desk open 09-15


def intake_line(n: int) -> dict[str, object]:
    line: dict[str, object] = {
        "channel": ("phone", "chat", "message")[n % 3],
        "external_id": f"crash-{n}",
        "received_at": (RECEIVED + timedelta(seconds=n)).isoformat(),
    }
    if line["channel"] == "phone":
        line["phone"] = f"040{1_000_000 + n}"
    elif line["channel"] == "chat":
        line["text"] = f"Hei, kysymys {n}"
    else:
        line["subject"] = f"Aihe {n}"
        line["text"] = f"Viesti {n}"
    return line


def assert_item_whole(item: QueueItem, lines: list[TranscriptLine]) -> None:
    """The item is what its intake line said, with its first transcript line if it has text."""
    assert item.external_id is not None
    source = intake_line(int(item.external_id.removeprefix("crash-")))
    assert item.channel == source["channel"]
    assert item.received_at == datetime.fromisoformat(str(source["received_at"]))
    assert item.available_at == item.received_at
    assert item.status == QueueStatus.WAITING.value
    assert item.claimed_by_id is None and item.claimed_at is None
    if item.channel == Channel.PHONE.value:
        assert item.callback_number == parse_phone(str(source["phone"]))
        assert item.due_at is not None
        assert lines == []
        return
    assert item.callback_number is None
    assert item.subject == source.get("subject")
    assert (item.due_at is not None) == (item.channel == Channel.MESSAGE.value)
    assert [(line.seq, line.direction, line.author, line.text) for line in lines] == [
        (1, "in", "client", source["text"])
    ]
    assert lines[0].at == item.received_at


def test_an_intake_killed_midway_keeps_whole_items_and_completes_once_rerun(
    engine: Engine, db_url: str
) -> None:
    lines = [json.dumps(intake_line(n)) + "\n" for n in range(LINES)]

    worker = Worker("intake", db_url)
    with killed_at_last(worker):
        worker.say("".join(lines[:FED]))  # and stdin left open: the worker waits for more
        wait_until([worker], lambda: len(worker.ids) >= 50)
        worker.kill()

    assert_sound(db_url)
    with Session(engine) as session:
        items = session.exec(select(QueueItem).order_by(col(QueueItem.id))).all()
        transcript = session.exec(select(TranscriptLine)).all()
    by_item: dict[int, list[TranscriptLine]] = {}
    for line in transcript:
        by_item.setdefault(line.item_id, []).append(line)
    assert set(by_item) <= {item.id for item in items}  # no line without its item
    for item in items:
        assert item.id is not None
        assert_item_whole(item, sorted(by_item.get(item.id, []), key=lambda line: line.seq))
    kept = len(items)
    assert set(worker.ids) <= {item.id for item in items}  # what committed, stayed
    assert 50 <= kept <= FED
    assert [item.external_id for item in items] == [f"crash-{n}" for n in range(kept)]

    report = run_intake(QueueService(engine), lines, zone=HKI)

    assert report.rejected == []
    assert (report.duplicates, report.accepted) == (kept, LINES - kept)
    assert count_rows(engine, QueueItem) == LINES
    assert count_rows(engine, TranscriptLine) == LINES - LINES // 3


# --- claiming -----------------------------------------------------------------------------

ITEMS = 2_000
CLAIMERS = 3


def waiting_callbacks(engine: Engine, n: int) -> None:
    now = utcnow()
    with write_session(engine) as session:
        session.execute(
            insert(QueueItem),
            [
                {
                    "channel": "phone",
                    "received_at": now - timedelta(seconds=n - i),
                    "available_at": now - timedelta(seconds=n - i),
                    "status": "waiting",
                    "callback_number": "+358401234567",
                    "identified": False,
                    "on_behalf": False,
                    "language": "fi",
                    "updated_at": now,
                }
                for i in range(n)
            ],
        )


def test_claimers_killed_midway_leave_each_item_claimed_once_and_it_returns_later(
    engine: Engine, db_url: str
) -> None:
    waiting_callbacks(engine, ITEMS)
    queue = QueueService(engine, DeskConfig(claim_timeout=timedelta(minutes=30)))
    with write_session(engine) as session:
        rows = [Operator(name=f"op{n}") for n in range(CLAIMERS)]
        session.add_all(rows)
        session.flush()
        names = {row.id: row.name for row in rows if row.id is not None}
    for operator_id in names:
        queue.staff.sign_on(operator_id, Channel.PHONE)

    progress = threading.Condition()
    workers = {op: Worker("claim", db_url, str(op), progress=progress) for op in names}
    with killed_at_last(*workers.values()) as running:
        wait_until(running, lambda: all(w.ready for w in running))
        for worker in running:
            worker.say("go\n")
        # Claiming side by side (SQLite's busy handler is not fair: one may still be
        # waiting for the write lock when it is killed, which is a crash point too).
        wait_until(
            running,
            lambda: (
                sum(bool(w.ids) for w in running) >= 2 and sum(len(w.ids) for w in running) >= 50
            ),
        )
        for worker in running:
            worker.kill()

    assert_sound(db_url)
    with Session(engine) as session:
        items = session.exec(select(QueueItem)).all()
        claims = session.exec(select(AuditEvent).where(AuditEvent.action == "queue.claim")).all()
    claimed = {item.id: item for item in items if item.status == QueueStatus.CLAIMED.value}
    for item in items:
        if item.status == QueueStatus.CLAIMED.value:
            assert item.claimed_by_id in names and item.claimed_at is not None
        else:
            assert item.status == QueueStatus.WAITING.value
            assert item.claimed_by_id is None and item.claimed_at is None
    printed = [item_id for worker in workers.values() for item_id in worker.ids]
    assert len(printed) == len(set(printed)), "an item was claimed twice"
    for operator_id, worker in workers.items():
        assert all(claimed[item_id].claimed_by_id == operator_id for item_id in worker.ids)
    assert len(claimed) < ITEMS, "the workers were not killed in the middle"
    assert sorted((int(e.entity_id or 0), e.operator_id) for e in claims) == sorted(
        (item_id, item.claimed_by_id) for item_id, item in claimed.items()
    ), "the audit trail does not match the claims"

    now = utcnow()
    assert queue.release_stale_claims(now=now) == 0  # the claims are fresh
    assert queue.release_stale_claims(now=now + timedelta(minutes=31)) == len(claimed)
    assert {item.status for item in queue.active()} == {QueueStatus.WAITING.value}
    with Session(engine) as session:
        reclaims = session.exec(
            select(AuditEvent).where(AuditEvent.action == "queue.reclaim")
        ).all()
    lapsed = Counter(json.loads(e.detail or "{}")["operator"] for e in reclaims)
    assert lapsed == Counter(names[item.claimed_by_id or 0] for item in claimed.values())


# --- logging contacts ---------------------------------------------------------------------


def test_a_logger_killed_midway_leaves_only_whole_contacts(engine: Engine, db_url: str) -> None:
    worker = Worker("log", db_url)
    with killed_at_last(worker):
        wait_until([worker], lambda: len(worker.ids) >= 30)
        worker.kill()

    assert_sound(db_url)
    with Session(engine) as session:
        contacts = session.exec(select(ContactLog).order_by(col(ContactLog.id))).all()
        given: dict[int, set[str]] = {}
        for contact_id, reason in session.exec(
            select(ContactReason.contact_id, ContactReason.reason)
        ).all():
            given.setdefault(contact_id, set()).add(reason)
        logged = Counter(
            session.exec(
                select(AuditEvent.entity_id).where(AuditEvent.action == "contact.log")
            ).all()
        )
    assert len(contacts) >= 30
    assert set(worker.ids) <= {contact.id for contact in contacts}
    assert set(given) <= {contact.id for contact in contacts}
    for n, contact in enumerate(contacts):  # the ones logged, in order, none skipped
        assert contact.note == f"crash {n}"
        assert given[contact.id or 0] == set(reasons(n)), f"contact {contact.id}"
        assert logged[str(contact.id)] == 1, f"contact {contact.id} has no audit event"
    assert sum(logged.values()) == len(contacts)
