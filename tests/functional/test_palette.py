"""The command palette: keys as fast as a terminal delivers them, in the UI language."""

from __future__ import annotations

from typing import Any

import pytest
from rich.align import Align
from sqlalchemy import Engine
from textual import events
from textual.command import CommandInput, CommandList, CommandPalette
from textual.pilot import Pilot
from textual.widgets._footer import FooterKey

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
        footer_key = app.screen.query_one(".-command-palette", FooterKey)
        assert footer_key.description == palette_key
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
