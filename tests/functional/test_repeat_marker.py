"""A repeat contact is marked in the queue and in its handling view, in the UI's language."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import Engine, update
from textual.widgets import DataTable, Static

from ohjaus_tui.db.engine import write_session
from ohjaus_tui.db.models import QueueItem
from ohjaus_tui.domain.codes import Channel, QueueStatus
from ohjaus_tui.domain.intake import ContactRequest
from ohjaus_tui.services.queue import QueueService
from ohjaus_tui.tui.screens.phone import PhoneScreen
from tests.functional.conftest import NOW, fill_queue, workstation
from tests.functional.waiting import settle, wait_for

NUMBER = "040 123 4567"
"""The number of :func:`fill_queue`'s callback request."""


def earlier_contacts(engine: Engine) -> None:
    """The same number called twice in the days before :data:`NOW`; both handled."""
    queue = QueueService(engine)
    for days in (3, 1):
        queue.intake(
            ContactRequest(
                channel=Channel.PHONE,
                received_at=NOW - timedelta(days=days),
                callback_number=NUMBER,
            )
        )
    with write_session(engine) as session:
        session.execute(update(QueueItem).values(status=QueueStatus.CLOSED.value, closed_at=NOW))


def status_cell(table: DataTable[object], item_id: int) -> str:
    return str(table.get_cell(str(item_id), "status"))


@pytest.mark.parametrize(
    ("language", "phone_marker", "chat_marker"),
    [
        ("fi", "soittanut 3 kertaa tällä viikolla", "ottanut yhteyttä 2 kertaa tällä viikolla"),
        ("sv", "har ringt 3 gånger den här veckan", "har kontaktat oss 2 gånger den här veckan"),
        ("en", "called 3 times this week", "contacted us 2 times this week"),
    ],
)
async def test_the_queue_and_the_view_say_how_often_the_number_called(
    engine: Engine, people: dict[str, int], language: str, phone_marker: str, chat_marker: str
) -> None:
    earlier_contacts(engine)
    ids = fill_queue(engine)
    # a message left a number; a chat from it half an hour later is its second contact
    QueueService(engine).intake(
        ContactRequest(
            channel=Channel.MESSAGE,
            received_at=NOW - timedelta(minutes=30),
            subject="Jatkoa",
            callback_number="040 765 4321",
        )
    )
    repeat_chat = QueueService(engine).intake(
        ContactRequest(
            channel=Channel.CHAT,
            received_at=NOW - timedelta(minutes=1),
            external_id="chat-2",
            callback_number="+358 40 765 4321",
            text="Hei taas",
        )
    )
    app = workstation(engine, "Anna", Channel.PHONE, language=language)
    async with app.run_test(size=(160, 36)) as pilot:
        await settle(pilot)

        def rows() -> int:
            tables = app.screen.query("#queue")
            return tables.first(DataTable).row_count if tables else 0

        await wait_for(pilot, lambda: rows() == 5, "the queue with its five items")
        table = app.screen.query_one("#queue", DataTable)
        assert status_cell(table, ids["phone"]).endswith(phone_marker)
        assert status_cell(table, repeat_chat.item_id).endswith(chat_marker)
        assert "kertaa" not in status_cell(table, ids["chat"])  # first contacts: no marker
        assert "time" not in status_cell(table, ids["message"])

        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, PhoneScreen)
        info = str(app.screen.query_one("#item-info", Static).render())
        assert phone_marker in info
        assert "040" not in info  # the marker says how often, never the number
