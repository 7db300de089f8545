"""A service's refusal reaches the operator in the UI's language."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import Engine
from textual.pilot import Pilot
from textual.widgets import Static

from ohjaus_tui.domain.calendar import utcnow
from ohjaus_tui.domain.codes import Channel, QueueStatus
from ohjaus_tui.services.queue import QueueService
from ohjaus_tui.tui.screens.main import MainScreen
from ohjaus_tui.tui.screens.phone import PhoneScreen
from tests.functional.conftest import fill_queue, workstation


async def _settle(pilot: Pilot[Any]) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("fi", "Yhteydenotto ei ole enää käsittelyssäsi"),
        ("sv", "Du hanterar inte längre kontakten"),
        ("en", "You no longer hold this contact"),
    ],
)
async def test_a_lapsed_claim_is_explained_in_the_ui_language(
    engine: Engine, people: dict[str, int], language: str, said: str
) -> None:
    """Anna's claim lapsed and Mikko took the callback; her release is refused."""
    ids = fill_queue(engine)
    app = workstation(engine, "Anna", Channel.PHONE, language=language)
    async with app.run_test(size=(120, 36)) as pilot:
        await _settle(pilot)
        await pilot.press("n")
        await _settle(pilot)
        assert isinstance(app.screen, PhoneScreen)
        queue = QueueService(engine)
        assert queue.release_stale_claims(now=utcnow() + timedelta(hours=1)) == 1
        queue.staff.sign_on(people["Mikko"], Channel.PHONE)
        taken = queue.take_next(people["Mikko"], Channel.PHONE)
        assert taken is not None and taken.id == ids["phone"]

        await pilot.press("f2")  # release
        await _settle(pilot)
        assert isinstance(app.screen, PhoneScreen)
        notice = str(app.screen.query_one("#notice", Static).render())
        assert notice.startswith(said), notice
        assert "is not being handled by" not in notice
    item = queue.item(ids["phone"])
    assert item is not None and item.status == QueueStatus.CLAIMED
    assert item.claimed_by_id == people["Mikko"]


async def test_taking_work_after_being_signed_off_elsewhere(
    engine: Engine, people: dict[str, int]
) -> None:
    """Signed off from the channel behind the workstation's back: said in Finnish."""
    fill_queue(engine)
    app = workstation(engine, "Anna", Channel.PHONE)
    async with app.run_test(size=(120, 36)) as pilot:
        await _settle(pilot)
        assert isinstance(app.screen, MainScreen)
        QueueService(engine).staff.sign_off(people["Anna"])
        await pilot.press("n")
        await _settle(pilot)
        notice = str(app.screen.query_one("#notice", Static).render())
        assert notice == (
            "Anna ei ole kirjautunut kanavalle Puhelin. Kirjaudu työpisteelle uudelleen."
        )
