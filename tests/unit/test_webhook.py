"""The webhook's signature, body and back-off (domain/webhook.py)."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import UTC, datetime, timedelta

import pytest

from ohjaus_tui.domain.webhook import WebhookEvent, backoff, event_body, signature


def test_the_signature_is_hmac_sha256_over_the_timestamp_a_dot_and_the_body() -> None:
    secret = bytes.fromhex("00" * 31 + "01")
    body = b'{"event":"reply"}'

    signed = signature(secret, 1_700_000_000, body)

    expected = hmac.new(secret, b'1700000000.{"event":"reply"}', hashlib.sha256).hexdigest()
    assert signed == f"sha256={expected}"
    assert signature(secret, 1_700_000_001, body) != signed


def test_the_body_names_the_platforms_chat_and_carries_only_a_replys_text() -> None:
    at = datetime(2025, 3, 4, 8, 0, tzinfo=UTC)

    reply = json.loads(
        event_body(
            event_id="e1", kind=WebhookEvent.REPLY, external_id="c1", item_id=7, at=at, text="Hei"
        )
    )
    ended = json.loads(
        event_body(event_id="e2", kind=WebhookEvent.ENDED, external_id="c1", item_id=7, at=at)
    )

    assert reply == {
        "event_id": "e1",
        "event": "reply",
        "external_id": "c1",
        "item_id": 7,
        "at": "2025-03-04T08:00:00+00:00",
        "text": "Hei",
    }
    assert set(ended) == {"event_id", "event", "external_id", "item_id", "at"}


@pytest.mark.parametrize(
    ("attempts", "seconds"), [(1, 2), (2, 4), (3, 8), (9, 512), (10, 900), (40, 900)]
)
def test_the_back_off_doubles_up_to_a_quarter_of_an_hour(attempts: int, seconds: int) -> None:
    assert backoff(attempts, 0.0) == timedelta(seconds=seconds)


def test_jitter_takes_off_at_most_a_half() -> None:
    assert backoff(3, 1.0) == timedelta(seconds=4)
    assert backoff(3, 0.5) == timedelta(seconds=6)
    assert backoff(12, 1.0) == timedelta(minutes=7, seconds=30)
    with pytest.raises(ValueError):
        backoff(0, 0.0)
    with pytest.raises(ValueError):
        backoff(1, 1.5)
