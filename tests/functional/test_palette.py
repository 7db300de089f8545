"""The command palette under keys as fast as a terminal delivers them."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine
from textual import events
from textual.command import CommandList, CommandPalette
from textual.pilot import Pilot

from ohjaus_tui.domain.codes import Channel
from ohjaus_tui.tui.app import OhjausApp
from ohjaus_tui.tui.screens.main import MainScreen
from tests.functional.conftest import fill_queue, workstation


async def _settle(pilot: Pilot[Any]) -> None:
    await pilot.app.workers.wait_for_complete()
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
