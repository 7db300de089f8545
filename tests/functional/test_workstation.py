"""The workstation driven by keys: sign-in rule, live queue, take next, handling."""

from __future__ import annotations

import asyncio
from typing import Literal

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select
from textual.widgets import DataTable, Label
from textual.widgets.data_table import ColumnKey

from ohjaus_tui.db.engine import make_engine
from ohjaus_tui.db.models import QueueItem, TranscriptLine
from ohjaus_tui.domain.calendar import utcnow
from ohjaus_tui.domain.codes import Channel
from ohjaus_tui.domain.intake import ContactRequest
from ohjaus_tui.services.queue import QueueService
from ohjaus_tui.tui.app import OhjausApp
from ohjaus_tui.tui.messages import ShowScreen
from ohjaus_tui.tui.screens.chat import ChatScreen
from ohjaus_tui.tui.screens.main import MainScreen
from ohjaus_tui.tui.screens.message import MessageScreen
from ohjaus_tui.tui.screens.phone import PhoneScreen
from tests.conftest import PINS
from tests.functional.conftest import fill_queue, workstation
from tests.functional.waiting import settle, wait_for


def queue_rows(app: OhjausApp) -> int:
    """Rows of the queue on the main screen (-1 while it is not shown)."""
    tables = app.screen.query("#queue")
    return tables.first(DataTable).row_count if tables else -1


@pytest.mark.both_engines  # the live feed on either engine
async def test_a_new_item_appears_without_a_keypress(
    engine: Engine, db_url: str, people: dict[str, int]
) -> None:
    app = workstation(engine, "Anna", Channel.PHONE, live=True)
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_for(pilot, lambda: app.view.loaded, "the live link's first read")
        await wait_for(pilot, lambda: queue_rows(app) == 0, "the empty queue")
        other = make_engine(db_url)  # the intake runs in another process
        try:
            QueueService(other).intake(
                ContactRequest(
                    channel=Channel.PHONE, received_at=utcnow(), callback_number="0401234567"
                )
            )
        finally:
            other.dispose()
        await wait_for(pilot, lambda: queue_rows(app) == 1, "the new item on the queue")
        await app.action_quit()


async def test_one_person_is_not_on_phone_and_chat(engine: Engine, people: dict[str, int]) -> None:
    QueueService(engine).staff.sign_on(people["Anna"], Channel.PHONE)
    app = workstation(engine, None, None)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("enter", *PINS["Anna"], "enter")  # Anna, first in the list
        await pilot.press("down", "enter")  # Chat

        def error() -> str:
            return str(app.screen.query_one("#signin-error", Label).render())

        await wait_for(pilot, lambda: "Anna" in error(), "the sign-on refused")
        assert "ei voi vastata puhelimeen ja chattiin" in error()
        assert not isinstance(app.screen, MainScreen)


async def test_take_next_callback_and_no_answer(engine: Engine, people: dict[str, int]) -> None:
    ids = fill_queue(engine)
    app = workstation(engine, "Anna", Channel.PHONE)
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_for(pilot, lambda: queue_rows(app) == 3, "the queue read by its worker")
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.screen, PhoneScreen), "the callback view")
        assert "040 123 4567" in str(app.screen.query_one("#number").render())
        await pilot.press("2")  # no answer
        await wait_for(pilot, lambda: isinstance(app.screen, MainScreen), "back on the queue")
    item = QueueService(engine).item(ids["phone"])
    assert item is not None
    assert item.status == "waiting"
    assert QueueService(engine).attempts(ids["phone"])[0].outcome == "no_answer"


async def test_chat_reply_and_identification(engine: Engine, people: dict[str, int]) -> None:
    ids = fill_queue(engine)
    app = workstation(engine, "Mikko", Channel.CHAT)
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_for(pilot, lambda: queue_rows(app) == 3, "the queue read by its worker")
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.screen, ChatScreen), "the chat view")

        def lines_shown() -> int:
            return len(app.screen.query("#transcript > .line"))

        await pilot.press(*"Hei!", "enter")
        await wait_for(pilot, lambda: lines_shown() == 2, "the reply in the transcript")
        await pilot.press("f4")
        await wait_for(pilot, lambda: lines_shown() == 3, "the request to identify")
    with Session(engine) as session:
        lines = session.exec(
            select(TranscriptLine).where(TranscriptLine.item_id == ids["chat"])
        ).all()
        item = session.get(QueueItem, ids["chat"])
    assert [line.direction for line in lines] == ["in", "out", "out"]
    assert lines[1].text == "Hei!" and lines[1].author == "Mikko"
    assert item is not None and item.identification_requested_at is not None


async def test_release_puts_a_message_back(engine: Engine, people: dict[str, int]) -> None:
    ids = fill_queue(engine)
    app = workstation(engine, "Anna", Channel.MESSAGE)
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_for(pilot, lambda: queue_rows(app) == 3, "the queue read by its worker")
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.screen, MessageScreen), "the message view")
        await pilot.press("f2")
        await wait_for(pilot, lambda: isinstance(app.screen, MainScreen), "back on the queue")
    item = QueueService(engine).item(ids["message"])
    assert item is not None and item.status == "waiting"


async def test_the_ui_speaks_swedish_when_asked(engine: Engine, people: dict[str, int]) -> None:
    fill_queue(engine)
    app = workstation(engine, "Anna", Channel.PHONE, language="sv")
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_for(pilot, lambda: queue_rows(app) == 3, "the queue read by its worker")
        table = app.screen.query_one("#queue", DataTable)
        headers = [str(column.label) for column in table.columns.values()]
        assert "Kanal" in headers and "Väntat" in headers


async def test_at_80_columns_the_queue_names_who_handles_an_item(
    engine: Engine, people: dict[str, int]
) -> None:
    ids = fill_queue(engine)
    queue = QueueService(engine)
    queue.staff.sign_on(people["Mikko"], Channel.CHAT)
    assert queue.take_next(people["Mikko"], Channel.CHAT) is not None
    app = workstation(engine, "Anna", Channel.PHONE)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#queue", DataTable)
        row = str(ids["chat"])
        await wait_for(pilot, lambda: row in table.rows, "the chat's row (a loaded machine)")
        status = str(table.get_cell(row, "status"))
        assert status == "käsittelyssä: Mikko"
        shown = sum(column.get_render_width(table) for column in table.columns.values())
        assert shown <= 80 - 2, "the table is wider than the terminal"
        assert table.columns[ColumnKey("status")].width >= len("käsittelyssä: Mikko Virtanen")


@pytest.mark.parametrize("what", ["help", "lead_board", "my_contacts"])
@pytest.mark.parametrize("turns", [0, 1, 2, 3])
async def test_quitting_while_a_screen_opens_ends_cleanly(
    engine: Engine,
    people: dict[str, int],
    what: Literal["help", "lead_board", "my_contacts"],
    turns: int,
) -> None:
    """A key opens a screen and the workstation quits before the screen is mounted (the
    random-key test met it): the screen finds its widgets from the start, or none at all."""
    app = workstation(engine, "Liisa", Channel.PHONE)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.view.loaded, "the live queue")
        app.post_message(ShowScreen(what))
        for _ in range(turns):
            await asyncio.sleep(0)  # how far the mount got
        await app.action_quit()
    assert app.return_code == 0
