"""Reading the audit trail: who did what, when.

The trail is append-only. The program has no function that changes or
deletes an audit row, and this module only reads them. Reading is itself
recorded, as an ``audit.view`` event committed before the rows are returned,
so the trail is never shown without that being on record.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, or_
from sqlmodel import Session, col, select

from ohjaus_tui.db.audit import ChainCheck, first_broken_link, record
from ohjaus_tui.db.engine import write_session
from ohjaus_tui.db.models import AuditEvent, Operator
from ohjaus_tui.domain.codes import Role
from ohjaus_tui.domain.privacy import mask_henkilotunnus
from ohjaus_tui.errors import BadInput
from ohjaus_tui.services.actor import Actor
from ohjaus_tui.words import N_

VIEW_ACTION = "audit.view"


@dataclass(frozen=True)
class AuditQuery:
    """Which events to show; every condition is optional."""

    start: date | None = None
    """First local day, included."""
    end: date | None = None
    """Last local day, included."""
    operator: str | None = None
    """An operator's name, or an OS user (``anna`` or ``os:anna``)."""
    action: str | None = None
    """The start of the action, e.g. ``queue.`` or ``retention.purge``."""

    def __post_init__(self) -> None:
        if self.start is not None and self.end is not None and self.start > self.end:
            raise BadInput(code="audit.from_after_to", start=str(self.start), end=str(self.end))

    def as_detail(self) -> dict[str, Any]:
        return {
            name: str(value)
            for name, value in (
                ("from", self.start),
                ("to", self.end),
                ("operator", self.operator),
                ("action", self.action),
            )
            if value is not None
        }


@dataclass(frozen=True)
class AuditEntry:
    """One event as shown: ``detail`` with any identity code masked."""

    id: int
    at: datetime
    """UTC; shown in the desk's time zone."""
    actor: str
    action: str
    entity: str | None
    entity_id: str | None
    detail: str | None


def view_audit_trail(
    engine: Engine, query: AuditQuery, *, zone: ZoneInfo, actor: Actor
) -> list[AuditEntry]:
    """The events ``query`` selects, oldest first; records an ``audit.view`` event (admin)."""
    actor.require(Role.ADMIN, N_("action.read_audit"))
    statement = select(AuditEvent).order_by(col(AuditEvent.at), col(AuditEvent.id))
    if query.start is not None:
        statement = statement.where(col(AuditEvent.at) >= _midnight(query.start, zone))
    if query.end is not None:
        statement = statement.where(
            col(AuditEvent.at) < _midnight(query.end + timedelta(days=1), zone)
        )
    if query.operator is not None:
        name = query.operator.strip()
        operator_ids = select(col(Operator.id)).where(col(Operator.name) == name)
        statement = statement.where(
            or_(
                col(AuditEvent.actor).in_([name, f"os:{name.removeprefix('os:')}"]),
                col(AuditEvent.operator_id).in_(operator_ids),
            )
        )
    if query.action is not None:
        statement = statement.where(
            col(AuditEvent.action).startswith(query.action.strip(), autoescape=True)
        )
    with Session(engine) as session:  # a read: operators' writes go on meanwhile
        entries = [_entry(event) for event in session.exec(statement)]
    with write_session(engine) as session:
        record(
            session=session,
            actor=actor.name,
            operator_id=actor.operator_id,
            action=VIEW_ACTION,
            detail={**query.as_detail(), "rows": len(entries)},
        )
    return entries


VERIFY_ACTION = "audit.verify"


def verify_audit_trail(engine: Engine, *, actor: Actor) -> ChainCheck:
    """Walk the whole trail, oldest first, and find the first row that breaks its chain
    (admin); the check itself is recorded (``audit.verify``), after it is made."""
    actor.require(Role.ADMIN, N_("action.verify_audit"))
    with Session(engine) as session:
        check = first_broken_link(
            session.exec(select(AuditEvent).order_by(col(AuditEvent.id))).yield_per(1000)
        )
    with write_session(engine) as session:
        record(
            session=session,
            actor=actor.name,
            operator_id=actor.operator_id,
            action=VERIFY_ACTION,
            detail={"rows": check.rows, "broken_at": check.broken_at},
        )
    return check


def _midnight(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0), tzinfo=zone)


def _entry(event: AuditEvent) -> AuditEntry:
    assert event.id is not None
    return AuditEntry(
        id=event.id,
        at=event.at,
        actor=mask_henkilotunnus(event.actor),
        action=event.action,
        entity=event.entity,
        entity_id=event.entity_id,
        detail=None if event.detail is None else mask_henkilotunnus(event.detail),
    )
