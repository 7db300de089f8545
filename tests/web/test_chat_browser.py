"""The chat page in Chromium, on a real ``ohjaus serve``, with a Pilot-driven workstation
on the same database: the resident chats, the operator takes the chat, replies, asks to
identify and ends it, the resident gives feedback, and the report counts it. Then the
unsent text across a reload, and two tabs of one chat.

The workstation runs in a thread of its own, on its own event loop (Playwright's sync
API keeps the test thread's loop busy); the test hands it one step at a time. Keeps
screenshots in tests/artifacts/.
"""

from __future__ import annotations

import asyncio
import queue as queues
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlalchemy import text as text_sql
from textual.pilot import Pilot

from ohjaus_tui.domain.calendar import DeskCalendar
from ohjaus_tui.domain.codes import Channel, Direction, QueueStatus, Role
from ohjaus_tui.domain.period import Period
from ohjaus_tui.services.actor import Actor
from ohjaus_tui.services.queue import QueueService
from ohjaus_tui.services.report import build_report
from ohjaus_tui.tui.app import OhjausApp
from tests.functional.conftest import workstation
from tests.web.conftest import guarded
from tests.web.test_chat import chat_items, open_all_week
from tests.web.test_serve import log, server

__all__ = ["log", "server"]  # the fixtures of a real server

pytestmark = pytest.mark.browser

STEP_SECONDS = 15


class Operator(threading.Thread):
    """Mikko's workstation on chat, live on the test's database, driven step by step."""

    def __init__(self, engine: Engine) -> None:
        super().__init__(name="operator", daemon=True)
        self.engine = engine
        self.steps: queues.Queue[tuple[str, str]] = queues.Queue()
        self.done: queues.Queue[object] = queues.Queue()

    def do(self, step: str, text: str = "") -> Any:
        self.steps.put((step, text))
        result = self.done.get(timeout=STEP_SECONDS * 2)
        if isinstance(result, BaseException):
            raise result
        return result

    def run(self) -> None:
        try:
            asyncio.run(self._drive())
        except BaseException as exc:
            self.done.put(exc)

    async def _drive(self) -> None:
        app = workstation(self.engine, "Mikko", Channel.CHAT, live=True)
        async with app.run_test(size=(120, 36)) as pilot:
            while True:
                step, text = await asyncio.to_thread(self.steps.get)
                if step == "quit":
                    break
                try:
                    self.done.put(await getattr(self, step)(app, pilot, text))
                except BaseException as exc:
                    self.done.put(exc)
            await app.action_quit()
        self.done.put("quit")

    @staticmethod
    async def _until(pilot: Pilot[None], ready: Callable[[], bool]) -> None:
        end = time.monotonic() + STEP_SECONDS
        while not ready():
            assert time.monotonic() < end, "the workstation did not get there"
            await pilot.pause(0.02)

    def _item(self) -> int:
        [item] = [i for i in chat_items(self.engine) if i.status != QueueStatus.CLOSED]
        assert item.id is not None
        return item.id

    async def take(self, app: OhjausApp, pilot: Pilot[None], _: str) -> None:
        await self._until(pilot, lambda: type(app.screen).__name__ == "MainScreen")
        await self._until(pilot, lambda: bool(chat_items(self.engine)))
        await pilot.press("n")
        await self._until(pilot, lambda: type(app.screen).__name__ == "ChatScreen")

    async def reply(self, app: OhjausApp, pilot: Pilot[None], text: str) -> tuple[float, float]:
        """Type and send ``text``: when its line was stamped (just before its write
        transaction), and when a thread looking every millisecond first saw it committed
        (epoch seconds). The first is a little before the commit, the second a little after
        it (or later, should the commit come before the look starts)."""
        item_id = self._item()
        seen: list[float] = []
        query = text_sql("SELECT at FROM transcript_line WHERE item_id = :item AND text = :text")

        def watch() -> None:
            end = time.monotonic() + STEP_SECONDS
            with self.engine.connect() as connection:
                while time.monotonic() < end:
                    if connection.execute(query, {"item": item_id, "text": text}).first():
                        seen.append(time.time())
                        return
                    connection.rollback()
                    time.sleep(0.001)

        await pilot.press(*text)
        watcher = threading.Thread(target=watch, daemon=True)
        watcher.start()
        await pilot.press("enter")
        await asyncio.to_thread(watcher.join, STEP_SECONDS)
        assert seen, "the reply was not stored"
        [line] = [
            line for line in QueueService(self.engine).transcript(item_id) if line.text == text
        ]
        return line.at.timestamp(), seen[0]

    async def identify(self, app: OhjausApp, pilot: Pilot[None], _: str) -> None:
        item_id = self._item()
        await pilot.press("f4")
        queue = QueueService(self.engine)
        await self._until(pilot, lambda: _asked(queue, item_id))

    async def end(self, app: OhjausApp, pilot: Pilot[None], _: str) -> None:
        await pilot.press("f10")
        await self._until(pilot, lambda: type(app.screen).__name__ == "ContactFormScreen")

    async def log(self, app: OhjausApp, pilot: Pilot[None], _: str) -> None:
        await pilot.press("1", "ctrl+s")  # a health matter
        await self._until(pilot, lambda: type(app.screen).__name__ == "MainScreen")


def _asked(queue: QueueService, item_id: int) -> bool:
    item = queue.item(item_id)
    return item is not None and item.identification_requested_at is not None


SEEN = """() => {
  window.__seen = {};
  const thread = document.getElementById("thread");
  const mark = () => thread.querySelectorAll(".desk p").forEach((p) => {
    if (!(p.textContent in window.__seen)) { window.__seen[p.textContent] = Date.now(); }
  });
  new MutationObserver(mark).observe(thread, {childList: true, subtree: true});
}"""


def test_a_resident_chats_with_an_operator_in_chromium(
    browser: Any,
    server: str,
    engine: Engine,
    people: dict[str, int],
    artifact: Callable[[str], Path],
) -> None:
    open_all_week(engine)
    operator = Operator(engine)
    operator.start()
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="fi-FI")
    elsewhere: list[str] = []
    errors: list[str] = []
    page = guarded(context.new_page(), server, elsewhere, errors)
    delays: list[tuple[float, float]] = []
    try:
        page.goto(f"{server}/chat")
        page.get_by_label("Ensimmäinen viestisi").fill("Hei, kysyisin lapsen rokotuksista")
        page.get_by_role("button", name="Lähetä").click()
        page.wait_for_url("**/chat/*")
        status = page.locator("#chat-status")
        assert status.inner_text().startswith("Olet jonossa sijalla 1.")
        page.screenshot(path=artifact("resident-chat-waiting.png"), full_page=True)

        operator.do("take")
        page.wait_for_function(
            "() => document.getElementById('chat-status').textContent.includes('mukana')"
        )
        page.evaluate(SEEN)
        for n in range(3):
            text = f"Hei {n + 1}"
            stamped, committed = operator.do("reply", text)
            page.get_by_text(text).wait_for(timeout=2000)
            shown = page.evaluate("(text) => window.__seen[text]", text) / 1000
            delays.append((shown - stamped, shown - committed))
        print(
            "reply stamped / seen committed -> shown in Chromium, ms:",
            [(round(a * 1000), round(b * 1000)) for a, b in delays],
        )
        assert max(stamped for stamped, _ in delays) < 1.0

        page.get_by_label("Viestisi").fill("Lapsi on kaksivuotias")
        page.get_by_role("button", name="Lähetä").click()
        item_id = chat_items(engine)[0].id
        assert item_id is not None
        deadline = time.monotonic() + 5
        while not any(
            line.direction == Direction.IN and line.text == "Lapsi on kaksivuotias"
            for line in QueueService(engine).transcript(item_id)
        ):
            assert time.monotonic() < deadline
            time.sleep(0.05)

        operator.do("identify")
        link = page.get_by_role("link", name="Tunnistaudu")
        link.wait_for(timeout=3000)
        assert (
            link.get_attribute("href") == f"/identify?next={page.url.split('?')[0][len(server) :]}"
        )
        page.screenshot(path=artifact("resident-chat-identify.png"), full_page=True)

        operator.do("end")
        page.get_by_text("Tulitko autetuksi?").wait_for(timeout=3000)
        page.screenshot(path=artifact("resident-chat-feedback.png"), full_page=True)
        page.get_by_label("5 – erittäin tyytyväinen").check()
        page.get_by_label("Kyllä").check()
        page.get_by_label("Vapaa palaute (vapaaehtoinen)").fill("Sain neuvon nopeasti")
        page.get_by_role("button", name="Lähetä").click()
        page.get_by_text("Kiitos palautteestasi!").wait_for(timeout=3000)
        operator.do("log")
    finally:
        context.close()
        operator.steps.put(("quit", ""))
        operator.join(STEP_SECONDS)
    assert elsewhere == [] and errors == []

    lead = Actor("Liisa", operator_id=people["Liisa"], role=Role.LEAD)
    today = chat_items(engine)[0].received_at
    report = build_report(
        engine, Period.month(today.year, today.month), calendar=DeskCalendar(), actor=lead
    )
    assert (report.feedback.responses, report.feedback.helped) == (1, 1)
    assert report.feedback.mean_score == 5


def test_the_unsent_text_survives_a_reload_and_two_tabs_never_double_a_line(
    browser: Any, server: str, engine: Engine, artifact: Callable[[str], Path]
) -> None:
    open_all_week(engine)
    context = browser.new_context(locale="fi-FI")
    elsewhere: list[str] = []
    errors: list[str] = []
    first = guarded(context.new_page(), server, elsewhere, errors)
    try:
        first.goto(f"{server}/chat")
        first.get_by_label("Ensimmäinen viestisi").fill("Hei")
        first.get_by_role("button", name="Lähetä").click()
        first.wait_for_url("**/chat/*")
        chat_url = first.url

        first.get_by_label("Viestisi").fill("Kesken jäänyt kysymys")
        first.reload()
        assert first.get_by_label("Viestisi").input_value() == "Kesken jäänyt kysymys"

        second = guarded(context.new_page(), server, elsewhere, errors)
        second.goto(chat_url)
        first.get_by_role("button", name="Lähetä").click()
        second.get_by_text("Kesken jäänyt kysymys").wait_for(timeout=3000)
        assert first.get_by_label("Viestisi").input_value() == ""

        # the same line sent from both tabs (a duplicated tab keeps the pending line)
        send = """(ref) => {
          const form = document.getElementById("say");
          const body = new URLSearchParams({csrf: form.elements.csrf.value,
                                            text: "Sama rivi", ref: ref});
          return fetch(form.action, {method: "POST", body: body,
                                      headers: {Accept: "application/json"}})
            .then((answer) => answer.status);
        }"""
        assert first.evaluate(send, "tab-ref-1") == 200
        assert second.evaluate(send, "tab-ref-1") == 200
        for tab in (first, second):
            tab.get_by_text("Sama rivi").wait_for(timeout=3000)
        time.sleep(0.3)  # a second copy would have arrived by now
        for tab in (first, second):
            assert tab.get_by_text("Sama rivi").count() == 1
            assert tab.get_by_text("Kesken jäänyt kysymys").count() == 1
        second.screenshot(path=artifact("resident-chat-two-tabs.png"), full_page=True)
    finally:
        context.close()
    assert elsewhere == [] and errors == []
    [item] = chat_items(engine)
    assert item.id is not None
    texts = [line.text for line in QueueService(engine).transcript(item.id)]
    assert texts == ["Hei", "Kesken jäänyt kysymys", "Sama rivi"]
