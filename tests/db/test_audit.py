"""Reading the audit trail: filters in local time, the view recorded, nothing editable."""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, col, select

import ohjaus_tui
from ohjaus_tui.db.models import AuditEvent
from ohjaus_tui.domain.calendar import HELSINKI
from ohjaus_tui.domain.codes import Role
from ohjaus_tui.errors import BadInput
from ohjaus_tui.services.actor import Actor
from ohjaus_tui.services.audit import VIEW_ACTION, AuditQuery, view_audit_trail

READER = Actor("os:dpo", role=Role.ADMIN)


def local(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2025, 3, day, hour, minute, tzinfo=HELSINKI)


@pytest.fixture
def trail(engine: Engine, people: dict[str, int]) -> None:
    """Events around the local midnight between 4 and 5 March 2025 (UTC+2)."""
    with Session(engine) as session:
        for at, actor, operator_id, action, detail in (
            (local(3, 23, 59), "Anna", people["Anna"], "queue.claim", {"channel": "phone"}),
            (local(4, 0, 0), "Anna", people["Anna"], "queue.close", {"channel": "phone"}),
            (local(4, 23, 30), "os:mikko", None, "directory.import", {"rows": 3}),
            (local(5, 0, 10), "Liisa", people["Liisa"], "queue_x.odd", None),
            (local(5, 9, 0), "os:liisa", people["Liisa"], "retention.purge", {"days": 30}),
            (local(5, 9, 1), "os:root", None, "code.add", {"label": "131052-308T kysyi"}),
        ):
            session.add(
                AuditEvent(
                    at=at,
                    actor=actor,
                    operator_id=operator_id,
                    action=action,
                    entity="queue_item" if action.startswith("queue.") else None,
                    entity_id="7" if action.startswith("queue.") else None,
                    detail=None if detail is None else json.dumps(detail),
                )
            )
        session.commit()


def actions(engine: Engine, query: AuditQuery) -> list[str]:
    """The actions shown, without the fixtures' ``operator.add`` and the test's own views."""
    return [
        entry.action
        for entry in view_audit_trail(engine, query, zone=HELSINKI, actor=READER)
        if entry.action not in ("operator.add", VIEW_ACTION)
    ]


@pytest.mark.usefixtures("trail")
def test_the_trail_is_oldest_first(engine: Engine) -> None:
    assert actions(engine, AuditQuery()) == [
        "queue.claim",
        "queue.close",
        "directory.import",
        "queue_x.odd",
        "retention.purge",
        "code.add",
    ]


@pytest.mark.usefixtures("trail")
def test_days_are_local_and_inclusive(engine: Engine) -> None:
    assert actions(engine, AuditQuery(start=date(2025, 3, 4), end=date(2025, 3, 4))) == [
        "queue.close",
        "directory.import",
    ]
    assert actions(engine, AuditQuery(start=date(2025, 3, 5), end=date(2025, 3, 5))) == [
        "queue_x.odd",
        "retention.purge",
        "code.add",
    ]
    assert actions(engine, AuditQuery(end=date(2025, 3, 3))) == ["queue.claim"]


def test_from_after_to_is_bad_input() -> None:
    with pytest.raises(BadInput, match="--from 2025-03-05 is after --to 2025-03-04"):
        AuditQuery(start=date(2025, 3, 5), end=date(2025, 3, 4))


@pytest.mark.usefixtures("trail")
def test_an_operator_by_name_or_os_user(engine: Engine) -> None:
    assert actions(engine, AuditQuery(operator="Anna")) == ["queue.claim", "queue.close"]
    assert actions(engine, AuditQuery(operator="mikko")) == ["directory.import"]
    assert actions(engine, AuditQuery(operator="os:mikko")) == ["directory.import"]
    # Liisa as an operator and as the OS user of a command
    assert actions(engine, AuditQuery(operator="Liisa")) == ["queue_x.odd", "retention.purge"]
    assert actions(engine, AuditQuery(operator="Nobody")) == []


@pytest.mark.usefixtures("trail")
def test_an_action_prefix_is_literal(engine: Engine) -> None:
    assert actions(engine, AuditQuery(action="queue.")) == ["queue.claim", "queue.close"]
    assert actions(engine, AuditQuery(action="queue_")) == ["queue_x.odd"]
    assert actions(engine, AuditQuery(action="retention.purge")) == ["retention.purge"]
    assert actions(engine, AuditQuery(action="%")) == []


@pytest.mark.usefixtures("trail")
def test_viewing_is_recorded_after_the_rows_are_read(engine: Engine) -> None:
    shown = view_audit_trail(
        engine,
        AuditQuery(start=date(2025, 3, 4), operator="Anna", action="queue."),
        zone=HELSINKI,
        actor=READER,
    )

    assert VIEW_ACTION not in [entry.action for entry in shown]
    with Session(engine) as session:
        [view] = session.exec(select(AuditEvent).where(col(AuditEvent.action) == VIEW_ACTION))
    assert view.actor == "os:dpo"
    assert json.loads(view.detail or "") == {
        "from": "2025-03-04",
        "operator": "Anna",
        "action": "queue.",
        "rows": 1,
    }


@pytest.mark.usefixtures("trail")
def test_an_identity_code_in_a_detail_is_masked(engine: Engine) -> None:
    [entry] = view_audit_trail(engine, AuditQuery(action="code."), zone=HELSINKI, actor=READER)
    assert entry.detail is not None
    assert "131052-308T" not in entry.detail
    assert "[hetu poistettu] kysyi" in entry.detail


def test_nothing_in_the_program_changes_or_deletes_audit_rows() -> None:
    """The trail is append-only: no UPDATE or DELETE of audit_event anywhere in the code."""
    package = Path(ohjaus_tui.__file__).parent
    changes = re.compile(
        r"(update|delete)\(\s*AuditEvent|session\.delete\(\s*event|"
        r"(UPDATE|DELETE FROM)\s+\"?audit_event",
    )
    offenders = [
        str(path.relative_to(package))
        for path in package.rglob("*.py")
        if changes.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
