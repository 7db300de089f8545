"""The retention purge: identifying data goes, every statistic stays (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, event, func
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from ohjaus_tui.db import copy as copy_repo
from ohjaus_tui.db.engine import write_session
from ohjaus_tui.db.models import (
    AuditEvent,
    CallbackAttempt,
    ChatFeedback,
    ContactLog,
    FormDraft,
    QueueItem,
    TranscriptLine,
)
from ohjaus_tui.domain.calendar import HELSINKI, DeskCalendar, to_local, utcnow
from ohjaus_tui.domain.codes import Role
from ohjaus_tui.domain.contact import ContactRecord
from ohjaus_tui.domain.period import Period
from ohjaus_tui.errors import BadInput
from ohjaus_tui.services.actor import Actor
from ohjaus_tui.services.contacts import log_contact
from ohjaus_tui.services.report import build_report
from ohjaus_tui.services.retention import (
    AUTOMATIC,
    PURGE_ACTION,
    PurgeCounts,
    purge,
    purge_if_due,
)
from ohjaus_tui.settings import Settings

ACTOR = Actor("test", role=Role.ADMIN)
DAYS = 30
PURGED_ITEM_COLUMNS = {"callback_number", "subject", "text", "purged_at"}
PURGED_CONTACT_COLUMNS = {"note", "feedback_text"}


@dataclass
class Desk:
    """The ids of the rows :func:`fill` made, by what they are."""

    now: datetime
    old_callback: int
    old_chat: int
    old_message_abandoned: int
    recent_message: int
    old_waiting_callback: int
    old_claimed_chat: int
    old_contact: int
    recent_contact: int
    old_plain_contact: int


def days_ago(now: datetime, days: float) -> datetime:
    return now - timedelta(days=days)


def fill(engine: Engine, people: dict[str, int]) -> Desk:
    """Items and contacts on both sides of the 30-day limit, and some never to be purged."""
    now = utcnow()
    anna = people["Anna"]

    def item(channel: str, status: str, received: float, closed: float | None, **kw: Any) -> int:
        with write_session(engine) as session:
            row = QueueItem(
                channel=channel,
                received_at=days_ago(now, received),
                available_at=days_ago(now, received),
                due_at=days_ago(now, received - 0.2),
                status=status,
                claimed_by_id=None if status == "waiting" else anna,
                claimed_at=None if status == "waiting" else days_ago(now, received - 0.01),
                first_answered_at=None if status == "waiting" else days_ago(now, received - 0.02),
                closed_at=None if closed is None else days_ago(now, closed),
                updated_at=days_ago(now, closed if closed is not None else received),
                **kw,
            )
            session.add(row)
            session.flush()
            assert row.id is not None
            return row.id

    def lines(item_id: int, *texts: str) -> None:
        with write_session(engine) as session:
            for seq, text in enumerate(texts, start=1):
                session.add(
                    TranscriptLine(
                        item_id=item_id,
                        seq=seq,
                        direction="in" if seq % 2 else "out",
                        author="client" if seq % 2 else "Anna",
                        at=days_ago(now, 40 - seq / 1000),
                        text=text,
                    )
                )

    old_callback = item(
        "phone", "closed", 41, 40.9, callback_number="+358401234567", close_reason="handled"
    )
    with write_session(engine) as session:
        session.add(
            CallbackAttempt(
                item_id=old_callback,
                attempt_no=1,
                at=days_ago(now, 40.95),
                operator_id=anna,
                outcome="reached",
            )
        )
    old_chat = item("chat", "closed", 40, 39.9, text="Hei, kysyisin kotihoidosta", identified=True)
    lines(old_chat, "Hei, äitini 131052-308T tarvitsee apua", "Hei! Kerro lisää.", "Kiitos")
    old_message_abandoned = item(
        "message", "abandoned", 45, 44, subject="Ajanvaraus", text="Soittakaa minulle 0401234567"
    )
    recent_message = item("message", "closed", 6, 5, subject="Resepti", text="Uusisitteko")
    lines(recent_message, "Uusisitteko reseptin", "Uusittu.")
    old_waiting_callback = item("phone", "waiting", 40, None, callback_number="+358409876543")
    old_claimed_chat = item("chat", "claimed", 40, None, text="Vielä kesken")
    lines(old_claimed_chat, "Oletko siellä?")

    def contact(days: float, **fields: Any) -> int:
        record = ContactRecord(
            started_at=days_ago(now, days + 0.01),
            channel="phone",
            caller_type="relative",
            reasons=("health", "appointment"),
            **fields,
        )
        return log_contact(engine, record, actor=ACTOR, operator_id=anna, now=days_ago(now, days))

    old_contact = contact(
        40, note="Soitetaan huomenna", feedback_text="Kiitos avusta", feedback_score=5,
        feedback_scale=5, helped=True,
    )  # fmt: skip
    recent_contact = contact(3, note="Tarkista ajanvaraus")
    old_plain_contact = contact(50)
    with write_session(engine) as session:
        session.add(
            FormDraft(
                operator_id=anna, item_id=None, updated_at=days_ago(now, 31), data='{"note": "x"}'
            )
        )
        session.add(
            FormDraft(
                operator_id=anna,
                item_id=old_claimed_chat,
                updated_at=days_ago(now, 1),
                data='{"note": "kesken"}',
            )
        )
    return Desk(
        now=now,
        old_callback=old_callback,
        old_chat=old_chat,
        old_message_abandoned=old_message_abandoned,
        recent_message=recent_message,
        old_waiting_callback=old_waiting_callback,
        old_claimed_chat=old_claimed_chat,
        old_contact=old_contact,
        recent_contact=recent_contact,
        old_plain_contact=old_plain_contact,
    )


@pytest.fixture
def desk(engine: Engine, people: dict[str, int]) -> Desk:
    return fill(engine, people)


def dump(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, in key order."""
    with engine.connect() as connection:
        return {
            table.name: [
                tuple(row)
                for row in connection.execute(sa_select(table).order_by(*table.primary_key.columns))
            ]
            for table in copy_repo.desk_tables()
        }


def report_inputs(engine: Engine) -> dict[str, Any]:
    """What reports read: every column of the tables they use, except the purged texts."""
    tables = {table.name: table for table in copy_repo.desk_tables()}
    keep = {
        "queue_item": PURGED_ITEM_COLUMNS,
        "contact_log": PURGED_CONTACT_COLUMNS,
        "transcript_line": {"text"},
        "contact_reason": set(),
        "callback_attempt": set(),
        "service": set(),
        "code": set(),
        "operator": set(),
    }
    with engine.connect() as connection:
        rows: dict[str, Any] = {
            name: [
                row._asdict()
                for row in connection.execute(
                    sa_select(*[c for c in tables[name].columns if c.name not in dropped]).order_by(
                        *tables[name].primary_key.columns
                    )
                )
            ]
            for name, dropped in keep.items()
        }
        rows["queue_by_channel_status"] = sorted(
            tuple(row)
            for row in connection.execute(
                sa_select(col(QueueItem.channel), col(QueueItem.status), func.count()).group_by(
                    col(QueueItem.channel), col(QueueItem.status)
                )
            )
        )
    return rows


def a_report(engine: Engine, desk: Desk) -> Any:
    today = to_local(desk.now, HELSINKI).date()
    period = Period.days_between(today - timedelta(days=60), today)
    return build_report(
        engine, period, calendar=DeskCalendar(), now=desk.now, actor=Actor("t", role=Role.LEAD)
    )


def purge_events(engine: Engine) -> list[AuditEvent]:
    with Session(engine) as session:
        return list(
            session.exec(
                select(AuditEvent)
                .where(col(AuditEvent.action) == PURGE_ACTION)
                .order_by(col(AuditEvent.id))
            )
        )


# --- what the purge removes and keeps ------------------------------------------------------


def test_the_purge_clears_what_identifies_in_what_ended_before_the_limit(
    engine: Engine, desk: Desk
) -> None:
    result = purge(engine, days=DAYS, actor=ACTOR, now=desk.now)

    assert result.counts == PurgeCounts(
        queue_items=3, callback_numbers=1, transcript_lines=3, contact_texts=1, form_drafts=1
    )
    with Session(engine) as session:
        for item_id in (desk.old_callback, desk.old_chat, desk.old_message_abandoned):
            item = session.get_one(QueueItem, item_id)
            assert (item.callback_number, item.subject, item.text) == (None, None, None)
            assert item.purged_at == desk.now
        lines = session.exec(
            select(TranscriptLine)
            .where(col(TranscriptLine.item_id) == desk.old_chat)
            .order_by(col(TranscriptLine.seq))
        )
        assert [(line.seq, line.direction, line.text) for line in lines] == [
            (1, "in", ""),
            (2, "out", ""),
            (3, "in", ""),
        ]
        old = session.get_one(ContactLog, desk.old_contact)
        assert (old.note, old.feedback_text) == (None, None)
        assert (old.feedback_score, old.helped) == (5, True)
        drafts = session.exec(select(FormDraft)).all()
        assert [draft.item_id for draft in drafts] == [desk.old_claimed_chat]


def test_what_is_newer_than_the_limit_stays(engine: Engine, desk: Desk) -> None:
    purge(engine, days=DAYS, actor=ACTOR, now=desk.now)

    with Session(engine) as session:
        recent = session.get_one(QueueItem, desk.recent_message)
        assert (recent.subject, recent.text, recent.purged_at) == ("Resepti", "Uusisitteko", None)
        lines = session.exec(
            select(TranscriptLine.text).where(col(TranscriptLine.item_id) == desk.recent_message)
        ).all()
        assert list(lines) == ["Uusisitteko reseptin", "Uusittu."]
        contact = session.get_one(ContactLog, desk.recent_contact)
        assert contact.note == "Tarkista ajanvaraus"


def test_waiting_and_claimed_items_are_never_purged(engine: Engine, desk: Desk) -> None:
    purge(engine, days=1, actor=ACTOR, now=desk.now + timedelta(days=365))

    with Session(engine) as session:
        waiting = session.get_one(QueueItem, desk.old_waiting_callback)
        assert (waiting.callback_number, waiting.purged_at) == ("+358409876543", None)
        claimed = session.get_one(QueueItem, desk.old_claimed_chat)
        assert (claimed.text, claimed.purged_at) == ("Vielä kesken", None)
        lines = session.exec(
            select(TranscriptLine.text).where(col(TranscriptLine.item_id) == desk.old_claimed_chat)
        ).all()
        assert list(lines) == ["Oletko siellä?"]


def test_reports_read_the_same_before_and_after(engine: Engine, desk: Desk) -> None:
    inputs = report_inputs(engine)
    report = a_report(engine, desk)
    assert report.contacts == 3

    purge(engine, days=DAYS, actor=ACTOR, now=desk.now)

    assert report_inputs(engine) == inputs
    assert a_report(engine, desk) == report


def test_the_purge_is_recorded_with_its_counts(engine: Engine, desk: Desk) -> None:
    result = purge(engine, days=DAYS, actor=Actor("os:liisa", role=Role.ADMIN), now=desk.now)

    [recorded] = purge_events(engine)
    assert recorded.actor == "os:liisa"
    assert recorded.at == desk.now
    detail = json.loads(recorded.detail or "{}")
    assert detail == {
        "days": DAYS,
        "cutoff": result.cutoff.isoformat(),
        **result.counts.as_dict(),
    }


def test_a_second_purge_finds_nothing_more(engine: Engine, desk: Desk) -> None:
    purge(engine, days=DAYS, actor=ACTOR, now=desk.now)
    after_first = report_inputs(engine)

    again = purge(engine, days=DAYS, actor=ACTOR, now=desk.now + timedelta(minutes=1))

    assert again.counts.total == 0
    assert report_inputs(engine) == after_first


def test_a_dry_run_counts_and_writes_nothing(engine: Engine, desk: Desk) -> None:
    before = dump(engine)

    dry = purge(engine, days=DAYS, actor=ACTOR, dry_run=True, now=desk.now)

    assert dry.dry_run
    assert dump(engine) == before
    assert purge_events(engine) == []
    real = purge(engine, days=DAYS, actor=ACTOR, now=desk.now)
    assert real.counts == dry.counts


@pytest.mark.parametrize("days", [0, -1, 3651])
def test_days_out_of_range_are_bad_input(engine: Engine, days: int) -> None:
    with pytest.raises(BadInput, match="--days"):
        purge(engine, days=days, actor=ACTOR)


# --- the daily guard -----------------------------------------------------------------------


def test_the_daily_purge_runs_when_none_has(engine: Engine, desk: Desk) -> None:
    result = purge_if_due(engine, Settings(), now=desk.now)

    assert result is not None
    assert result.days == Settings().retention_days == 30
    assert result.counts.queue_items == 3
    [recorded] = purge_events(engine)
    assert recorded.actor == AUTOMATIC.name


def test_the_daily_purge_runs_once_a_day(
    engine: Engine, desk: Desk, people: dict[str, int]
) -> None:
    settings = Settings(retention_days=3)
    assert purge_if_due(engine, settings, now=desk.now) is not None

    assert purge_if_due(engine, settings, now=desk.now + timedelta(hours=23, minutes=59)) is None
    assert len(purge_events(engine)) == 1

    later = purge_if_due(
        engine, settings, actor=Actor("Anna", people["Anna"]), now=desk.now + timedelta(days=1)
    )
    assert later is not None
    events = purge_events(engine)
    assert [e.actor for e in events] == [AUTOMATIC.name, "Anna"]


def test_a_manual_purge_counts_as_the_days_purge(engine: Engine, desk: Desk) -> None:
    purge(engine, days=DAYS, actor=ACTOR, now=desk.now)

    assert purge_if_due(engine, Settings(), now=desk.now + timedelta(hours=12)) is None


def test_the_daily_purge_uses_the_retention_setting(engine: Engine, desk: Desk) -> None:
    result = purge_if_due(engine, Settings(retention_days=4), now=desk.now)

    assert result is not None
    assert result.counts.queue_items == 4  # the message closed 5 days ago as well
    with Session(engine) as session:
        assert session.get_one(QueueItem, desk.recent_message).text is None


def test_the_guard_is_one_read_when_not_due(engine: Engine, desk: Desk) -> None:
    purge_if_due(engine, Settings(), now=desk.now)
    statements: list[str] = []

    def remember(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement.split()[0].upper())

    event.listen(engine, "before_cursor_execute", remember)
    try:
        assert purge_if_due(engine, Settings(), now=desk.now + timedelta(hours=1)) is None
    finally:
        event.remove(engine, "before_cursor_execute", remember)
    assert [s for s in statements if s != "BEGIN"] == ["SELECT"]


def test_workstations_signing_in_together_purge_once(engine: Engine, desk: Desk) -> None:
    start = threading.Barrier(4)
    results: list[object] = []
    errors: list[BaseException] = []

    def sign_in() -> None:
        try:
            start.wait(timeout=10)
            results.append(purge_if_due(engine, Settings(), now=desk.now))
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=sign_in) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert len([r for r in results if r is not None]) == 1
    assert len(purge_events(engine)) == 1


def test_the_purge_clears_a_residents_feedback_text_but_keeps_the_score(
    engine: Engine, desk: Desk
) -> None:
    with write_session(engine) as session:
        session.add(
            ChatFeedback(item_id=desk.old_chat, given_at=desk.now - timedelta(days=DAYS + 1),
                         score=2, helped=False, text="Odotin kauan")
        )  # fmt: skip

    assert (
        purge(engine, days=DAYS, actor=ACTOR, now=desk.now, dry_run=True).counts.contact_texts == 2
    )
    purge(engine, days=DAYS, actor=ACTOR, now=desk.now)

    with Session(engine) as session:
        feedback = session.get_one(ChatFeedback, desk.old_chat)
    assert (feedback.score, feedback.helped, feedback.text) == (2, False, None)
