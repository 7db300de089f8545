"""Correcting a logged contact: who may, what is kept, what the audit trail says."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from ohjaus_tui.db import contacts as repo
from ohjaus_tui.db.engine import write_session
from ohjaus_tui.db.models import AuditEvent, ContactLog, ContactReason, Service
from ohjaus_tui.domain.calendar import HELSINKI
from ohjaus_tui.domain.codes import Role
from ohjaus_tui.domain.contact import ContactRecord
from ohjaus_tui.errors import BadInput, NotAllowed
from ohjaus_tui.services.actor import Actor
from ohjaus_tui.services.contacts import (
    ContactRejected,
    correctable_contacts,
    edit_contact,
    log_contact,
    record_of,
)
from tests.db.test_contacts import record

NOW = datetime(2025, 3, 3, 12, 0, tzinfo=UTC)  # 14:00 in Helsinki (UTC+2 in March)
LATER = NOW + timedelta(hours=1)
LATE_EVENING = datetime(2025, 3, 3, 23, 50, tzinfo=HELSINKI)
AFTER_MIDNIGHT = datetime(2025, 3, 4, 0, 10, tzinfo=HELSINKI)
HETU = "131052-308T"


@pytest.fixture
def actors(people: dict[str, int]) -> dict[str, Actor]:
    return {
        "Anna": Actor("Anna", people["Anna"], Role.OPERATOR),
        "Mikko": Actor("Mikko", people["Mikko"], Role.OPERATOR),
        "Liisa": Actor("Liisa", people["Liisa"], Role.LEAD),
    }


@pytest.fixture
def services(engine: Engine) -> dict[str, int]:
    """Two services of the directory, by code."""
    ids = {}
    with write_session(engine) as session:
        for code, name, segment in (
            ("soite-neuvola", "Neuvola, Kokkola", "children_families"),
            ("soite-kotihoito", "Kotihoito, Kokkola", "older_people"),
        ):
            row = Service(
                code=code, name_fi=name, segment=segment, provider_type="county", search_text=""
            )
            session.add(row)
            session.flush()
            assert row.id is not None
            ids[code] = row.id
    return ids


def log(engine: Engine, by: Actor, at: datetime = NOW, **changes: object) -> int:
    """A contact logged at the desk by ``by`` at ``at``, as the logging form does."""
    return log_contact(
        engine, record(**changes), actor=by, operator_id=by.operator_id, now=at.astimezone(UTC)
    )


def stored(engine: Engine, contact_id: int) -> tuple[dict[str, Any], list[str]]:
    """The contact's row, every column, and its reasons."""
    with Session(engine) as session:
        contact = session.get(ContactLog, contact_id)
        assert contact is not None
        reasons = session.exec(
            select(ContactReason.reason).where(ContactReason.contact_id == contact_id)
        ).all()
        return contact.model_dump(), sorted(reasons)


def edits(engine: Engine) -> list[AuditEvent]:
    with Session(engine) as session:
        return list(
            session.exec(
                select(AuditEvent)
                .where(AuditEvent.action == "contact.edit")
                .order_by(col(AuditEvent.id))
            )
        )


def current(engine: Engine, contact_id: int) -> ContactRecord:
    """The stored contact as the form would reopen it."""
    with Session(engine) as session:
        contact = session.get(ContactLog, contact_id)
        assert contact is not None
        reasons = repo.reasons_of(session=session, contact_ids=[contact_id])[contact_id]
        return record_of(contact, reasons)


# --- the operator's own contact of today ----------------------------------------------------


def test_an_operator_corrects_own_contact_the_same_day(
    engine: Engine, actors: dict[str, Actor]
) -> None:
    contact_id = log(engine, actors["Anna"])
    changed = edit_contact(
        engine,
        contact_id,
        record(
            started_at=datetime(2025, 3, 3, 8, 0, tzinfo=HELSINKI),  # kept as stored
            channel="chat",  # kept as stored
            caller_type="relative",
            reasons=("social", "other"),
            note="omainen soitti",
        ),
        actor=actors["Anna"],
        now=LATER,
    )
    assert changed == ["caller_type", "reasons", "note"]
    row, reasons = stored(engine, contact_id)
    assert row["caller_type"] == "relative"
    assert row["note"] == "omainen soitti"
    assert row["channel"] == "phone"
    assert row["started_at"] == datetime(2025, 3, 3, 10, 0, tzinfo=HELSINKI)
    assert row["logged_at"] == NOW
    assert row["edited_at"] == LATER
    assert row["operator_id"] == actors["Anna"].operator_id
    assert row["source"] == "desk"
    assert reasons == ["other", "social"]


def test_a_new_referral_service_is_copied_for_the_reports(
    engine: Engine, actors: dict[str, Actor], services: dict[str, int]
) -> None:
    contact_id = log(
        engine,
        actors["Anna"],
        referral="internal",
        referral_mode="handoff",
        referral_service="soite-neuvola",
    )
    changed = edit_contact(
        engine,
        contact_id,
        record(referral="internal", referral_mode="instructed", referral_service="soite-kotihoito"),
        actor=actors["Anna"],
        now=LATER,
    )
    assert changed == ["referral_mode", "referral_service", "referral_segment"]
    row, _ = stored(engine, contact_id)
    assert row["referral_mode"] == "instructed"
    assert row["referral_service_id"] == services["soite-kotihoito"]
    assert row["referral_service_code"] == "soite-kotihoito"
    assert row["referral_service_name"] == "Kotihoito, Kokkola"
    assert row["referral_segment"] == "older_people"


def test_no_referral_after_all_clears_the_copy(
    engine: Engine, actors: dict[str, Actor], services: dict[str, int]
) -> None:
    contact_id = log(
        engine,
        actors["Anna"],
        referral="internal",
        referral_mode="handoff",
        referral_service="soite-neuvola",
    )
    edit_contact(engine, contact_id, record(), actor=actors["Anna"], now=LATER)
    row, _ = stored(engine, contact_id)
    assert row["referral"] == "none"
    assert row["referral_mode"] is None
    assert row["referral_service_id"] is None
    assert row["referral_service_code"] is None
    assert row["referral_service_name"] is None
    assert row["referral_segment"] is None


def test_an_unchanged_service_keeps_its_copy_as_logged(
    engine: Engine, actors: dict[str, Actor], services: dict[str, int]
) -> None:
    contact_id = log(
        engine,
        actors["Anna"],
        referral="internal",
        referral_mode="handoff",
        referral_service="soite-neuvola",
    )
    with write_session(engine) as session:
        service = session.get(Service, services["soite-neuvola"])
        assert service is not None
        service.name_fi = "Perhekeskus, Kokkola"
        session.add(service)
    corrected = current(engine, contact_id)
    changed = edit_contact(
        engine,
        contact_id,
        ContactRecord(**{**corrected.__dict__, "note": "korjaus"}),
        actor=actors["Anna"],
        now=LATER,
    )
    assert changed == ["note"]
    row, _ = stored(engine, contact_id)
    assert row["referral_service_name"] == "Neuvola, Kokkola"


def test_nothing_changed_writes_nothing(engine: Engine, actors: dict[str, Actor]) -> None:
    contact_id = log(engine, actors["Anna"], note="muistiinpano")
    before = stored(engine, contact_id)
    again = current(engine, contact_id)
    unchanged = ContactRecord(
        **{**again.__dict__, "reasons": tuple(reversed(again.reasons)), "channel": "fax"}
    )
    assert edit_contact(engine, contact_id, unchanged, actor=actors["Anna"], now=LATER) == []
    assert stored(engine, contact_id) == before
    assert before[0]["edited_at"] is None
    assert edits(engine) == []


# --- the audit trail -------------------------------------------------------------------------


def test_the_audit_event_has_codes_before_and_after_but_no_texts(
    engine: Engine, actors: dict[str, Actor]
) -> None:
    contact_id = log(engine, actors["Anna"], note="alkuperäinen teksti", feedback_text="kiitos")
    edit_contact(
        engine,
        contact_id,
        record(
            caller_type="professional",
            reasons=("social", "health"),
            many_services=True,
            feedback_score=4,
            note="uusi salainen teksti",
            feedback_text=None,
        ),
        actor=actors["Anna"],
        now=LATER,
    )
    [event] = edits(engine)
    assert event.actor == "Anna"
    assert event.operator_id == actors["Anna"].operator_id
    assert event.entity == "contact_log"
    assert event.entity_id == str(contact_id)
    raw = event.detail or ""
    for text in ("alkuperäinen", "salainen", "kiitos"):
        assert text not in raw
    detail = json.loads(raw)
    assert detail == {
        "changed": [
            "caller_type",
            "reasons",
            "many_services",
            "feedback_score",
            "feedback_scale",
            "feedback_text",
            "note",
        ],
        "before": {
            "caller_type": "client",
            "reasons": ["health", "appointment"],
            "many_services": False,
            "feedback_score": None,
            "feedback_scale": None,
        },
        "after": {
            "caller_type": "professional",
            "reasons": ["health", "social"],
            "many_services": True,
            "feedback_score": 4,
            "feedback_scale": 5,
        },
    }


def test_a_change_of_text_only_names_the_column(engine: Engine, actors: dict[str, Actor]) -> None:
    contact_id = log(engine, actors["Anna"])
    assert edit_contact(
        engine, contact_id, record(note="lisätieto"), actor=actors["Anna"], now=LATER
    ) == ["note"]
    [event] = edits(engine)
    assert json.loads(event.detail or "{}") == {"changed": ["note"]}


# --- who may ---------------------------------------------------------------------------------


def test_another_operators_contact_is_refused(engine: Engine, actors: dict[str, Actor]) -> None:
    contact_id = log(engine, actors["Anna"])
    before = stored(engine, contact_id)
    with pytest.raises(NotAllowed, match=f"only the operator who logged contact {contact_id}"):
        edit_contact(
            engine, contact_id, record(caller_type="relative"), actor=actors["Mikko"], now=LATER
        )
    assert stored(engine, contact_id) == before
    assert edits(engine) == []


def test_an_actor_without_an_operator_may_not_correct_one_logged_without(engine: Engine) -> None:
    nobody = Actor("os:someone")
    contact_id = log_contact(engine, record(), actor=nobody, now=NOW)
    with pytest.raises(NotAllowed):
        edit_contact(engine, contact_id, record(caller_type="relative"), actor=nobody, now=LATER)


def test_the_day_ends_at_helsinki_midnight(engine: Engine, actors: dict[str, Actor]) -> None:
    contact_id = log(engine, actors["Anna"], at=LATE_EVENING)
    assert edit_contact(
        engine,
        contact_id,
        record(caller_type="relative"),
        actor=actors["Anna"],
        now=LATE_EVENING + timedelta(minutes=9),
    ) == ["caller_type"]
    with pytest.raises(NotAllowed):
        edit_contact(
            engine,
            contact_id,
            record(caller_type="unknown"),
            actor=actors["Anna"],
            now=AFTER_MIDNIGHT,
        )
    assert edit_contact(
        engine, contact_id, record(caller_type="unknown"), actor=actors["Liisa"], now=AFTER_MIDNIGHT
    ) == ["caller_type"]
    events = edits(engine)
    assert [event.actor for event in events] == ["Anna", "Liisa"]


def test_a_lead_corrects_any_desk_contact(engine: Engine, actors: dict[str, Actor]) -> None:
    contact_id = log(engine, actors["Mikko"])
    changed = edit_contact(
        engine,
        contact_id,
        record(language="sv"),
        actor=actors["Liisa"],
        now=NOW + timedelta(days=30),
    )
    assert changed == ["language"]
    row, _ = stored(engine, contact_id)
    assert row["operator_id"] == actors["Mikko"].operator_id  # still Mikko's contact


def imported(engine: Engine, operator_id: int | None = None, at: datetime = NOW) -> int:
    with write_session(engine) as session:
        values = repo.contact_values(
            record(), None, source="import", logged_at=at, operator_id=operator_id
        )
        contact = repo.add_contact(session=session, values=values, reasons=("health",))
        assert contact.id is not None
        return contact.id


def test_imported_history_is_not_edited(engine: Engine, actors: dict[str, Actor]) -> None:
    contact_id = imported(engine, operator_id=actors["Anna"].operator_id)
    before = stored(engine, contact_id)
    for who in ("Anna", "Liisa"):
        with pytest.raises(BadInput, match="imported"):
            edit_contact(
                engine, contact_id, record(caller_type="relative"), actor=actors[who], now=LATER
            )
    assert stored(engine, contact_id) == before
    assert edits(engine) == []


def test_an_unknown_contact(engine: Engine, actors: dict[str, Actor]) -> None:
    with pytest.raises(BadInput, match="no contact 4242") as raised:
        edit_contact(engine, 4242, record(), actor=actors["Liisa"], now=LATER)
    assert not isinstance(raised.value, ContactRejected)


# --- the rules -------------------------------------------------------------------------------


def test_an_invalid_correction_lists_every_problem_and_writes_nothing(
    engine: Engine, actors: dict[str, Actor], services: dict[str, int]
) -> None:
    contact_id = log(
        engine,
        actors["Anna"],
        referral="internal",
        referral_mode="handoff",
        referral_service="soite-neuvola",
        note="ennen",
    )
    before = stored(engine, contact_id)
    with pytest.raises(ContactRejected) as rejected:
        edit_contact(
            engine,
            contact_id,
            record(
                caller_type="alien",
                reasons=(),
                referral="internal",
                referral_mode="handoff",
                referral_service="no-such",
                note=f"hetu {HETU}",
            ),
            actor=actors["Anna"],
            now=LATER,
        )
    assert [column for column, _ in rejected.value.errors] == [
        "caller_type",
        "reasons",
        "note",
        "referral_service",
    ]
    assert HETU not in str(rejected.value)
    assert stored(engine, contact_id) == before
    assert edits(engine) == []


def test_a_correction_may_leave_what_is_not_known_unrecorded(
    engine: Engine, actors: dict[str, Actor]
) -> None:
    contact_id = log(engine, actors["Anna"], level="2", resolved_first_contact=True)
    unrecorded = record(referral="internal", caller_type=None, level=None)
    changed = edit_contact(engine, contact_id, unrecorded, actor=actors["Anna"], now=LATER)
    assert sorted(changed) == ["caller_type", "level", "referral", "resolved_first_contact"]
    row, _ = stored(engine, contact_id)
    assert (row["referral"], row["referral_mode"]) == ("internal", None)
    assert (row["caller_type"], row["level"], row["resolved_first_contact"]) == (None, None, None)


# --- the list of one's own contacts of today ----------------------------------------------------


def test_correctable_contacts_are_ones_own_desk_contacts_of_today(
    engine: Engine, actors: dict[str, Actor]
) -> None:
    anna = actors["Anna"]
    night = datetime(2025, 3, 2, 23, 30, tzinfo=HELSINKI)
    yesterday = log(
        engine, anna, at=datetime(2025, 3, 2, 23, 59, tzinfo=HELSINKI), started_at=night
    )
    first = log(engine, anna, at=datetime(2025, 3, 3, 0, 1, tzinfo=HELSINKI), started_at=night)
    second = log(engine, anna, at=NOW, caller_type="relative", reasons=("appointment", "health"))
    third = log(engine, anna, at=LATER)
    log(engine, actors["Mikko"], at=NOW)
    imported(engine, operator_id=anna.operator_id)
    tomorrow = log(engine, anna, at=datetime(2025, 3, 4, 0, 1, tzinfo=HELSINKI))

    listed = correctable_contacts(engine, actor=anna, now=LATER + timedelta(minutes=5))
    assert [contact.id for contact in listed] == [third, second, first]
    assert yesterday not in [contact.id for contact in listed]
    shown = listed[1]
    assert shown.operator_id == anna.operator_id
    assert shown.logged_at == NOW
    assert shown.item_id is None
    assert shown.edited_at is None
    assert shown.record.caller_type == "relative"
    assert shown.record.reasons == ("health", "appointment")  # in code-list order
    assert edit_contact(engine, second, shown.record, actor=anna, now=LATER) == []

    assert correctable_contacts(engine, actor=Actor("os:someone"), now=LATER) == []
    after_midnight = correctable_contacts(engine, actor=anna, now=AFTER_MIDNIGHT)
    assert [contact.id for contact in after_midnight] == [tomorrow]


def test_the_list_shows_the_service_as_logged(
    engine: Engine, actors: dict[str, Actor], services: dict[str, int]
) -> None:
    log(
        engine,
        actors["Anna"],
        referral="internal",
        referral_mode="handoff",
        referral_service="soite-neuvola",
    )
    [shown] = correctable_contacts(engine, actor=actors["Anna"], now=LATER)
    assert shown.service_name == "Neuvola, Kokkola"
    assert shown.record.referral_service == "soite-neuvola"
    assert shown.record.referral_segment == "children_families"
