"""What a resident does on the desk's own pages (web/pages.py): ask for a callback, send
an electronic message, and read the desk's reply to it by a secret link.

Both requests are intake events (:func:`ohjaus_tui.domain.intake.parse_event`), so a
page checks a number and masks an identity code exactly as ``ohjaus intake`` and the
API do, and both are queued by :meth:`QueueService.intake`. Every action is audited as
``resident.*``, naming the queue item and never what the resident wrote.

A message's secret link carries a random token of :data:`TOKEN_BYTES`; the desk keeps
only its SHA-256, as the item's ``external_id`` (``web:<hex>``), so that the link is
found by the index the queue already has and a leaked database does not give the links.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, replace
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import Engine

from ohjaus_tui.db import queue as repo
from ohjaus_tui.db import secrets as desk_secrets
from ohjaus_tui.db.audit import record
from ohjaus_tui.db.engine import write_session
from ohjaus_tui.domain.calendar import to_local, utcnow
from ohjaus_tui.domain.codes import Channel, Direction
from ohjaus_tui.domain.intake import ContactRequest, ParsedLine, parse_event
from ohjaus_tui.services.queue import IntakeOutcome, QueueService

RESIDENT = "web:resident"
"""Who the audit trail names for a resident's action on the pages."""
TOKEN_BYTES = 32
LINK_PREFIX = "web:"
"""A message item's ``external_id``: this and the SHA-256 of its link's token."""
PAGES_SECRET = "pages"
"""The desk's secret that keys the forms' CSRF tokens: every worker signs with it."""


@dataclass(frozen=True)
class CallbackPromise:
    item_id: int
    due_at: datetime
    """By when the desk calls back, in the desk's zone."""
    same_day: bool
    """True when the call is due on the day it was asked for."""


@dataclass(frozen=True)
class NewMessage:
    item_id: int
    token: str
    """The secret of the link to the reply: shown once, only its hash is kept."""
    due_at: datetime | None


@dataclass(frozen=True)
class ReplyLine:
    at: datetime
    text: str


@dataclass(frozen=True)
class MessageThread:
    item_id: int
    subject: str | None
    received_at: datetime
    replies: tuple[ReplyLine, ...]
    """The desk's lines, oldest first (the resident's own text is not shown again)."""


def queue_linked(
    queue: QueueService, event: dict[str, object], *, now: datetime, zone: ZoneInfo
) -> tuple[IntakeOutcome, str, ParsedLine]:
    """Queue a resident's request ``event`` (through the intake's checks: IntakeError)
    under a new secret link: its outcome, the link's token (given to the resident
    once, never kept), and what the checks made of the event."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    parsed = parse_event(event, now=now, zone=zone)
    assert isinstance(parsed.event, ContactRequest)
    return queue.intake(linked(parsed.event, token), now=now), token, parsed


def linked(request: ContactRequest, token: str) -> ContactRequest:
    """``request`` known by its link's ``token`` (as :data:`LINK_PREFIX` and its digest).

    Set after the intake's checks, not given to them: they look for identity codes
    in an ``external_id``, and one digest in some hundreds has the shape of one in
    its hex digits ("...250698a123b..."): the page would then refuse the resident.
    """
    return replace(request, external_id=LINK_PREFIX + link_digest(token))


def link_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def request_callback(
    queue: QueueService,
    *,
    phone: str,
    language: str,
    topic: str | None,
    zone: ZoneInfo,
    now: datetime | None = None,
) -> CallbackPromise:
    """Queue a callback request; IntakeError (the number, the topic) or BadInput as intake."""
    now = now or utcnow()
    event = {"channel": Channel.PHONE.value, "phone": phone, "language": language}
    if topic:
        event["subject"] = topic
    parsed = parse_event(event, now=now, zone=zone)
    assert isinstance(parsed.event, ContactRequest)
    outcome = queue.intake(parsed.event, now=now)
    _audit(queue.engine, "resident.callback", outcome.item_id, masked=parsed.masked)
    item = queue.item(outcome.item_id)
    assert item is not None and item.due_at is not None
    due = to_local(item.due_at, zone)
    return CallbackPromise(outcome.item_id, due, same_day=due.date() == to_local(now, zone).date())


def send_message(
    queue: QueueService,
    *,
    subject: str,
    text: str,
    language: str,
    zone: ZoneInfo,
    now: datetime | None = None,
) -> NewMessage:
    """Queue an electronic message and make its secret link; IntakeError as intake."""
    now = now or utcnow()
    event: dict[str, object] = {
        "channel": Channel.MESSAGE.value,
        "language": language,
        "subject": subject,
        "text": text,
    }
    outcome, token, parsed = queue_linked(queue, event, now=now, zone=zone)
    _audit(queue.engine, "resident.message", outcome.item_id, masked=parsed.masked)
    item = queue.item(outcome.item_id)
    assert item is not None
    due = to_local(item.due_at, zone) if item.due_at is not None else None
    return NewMessage(outcome.item_id, token, due)


def read_thread(engine: Engine, token: str) -> MessageThread | None:
    """The message whose link's token this is, with the desk's replies; None for an
    unknown token. Each reading is audited."""
    if not token or len(token) > 2 * TOKEN_BYTES:
        return None
    with write_session(engine) as session:
        item = repo.find_by_external_id(
            session=session, external_id=LINK_PREFIX + link_digest(token)
        )
        if item is None or item.id is None or item.channel != Channel.MESSAGE.value:
            return None
        lines = repo.transcript(session=session, item_id=item.id)
        replies = tuple(
            ReplyLine(line.at, line.text) for line in lines if line.direction == Direction.OUT.value
        )
        record(
            session=session,
            actor=RESIDENT,
            action="resident.read_reply",
            entity="queue_item",
            entity_id=item.id,
            detail={"replies": len(replies)},
        )
        return MessageThread(item.id, item.subject, item.received_at, replies)


def pages_secret(engine: Engine) -> bytes:
    """The key of the forms' CSRF tokens, made at the first page that needs one."""
    return desk_secrets.desk_secret(engine, PAGES_SECRET)


def _audit(engine: Engine, action: str, item_id: int, *, masked: tuple[str, ...]) -> None:
    with write_session(engine) as session:
        record(
            session=session,
            actor=RESIDENT,
            action=action,
            entity="queue_item",
            entity_id=item_id,
            detail={"masked": ",".join(masked)} if masked else None,
        )
