"""What the desk posts to a platform's webhook: the kinds of event, the body, the
signature and the back-off between attempts. Pure: no clock, no randomness, no I/O.

The signature is HMAC-SHA256 with the integration's webhook secret over
``timestamp + "." + body``, sent as ``X-Ohjaus-Signature: sha256=<hex>``; the
timestamp (Unix seconds) goes in ``X-Ohjaus-Timestamp``, so that a platform can
refuse an old message replayed to it.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import datetime, timedelta
from enum import StrEnum

EVENT_ID_HEADER = "X-Ohjaus-Event-Id"
TIMESTAMP_HEADER = "X-Ohjaus-Timestamp"
SIGNATURE_HEADER = "X-Ohjaus-Signature"
SIGNATURE_SCHEME = "sha256"
FIRST_DELAY = timedelta(seconds=2)
LONGEST_DELAY = timedelta(minutes=15)


class WebhookEvent(StrEnum):
    """What the desk did to a platform's contact."""

    CLAIMED = "claimed"
    """An operator took the contact."""
    RELEASED = "released"
    """It went back to the queue (given back, or the operator's workstation was gone)."""
    TRANSFERRED = "transferred"
    """It moved to another channel's queue (``channel``: the new one)."""
    REPLY = "reply"
    """The operator wrote to the client (``text``)."""
    IDENTIFICATION_REQUESTED = "identification_requested"
    """The operator asked the chat client to identify (``text``: the desk's request)."""
    ENDED = "ended"
    """The desk ended the contact."""


def event_body(
    *,
    event_id: str,
    kind: WebhookEvent,
    external_id: str | None,
    item_id: int,
    at: datetime,
    text: str | None = None,
    channel: str | None = None,
) -> str:
    """The JSON the platform gets: its own ``external_id`` and the desk's item, what
    happened and when; a reply's text. Nothing else about the client."""
    body: dict[str, object] = {
        "event_id": event_id,
        "event": kind.value,
        "external_id": external_id,
        "item_id": item_id,
        "at": at.isoformat(),
    }
    if channel is not None:
        body["channel"] = channel
    if text is not None:
        body["text"] = text
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"))


def signature(secret: bytes, timestamp: int, body: bytes) -> str:
    """The ``X-Ohjaus-Signature`` header's value for this body sent at ``timestamp``."""
    signed = str(timestamp).encode("ascii") + b"." + body
    return f"{SIGNATURE_SCHEME}=" + hmac.new(secret, signed, hashlib.sha256).hexdigest()


def backoff(attempts: int, jitter: float) -> timedelta:
    """How long to wait after the ``attempts``-th failed delivery: 2^attempts seconds,
    at most 15 minutes, of which ``jitter`` (0 to 1) takes off up to a half, so that
    the senders of many desks do not all knock at once when a platform comes back."""
    if attempts < 1:
        raise ValueError("backoff is for a failed attempt")
    if not 0.0 <= jitter <= 1.0:
        raise ValueError("jitter is between 0 and 1")
    longest = LONGEST_DELAY.total_seconds()
    exponent = min(attempts, 16)  # 2^16 s is already past the cap
    full = min(FIRST_DELAY.total_seconds() * 2 ** (exponent - 1), longest)
    return timedelta(seconds=full * (1.0 - jitter / 2))
