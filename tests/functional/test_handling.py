"""The handling views: what a slip of a key cannot do, and what the screen says."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import Engine
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import DataTable, Input, Static

from ohjaus_tui.domain.codes import Channel, Direction, QueueStatus
from ohjaus_tui.services.queue import QueueService
from ohjaus_tui.tui import app as app_module
from ohjaus_tui.tui.app import shown_screen
from ohjaus_tui.tui.consult import AskColleagueScreen, ask_choices
from ohjaus_tui.tui.followup import FollowUpScreen
from ohjaus_tui.tui.handling import ConfirmScreen, TransferScreen
from ohjaus_tui.tui.screens.chat import ChatScreen
from ohjaus_tui.tui.screens.contact_form import ContactFormScreen
from ohjaus_tui.tui.screens.main import MainScreen
from ohjaus_tui.tui.screens.phone import PhoneScreen
from ohjaus_tui.tui.showing import showing
from ohjaus_tui.tui.widgets.insert_picker import InsertPicker
from tests.functional.conftest import NOW, fill_queue, workstation
from tests.functional.test_contact_form import HETU, settle
from tests.functional.test_form_keys import burst
from tests.functional.waiting import handled


async def wait_for(pilot: Pilot[None], ready: Callable[[], bool], seconds: float = 10) -> None:
    """Wait for a state (the live link's next read), never for a fixed time."""
    loop = asyncio.get_running_loop()
    end = loop.time() + seconds
    while not ready():
        assert loop.time() < end, "the state waited for did not come"
        await pilot.pause(0.02)


def text_of(screen: object, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())  # type: ignore[attr-defined]


async def test_wrong_number_asks_first_and_escape_keeps_the_request(
    engine: Engine, people: dict[str, int]
) -> None:
    ids = fill_queue(engine)
    app = workstation(engine, "Anna", Channel.PHONE)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, PhoneScreen)
        await pilot.press("3")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        assert "040 123 4567" in text_of(app.screen, "#confirm-question")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, PhoneScreen)
        item = QueueService(engine).item(ids["phone"])
        assert item is not None and item.status == QueueStatus.CLAIMED
        assert QueueService(engine).attempts(ids["phone"]) == []

        await pilot.press("3", "3")  # the same key again confirms
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
    item = QueueService(engine).item(ids["phone"])
    assert item is not None and item.status == QueueStatus.ABANDONED
    assert [a.outcome for a in QueueService(engine).attempts(ids["phone"])] == ["wrong_number"]


async def test_the_callback_keys_and_help_show_at_80_columns(
    engine: Engine, people: dict[str, int]
) -> None:
    fill_queue(engine)
    app = workstation(engine, "Anna", Channel.PHONE)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        keys = text_of(app.screen, "#handling-keys")
        for said in ("1 Tavoitettu", "2 Ei vastausta", "3 Väärä numero", "? Ohje"):
            assert said in keys
        await pilot.press("question_mark")
        await settle(pilot)
        assert type(app.screen).__name__ == "HelpScreen"


async def test_a_reply_with_a_henkilotunnus_stays_in_the_box_with_a_finnish_notice(
    engine: Engine, people: dict[str, int]
) -> None:
    fill_queue(engine)
    app = workstation(engine, "Mikko", Channel.CHAT)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ChatScreen)
        typed = f"Tunnuksesi {HETU} on kirjattu"
        await pilot.press(*typed, "enter")
        await settle(pilot)
        box = screen.query_one("#reply", Input)
        assert box.value == typed and box.has_class("-invalid")
        assert "Vastauksessa on henkilötunnus" in text_of(screen, "#notice")
        assert screen.desk.session.transcript(screen.item.id)[-1].direction == "in"

        box.value = "Tunnuksesi on kirjattu"  # the code removed
        await settle(pilot)
        assert text_of(screen, "#notice") == ""
        assert not box.has_class("-invalid")
        await pilot.press("enter")
        await settle(pilot)
        assert screen.desk.session.transcript(screen.item.id)[-1].text == "Tunnuksesi on kirjattu"


async def test_waited_stops_at_the_answer_and_a_retry_not_due_is_not_waiting(
    engine: Engine, people: dict[str, int]
) -> None:
    ids = fill_queue(engine)
    app = workstation(engine, "Anna", Channel.PHONE, live=True)
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_for(
            pilot,
            lambda: (
                isinstance(app.screen, MainScreen)
                and bool(app.screen.query("#counts"))  # composed (a loaded CI machine)
                and "Puhelin 1" in text_of(app.screen, "#counts")
            ),
        )
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.screen, PhoneScreen))
        await pilot.press("2")  # no answer: a retry later, not waiting now
        await wait_for(pilot, lambda: isinstance(app.screen, MainScreen))
        table = app.screen.query_one("#queue", DataTable)
        key = str(ids["phone"])
        await wait_for(pilot, lambda: str(table.get_cell(key, "status")).startswith("klo "))
        assert "Puhelin 0" in text_of(app.screen, "#counts")
        item = QueueService(engine).item(ids["phone"])
        assert item is not None and item.status == QueueStatus.WAITING
        await app.action_quit()

    chat = workstation(engine, "Mikko", Channel.CHAT)
    async with chat.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        await pilot.press(*"Hei", "enter")  # the chat is answered: waiting ends
        await settle(pilot)
        screen = chat.screen
        assert isinstance(screen, ChatScreen)
        screen.render_info()
        answered = text_of(screen, "#item-info")
        assert "Odotti " in answered
        chat.clock = lambda: NOW + timedelta(minutes=10)
        screen.render_info()
        assert text_of(screen, "#item-info") == answered  # no longer ticking


async def test_a_reply_typed_just_before_f10_is_sent_before_the_chat_ends(
    engine: Engine, people: dict[str, int]
) -> None:
    """ "Kiitos, hei" Enter F10 in one burst: F10's binding ran before the reply box had
    the text, and the reply, refused for a chat already ended, was lost."""
    ids = fill_queue(engine)
    app = workstation(engine, "Anna", Channel.CHAT)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        burst(pilot, "n", *"Kiitos, hei", "enter", "f10")
        await wait_for(pilot, lambda: isinstance(app.screen, ContactFormScreen))
        await settle(pilot)
    lines = QueueService(engine).transcript(ids["chat"])
    assert [line.text for line in lines if line.direction == Direction.OUT] == ["Kiitos, hei"]


async def test_keys_wait_for_a_slow_database_instead_of_reaching_the_old_screen(
    engine: Engine, people: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """In tmux, on a busy desk, a digit typed after F10 reached the chat view instead of
    the form: the keys' hold ran out after five seconds while the database was still
    answering. Here taking the item takes longer than the hold's look-again time."""
    ids = fill_queue(engine)
    monkeypatch.setattr(app_module, "HOLD_SECONDS", 0.1)
    take = QueueService.take_next

    def slow_take(self: QueueService, *args: Any, **kwargs: Any) -> Any:
        time.sleep(0.8)
        return take(self, *args, **kwargs)

    monkeypatch.setattr(QueueService, "take_next", slow_take)
    app = workstation(engine, "Anna", Channel.PHONE)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        burst(pilot, "n", "2")  # take, then "no answer" for the callback taken
        await wait_for(pilot, lambda: bool(QueueService(engine).attempts(ids["phone"])))
        await app.action_quit()
    [attempt] = QueueService(engine).attempts(ids["phone"])
    assert attempt.outcome == "no_answer"


async def test_a_screen_closed_before_it_was_drawn_does_not_end_the_workstation(
    engine: Engine, people: dict[str, int]
) -> None:
    """F7 (or F6, F9, ::, F5 ...) and then, before the screen is drawn, work finishing in
    the background closes the view under it (a release came back): the chaos test
    found the closed screen's Mount reading widgets that were gone (NoMatches)."""
    fill_queue(engine)
    app = workstation(engine, "Liisa", Channel.PHONE, live=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.view.loaded)
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.screen, PhoneScreen))
        phone = app.screen
        assert isinstance(phone, PhoneScreen)
        opened: list[Screen[Any]] = [
            shown_screen(what) for what in ("consultations", "help", "lead_board", "my_contacts")
        ]
        opened += [
            AskColleagueScreen(ask_choices(app)),
            FollowUpScreen(phone.item, ()),
            TransferScreen(Channel.PHONE),
            ConfirmScreen("?"),
            InsertPicker(
                lambda _: [], lambda _: None, title="", placeholder="", no_hits="", keys=""
            ),
        ]
        for screen in opened:
            base = Screen[None]()
            app.push_screen(base)
            app.push_screen(screen)
            app.leave(base)  # in the same turn: neither was drawn
            await pilot.pause()
        await pilot.pause(0.2)
        assert app.screen is phone and app.return_code is None


async def test_keys_typed_after_f7_wait_for_the_consultations(
    engine: Engine, people: dict[str, int]
) -> None:
    """ "F7 Escape F7 Escape F2" in one go opens and closes the consultations twice, then
    releases the call. F7 opens its screen by a message, which came after the Escape
    queued behind it: the Escape left the call's view, and the consultations opened
    over the queue (found in tmux)."""
    fill_queue(engine)
    app = workstation(engine, "Anna", Channel.PHONE, live=True)
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_for(pilot, lambda: app.view.loaded)
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.screen, PhoneScreen))
        burst(pilot, "f7", "escape", "f7", "escape")
        await pilot.pause(0.3)
        await wait_for(pilot, lambda: isinstance(app.screen, PhoneScreen))
        await pilot.pause(0.2)
        assert isinstance(app.screen, PhoneScreen)
        assert [type(s).__name__ for s in app.screen_stack][-2:] == ["MainScreen", "PhoneScreen"]
        burst(pilot, "f7", "escape", "f2")
        await wait_for(pilot, lambda: isinstance(app.screen, MainScreen))
        await pilot.pause(0.3)
        assert isinstance(app.screen, MainScreen) and len(app.screen_stack) == 2


async def test_screens_opened_and_closed_in_one_burst_all_close(
    engine: Engine, people: dict[str, int]
) -> None:
    """Help, the board, my contacts and the consultations, each opened and closed by keys
    typed in one go: every screen closes. A non-priority Escape waited in the help's
    widgets while F7 opened the next screen, which was not drawn yet: the Escape was
    dropped and the help stayed open (found in tmux)."""
    fill_queue(engine)
    app = workstation(engine, "Liisa", Channel.PHONE, live=True)

    async def stack_after_the_keys() -> list[type[Screen[Any]]]:
        """The screens once every key is applied: none held, the top one drawn, and the
        same stack twice over."""
        seen: list[type[Screen[Any]]] = []
        for _ in range(200):
            await handled(pilot)
            await pilot.pause(0.05)
            now = [type(s) for s in app.screen_stack][1:]
            if app._held_keys is None and showing(app.screen) and now == seen:
                return now
            seen = now
        raise AssertionError(f"the keys were not all applied: {seen}")

    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.view.loaded)
        burst(pilot, "k", "escape", "b", "escape", "question_mark", "escape", "b", "f1")
        burst(pilot, "escape", "escape")
        assert await stack_after_the_keys() == [MainScreen]
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.screen, PhoneScreen))
        burst(pilot, "f1", "escape", "f7", "escape", "f1", "escape", "f7", "escape")
        assert await stack_after_the_keys() == [MainScreen, PhoneScreen]
