"""``db copy``: every row of every table arrives, or nothing does.

In the SQLite pass the copies run SQLite -> SQLite; in the PostgreSQL pass
``db_url`` is a PostgreSQL database and the copies run PostgreSQL -> SQLite
and SQLite -> PostgreSQL.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine, func, select, text
from sqlmodel import Session, SQLModel

from ohjaus_tui.db import copy as repo
from ohjaus_tui.db.engine import make_engine, write_session
from ohjaus_tui.db.migrate import open_database
from ohjaus_tui.db.models import (
    ALL_TABLES,
    Answer,
    AuditEvent,
    CallbackAttempt,
    ChannelSignOn,
    ChatFeedback,
    Code,
    Consultation,
    ContactLog,
    ContactReason,
    DeskDay,
    DeskHours,
    DeskSecret,
    DeskSetting,
    FollowUp,
    FormDraft,
    Integration,
    Operator,
    OutboxEvent,
    QueueItem,
    Service,
    TranscriptLine,
    UsedAssertion,
)
from ohjaus_tui.db.url import normalise_url
from ohjaus_tui.errors import BadInput, DatabaseUnavailable
from ohjaus_tui.services.copy import CopyFailed, CopyRefused, copy_desk
from ohjaus_tui.services.database import open_desk

HKI = ZoneInfo("Europe/Helsinki")
# An instant with microseconds, given in Helsinki time: it must arrive as the same UTC instant.
RECEIVED = datetime(2025, 3, 4, 9, 30, 15, 123456, tzinfo=HKI)

Dump = dict[str, list[tuple[Any, ...]]]


def sqlite_url(path: Path) -> str:
    return normalise_url(str(path))


def fill_desk(engine: Engine) -> None:
    """At least one row in every table, with every column given a value somewhere."""
    t = RECEIVED
    with Session(engine) as session:
        lead = Operator(
            name="Liisa Lähde",
            role="lead",
            ui_language="sv",
            pin_hash="$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA",
            os_user="liisa",
            created_at=t - timedelta(days=30),
        )
        anna = Operator(name="Anna", active=False, created_at=t - timedelta(days=29, seconds=1))
        session.add_all([lead, anna])
        session.flush()
        assert lead.id is not None and anna.id is not None
        session.add(
            ChannelSignOn(
                operator_id=anna.id,
                channel="phone",
                signed_on_at=t,
                signed_off_at=t + timedelta(hours=5, microseconds=1),
                last_seen_at=t + timedelta(hours=4, minutes=59),
                override_reason="Annan kone jumissa",
                overridden_by_id=lead.id,
            )
        )
        callback = QueueItem(
            channel="phone",
            external_id="pbx-0001",
            received_at=t,
            available_at=t + timedelta(minutes=10),
            due_at=t + timedelta(hours=5),
            status="closed",
            claimed_by_id=anna.id,
            claimed_at=t + timedelta(minutes=11),
            first_answered_at=t + timedelta(minutes=12),
            closed_at=t + timedelta(minutes=20),
            close_reason="handled",
            callback_number="+358401234567",
            identified=True,
            on_behalf=True,
            identification_requested_at=t + timedelta(minutes=13),
            client_left_at=t + timedelta(minutes=19),
            language="sv",
            subject="Soittopyyntö",
            text="Äidin kotihoito\nja omaishoidon tuki 🙂",
            repeat_key="5f" * 32,
            earlier_contacts=2,
            purged_at=t + timedelta(days=30),
            updated_at=t + timedelta(minutes=20),
        )
        chat = QueueItem(channel="chat", received_at=t, available_at=t, updated_at=t,
                         owner_id=anna.id)  # fmt: skip
        session.add_all([callback, chat])
        session.flush()
        assert callback.id is not None and chat.id is not None
        session.add(
            CallbackAttempt(
                item_id=callback.id,
                attempt_no=1,
                at=t + timedelta(minutes=11),
                operator_id=anna.id,
                outcome="reached",
            )
        )
        session.add_all(
            [
                TranscriptLine(item_id=chat.id, seq=1, direction="in", author="asukas", at=t,
                               text="Hei, kysyisin", client_ref="5b2e-tab-1"),
                TranscriptLine(item_id=chat.id, seq=2, direction="out", author="Anna",
                               at=t + timedelta(seconds=30), text="Hei! Kerro lisää."),
            ]
        )  # fmt: skip
        session.add(
            ChatFeedback(item_id=chat.id, given_at=t + timedelta(minutes=21), score=4,
                         helped=True, text="Sain apua 🙂")
        )  # fmt: skip
        session.add(
            FollowUp(origin_item_id=callback.id, item_id=chat.id, kind="task", owner_id=anna.id,
                     created_by_id=lead.id, due_from=t + timedelta(days=1),
                     due_to=t + timedelta(days=1, hours=2), language="sv",
                     note="omaishoidon tuki: hakemus", status="done", created_at=t,
                     closed_at=t + timedelta(days=1, hours=1), handed_by_id=lead.id,
                     handed_at=t + timedelta(hours=2))
        )  # fmt: skip
        session.add(
            Consultation(item_id=chat.id, asker_id=anna.id, profession="social",
                         codes='{"channel": "chat"}', question="Kuka myöntää?", answer="SOS",
                         outcome="answered", answered_by_id=lead.id, asked_at=t,
                         answered_at=t + timedelta(seconds=90), updated_at=t)
        )  # fmt: skip
        session.add(
            Code(
                list="reason",
                code="county_hyvinvointi",
                label_fi="Hyvinvointialueen oma syy",
                label_sv="Välfärdsområdets egen orsak",
                label_en="County's own reason",
                report_group="other",
                sort_order=99,
                builtin=False,
                active=False,
            )
        )
        service = Service(
            code="KPH-0042",
            name_fi="Kotihoidon palveluohjaus",
            name_sv="Hemvårdens servicehandledning",
            segment="older_people",
            provider_type="county",
            municipality="Kokkola",
            phone="+358401112223",
            url="https://example.fi/kotihoito",
            email="kotihoito@example.fi",
            hours="ma-pe 8-15",
            description="Kotihoidon arviointi",
            keywords="kotihoito; omaishoito",
            search_text="kotihoidon palveluohjaus kokkola",
            active=True,
            created_at=t - timedelta(days=100),
            updated_at=t - timedelta(days=1),
        )
        session.add(service)
        session.add(DeskHours(channel="phone", hours="mon-fri 08:00-16:00", updated_at=t))
        session.add(DeskSecret(name="repeat", value="a7" * 32, created_at=t))
        session.add(DeskSetting(name="identity", value='{"issuer": "idp"}', updated_at=t))
        session.add(UsedAssertion(digest="9e" * 32, expires_at=t + timedelta(minutes=5)))
        platform = Integration(
            name="pbx",
            token_hash="c3" * 32,
            webhook_url="https://pbx.example/desk",
            created_at=t,
            revoked_at=t + timedelta(days=1),
        )
        session.add(platform)
        session.flush()
        assert platform.id is not None
        session.add(  # a webhook not delivered yet: a copied desk still sends it
            OutboxEvent(
                integration_id=platform.id,
                item_id=chat.id,
                event_id="5f0c1d2e-3a4b-4c5d-8e6f-7a8b9c0d1e2f",
                kind="reply",
                body='{"text": "Hei"}',
                created_at=t,
                attempts=2,
                next_attempt_at=t + timedelta(minutes=4),
                last_error="503",
            )
        )
        session.add_all(
            [
                DeskDay(day=date(2025, 12, 23), channel="phone", hours="09:00-12:00",
                        reason="aatonaatto", updated_at=t),
                DeskDay(day=date(2025, 12, 29), channel="chat", hours=None, reason="",
                        updated_at=t),
            ]
        )  # fmt: skip
        session.add(
            Answer(
                key="aukiolo",
                language="fi",
                text="Palvelemme taas {next_opening}.",
                created_at=t - timedelta(days=3),
                created_by_id=lead.id,
                updated_at=t,
                updated_by_id=anna.id,
            )
        )
        session.flush()
        assert service.id is not None
        contact = ContactLog(
            item_id=callback.id,
            operator_id=anna.id,
            source="desk",
            started_at=t + timedelta(minutes=12),
            logged_at=t + timedelta(minutes=21),
            edited_at=t + timedelta(minutes=30),
            channel="phone",
            caller_type="relative",
            segment="older_people",
            level="guidance",
            identified=True,
            on_behalf=True,
            language="sv",
            referral="referred",
            referral_mode="warm",
            referral_service_id=service.id,
            referral_service_code=service.code,
            referral_service_name=service.name_fi,
            referral_segment="older_people",
            resolved_first_contact=False,
            many_services=True,
            many_services_signs="kotihoito, omaishoito",
            feedback_scale=5,
            feedback_score=4,
            helped=False,
            nps=9,
            feedback_text="Kiitos",
            note="Soitetaan huomenna",
        )
        bare = ContactLog(started_at=t, logged_at=t, channel="chat", caller_type="resident")
        session.add_all([contact, bare])
        session.flush()
        assert contact.id is not None
        session.add_all(
            [
                ContactReason(contact_id=contact.id, reason="home_care"),
                ContactReason(contact_id=contact.id, reason="county_hyvinvointi"),
            ]
        )
        session.add(
            AuditEvent(
                at=t + timedelta(minutes=21),
                operator_id=anna.id,
                actor="anna",
                action="contact.log",
                entity="contact_log",
                entity_id=str(contact.id),
                detail=json.dumps({"reasons": 2}),
            )
        )
        session.add(
            FormDraft(
                operator_id=lead.id,
                item_id=chat.id,
                updated_at=t + timedelta(seconds=45),
                data=json.dumps({"note": "kesken"}),
            )
        )
        session.commit()


def dump(url: str) -> Dump:
    """Every row of every table, in key order, as read back through the models' types."""
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return {
                table.name: [
                    tuple(row)
                    for row in connection.execute(
                        select(table).order_by(*table.primary_key.columns)
                    )
                ]
                for table in repo.desk_tables()
            }
    finally:
        engine.dispose()


def assert_same_rows(source: Dump, target: Dump) -> None:
    assert list(target) == list(source)
    for name, rows in source.items():
        assert target[name] == rows, name
        for source_row, target_row in zip(rows, target[name], strict=True):
            # 1 == True and two instants in different zones compare equal: check kinds too.
            assert [type(v) for v in target_row] == [type(v) for v in source_row], name
            for value in target_row:
                if isinstance(value, datetime):
                    assert value.utcoffset() == timedelta(0), name


class Recorder:
    """A progress callback that keeps what it was told."""

    def __init__(self) -> None:
        self.steps: list[tuple[str, int, int]] = []

    def __call__(self, table: str, done: int, total: int) -> None:
        self.steps.append((table, done, total))


def filled_sqlite(path: Path) -> str:
    url = sqlite_url(path)
    engine = open_desk(url)
    try:
        fill_desk(engine)
    finally:
        engine.dispose()
    return url


def test_the_test_desk_has_every_kind_of_row(tmp_path: Path) -> None:
    rows = dump(filled_sqlite(tmp_path / "source.db"))
    assert {name for name, found in rows.items() if not found} == set()
    assert [model.__tablename__ for model in ALL_TABLES] == list(rows)
    # every table of the schema is copied (the webhook outbox once was not)
    assert set(rows) == set(SQLModel.metadata.tables) - {"alembic_version"}


def test_a_copy_holds_every_row_of_every_table(engine: Engine, db_url: str, tmp_path: Path) -> None:
    fill_desk(engine)
    target_url = sqlite_url(tmp_path / "copy.db")
    seen = Recorder()

    result = copy_desk(db_url, str(tmp_path / "copy.db"), progress=seen)

    source, target = dump(db_url), dump(target_url)
    assert_same_rows(source, target)
    assert [(t.table, t.source_rows, t.copied_rows) for t in result.tables] == [
        (name, len(rows), len(rows)) for name, rows in source.items()
    ]
    assert result.rows == sum(len(rows) for rows in source.values())
    assert seen.steps[-1][1:] == (result.rows, result.rows)
    received = target["queue_item"][0][repo.table_of(QueueItem).c.keys().index("received_at")]
    assert received == RECEIVED
    assert received.tzinfo == UTC and received.microsecond == 123456


def test_a_large_table_is_copied_in_chunks(
    engine: Engine, db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(repo, "CHUNK_ROWS", 7)
    with write_session(engine) as session:
        session.add_all(
            AuditEvent(actor="bench", action="test", entity_id=str(n), at=RECEIVED)
            for n in range(50)
        )
    seen = Recorder()
    copy_desk(db_url, str(tmp_path / "copy.db"), progress=seen)
    assert dump(sqlite_url(tmp_path / "copy.db")) == dump(db_url)
    audit_steps = [done for table, done, _ in seen.steps if table == "audit_event"]
    assert len(audit_steps) == 8  # 50 rows, 7 a chunk
    done = [step[1] for step in seen.steps]
    assert done == sorted(done)


@pytest.mark.postgresql_only
def test_sqlite_to_postgresql_keeps_every_row_and_moves_the_sequences(
    db_url: str, tmp_path: Path
) -> None:
    source_url = filled_sqlite(tmp_path / "source.db")

    copy_desk(source_url, db_url)

    assert_same_rows(dump(source_url), dump(db_url))
    target = open_desk(db_url)
    try:
        with target.connect() as connection:
            for table in repo.desk_tables():
                if repo.serial_id(table) is None:
                    continue
                sequence = connection.execute(
                    text("SELECT pg_get_serial_sequence(:t, 'id')"), {"t": table.name}
                ).scalar_one()
                last, called = connection.execute(
                    text(f"SELECT last_value, is_called FROM {sequence}")
                ).one()
                top = connection.execute(select(func.max(table.c.id))).scalar_one()
                assert (last, called) == (top, True), table.name
        with write_session(target) as session:
            operator = Operator(name="Uusi")
            item = QueueItem(channel="chat", received_at=RECEIVED, available_at=RECEIVED)
            code = Code(list="reason", code="county_new", label_fi="a", label_sv="b", label_en="c")
            session.add_all([operator, item, code])
            session.flush()
            assert operator.id == 3
            assert item.id == 3
            assert code.id == max(row[0] for row in dump(source_url)["code"]) + 1
    finally:
        target.dispose()


def test_a_copy_of_a_copy_is_the_same_desk(engine: Engine, db_url: str, tmp_path: Path) -> None:
    fill_desk(engine)
    middle = sqlite_url(tmp_path / "middle.db")
    copy_desk(db_url, middle)
    again = tmp_path / "again.db"
    copy_desk(middle, str(again))
    assert_same_rows(dump(db_url), dump(sqlite_url(again)))


@pytest.mark.postgresql_only
def test_an_empty_table_copied_to_postgresql_starts_its_ids_at_one(
    db_url: str, tmp_path: Path
) -> None:
    source_url = sqlite_url(tmp_path / "fresh.db")
    open_desk(source_url).dispose()
    copy_desk(source_url, db_url)
    target = open_desk(db_url)
    try:
        with write_session(target) as session:
            operator = Operator(name="Ensimmäinen")
            session.add(operator)
            session.flush()
            assert operator.id == 1
    finally:
        target.dispose()


@pytest.mark.parametrize("holding", ["codes", "an operator"])
def test_a_target_holding_rows_is_refused_and_left_unchanged(
    db_url: str, tmp_path: Path, holding: str
) -> None:
    source_url = filled_sqlite(tmp_path / "source.db")
    target = open_desk(db_url) if holding == "codes" else open_database(db_url)
    try:
        if holding == "an operator":
            with write_session(target) as session:
                session.add(Operator(name="Jo täällä"))
    finally:
        target.dispose()
    before = dump(db_url)

    with pytest.raises(CopyRefused, match="is not empty") as refused:
        copy_desk(source_url, db_url)

    assert ("code" if holding == "codes" else "operator 1") in str(refused.value)
    assert dump(db_url) == before


def test_counts_that_differ_roll_the_whole_copy_back(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source_url = filled_sqlite(tmp_path / "source.db")
    insert_rows = repo.insert_rows

    def lossy(*, session: Session, table: Any, rows: list[dict[str, Any]]) -> None:
        insert_rows(session=session, table=table, rows=rows[1:] if table.name == "code" else rows)

    monkeypatch.setattr(repo, "insert_rows", lossy)
    with pytest.raises(
        CopyFailed, match=r"row counts differ .*code \d+ -> \d+.*nothing was written"
    ):
        copy_desk(source_url, db_url)
    assert all(not rows for rows in dump(db_url).values())


@pytest.mark.postgresql_only
def test_a_value_postgresql_refuses_fails_the_copy_in_one_line(db_url: str, tmp_path: Path) -> None:
    """SQLite does not enforce VARCHAR lengths; PostgreSQL does."""
    source_url = filled_sqlite(tmp_path / "source.db")
    engine = make_engine(source_url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE service SET segment = :long"), {"long": "x" * 40})
    engine.dispose()

    with pytest.raises(CopyFailed, match="at table service: value too long") as failed:
        copy_desk(source_url, db_url)

    assert "\n" not in str(failed.value)
    assert all(not rows for rows in dump(db_url).values())


def test_the_source_itself_is_refused(engine: Engine, db_url: str) -> None:
    with pytest.raises(BadInput, match="is the source database itself"):
        copy_desk(db_url, db_url)


@pytest.mark.sqlite_only
def test_the_source_under_another_name_is_refused(engine: Engine, tmp_path: Path) -> None:
    (tmp_path / "link.db").symlink_to(tmp_path / "desk.db")
    with pytest.raises(BadInput, match="is the source database itself"):
        copy_desk(f"sqlite:///{tmp_path / 'desk.db'}", str(tmp_path / "link.db"))


def test_same_database_reads_postgresql_addresses() -> None:
    same = repo.same_database
    assert same(
        "postgresql+psycopg://a@localhost/desk", "postgresql+psycopg://b:pw@127.0.0.1:5432/desk"
    )
    assert same(
        "postgresql+psycopg://ohjaus@/ohjaus", "postgresql+psycopg://ohjaus@localhost/ohjaus"
    )
    assert not same("postgresql+psycopg://a@dbhost/desk", "postgresql+psycopg://a@dbhost/desk2")
    assert not same("postgresql+psycopg://a@dbhost/desk", "postgresql+psycopg://a@dbhost:5433/desk")
    assert not same("postgresql+psycopg://a@dbhost/desk", "sqlite:////tmp/desk")


def test_a_missing_source_file_is_not_created(tmp_path: Path) -> None:
    with pytest.raises(DatabaseUnavailable, match="no database at"):
        copy_desk(sqlite_url(tmp_path / "nope.db"), str(tmp_path / "copy.db"))
    assert not (tmp_path / "nope.db").exists()
    assert not (tmp_path / "copy.db").exists()
