"""Fixtures for driving the workstation with Textual's Pilot."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Engine

from ohjaus_tui.domain.calendar import utcnow
from ohjaus_tui.domain.codes import Channel
from ohjaus_tui.domain.intake import ContactRequest
from ohjaus_tui.services.queue import QueueService
from ohjaus_tui.settings import Settings
from ohjaus_tui.tui.app import OhjausApp, make_app

HKI = ZoneInfo("Europe/Helsinki")
NOW = datetime(2025, 3, 4, 10, 5, tzinfo=HKI)
"""A Tuesday morning, the desk open: what the screens show as now."""


def fill_queue(engine: Engine) -> dict[str, int]:
    """One waiting item of each channel, received a few minutes before NOW."""
    queue = QueueService(engine)
    phone = queue.intake(
        ContactRequest(
            channel=Channel.PHONE,
            received_at=NOW.replace(minute=1),
            callback_number="040 123 4567",
        )
    )
    chat = queue.intake(
        ContactRequest(
            channel=Channel.CHAT,
            received_at=NOW.replace(minute=2),
            external_id="chat-1",
            identified=False,
            text="Hei, kysyisin lapsen rokotuksista",
        )
    )
    message = queue.intake(
        ContactRequest(
            channel=Channel.MESSAGE,
            received_at=NOW.replace(hour=8),
            subject="Reseptin uusiminen",
            text="Voisitteko uusia verenpainelääkkeeni reseptin?",
            language="fi",
        )
    )
    return {"phone": phone.item_id, "chat": chat.item_id, "message": message.item_id}


def workstation(
    engine: Engine | Callable[[], Engine],
    operator: str | None,
    channel: Channel | None,
    *,
    live: bool = False,
    language: str = "fi",
    **settings_values: Any,
) -> OhjausApp:
    """The app of ``operator`` on ``channel``; ``settings_values`` are the desk's own settings.
    ``engine`` may be a function that opens the desk (the app calls it in a worker)."""
    settings = Settings(**settings_values).with_overrides(language=language)
    return make_app(
        settings,
        engine,
        operator_name=operator,
        channel=channel,
        trusted=operator is not None,
        live=live,
        clock=utcnow if live else (lambda: NOW),
    )
