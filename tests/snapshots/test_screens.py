"""Snapshots of the main screens (update with `pytest --snapshot-update`)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date
from functools import partial
from typing import Any

import pytest
from sqlalchemy import Engine
from textual.app import App
from textual.pilot import Pilot
from textual.widgets import DataTable, OptionList, Static

from ohjaus_tui.domain.codes import Channel
from ohjaus_tui.tui.handling import HandlingScreen
from ohjaus_tui.tui.screens import lead_board
from ohjaus_tui.tui.screens.contact_form import ContactFormScreen
from ohjaus_tui.tui.screens.lead_board import LeadBoardScreen
from tests.functional.conftest import fill_queue, workstation
from tests.functional.waiting import settle, wait_for
from tests.planner_history import add_history

pytestmark = pytest.mark.sqlite_only  # one look is enough; the data is the same on both

SnapCompare = Callable[..., bool]
RunBefore = Callable[[Pilot[Any]], Awaitable[None]]
Shown = Callable[[App[Any]], bool]
"""What a screen shows once its workers' results are in: a snapshot waits for it."""


def queue_shown(app: App[Any]) -> bool:
    tables = app.screen.query("#queue")
    return bool(tables) and tables.first(DataTable).row_count == 3


def handling_shown(app: App[Any]) -> bool:
    """A handling view with its item line and, for a chat or a message, its thread."""
    screen = app.screen
    if not isinstance(screen, HandlingScreen) or not screen.query("#item-info"):
        return False
    if not str(screen.query_one("#item-info", Static).render()):
        return False
    return not screen.query("#transcript") or bool(screen.query("#transcript > .line"))


def form_shown(app: App[Any]) -> bool:
    return isinstance(app.screen, ContactFormScreen)


def board_shown(app: App[Any]) -> bool:
    """The board with its snapshot, and laid out: every table as tall as its rows (a
    table grows a refresh after its rows are added, later on a busy machine)."""
    screen = app.screen
    if not isinstance(screen, LeadBoardScreen) or screen.snapshot is None:
        return False
    due_shown = any(
        widget.display and widget.region.height > 0
        for widget in screen.query("#board-due, #board-no-due")
    )
    return due_shown and all(
        table.region.height >= table.row_count + 1
        for table in screen.query(DataTable)
        if table.display and table.row_count
    )


def attempt_shown(app: App[Any]) -> bool:
    """The phone view lists the try just recorded."""
    return bool(app.screen.query("#attempts")) and "1." in str(
        app.screen.query_one("#attempts", Static).render()
    )


def _steps(*steps: tuple[str, Shown]) -> RunBefore:
    """Wait for the queue; then for each step press its key and wait until it is shown."""

    async def run_before(pilot: Pilot[Any]) -> None:
        await wait_for(pilot, lambda: queue_shown(pilot.app), "the queue read by its worker")
        for key, shown in steps:
            await pilot.press(key)
            await wait_for(pilot, partial(shown, pilot.app), f"what {key} opens")
        await settle(pilot)

    return run_before


TAKE_NEXT: tuple[str, Shown] = ("n", handling_shown)


@pytest.mark.parametrize("size", [(120, 36), (80, 24)])
def test_main_screen(
    snap_compare: SnapCompare, engine: Engine, people: dict[str, int], size: tuple[int, int]
) -> None:
    fill_queue(engine)
    app = workstation(engine, "Anna", Channel.PHONE)
    assert snap_compare(app, terminal_size=size, run_before=_steps())


def people_listed(app: App[Any]) -> bool:
    """The sign-in has its people: the desk it opens after its first frame is open."""
    lists = app.screen.query("#people")
    return bool(lists) and lists.first(OptionList).option_count > 0


def test_sign_in(snap_compare: SnapCompare, engine: Engine, people: dict[str, int]) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await wait_for(pilot, lambda: people_listed(pilot.app), "the people of the desk")
        await settle(pilot)

    app = workstation(engine, None, None)
    assert snap_compare(app, terminal_size=(120, 36), run_before=run_before)


def test_phone_view(snap_compare: SnapCompare, engine: Engine, people: dict[str, int]) -> None:
    fill_queue(engine)
    app = workstation(engine, "Anna", Channel.PHONE)
    assert snap_compare(app, terminal_size=(120, 36), run_before=_steps(TAKE_NEXT))


def test_chat_view(snap_compare: SnapCompare, engine: Engine, people: dict[str, int]) -> None:
    fill_queue(engine)
    app = workstation(engine, "Mikko", Channel.CHAT)
    assert snap_compare(app, terminal_size=(120, 36), run_before=_steps(TAKE_NEXT))


def test_message_view(snap_compare: SnapCompare, engine: Engine, people: dict[str, int]) -> None:
    fill_queue(engine)
    app = workstation(engine, "Anna", Channel.MESSAGE)
    assert snap_compare(app, terminal_size=(120, 36), run_before=_steps(TAKE_NEXT))


def test_contact_form(snap_compare: SnapCompare, engine: Engine, people: dict[str, int]) -> None:
    fill_queue(engine)
    app = workstation(engine, "Anna", Channel.PHONE)
    steps = _steps(TAKE_NEXT, ("1", attempt_shown), ("f10", form_shown))
    assert snap_compare(app, terminal_size=(120, 36), run_before=steps)


@pytest.mark.parametrize("size", [(120, 36), (80, 24)])
def test_lead_board(
    snap_compare: SnapCompare,
    engine: Engine,
    people: dict[str, int],
    size: tuple[int, int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The board reads itself again every few seconds, and a table takes its new height a
    # refresh after its rows: on a busy machine the picture could catch that refresh.
    monkeypatch.setattr(lead_board, "REFRESH_SECONDS", 3600.0)
    add_history(engine, date(2025, 1, 20), date(2025, 3, 2))  # the six weeks before NOW's
    fill_queue(engine)
    app = workstation(engine, "Liisa", Channel.MESSAGE)
    assert snap_compare(app, terminal_size=size, run_before=_steps(("b", board_shown)))
