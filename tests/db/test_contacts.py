"""Logging one contact: one transaction, the referral service copied, the queue item's start."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine, func
from sqlmodel import Session, select

from ohjaus_tui.db.engine import write_session
from ohjaus_tui.db.models import AuditEvent, ContactLog, ContactReason, QueueItem, Service
from ohjaus_tui.domain.calendar import HELSINKI
from ohjaus_tui.domain.codes import Role
from ohjaus_tui.domain.contact import ContactRecord
from ohjaus_tui.services.actor import Actor
from ohjaus_tui.services.contacts import ContactRejected, log_contact
from ohjaus_tui.services.contacts_file import export_contacts

ACTOR = Actor("hoitaja", operator_id=None)
NOW = datetime(2025, 3, 3, 12, 0, tzinfo=UTC)


def record(**changes: object) -> ContactRecord:
    values: dict[str, object] = {
        "started_at": datetime(2025, 3, 3, 10, 0, tzinfo=HELSINKI),
        "channel": "phone",
        "caller_type": "client",
        "reasons": ("health", "appointment"),
    }
    values.update(changes)
    return ContactRecord(**values)  # type: ignore[arg-type]


@pytest.fixture
def service(engine: Engine) -> int:
    with write_session(engine) as session:
        row = Service(
            code="soite-neuvola",
            name_fi="Neuvola, Kokkola",
            segment="children_families",
            provider_type="county",
            search_text="",
        )
        session.add(row)
        session.flush()
        assert row.id is not None
        return row.id


def count(engine: Engine, table: type) -> int:
    with Session(engine) as session:
        return int(session.exec(select(func.count()).select_from(table)).one())


def test_a_contact_with_its_reasons_and_an_audit_event(engine: Engine, service: int) -> None:
    contact_id = log_contact(
        engine,
        record(referral="internal", referral_mode="handoff", referral_service="soite-neuvola"),
        actor=ACTOR,
        now=NOW,
    )
    with Session(engine) as session:
        contact = session.get(ContactLog, contact_id)
        assert contact is not None
        assert contact.source == "desk"
        assert contact.logged_at == NOW
        assert contact.referral_service_id == service
        assert contact.referral_service_code == "soite-neuvola"
        assert contact.referral_service_name == "Neuvola, Kokkola"
        assert contact.referral_segment == "children_families"
        reasons = session.exec(
            select(ContactReason.reason).where(ContactReason.contact_id == contact_id)
        ).all()
        assert sorted(reasons) == ["appointment", "health"]
        event = session.exec(select(AuditEvent).where(AuditEvent.action == "contact.log")).one()
        assert event.entity_id == str(contact_id)
        assert event.actor == "hoitaja"
        assert json.loads(event.detail or "{}")["channel"] == "phone"


def test_the_service_keeps_its_name_as_logged(engine: Engine, service: int) -> None:
    log_contact(
        engine,
        record(referral="internal", referral_mode="handoff", referral_service="soite-neuvola"),
        actor=ACTOR,
        now=NOW,
    )
    with write_session(engine) as session:
        row = session.get(Service, service)
        assert row is not None
        row.name_fi = "Perhekeskus, Kokkola"
        session.add(row)
    [exported] = list(export_contacts(engine, actor=Actor("t", role=Role.LEAD)))
    assert exported["referral_service"] == "soite-neuvola"
    with Session(engine) as session:
        stored = session.exec(select(ContactLog)).one()
        assert stored.referral_service_name == "Neuvola, Kokkola"


def test_a_contact_from_the_queue_starts_when_its_item_arrived(engine: Engine) -> None:
    arrived = datetime(2025, 2, 28, 21, 55, tzinfo=UTC)  # 23:55 local on the last of February
    with write_session(engine) as session:
        item = QueueItem(channel="message", received_at=arrived, available_at=arrived)
        session.add(item)
        session.flush()
        item_id = item.id
    assert item_id is not None
    contact_id = log_contact(
        engine, record(channel="message"), actor=ACTOR, item_id=item_id, operator_id=None, now=NOW
    )
    with Session(engine) as session:
        contact = session.get(ContactLog, contact_id)
        assert contact is not None
        assert contact.started_at == arrived
        assert contact.item_id == item_id


def test_a_rejected_contact_lists_every_problem_and_writes_nothing(engine: Engine) -> None:
    with pytest.raises(ContactRejected) as rejected:
        log_contact(
            engine,
            record(
                channel="fax",
                reasons=(),
                referral="internal",
                referral_mode="handoff",
                referral_service="no-such",
                note="hetu 131052-308T",
            ),
            actor=ACTOR,
            item_id=999,
            now=NOW,
        )
    assert [column for column, _ in rejected.value.errors] == [
        "channel",
        "reasons",
        "note",
        "item",
        "referral_service",
    ]
    assert rejected.value.exit_code == 2
    assert "131052-308T" not in str(rejected.value)
    assert count(engine, ContactLog) == 0
    assert count(engine, AuditEvent) == 0
