"""An operator's own open work is never out of reach: after a restart, and from the queue.

Also: a live change that reaches a view before it is composed (or after it
closed) is kept for it, never a crash.
"""

from __future__ import annotations

import pytest
from sqlalchemy import Engine
from textual.widgets import Static

from ohjaus_tui.domain.codes import Channel, QueueStatus
from ohjaus_tui.services.desk_values import Item
from ohjaus_tui.services.queue import QueueService
from ohjaus_tui.tui.messages import QueueChanged
from ohjaus_tui.tui.screens.contact_form import ContactFormScreen
from ohjaus_tui.tui.screens.main import MainScreen
from ohjaus_tui.tui.screens.phone import PhoneScreen
from tests.functional.conftest import fill_queue, workstation
from tests.functional.test_contact_form import closed_item, open_form, settle
from tests.functional.waiting import wait_for

pytestmark = pytest.mark.both_engines  # the live feed on either engine


def own_line(screen: MainScreen) -> str:
    line = screen.query_one("#own-work", Static)
    return str(line.render()) if line.display else ""


async def test_an_item_still_held_comes_back_after_a_restart(
    engine: Engine, people: dict[str, int]
) -> None:
    ids = fill_queue(engine)
    first = workstation(engine, "Anna", Channel.PHONE)
    async with first.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(first.screen, PhoneScreen)
        await first.action_quit()  # the terminal closes mid-call: the item stays hers
    held = QueueService(engine).item(ids["phone"])
    assert held is not None and held.status == QueueStatus.CLAIMED

    second = workstation(engine, "Anna", Channel.PHONE)
    async with second.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = second.screen
        assert isinstance(screen, PhoneScreen), "the held callback did not come back"
        assert screen.item.id == ids["phone"]
        said = str(screen.query_one("#notice", Static).render())
        assert f"Puhelin #{ids['phone']}" in said


async def test_a_contact_ended_just_before_a_crash_gets_its_form_at_the_restart(
    engine: Engine, people: dict[str, int]
) -> None:
    """F10 stored the end of the call, and the workstation stopped before the form
    opened: the next sign-in opens the form (it was a contact with neither log nor
    draft, lost to the statistics)."""
    ids = fill_queue(engine)
    first = workstation(engine, "Anna", Channel.PHONE)
    async with first.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(first.screen, PhoneScreen), "the callback")
        QueueService(engine).close(ids["phone"], people["Anna"])  # what F10's worker stores
        await first.action_quit()  # ... and the terminal closes before its result is shown

    second = workstation(engine, "Anna", Channel.PHONE)
    async with second.run_test(size=(80, 24)) as pilot:
        await wait_for(
            pilot, lambda: isinstance(second.screen, ContactFormScreen), "the form of the call"
        )
        form = second.screen
        assert isinstance(form, ContactFormScreen) and form.item.id == ids["phone"]


async def test_the_queue_lists_an_unsaved_form_and_j_opens_it(
    engine: Engine, people: dict[str, int]
) -> None:
    item = closed_item(engine, people["Anna"])
    app = workstation(engine, "Anna", Channel.PHONE)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_form(pilot, item)
        await pilot.press("2", "escape")  # a social reason, then away without saving
        await settle(pilot)
        main = app.screen
        assert isinstance(main, MainScreen)
        assert "1 tallentamaton kirjaus" in own_line(main)  # one form, in the singular
        await pilot.press("j")
        await settle(pilot)
        back = app.screen
        assert isinstance(back, ContactFormScreen) and back is not form
        assert back.item.id == item.id
        assert back.choice("reasons").chosen == ("social",)
        await pilot.press("1", "enter")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        assert own_line(app.screen) == ""
        await pilot.press("j")  # nothing open: said so
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        assert any("Ei keskeneräistä" in note.message for note in app._notifications)


async def test_a_change_for_a_view_not_yet_composed_waits_for_it(
    engine: Engine, people: dict[str, int]
) -> None:
    """Three operators pressed n at once; the result reached a view not yet composed."""
    ids = fill_queue(engine)
    queue = QueueService(engine)
    app = workstation(engine, "Anna", Channel.PHONE)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        taken = queue.take_next(people["Anna"], Channel.PHONE)
        assert taken is not None and taken.id == ids["phone"]
        view = PhoneScreen(Item.of(taken))
        app.push_screen(view)  # not awaited: the view is not composed yet
        answered = queue.item(ids["phone"])
        assert answered is not None
        answered_item = Item.of(answered)
        changed = QueueChanged(items=[answered_item], staffing=queue.staff.staffing(), names={})
        app.on_queue_changed(changed)  # must not look for #item-info yet
        await settle(pilot)
        assert app.screen is view and view.is_mounted
        assert app.view.items[ids["phone"]] is answered_item
        view.dismiss()
        await settle(pilot)
        app.on_queue_changed(changed)  # and not after the view has gone
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)


async def test_a_key_coming_back_from_the_queue_does_not_reach_a_form_not_yet_drawn(
    engine: Engine, people: dict[str, int]
) -> None:
    """Found by the chaos test: "j" opened a draft, and an Up pressed on the queue came
    back up to the app after the form was pushed; Textual then ran the form's Up
    binding against a form with no rows yet (NoMatches '#referral')."""
    item = closed_item(engine, people["Anna"])
    app = workstation(engine, "Anna", Channel.PHONE)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.push_screen(ContactFormScreen(item))  # pushed; drawn only later
        assert not await app._check_bindings("up")
        await wait_for(pilot, lambda: isinstance(app.screen, ContactFormScreen), "the form")
        await settle(pilot)
        await app.action_quit()
    assert app.return_code == 0


async def test_an_item_taken_as_the_sign_in_looks_for_own_work_opens_once(
    engine: Engine, people: dict[str, int]
) -> None:
    """On a slow machine the sign-in's look for open work read the item that "n" had
    just taken, and opened it before the take's own result came: two views of one
    callback, and the keys typed for the second landed on the first."""
    ids = fill_queue(engine)
    queue = QueueService(engine)
    app = workstation(engine, "Anna", Channel.PHONE)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        main = app.screen
        assert isinstance(main, MainScreen)
        taken = queue.take_next(people["Anna"], Channel.PHONE)  # the take's worker stored it
        assert taken is not None and taken.id == ids["phone"]
        app.resume_work()  # ... and the look for open work found it first
        await wait_for(pilot, lambda: isinstance(app.screen, PhoneScreen), "the callback")
        main.open_item(Item.of(taken))  # the take's result arrives
        await settle(pilot)
        views = [screen for screen in app.screen_stack if isinstance(screen, PhoneScreen)]
        assert len(views) == 1


async def test_a_form_opened_as_the_workstation_quits_does_not_end_it_with_an_error(
    engine: Engine, people: dict[str, int]
) -> None:
    """Found by the chaos test: Enter opened a contact for correction just as the
    workstation quit; the form's service picker mounted after its widgets had gone
    (NoMatches 'ServiceResults')."""
    item = closed_item(engine, people["Anna"])
    app = workstation(engine, "Anna", Channel.PHONE)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.push_screen(ContactFormScreen(item))  # not awaited: mounting as the app quits
        await app.action_quit()
    assert app.return_code == 0
