"""The pictures of docs/operator.md and docs/lead.md, made by the workstation itself.

    .venv/bin/python docs/screens.py [--output docs/screens] [--lang fi] [--size 120x36]

Builds a demo desk in a temporary folder (the sample service directory and the
demo people of ``ohjaus demo``, six weeks of handled traffic, and a few waiting
callbacks, chats and messages) with the clock fixed on a Tuesday morning, drives
the workstation with Textual's Pilot (``App.run_test``) as an operator would, and
saves each screen as an SVG file with Textual's own ``App.export_screenshot``.
The same data and keys give the same pictures, so a change in a picture is a
change of the screen. ``tests/functional/test_docs_screens.py`` runs this script,
so that it keeps working as the screens change.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, insert
from sqlmodel import Session
from textual.pilot import Pilot
from textual.widgets import DataTable, Static

from ohjaus_tui.db.models import QueueItem
from ohjaus_tui.domain.calendar import DeskCalendar
from ohjaus_tui.domain.codes import Channel, QueueStatus, Role
from ohjaus_tui.domain.intake import ContactRequest
from ohjaus_tui.services.actor import Actor
from ohjaus_tui.services.database import open_desk
from ohjaus_tui.services.demo import prepare_demo
from ohjaus_tui.services.queue import QueueService
from ohjaus_tui.settings import Settings
from ohjaus_tui.tui.app import OhjausApp, make_app
from ohjaus_tui.tui.handling import HandlingScreen
from ohjaus_tui.tui.screens.contact_form import ContactFormScreen
from ohjaus_tui.tui.screens.help import HelpScreen
from ohjaus_tui.tui.screens.lead_board import LeadBoardScreen
from ohjaus_tui.tui.screens.main import MainScreen
from ohjaus_tui.tui.screens.signin import SignInScreen

HELSINKI = ZoneInfo("Europe/Helsinki")
NOW = datetime(2025, 3, 4, 10, 5, tzinfo=HELSINKI)
"""A Tuesday morning, the desk open (Monday to Friday 9-15): the screens' now."""
HISTORY_WEEKS = 6
"""Weeks of handled traffic before NOW's week: what the lead board's forecast reads."""
TIMEOUT = 30.0
"""Seconds a step may take before the script gives up, saying what it waited for."""

SCREENS = {
    "signin": "sign-in: the person, the PIN, the channel",
    "queue": "the queue of all channels, with the staffing line",
    "phone": "a callback being handled",
    "form": "the contact-logging form after a callback",
    "my-contacts": "my contacts of today",
    "help": "the keys of the queue (?)",
    "chat": "a chat being handled",
    "message": "an electronic message being handled",
    "lead-board": "the lead board (b)",
}
"""The pictures, by file name (without .svg), in the order they are made."""

Shown = Callable[[OhjausApp], bool]


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=HELSINKI)


def history_rows(first: date, last: date) -> Iterator[dict[str, Any]]:
    """Handled items of every business day: each hour 09-14 four chats of 6 minutes and
    five callbacks of 5 minutes, called back 20 minutes after; two messages a day."""
    calendar = DeskCalendar()
    day = first
    while day <= last:
        if calendar.is_business_day(day):
            for hour in range(9, 15):
                for n in range(4):
                    arrived = at(day, hour, n * 15)
                    yield item(Channel.CHAT, arrived, arrived, seconds=360)
                for n in range(5):
                    arrived = at(day, hour, n * 12)
                    yield item(Channel.PHONE, arrived, arrived + timedelta(minutes=20), 300)
            for n in range(2):
                arrived = at(day, 20, n)
                yield item(Channel.MESSAGE, arrived, arrived + timedelta(hours=13), 600)
        day += timedelta(days=1)


def item(channel: Channel, arrived: datetime, claimed: datetime, seconds: int) -> dict[str, Any]:
    closed = claimed + timedelta(seconds=seconds)
    return {
        "channel": channel.value,
        "received_at": arrived,
        "available_at": arrived,
        "status": QueueStatus.CLOSED.value,
        "claimed_at": claimed,
        "first_answered_at": claimed,
        "closed_at": closed,
        "close_reason": "handled",
        "updated_at": closed,
    }


def waiting_now() -> list[ContactRequest]:
    """The queue at NOW: two callbacks, two chats and two messages."""
    today = NOW.date()
    yesterday = today - timedelta(days=1)
    return [
        ContactRequest(
            channel=Channel.PHONE, received_at=at(today, 9, 41), callback_number="040 123 4567"
        ),
        ContactRequest(
            channel=Channel.PHONE,
            received_at=at(today, 10, 1),
            callback_number="050 765 4321",
            language="sv",
        ),
        ContactRequest(
            channel=Channel.CHAT,
            received_at=at(today, 10, 2),
            external_id="chat-1",
            text="Hei, kysyisin lapseni rokotuksista. Mihin neuvolaan meidän kuuluu?",
            on_behalf=True,
        ),
        ContactRequest(
            channel=Channel.CHAT,
            received_at=at(today, 10, 4),
            external_id="chat-2",
            identified=True,
            text="Tarvitsisin apua kotihoidon hakemiseen äidilleni.",
        ),
        ContactRequest(
            channel=Channel.MESSAGE,
            received_at=at(yesterday, 16, 30),
            subject="Reseptin uusiminen",
            text="Voisitteko uusia verenpainelääkkeeni reseptin? Apteekki ei voinut uusia sitä.",
        ),
        ContactRequest(
            channel=Channel.MESSAGE,
            received_at=at(today, 8, 12),
            subject="Ajanvaraus",
            text="Haluaisin siirtää ensi viikon aikani myöhemmäksi.",
        ),
    ]


def prepare_desk(folder: Path) -> Engine:
    """The demo desk with its history and its queue at NOW."""
    engine = open_desk(f"sqlite:///{folder / 'screens.db'}")
    prepare_demo(engine, actor=Actor("screens", role=Role.ADMIN))
    week = NOW.date() - timedelta(days=NOW.weekday())
    rows = list(history_rows(week - timedelta(weeks=HISTORY_WEEKS), week - timedelta(days=1)))
    with Session(engine) as session:
        session.connection().execute(insert(QueueItem), rows)
        session.commit()
    queue = QueueService(engine)
    for request in waiting_now():
        queue.intake(request, now=NOW)
    return engine


async def wait_for(pilot: Pilot[Any], shown: Shown, what: str) -> None:
    """Let the app run until ``shown``; the workers' results come back as messages."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + TIMEOUT
    app = pilot.app
    assert isinstance(app, OhjausApp)
    while not shown(app):
        if loop.time() > deadline:
            raise SystemExit(f"screens: waited {TIMEOUT:g} s for {what}")
        await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


def table_filled(selector: str) -> Shown:
    def shown(app: OhjausApp) -> bool:
        tables = app.screen.query(selector)
        return bool(tables) and tables.first(DataTable).row_count > 0

    return shown


def handling(app: OhjausApp) -> bool:
    """A handling view with its item line and, for a chat or a message, its thread."""
    screen = app.screen
    if not isinstance(screen, HandlingScreen) or not screen.query("#item-info"):
        return False
    if not str(screen.query_one("#item-info", Static).render()):
        return False
    return not screen.query("#transcript") or bool(screen.query("#transcript > .line"))


def attempt_listed(app: OhjausApp) -> bool:
    attempts = app.screen.query("#attempts")
    return bool(attempts) and "1." in str(attempts.first(Static).render())


def showing(kind: type[Any]) -> Shown:
    return lambda app: isinstance(app.screen, kind)


def board_read(app: OhjausApp) -> bool:
    return isinstance(app.screen, LeadBoardScreen) and app.screen.snapshot is not None


class Camera:
    """Drives one desk's workstations and saves their screens."""

    def __init__(self, engine: Engine, output: Path, language: str, size: tuple[int, int]):
        self.engine = engine
        self.output = output
        self.settings = Settings().with_overrides(language=language)
        self.size = size
        self.saved: list[Path] = []

    def app(self, operator: str | None, channel: Channel | None) -> OhjausApp:
        return make_app(
            self.settings,
            self.engine,
            operator_name=operator,
            channel=channel,
            trusted=operator is not None,
            live=False,
            clock=lambda: NOW,
        )

    def save(self, app: OhjausApp, name: str) -> None:
        assert name in SCREENS, name
        path = self.output / f"{name}.svg"
        path.write_text(app.export_screenshot(title=f"ohjaus: {SCREENS[name]}"), "utf-8")
        self.saved.append(path)

    async def press(self, pilot: Pilot[Any], *keys: str, then: Shown, what: str) -> None:
        await pilot.press(*keys)
        await wait_for(pilot, then, what)

    async def sign_in(self) -> None:
        app = self.app(None, None)
        async with app.run_test(size=self.size) as pilot:
            await wait_for(pilot, showing(SignInScreen), "the sign-in")
            self.save(app, "signin")

    async def phone(self) -> None:
        """Anna calls back, logs the contact, looks at her day and at the keys."""
        app = self.app("Anna", Channel.PHONE)
        async with app.run_test(size=self.size) as pilot:
            await wait_for(pilot, table_filled("#queue"), "the queue")
            self.save(app, "queue")
            await self.press(pilot, "n", then=handling, what="the callback")
            self.save(app, "phone")
            await self.press(pilot, "1", then=attempt_listed, what="the call reached")
            await self.press(pilot, "f10", then=showing(ContactFormScreen), what="the form")
            await self.press(pilot, "1", "down", "1", then=lambda _app: True, what="the rows")
            self.save(app, "form")
            await self.press(pilot, "enter", then=showing(MainScreen), what="the contact saved")
            await self.press(pilot, "k", then=table_filled("#mine"), what="my contacts")
            self.save(app, "my-contacts")
            await self.press(pilot, "escape", then=showing(MainScreen), what="the queue")
            await self.press(pilot, "question_mark", then=showing(HelpScreen), what="the help")
            self.save(app, "help")

    async def chat(self) -> None:
        app = self.app("Mikko", Channel.CHAT)
        async with app.run_test(size=self.size) as pilot:
            await wait_for(pilot, table_filled("#queue"), "the queue")
            await self.press(pilot, "n", then=handling, what="the chat")
            self.save(app, "chat")

    async def message_and_board(self) -> None:
        """Liisa, the lead, takes a message, then looks at the board."""
        app = self.app("Liisa", Channel.MESSAGE)
        async with app.run_test(size=self.size) as pilot:
            await wait_for(pilot, table_filled("#queue"), "the queue")
            await self.press(pilot, "n", then=handling, what="the message")
            self.save(app, "message")
            await self.press(pilot, "escape", then=showing(MainScreen), what="the queue")
            await self.press(pilot, "b", then=board_read, what="the lead board")
            self.save(app, "lead-board")

    async def run(self) -> list[Path]:
        await self.sign_in()
        await self.phone()  # first: the times of a claim are the real clock's, not NOW's
        await self.chat()
        await self.message_and_board()
        return self.saved


def size_of(text: str) -> tuple[int, int]:
    columns, _, lines = text.partition("x")
    return int(columns), int(lines)


def main(argv: list[str] | None = None) -> list[Path]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--output", type=Path, default=Path(__file__).parent / "screens")
    parser.add_argument("--lang", default="fi", help="the workstation's language")
    parser.add_argument("--size", type=size_of, default=(120, 36), help="columns x lines")
    options = parser.parse_args(argv)
    options.output.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="ohjaus-screens-") as folder:
        engine = prepare_desk(Path(folder))
        try:
            camera = Camera(engine, options.output, options.lang, options.size)
            saved = asyncio.run(camera.run())
        finally:
            engine.dispose()
    for path in saved:
        print(path)
    return saved


if __name__ == "__main__":
    main(sys.argv[1:])
