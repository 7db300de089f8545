"""The webhook outbox: what the desk does to a platform's contact goes back to the
platform, signed, from a transactional outbox.

:func:`note` writes an event in the transaction of the change it tells of (the queue
service calls it), only for an item a platform posted whose integration has a
webhook: a change that rolls back leaves no event, and a committed one is never lost.

:func:`send_due` posts what is due. A sender takes the due events in a short write
transaction (``FOR UPDATE SKIP LOCKED`` on PostgreSQL; SQLite has one writer at a
time) and moves each a lease ahead, then posts with no transaction open, so that
the desk's writers never wait for a platform. A 2xx marks the event delivered;
anything else counts an attempt and puts the next one off (:func:`backoff`), for
ever: an event is never dropped. Should a sender stop between the platform's 2xx
and the mark, the event goes again after its lease with the same ``event_id``,
which the platform uses to drop the duplicate. An item's events go in order: one
waits while an earlier one of its item is undelivered.

Posting uses the standard library (``urllib.request``): httpx is only a test
dependency here, and one POST with a timeout needs no more. Redirects are not
followed (a signed body is not re-posted elsewhere).
"""

from __future__ import annotations

import logging
import random
import threading
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine
from sqlmodel import Session

from ohjaus_tui.db import outbox as repo
from ohjaus_tui.db.engine import write_session
from ohjaus_tui.db.models import Integration, OutboxEvent, QueueItem
from ohjaus_tui.domain.calendar import utcnow
from ohjaus_tui.domain.codes import Role
from ohjaus_tui.domain.webhook import (
    EVENT_ID_HEADER,
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    WebhookEvent,
    backoff,
    event_body,
    signature,
)
from ohjaus_tui.services.actor import Actor
from ohjaus_tui.words import N_

ACTION = N_("outbox.action")
"""What an admin's role is needed for, in the words of a refusal."""
TIMEOUT = 10.0
"""Seconds a platform has to answer one POST."""
LEASE = timedelta(seconds=60)
"""How long a taken event is another sender's to leave alone (longer than a POST)."""
BATCH = 50
INTERVAL = 5.0
"""Seconds between rounds of a running sender."""
USER_AGENT = "ohjaus-webhook/1"
LOG = logging.getLogger("ohjaus.outbox")

Post = Callable[[str, bytes, Mapping[str, str]], int]
"""Posts a body with headers to a URL and returns the HTTP status; raises OSError when
the platform cannot be reached."""


def note(
    session: Session,
    item: QueueItem,
    kind: WebhookEvent,
    *,
    at: datetime,
    text: str | None = None,
    channel: str | None = None,
) -> OutboxEvent | None:
    """Write the event for the item's platform in the caller's transaction; None when
    the item did not come from a platform with a webhook (or its token is revoked)."""
    if item.integration_id is None or item.id is None:
        return None
    integration = session.get(Integration, item.integration_id)
    if integration is None or integration.webhook_url is None or integration.revoked_at:
        return None
    event_id = str(uuid.uuid4())
    row = OutboxEvent(
        integration_id=item.integration_id,
        item_id=item.id,
        event_id=event_id,
        kind=kind.value,
        body=event_body(
            event_id=event_id,
            kind=kind,
            external_id=item.external_id,
            item_id=item.id,
            at=at,
            text=text,
            channel=channel,
        ),
        created_at=utcnow(),
        next_attempt_at=utcnow(),
    )
    session.add(row)
    return row


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirects)


def post_with_urllib(url: str, body: bytes, headers: Mapping[str, str]) -> int:
    """:data:`Post` over the standard library, with :data:`TIMEOUT`."""
    request = urllib.request.Request(url, data=body, headers=dict(headers), method="POST")
    try:
        with _OPENER.open(request, timeout=TIMEOUT) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)


@dataclass(frozen=True)
class SendReport:
    delivered: int = 0
    failed: int = 0

    def __add__(self, other: SendReport) -> SendReport:
        return SendReport(self.delivered + other.delivered, self.failed + other.failed)


def send_due(
    engine: Engine,
    *,
    post: Post = post_with_urllib,
    clock: Callable[[], datetime] = utcnow,
    jitter: Callable[[], float] = random.random,
    batch: int = BATCH,
) -> SendReport:
    """Post every event due now, round by round (an item's next event is due once its
    earlier one is delivered), until a round delivers none."""
    report = SendReport()
    while True:
        done = _send_round(engine, post=post, clock=clock, jitter=jitter, batch=batch)
        report += done
        if not done.delivered:  # nothing new is due: a failed event waits its back-off
            return report


def _send_round(
    engine: Engine,
    *,
    post: Post,
    clock: Callable[[], datetime],
    jitter: Callable[[], float],
    batch: int,
) -> SendReport:
    now = clock()
    with write_session(engine) as session:
        taken = repo.due(session=session, now=now, limit=batch)
        repo.postpone(session=session, ids=[due.id for due in taken], until=now + LEASE)
    delivered = failed = 0
    for due in taken:
        error = _deliver(due, post, clock())
        with write_session(engine) as session:
            if error is None:
                repo.delivered(session=session, event_id=due.id, at=clock())
                delivered += 1
            else:
                wait = backoff(due.attempts + 1, jitter())
                repo.failed(session=session, event_id=due.id, error=error, retry_at=clock() + wait)
                failed += 1
                LOG.warning("webhook event %s not delivered: %s", due.event_id, error)
    return SendReport(delivered, failed)


def _deliver(due: repo.Due, post: Post, now: datetime) -> str | None:
    """Post one event; None on a 2xx, else why not (no content)."""
    body = due.body.encode("utf-8")
    timestamp = int(now.timestamp())
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": USER_AGENT,
        EVENT_ID_HEADER: due.event_id,
        TIMESTAMP_HEADER: str(timestamp),
        SIGNATURE_HEADER: signature(bytes.fromhex(due.secret), timestamp, body),
    }
    try:
        status = post(due.url, body, headers)
    except (OSError, ValueError) as exc:  # URLError, a timeout, a refused connection
        reason = getattr(exc, "reason", None) or exc
        return f"{type(exc).__name__}: {reason}"[:200]
    if 200 <= status < 300:
        return None
    return f"HTTP {status}"


def run_sender(
    engine: Engine,
    stop: threading.Event,
    *,
    interval: float = INTERVAL,
    post: Post = post_with_urllib,
) -> None:
    """Send what is due every ``interval`` seconds until ``stop`` is set (``ohjaus serve``'s
    thread, ``ohjaus outbox send``). A failing database is logged and tried again."""
    while not stop.is_set():
        try:
            send_due(engine, post=post)
        except Exception:  # the loop outlives a database that is away for a moment
            LOG.exception("the webhook sender failed; trying again in %.0f s", interval)
        stop.wait(interval)


def send_now(engine: Engine, *, actor: Actor) -> SendReport:
    """:func:`send_due` for an admin (``ohjaus outbox send --once``, from cron)."""
    actor.require(Role.ADMIN, ACTION)
    return send_due(engine)


def outbox_counts(engine: Engine, *, actor: Actor) -> list[repo.Counts]:
    """Per platform: events pending, failing and delivered, never a body (admin)."""
    actor.require(Role.ADMIN, ACTION)
    with Session(engine) as session:
        return repo.counts(session=session)
