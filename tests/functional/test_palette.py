"""The command palette: keys as fast as a terminal delivers them, in the UI language."""

from __future__ import annotations

from typing import Any

import pytest
from rich.align import Align
from sqlalchemy import Engine
from textual import events
from textual.command import CommandInput, CommandList, CommandPalette
from textual.pilot import Pilot
from textual.worker import WorkerCancelled

from ohjaus_tui.domain.codes import Channel
from ohjaus_tui.services.desk_values import Item
from ohjaus_tui.services.queue import QueueService
from ohjaus_tui.tui.app import OhjausApp
from ohjaus_tui.tui.screens.contact_form import ContactFormScreen
from ohjaus_tui.tui.screens.help import HelpScreen
from ohjaus_tui.tui.screens.main import MainScreen
from ohjaus_tui.tui.screens.phone import PhoneScreen
from tests.functional.conftest import fill_queue, workstation
from tests.functional.waiting import wait_for


async def _settle(pilot: Pilot[Any]) -> None:
    """Wait for the workers and the messages they post; a palette's search
    cancelled as it closes is done too."""
    for _ in range(3):
        try:
            await pilot.app.workers.wait_for_complete()
            break
        except WorkerCancelled:
            await pilot.pause()
    await pilot.pause()


def _burst(app: OhjausApp, *keys: str) -> None:
    """Queue keys the way a terminal driver does: all at once, none waiting for the last.

    ``pilot.press`` waits for the app to settle after each key, so it never
    presses a key before the screen has drawn what the previous one opened.
    """
    for key in keys:
        app.post_message(events.Key(key, key if len(key) == 1 else None))


async def test_page_keys_before_the_palette_is_drawn(
    engine: Engine, people: dict[str, int]
) -> None:
    """Ctrl+P, o and PageDown in one burst: the page key reaches the list of hits
    before Textual has laid it out (KeyError: 0 in OptionList._move_page)."""
    fill_queue(engine)
    app = workstation(engine, "Anna", Channel.PHONE)
    async with app.run_test(size=(120, 36)) as pilot:
        await _settle(pilot)
        assert isinstance(app.screen, MainScreen)
        _burst(app, "ctrl+p", "o", "pagedown", "pageup", "pagedown")
        await _settle(pilot)
        palette = app.screen
        assert isinstance(palette, CommandPalette)
        hits = palette.query_one(CommandList)
        assert hits.option_count > 1
        assert hits.highlighted == hits.option_count - 1  # down, up, down: every key counted
        await pilot.press("escape")
        await _settle(pilot)
        assert isinstance(app.screen, MainScreen)
        await app.action_quit()
    assert app.return_code == 0


@pytest.mark.parametrize(
    ("language", "placeholder", "names", "no_matches", "palette_key"),
    [
        (
            "fi",
            "Etsi komentoa…",
            ["Ota seuraava", "Omat kirjaukset", "Ohje", "Lopeta"],
            "Ei osumia",
            "Komennot",
        ),
        (
            "sv",
            "Sök ett kommando…",
            ["Ta nästa", "Mina registreringar", "Hjälp", "Avsluta"],
            "Inga träffar",
            "Kommandon",
        ),
        (
            "en",
            "Search for commands…",
            ["Take next", "My contacts", "Help", "Quit"],
            "No matches found",
            "Commands",
        ),
    ],
)
async def test_the_palette_speaks_the_ui_language(
    engine: Engine,
    people: dict[str, int],
    language: str,
    placeholder: str,
    names: list[str],
    no_matches: str,
    palette_key: str,
) -> None:
    """Its prompt, its hits (the desk's own, one quit among them), its word for none."""
    app = workstation(engine, "Anna", Channel.PHONE, language=language)
    async with app.run_test(size=(120, 36)) as pilot:
        await _settle(pilot)
        assert app.screen.active_bindings["ctrl+p"].binding.description == palette_key
        await pilot.press("ctrl+p")
        await _settle(pilot)
        palette = app.screen
        assert isinstance(palette, CommandPalette)
        assert palette.query_one(CommandInput).placeholder == placeholder
        hits = palette.query_one(CommandList)
        assert [str(hit.prompt) for hit in hits.options] == names
        await pilot.press(*"zzz")
        for _ in range(100):  # Textual says "no matches" half a second after the search
            if [hit.id for hit in hits.options] == ["--no-matches"]:
                break
            await pilot.pause(0.02)
        (none_found,) = hits.options
        assert none_found.disabled
        assert isinstance(none_found.prompt, Align)
        assert str(none_found.prompt.renderable) == no_matches
        await pilot.press("escape")
        await app.action_quit()


async def test_an_enter_queued_behind_the_choosing_one_does_nothing(
    engine: Engine, people: dict[str, int]
) -> None:
    """Textual's palette took a second Enter as a second choice: it ran the command
    again and dismissed itself again, which closed the screen beneath it."""
    app = workstation(engine, "Anna", Channel.PHONE)
    async with app.run_test(size=(120, 36)) as pilot:
        await _settle(pilot)
        await pilot.press("ctrl+p", *"ohje")
        await _settle(pilot)
        _burst(app, "enter", "enter", "enter")
        await _settle(pilot)
        assert [type(screen) for screen in app.screen_stack[1:]] == [MainScreen, HelpScreen]
        await pilot.press("escape")
        await _settle(pilot)
        assert isinstance(app.screen, MainScreen)
        await app.action_quit()
    assert app.return_code == 0


async def test_a_screen_opened_over_the_palette(engine: Engine, people: dict[str, int]) -> None:
    """Work finishing while the palette is open opens its screen (here: help) in
    the palette's place: the palette closes first, instead of waiting beneath
    with stale commands for keys that reach it later. Ctrl+P there opens a
    palette of its own."""
    app = workstation(engine, "Anna", Channel.PHONE)
    async with app.run_test(size=(120, 36)) as pilot:
        await _settle(pilot)
        await pilot.press("ctrl+p")
        await _settle(pilot)
        await app.push_screen(HelpScreen())
        assert [type(screen) for screen in app.screen_stack[1:]] == [MainScreen, HelpScreen]
        await pilot.press("ctrl+p")
        await _settle(pilot)
        assert isinstance(app.screen, CommandPalette)
        await pilot.press("escape")
        await _settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await _settle(pilot)
        assert isinstance(app.screen, MainScreen)
        await app.action_quit()
    assert app.return_code == 0


async def test_escape_before_the_palette_is_drawn(engine: Engine, people: dict[str, int]) -> None:
    """Esc handled right after Ctrl+P, before the palette has mounted (a busy
    machine): Textual's palette went, then its first search found no list to
    fill (NoMatches: CommandList) and ended the workstation."""
    app = workstation(engine, "Anna", Channel.PHONE)
    async with app.run_test(size=(120, 36)) as pilot:
        await _settle(pilot)
        app.action_command_palette()
        palette = app.screen
        assert isinstance(palette, CommandPalette) and not palette.is_mounted
        await app.run_action("escape", palette)
        await _settle(pilot)
        assert isinstance(app.screen, MainScreen)
        await app.action_quit()
    assert app.return_code == 0


async def test_work_finishing_under_the_palette_closes_its_own_screen(
    engine: Engine, people: dict[str, int]
) -> None:
    """A callback's outcome arrives while the palette is open over it: its screen
    goes back to the queue as it would without the palette, and the palette
    goes too (Textual's pop_screen popped the palette instead, leaving the
    callback on screen, and the palette's first search then found no list)."""
    fill_queue(engine)
    app = workstation(engine, "Anna", Channel.PHONE)
    async with app.run_test(size=(120, 36)) as pilot:
        await _settle(pilot)
        await pilot.press("n")
        await _settle(pilot)
        phone = app.screen
        assert isinstance(phone, PhoneScreen)
        _burst(app, "ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        phone.done("Ei vastausta", app.hold_keys())
        await _settle(pilot)
        assert [type(screen) for screen in app.screen_stack[1:]] == [MainScreen]
        await app.action_quit()
    assert app.return_code == 0


async def test_a_contact_ending_under_the_palette_opens_its_form_in_place(
    engine: Engine, people: dict[str, int]
) -> None:
    """The contact ends (F10 just before Ctrl+P): its form replaces the handling
    screen, not the palette over it."""
    ids = fill_queue(engine)
    app = workstation(engine, "Anna", Channel.PHONE)
    async with app.run_test(size=(120, 36)) as pilot:
        await _settle(pilot)
        await pilot.press("n")
        await _settle(pilot)
        phone = app.screen
        assert isinstance(phone, PhoneScreen)
        await pilot.press("ctrl+p")
        await _settle(pilot)
        item = QueueService(engine).close(ids["phone"], people["Anna"])
        phone.ended(Item.of(item), app.hold_keys())
        await _settle(pilot)
        assert [type(screen) for screen in app.screen_stack[1:]] == [
            MainScreen,
            ContactFormScreen,
        ]


async def test_quitting_while_the_palette_opens(engine: Engine, people: dict[str, int]) -> None:
    """The app shuts down while a palette is still opening (Ctrl+P and a letter
    queued, the quit already asked for): the palette's first search must not
    start on a palette being taken down (NoMatches: CommandList, exit code 1)."""
    app = workstation(engine, "Anna", Channel.PHONE)
    async with app.run_test(size=(120, 36)) as pilot:
        await _settle(pilot)
        _burst(app, "ctrl+p", "o")
        await app.action_quit()
    assert app.return_code == 0


async def test_enter_typed_before_the_hits_chooses_the_command_typed(
    engine: Engine, people: dict[str, int]
) -> None:
    """Ctrl+P, "lopeta" and Enter in one burst: the Enter reached the palette while
    it was still searching, found no list and was lost."""
    app = workstation(engine, "Anna", Channel.PHONE)
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(pilot)
        _burst(app, "ctrl+p", *"lopeta", "enter")
        await wait_for(pilot, lambda: app.return_code is not None, "the workstation to quit")
    assert app.return_code == 0
