"""Snapshots of the main screens (update with `pytest --snapshot-update`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import Engine
from textual.pilot import Pilot
from textual.widgets import DataTable

from ohjaus_tui.domain.codes import Channel
from tests.functional.conftest import fill_queue, workstation

pytestmark = pytest.mark.sqlite_only  # one look is enough; the data is the same on both

SnapCompare = Callable[..., bool]


async def _settle(pilot: Pilot[Any]) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def _queue_shown(pilot: Pilot[Any], rows: int) -> None:
    """Wait until the main screen shows the queue read by its worker."""
    for _ in range(200):
        await _settle(pilot)
        tables = pilot.app.screen.query("#queue")
        if tables and tables.first(DataTable).row_count == rows:
            return
    raise AssertionError("the queue did not show up")


def _take_next(pilot_press: tuple[str, ...] = ("n",)) -> Callable[[Pilot[Any]], Any]:
    async def run_before(pilot: Pilot[Any]) -> None:
        await _queue_shown(pilot, 3)
        await pilot.press(*pilot_press)
        await _settle(pilot)

    return run_before


@pytest.mark.parametrize("size", [(120, 36), (80, 24)])
def test_main_screen(
    snap_compare: SnapCompare, engine: Engine, people: dict[str, int], size: tuple[int, int]
) -> None:
    fill_queue(engine)
    app = workstation(engine, "Anna", Channel.PHONE)
    assert snap_compare(app, terminal_size=size, run_before=_take_next(()))


def test_sign_in(snap_compare: SnapCompare, engine: Engine, people: dict[str, int]) -> None:
    assert snap_compare(workstation(engine, None, None), terminal_size=(120, 36))


def test_phone_view(snap_compare: SnapCompare, engine: Engine, people: dict[str, int]) -> None:
    fill_queue(engine)
    app = workstation(engine, "Anna", Channel.PHONE)
    assert snap_compare(app, terminal_size=(120, 36), run_before=_take_next())


def test_chat_view(snap_compare: SnapCompare, engine: Engine, people: dict[str, int]) -> None:
    fill_queue(engine)
    app = workstation(engine, "Mikko", Channel.CHAT)
    assert snap_compare(app, terminal_size=(120, 36), run_before=_take_next())


def test_message_view(snap_compare: SnapCompare, engine: Engine, people: dict[str, int]) -> None:
    fill_queue(engine)
    app = workstation(engine, "Anna", Channel.MESSAGE)
    assert snap_compare(app, terminal_size=(120, 36), run_before=_take_next())


def test_contact_form(snap_compare: SnapCompare, engine: Engine, people: dict[str, int]) -> None:
    fill_queue(engine)
    app = workstation(engine, "Anna", Channel.PHONE)
    assert snap_compare(app, terminal_size=(120, 36), run_before=_take_next(("n", "1", "f10")))


@pytest.mark.parametrize("size", [(120, 36), (80, 24)])
def test_lead_board(
    snap_compare: SnapCompare, engine: Engine, people: dict[str, int], size: tuple[int, int]
) -> None:
    fill_queue(engine)
    app = workstation(engine, "Liisa", Channel.MESSAGE)
    assert snap_compare(app, terminal_size=size, run_before=_take_next(("b",)))
