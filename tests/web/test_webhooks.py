"""``ohjaus serve`` posts the outbox's events while it runs (the app's sender thread)."""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from ohjaus_tui.domain.codes import Channel, Role
from ohjaus_tui.domain.intake import ContactRequest
from ohjaus_tui.services.actor import Actor
from ohjaus_tui.services.desk_config import DeskConfig
from ohjaus_tui.services.gateway import add_integration
from ohjaus_tui.services.queue import QueueService
from ohjaus_tui.settings import Settings
from ohjaus_tui.web.app import create_app
from tests.webhook_receiver import serving

ADMIN = Actor("Ylläpito", role=Role.ADMIN)
MORNING = datetime(2025, 3, 4, 9, 30, tzinfo=ZoneInfo("Europe/Helsinki"))


def test_the_running_gateway_delivers_a_claim_to_the_platform(
    engine: Engine, people: dict[str, int]
) -> None:
    queue = QueueService(engine, DeskConfig())
    with serving() as receiver:
        add_integration(engine, "chat", webhook_url=receiver.url, actor=ADMIN)
        request = ContactRequest(channel=Channel.CHAT, received_at=MORNING, external_id="c1")
        queue.intake(request, received_from="chat")
        queue.staff.sign_on(people["Anna"], Channel.CHAT, now=MORNING)
        queue.take_next(people["Anna"], Channel.CHAT, now=MORNING + timedelta(minutes=1))

        with TestClient(create_app(engine, Settings())):
            deadline = time.monotonic() + 10
            while not receiver.accepted and time.monotonic() < deadline:
                time.sleep(0.05)  # the sender's own thread: nothing to wait on but the post

    ((headers, _),) = receiver.accepted
    assert headers["X-Ohjaus-Signature"].startswith("sha256=")
