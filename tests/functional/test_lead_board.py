"""The lead board, the help screen and the command palette, driven by keys."""

from __future__ import annotations

from datetime import date
from typing import Any

from rich.text import Text
from sqlalchemy import Engine
from textual.command import DiscoveryHit, Hit
from textual.pilot import Pilot
from textual.widgets import DataTable, Static

from ohjaus_tui.domain.codes import Channel
from ohjaus_tui.services.queue import QueueService
from ohjaus_tui.tui.app import OhjausApp
from ohjaus_tui.tui.commands import DeskCommands
from ohjaus_tui.tui.screens.help import HelpScreen
from ohjaus_tui.tui.screens.lead_board import LeadBoardScreen
from ohjaus_tui.tui.screens.main import MainScreen
from tests.functional.conftest import NOW, fill_queue, workstation
from tests.planner_history import add_history


async def _settle(pilot: Pilot[Any]) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def _cells(table: DataTable[Any]) -> list[list[str]]:
    return [
        [str(cell.plain if isinstance(cell, Text) else cell) for cell in table.get_row(key)]
        for key in table.rows
    ]


def _text(widget: Static) -> str:
    rendered = widget.render()
    return rendered.plain if isinstance(rendered, Text) else str(rendered)


async def _palette_names(app: OhjausApp) -> list[str]:
    provider = DeskCommands(app.screen)
    hits = [hit async for hit in provider.discover()]
    assert all(isinstance(hit, DiscoveryHit) for hit in hits)
    return [hit.text or "" for hit in hits]


async def test_a_lead_opens_the_board_with_b(engine: Engine, people: dict[str, int]) -> None:
    fill_queue(engine)
    QueueService(engine).staff.sign_on(people["Anna"], Channel.PHONE)
    app = workstation(engine, "Liisa", Channel.MESSAGE)
    async with app.run_test(size=(120, 36)) as pilot:
        await _settle(pilot)
        assert isinstance(app.screen, MainScreen)
        await pilot.press("b")
        await _settle(pilot)
        board = app.screen
        assert isinstance(board, LeadBoardScreen)
        assert board.has_class("-two-columns")

        queues = _cells(board.query_one("#board-queues", DataTable))
        assert [row[:3] for row in queues] == [
            ["Puhelin", "1", "0"],
            ["Chat", "1", "0"],
            ["Sähköinen viesti", "1", "0"],
        ]
        assert queues[0][3] == "4:00"  # the callback came at 10:01, now is 10:05
        today = _cells(board.query_one("#board-today", DataTable))
        assert today[-1] == ["Yhteensä", "3", "0", "0", "0"]
        staff = _text(board.query_one("#board-staff", Static))
        assert "Puhelin: Anna" in staff
        assert "Sähköinen viesti: Liisa" in staff
        assert "Chat: ei ketään  AUKI, EI PÄIVYSTÄJÄÄ" in staff
        alert = board.query_one("#board-alert", Static)
        assert alert.display and "Chat" in _text(alert)
        # Both columns side by side on a wide terminal.
        left, right = board.query(".board-column")
        assert left.region.y == right.region.y and left.region.x < right.region.x

        await pilot.press("b")
        assert isinstance(app.screen, MainScreen)
        await pilot.press("b", "escape")
        assert isinstance(app.screen, MainScreen)


async def test_the_board_fits_a_small_terminal(engine: Engine, people: dict[str, int]) -> None:
    fill_queue(engine)
    app = workstation(engine, "Liisa", Channel.MESSAGE, language="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(pilot)
        await pilot.press("b")
        await _settle(pilot)
        board = app.screen
        assert isinstance(board, LeadBoardScreen)
        assert not board.has_class("-two-columns")
        left, right = board.query(".board-column")
        assert left.region.x == right.region.x and left.region.y < right.region.y
        queues = board.query_one("#board-queues", DataTable)
        assert queues.region.bottom <= 23 and queues.region.right <= 80
        assert _cells(queues)[0][0] == "Phone"


async def test_an_operator_has_no_board(engine: Engine, people: dict[str, int]) -> None:
    fill_queue(engine)
    app = workstation(engine, "Anna", Channel.PHONE)
    async with app.run_test(size=(120, 36)) as pilot:
        await _settle(pilot)
        assert "b" not in app.screen.active_bindings  # hidden, not just disabled
        await pilot.press("b")
        await _settle(pilot)
        assert isinstance(app.screen, MainScreen)

        app.push_screen(LeadBoardScreen())  # somehow
        await _settle(pilot)
        board = app.screen
        assert isinstance(board, LeadBoardScreen)
        assert _text(board.query_one("#board-denied", Static)) == "Tilannekuva on esihenkilöille."
        assert not board.query("DataTable")
        assert not board.query("#board-staff")
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)


async def test_the_board_reads_again_when_the_queue_changes(
    engine: Engine, people: dict[str, int]
) -> None:
    app = workstation(engine, "Liisa", Channel.MESSAGE)
    async with app.run_test(size=(120, 36)) as pilot:
        await _settle(pilot)
        await pilot.press("b")
        await _settle(pilot)
        board = app.screen
        assert isinstance(board, LeadBoardScreen)
        assert _cells(board.query_one("#board-queues", DataTable))[0][1] == "0"
        fill_queue(engine)
        app.load_queue_once()  # what the live link posts after a change
        await _settle(pilot)
        board.tick()  # the next second's tick (the board's own timer may have come first)
        await _settle(pilot)
        assert not board.stale
        assert _cells(board.query_one("#board-queues", DataTable))[0][1] == "1"


async def test_help_lists_the_main_screens_keys(engine: Engine, people: dict[str, int]) -> None:
    app = workstation(engine, "Anna", Channel.PHONE)
    async with app.run_test(size=(120, 36)) as pilot:
        await _settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        rows = {row.keys: row.description for row in help_screen.rows}
        assert rows["n"] == "Ota seuraava"
        assert rows["? / f1"] == "Ohje"
        assert rows["q"] == "Lopeta"
        assert rows["^q"] == "Lopeta"
        assert rows["^p"] == "Komennot"
        assert "b" not in rows  # Anna is not a lead
        text = _text(help_screen.query_one("#help-rules", Static))
        assert "samana päivänä" in text and "seuraavana arkipäivänä" in text
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)


async def test_help_of_a_lead_shows_the_board_key(engine: Engine, people: dict[str, int]) -> None:
    app = workstation(engine, "Liisa", Channel.MESSAGE, language="sv")
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(pilot)
        await pilot.press("f1")
        await pilot.pause()
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        assert ("b", "Lägesbild") in {(r.keys, r.description) for r in help_screen.rows}
        assert "vardag" in _text(help_screen.query_one("#help-rules", Static))


async def test_the_palette_offers_the_board_to_a_lead_only(
    engine: Engine, people: dict[str, int]
) -> None:
    lead = workstation(engine, "Liisa", Channel.MESSAGE)
    async with lead.run_test(size=(120, 36)) as pilot:
        await _settle(pilot)
        names = await _palette_names(lead)
        assert names == ["Ota seuraava", "Tilannekuva", "Omat kirjaukset", "Ohje", "Lopeta"]
        hits = [hit async for hit in DeskCommands(lead.screen).search("tilanne")]
        assert [hit.text for hit in hits if isinstance(hit, Hit)] == ["Tilannekuva"]
        await hits[0].command()
        await _settle(pilot)
        assert isinstance(lead.screen, LeadBoardScreen)
        assert await _palette_names(lead) == ["Ohje", "Lopeta"]

    operator = workstation(engine, "Anna", Channel.PHONE)
    async with operator.run_test(size=(120, 36)) as pilot:
        await _settle(pilot)
        assert await _palette_names(operator) == [
            "Ota seuraava",
            "Omat kirjaukset",
            "Ohje",
            "Lopeta",
        ]
        assert not [hit async for hit in DeskCommands(operator.screen).search("tilanne")]


async def test_the_palette_on_a_handling_screen(engine: Engine, people: dict[str, int]) -> None:
    fill_queue(engine)
    app = workstation(engine, "Anna", Channel.MESSAGE, language="en")
    async with app.run_test(size=(120, 36)) as pilot:
        await _settle(pilot)
        await pilot.press("n")
        await _settle(pilot)
        assert await _palette_names(app) == [
            "Release",
            "Transfer",
            "End and log",
            "Help",
            "Quit",
        ]
        release = [hit async for hit in DeskCommands(app.screen).search("relea")]
        await release[0].command()
        await _settle(pilot)
        assert isinstance(app.screen, MainScreen)


async def test_the_palette_opens_with_the_desk_commands(
    engine: Engine, people: dict[str, int]
) -> None:
    app = workstation(engine, "Liisa", Channel.MESSAGE)
    async with app.run_test(size=(120, 36)) as pilot:
        await _settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"tilannek")
        await _settle(pilot)  # the palette gathers its hits in a worker
        await pilot.press("enter")
        await _settle(pilot)
        assert isinstance(app.screen, LeadBoardScreen)


async def test_the_rest_of_today_at_80x24(engine: Engine, people: dict[str, int]) -> None:
    """With the plan's history and nobody on the phone, the board says at the top that
    the waiting callback will be late, and below who is needed against who is on."""
    add_history(engine, date(2025, 1, 20), date(2025, 3, 2))
    ids = fill_queue(engine)
    app = workstation(engine, "Liisa", Channel.MESSAGE, language="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(pilot)
        await pilot.press("b")
        await _settle(pilot)
        board = app.screen
        assert isinstance(board, LeadBoardScreen)
        alert = board.query_one("#board-alert", Static)
        assert "Callbacks late at this pace: 1" in _text(alert)
        assert alert.region.bottom <= 23 and alert.region.right <= 80
        live = _text(board.query_one("#board-live", Static))
        assert "Phone: 0 on, 2 needed" in live
        assert "Chat: 0 on, 3 needed" in live
        assert f"Callbacks waiting 1; at this pace 1 will be late: #{ids['phone']}" in live
        ahead = _cells(board.query_one("#board-ahead", DataTable))
        assert ahead[0] == ["10–11", "2 (11)", "3 (9,2)", "(0)"]  # en_FI: a decimal comma
        assert ahead[-1][0] == "14–15"
        live_widget = board.query_one("#board-live", Static)
        assert live_widget.region.right <= 80  # one column, and it fits the width

        QueueService(engine).staff.sign_on(people["Anna"], Channel.PHONE, now=NOW)
        board.load()
        await _settle(pilot)
        live = _text(board.query_one("#board-live", Static))
        assert "Phone: 1 on, 2 needed" in live
        assert "Callbacks waiting 1; at this pace all are called back in time." in live
        assert "late" not in _text(board.query_one("#board-alert", Static))
