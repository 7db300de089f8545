"""The desk's API door for the county's platforms: integrations and their tokens, the
events they post, and the database's health as the API reports it.

An integration's bearer token is shown once, when an admin adds it; the desk keeps
its SHA-256 only (a random token of 32 bytes needs no slow hash). A request's token
is compared with every active integration's hash in constant time, and the table is
read for each request, so that a revoked token is refused at once.

An event is exactly an intake line (:func:`ohjaus_tui.domain.intake.parse_event`):
the API and ``ohjaus intake`` share its validation, and the queue service audits each
accepted event in the integration's name, without its content.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from ohjaus_tui.db import integrations as repo
from ohjaus_tui.db.audit import record
from ohjaus_tui.db.engine import write_session
from ohjaus_tui.db.migrate import schema_state
from ohjaus_tui.db.models import Integration
from ohjaus_tui.domain.calendar import utcnow
from ohjaus_tui.domain.codes import Role
from ohjaus_tui.domain.intake import ContactRequest, IntakeError, parse_event, reason_field
from ohjaus_tui.domain.reasons import Reason
from ohjaus_tui.errors import BadInput, OhjausError, StorageFault, refuse_identity_code
from ohjaus_tui.services.actor import Actor
from ohjaus_tui.services.queue import QueueService
from ohjaus_tui.services.web_address import checked_address
from ohjaus_tui.words import N_

ACTION = N_("gateway.action")
"""What an admin's role is needed for, in the words of a refusal."""
NAME_LENGTH = 64
TOKEN_BYTES = 32
WEBHOOK_SECRET_BYTES = 32

_SERVICE_FIELDS = {
    "intake.no_number": "phone",
    "intake.bad_number": "phone",
    "intake.chat_closed": "channel",
    "intake.no_chat": "external_id",
    "intake.chat_ended": "external_id",
}
"""The field a queue service's refusal of an event is about."""


@dataclass(frozen=True)
class IntegrationInfo:
    """An integration as listed: never its token, nor the token's hash."""

    name: str
    webhook_url: str | None
    created_at: datetime
    revoked_at: datetime | None

    @property
    def active(self) -> bool:
        return self.revoked_at is None


@dataclass(frozen=True)
class NewIntegration:
    integration: IntegrationInfo
    token: str
    """The bearer token, to be shown once: the desk keeps only its hash."""
    webhook_secret: str
    """The key of the webhook's signatures (hex), shown once with the token. The desk
    keeps it as it is, since it signs with it (docs/integration.md)."""


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _info(row: Integration) -> IntegrationInfo:
    return IntegrationInfo(
        name=row.name,
        webhook_url=row.webhook_url,
        created_at=row.created_at,
        revoked_at=row.revoked_at,
    )


def checked_name(raw: str) -> str:
    name = raw.strip()
    if not name or not name.isprintable():
        raise BadInput(code="gateway.bad_name", name=raw)
    if len(name) > NAME_LENGTH:
        raise BadInput(code="gateway.name_too_long", most=NAME_LENGTH)
    refuse_identity_code(name, code="gateway.name_hetu")
    return name


def checked_webhook(raw: str) -> str:
    url = checked_address(raw, code="gateway.bad_webhook")
    refuse_identity_code(url, code="gateway.webhook_hetu")
    return url


def add_integration(
    engine: Engine, name: str, *, webhook_url: str | None = None, actor: Actor
) -> NewIntegration:
    """A new integration and its token (admin); audited without the token."""
    actor.require(Role.ADMIN, ACTION)
    name = checked_name(name)
    webhook = checked_webhook(webhook_url) if webhook_url is not None else None
    token = secrets.token_urlsafe(TOKEN_BYTES)
    webhook_secret = secrets.token_hex(WEBHOOK_SECRET_BYTES)
    with write_session(engine) as session:
        if repo.find(session=session, name=name) is not None:
            raise BadInput(code="gateway.name_taken", name=name)
        row = Integration(
            name=name,
            token_hash=token_digest(token),
            webhook_url=webhook,
            webhook_secret=webhook_secret,
        )
        session.add(row)
        session.flush()
        _audit(session, actor, "integration.add", row, webhook=webhook or "")
        return NewIntegration(_info(row), token, webhook_secret)


def list_integrations(engine: Engine, *, actor: Actor) -> list[IntegrationInfo]:
    """Every integration, revoked ones too (admin)."""
    actor.require(Role.ADMIN, ACTION)
    with Session(engine) as session:
        return [_info(row) for row in repo.integrations(session=session)]


def revoke_integration(engine: Engine, name: str, *, actor: Actor) -> IntegrationInfo:
    """Refuse the integration's token from now on (admin); audited."""
    actor.require(Role.ADMIN, ACTION)
    with write_session(engine) as session:
        row = repo.find(session=session, name=name.strip())
        if row is None:
            raise BadInput(code="gateway.not_found", name=name)
        if row.revoked_at is not None:
            raise BadInput(code="gateway.already_revoked", name=row.name)
        row.revoked_at = utcnow()
        session.add(row)
        _audit(session, actor, "integration.revoke", row)
        return _info(row)


def _audit(session: Session, actor: Actor, action: str, row: Integration, **detail: str) -> None:
    record(
        session=session,
        actor=actor.name,
        operator_id=actor.operator_id,
        action=action,
        entity="integration",
        entity_id=row.id,
        detail={"name": row.name, **detail},
    )


def integration_for_token(engine: Engine, token: str) -> str | None:
    """The name of the active integration whose token this is, or None.

    Every active hash is compared, each in constant time, so that how long the
    answer takes does not tell which integration, or how much of a hash, matched."""
    digest = token_digest(token)
    with Session(engine) as session:
        candidates = repo.active_hashes(session=session)
    found: str | None = None
    for name, token_hash in candidates:
        if hmac.compare_digest(digest, token_hash):
            found = name
    return found


class EventStatus(StrEnum):
    ACCEPTED = "accepted"
    DUPLICATE = "duplicate"
    REJECTED = "rejected"
    NOT_STORED = "not_stored"
    """The database failed at this event or one before it: retry it."""


@dataclass(frozen=True)
class EventOutcome:
    status: EventStatus
    item_id: int | None = None
    reason: Reason | None = None
    """Why it was rejected or not stored: a code and its English."""
    field: str | None = None
    """The field the reason is about, where it is about one."""
    masked: tuple[str, ...] = ()
    """Fields whose identity code was masked before storing."""


def _field_of(reason: Reason) -> str | None:
    field = reason.params.get("field")
    if isinstance(field, str):
        return field
    return reason_field(reason.code) or _SERVICE_FIELDS.get(reason.code)


RECEIVED_TOGETHER = 100
"""Events of one request stored in one transaction (each in a savepoint of its own):
fewer commits, while the desk's writers wait for no more than this many."""


def receive_events(
    queue: QueueService,
    events: Sequence[object],
    *,
    integration: str,
    zone: ZoneInfo,
    clock: Callable[[], datetime] = utcnow,
) -> list[EventOutcome]:
    """Queue the events an integration posted: one outcome an event, in order.

    An event refused leaves the others as they are (each is stored in a
    savepoint of its own). They are committed :data:`RECEIVED_TOGETHER` at a
    time; a database fault leaves that lot and the rest ``not_stored`` (the
    platform posts them again, and an ``external_id`` stored before is then a
    duplicate).
    """
    outcomes: list[EventOutcome] = []
    for first in range(0, len(events), RECEIVED_TOGETHER):
        lot = events[first : first + RECEIVED_TOGETHER]
        try:
            with write_session(queue.engine) as session:
                taken = [_receive(queue, session, data, integration, zone, clock) for data in lot]
        except StorageFault as fault:
            why = Reason(fault.code or "", str(fault.what), {})
            return outcomes + [EventOutcome(EventStatus.NOT_STORED, reason=why)] * (
                len(events) - first
            )
        outcomes += taken
    return outcomes


def _receive(
    queue: QueueService,
    session: Session,
    data: object,
    integration: str,
    zone: ZoneInfo,
    clock: Callable[[], datetime],
) -> EventOutcome:
    """One event in a savepoint of ``session``: its outcome (a fault is raised)."""
    try:
        parsed = parse_event(data, now=clock(), zone=zone)
        with session.begin_nested():
            if isinstance(parsed.event, ContactRequest):
                outcome = queue.intake_in(session, parsed.event, received_from=integration)
                status = EventStatus.ACCEPTED if outcome.created else EventStatus.DUPLICATE
                item_id = outcome.item_id
            else:
                item_id = queue.chat_event_in(session, parsed.event, received_from=integration)
                status = EventStatus.ACCEPTED
    except StorageFault:
        raise
    except IntakeError as exc:
        return EventOutcome(EventStatus.REJECTED, reason=exc.reason, field=_field_of(exc.reason))
    except OhjausError as exc:
        why = Reason(exc.code or "", str(exc), exc.params)
        return EventOutcome(EventStatus.REJECTED, reason=why, field=_field_of(why))
    return EventOutcome(status, item_id=item_id, masked=parsed.masked)


@dataclass(frozen=True)
class Health:
    reachable: bool
    revision: str | None = None
    head: str | None = None

    @property
    def current(self) -> bool:
        return self.reachable and self.revision == self.head


def database_health(engine: Engine) -> Health:
    """Whether the database answers, and at which schema revision."""
    try:
        state = schema_state(engine)
    except (SQLAlchemyError, OhjausError, OSError):
        return Health(reachable=False)
    return Health(reachable=True, revision=state.revision, head=state.head)
