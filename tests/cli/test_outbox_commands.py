"""``ohjaus outbox``: send the due webhook events, list them by platform (no content)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Engine

from ohjaus_tui.domain.codes import Channel, Role
from ohjaus_tui.domain.intake import ContactRequest
from ohjaus_tui.services.actor import Actor
from ohjaus_tui.services.desk_config import DeskConfig
from ohjaus_tui.services.operators import add_operator
from ohjaus_tui.services.queue import QueueService
from tests.cli.conftest import Invoke

MORNING = datetime(2025, 3, 4, 9, 30, tzinfo=ZoneInfo("Europe/Helsinki"))
CLOSED_PORT = "http://127.0.0.1:9/hooks"
"""A loopback webhook nobody listens on: every delivery fails at once."""


def _a_reply_to_the_platform(engine: Engine) -> None:
    queue = QueueService(engine, DeskConfig())
    anna = add_operator(engine, "Anna", pin="2580", actor=Actor("test", role=Role.ADMIN)).id
    assert anna is not None
    request = ContactRequest(channel=Channel.CHAT, received_at=MORNING, external_id="c1")
    item_id = queue.intake(request, received_from="chat").item_id
    queue.staff.sign_on(anna, Channel.CHAT, now=MORNING)
    queue.take_next(anna, Channel.CHAT, now=MORNING + timedelta(minutes=1))
    queue.reply(item_id, anna, "Hei, mitä kuuluu?", now=MORNING)


def test_send_once_counts_the_failures_and_list_shows_them_without_content(
    ohjaus: Invoke, engine: Engine
) -> None:
    assert ohjaus("integrations", "add", "chat", "--webhook", CLOSED_PORT).exit_code == 0
    _a_reply_to_the_platform(engine)

    sent = ohjaus("outbox", "send", "--once")
    table = ohjaus("outbox", "list")
    as_json = ohjaus("outbox", "list", "--format", "json")

    assert sent.exit_code == 0, sent.output
    assert "Delivered: 0, failed (tried again later): 1." in sent.stderr
    (row,) = json.loads(as_json.stdout)
    assert (row["integration"], row["pending"], row["failing"], row["delivered"]) == (
        "chat",
        2,
        1,
        0,
    )
    assert row["last_error"].startswith("URLError")
    assert "chat" in table.stdout and "URLError" in table.stdout
    assert "Hei, mitä kuuluu?" not in table.stdout + as_json.stdout


def test_the_list_speaks_finnish_and_a_platform_without_a_webhook_is_not_listed(
    ohjaus: Invoke,
) -> None:
    ohjaus("integrations", "add", "pbx")

    result = ohjaus("outbox", "list", language="fi")

    assert result.stdout.strip() == "Yhdelläkään integraatiolla ei ole webhookia eikä tapahtumia."
