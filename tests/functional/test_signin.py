"""Signing in at the workstation: the PIN, its lock, and a lead's override."""

from __future__ import annotations

import threading

from sqlalchemy import Engine
from sqlmodel import Session, col, select
from textual import events
from textual.pilot import Pilot
from textual.widgets import Input, Label, OptionList

from ohjaus_tui.db.models import AuditEvent, ChannelSignOn
from ohjaus_tui.domain.codes import Channel
from ohjaus_tui.errors import DatabaseUnavailable
from ohjaus_tui.services.operators import MAX_FAILURES
from ohjaus_tui.services.queue import QueueService
from ohjaus_tui.tui.app import OhjausApp
from ohjaus_tui.tui.override import LeadOverrideScreen
from ohjaus_tui.tui.screens.main import MainScreen
from ohjaus_tui.tui.screens.signin import SignInScreen
from tests.conftest import PINS
from tests.functional.conftest import workstation
from tests.functional.waiting import wait_for


async def settle(pilot: Pilot[None]) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def error(app: OhjausApp) -> str:
    return str(app.screen.query_one("#signin-error", Label).render())


async def sign_in(pilot: Pilot[None], downs: int, pin: str, channel_downs: int = 0) -> None:
    """From the people list: the person, the PIN, the channel."""
    await pilot.press(*["down"] * downs, "enter", *pin, "enter")
    await pilot.press(*["down"] * channel_downs, "enter")
    await settle(pilot)


async def test_the_right_pin_signs_in(engine: Engine, people: dict[str, int]) -> None:
    app = workstation(engine, None, None)
    async with app.run_test(size=(120, 36)) as pilot:
        await sign_in(pilot, 1, PINS["Liisa"])  # Anna, Liisa, Mikko: Liisa on phone
        assert isinstance(app.screen, MainScreen)
        assert app.operator is not None and app.operator.name == "Liisa"
        assert app.channel is Channel.PHONE


async def test_a_wrong_pin_is_refused_and_cleared(engine: Engine, people: dict[str, int]) -> None:
    app = workstation(engine, None, None)
    async with app.run_test(size=(120, 36)) as pilot:
        await sign_in(pilot, 0, "9999")
        assert isinstance(app.screen, SignInScreen)
        assert error(app) == "Väärä PIN-koodi."
        pin = app.screen.query_one("#pin", Input)
        assert pin.value == "" and app.focused is pin
        await pilot.press(*PINS["Anna"], "enter", "enter")  # try again
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)


async def test_no_channel_before_a_pin(engine: Engine, people: dict[str, int]) -> None:
    app = workstation(engine, None, None)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("enter", "tab", "enter")  # Anna, skip the PIN, Phone
        await settle(pilot)
        assert isinstance(app.screen, SignInScreen)
        assert error(app) == "Kirjoita ensin PIN-koodi."


async def test_too_many_wrong_pins_lock_the_name(engine: Engine, people: dict[str, int]) -> None:
    app = workstation(engine, None, None, language="en")
    async with app.run_test(size=(120, 36)) as pilot:
        await sign_in(pilot, 0, "9999")
        for _ in range(MAX_FAILURES - 1):
            await pilot.press(*"9999", "enter", "enter")
            await settle(pilot)
        await pilot.press(*PINS["Anna"], "enter", "enter")
        await settle(pilot)
        assert isinstance(app.screen, SignInScreen)
        assert error(app).startswith("Anna: too many wrong PINs.")


async def test_a_lead_allows_phone_and_chat_at_once(engine: Engine, people: dict[str, int]) -> None:
    QueueService(engine).staff.sign_on(people["Anna"], Channel.PHONE)
    app = workstation(engine, None, None)
    async with app.run_test(size=(120, 36)) as pilot:
        await sign_in(pilot, 0, PINS["Anna"], channel_downs=1)  # Anna on chat too
        assert "ei voi vastata puhelimeen ja chattiin" in error(app)
        assert "Ctrl+O" in error(app)
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert isinstance(app.screen, LeadOverrideScreen)
        await pilot.press("enter", *"1111", "enter", *"ruuhka", "enter")  # Liisa, wrong PIN
        await settle(pilot)
        assert isinstance(app.screen, SignInScreen)
        assert error(app) == "Väärä PIN-koodi (Liisa)."
        await pilot.press("ctrl+o")
        await pilot.pause()
        await pilot.press("enter", *PINS["Liisa"], "enter", *"ruuhkahuippu", "enter")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
    with Session(engine) as session:
        chat = session.exec(
            select(ChannelSignOn).where(ChannelSignOn.channel == Channel.CHAT.value)
        ).one()
        event = session.exec(
            select(AuditEvent).where(col(AuditEvent.action) == "channel.override")
        ).one()
    assert chat.override_reason == "ruuhkahuippu"
    assert chat.overridden_by_id == people["Liisa"]
    assert event.actor == "Liisa"


async def test_an_override_needs_a_reason(engine: Engine, people: dict[str, int]) -> None:
    QueueService(engine).staff.sign_on(people["Anna"], Channel.PHONE)
    app = workstation(engine, None, None, language="en")
    async with app.run_test(size=(120, 36)) as pilot:
        await sign_in(pilot, 0, PINS["Anna"], channel_downs=1)
        await pilot.press("ctrl+o")
        await pilot.pause()
        await pilot.press("enter", *PINS["Liisa"], "enter", "enter")
        await pilot.pause()
        assert isinstance(app.screen, LeadOverrideScreen)
        reason = str(app.screen.query_one("#override-error", Label).render())
        assert reason == "Write the reason (it goes into the audit trail)."
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, SignInScreen)


async def test_an_override_reason_with_an_identity_code_is_kept_to_be_fixed(
    engine: Engine, people: dict[str, int]
) -> None:
    QueueService(engine).staff.sign_on(people["Anna"], Channel.PHONE)
    app = workstation(engine, None, None)
    async with app.run_test(size=(120, 36)) as pilot:
        await sign_in(pilot, 0, PINS["Anna"], channel_downs=1)
        await pilot.press("ctrl+o")
        await pilot.pause()
        reason = "sijainen 131052\u2013308T"  # an en dash for its sign
        await pilot.press("enter", *PINS["Liisa"], "enter")
        screen = app.screen
        assert isinstance(screen, LeadOverrideScreen)
        screen.query_one("#reason", Input).value = reason
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen
        said = str(screen.query_one("#override-error", Label).render())
        assert said.startswith("Perustelussa on henkilötunnus: poista se")
        assert screen.query_one("#reason", Input).value == reason
    with Session(engine) as session:
        assert not session.exec(
            select(ChannelSignOn).where(ChannelSignOn.channel == Channel.CHAT.value)
        ).all()


async def test_no_override_without_a_refusal(engine: Engine, people: dict[str, int]) -> None:
    app = workstation(engine, None, None)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert isinstance(app.screen, SignInScreen)


def typed(app: OhjausApp, *keys: str) -> None:
    """Post the keys at once, as a terminal delivers keys typed ahead."""
    for key in keys:
        app.post_message(events.Key(key, key if len(key) == 1 else None))


async def test_person_pin_and_channel_typed_ahead_all_land(
    engine: Engine, people: dict[str, int]
) -> None:
    """``Down Enter 1234 Enter Down Enter`` in one burst: Liisa, her PIN, on chat."""
    app = workstation(engine, None, None)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        typed(app, "down", "enter", *PINS["Liisa"], "enter", "down", "enter")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen), error(app) if app.screen else ""
        assert app.operator is not None and app.operator.name == "Liisa"
        assert app.channel is Channel.CHAT


async def test_keys_typed_while_the_workstation_starts_are_kept(
    engine: Engine, people: dict[str, int]
) -> None:
    """Held until the sign-in screen is ready; Enter typed in line mode arrives as ctrl+j."""
    app = workstation(engine, None, None)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app._held_keys = []  # as before the first screen is ready
        typed(app, "enter", *PINS["Anna"], "ctrl+j", "ctrl+j")
        await pilot.pause()
        assert isinstance(app.screen, SignInScreen)
        assert app.screen.query_one("#pin", Input).value == ""  # nothing applied yet
        await app.release_held_keys()
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        assert app.operator is not None and app.operator.name == "Anna"


async def test_keys_typed_before_the_desk_opens_wait_for_it(
    engine: Engine, people: dict[str, int]
) -> None:
    """The sign-in is drawn before the desk is open; what the operator types at once
    (person, PIN, channel, Enter in line mode as ctrl+j) lands once the people are listed."""
    desk_may_open = threading.Event()

    def slow_desk() -> Engine:
        desk_may_open.wait(timeout=20)
        return engine

    app = workstation(slow_desk, None, None)
    try:
        async with app.run_test(size=(120, 36)) as pilot:
            typed(app, "down", "ctrl+j", *PINS["Liisa"], "enter", "down", "enter")
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, SignInScreen)
            assert screen.query_one("#people", OptionList).option_count == 0  # not open yet
            assert screen.query_one("#pin", Input).value == ""  # nothing applied yet
            desk_may_open.set()
            await wait_for(pilot, lambda: isinstance(app.screen, MainScreen), "the main screen")
            assert app.operator is not None and app.operator.name == "Liisa"
            assert app.channel is Channel.CHAT
    finally:
        desk_may_open.set()


async def test_ctrl_q_while_the_desk_opens_quits_at_once(engine: Engine) -> None:
    """A database server that does not answer keeps nobody in the workstation."""
    desk_may_open = threading.Event()

    def hung_desk() -> Engine:
        desk_may_open.wait(timeout=20)
        return engine

    app = workstation(hung_desk, None, None)
    try:
        async with app.run_test(size=(120, 36)) as pilot:
            typed(app, "enter", "ctrl+q")
            await wait_for(pilot, lambda: app.return_code is not None, "the workstation to end")
            assert app.return_code == 0 and app.failure is None
            desk_may_open.set()  # the worker ends; what it opened is not handed over
    finally:
        desk_may_open.set()
    assert app._door is None


async def test_a_desk_that_cannot_be_opened_ends_the_workstation(engine: Engine) -> None:
    """The error is the app's :attr:`failure` (the command line says it), its exit code
    the app's."""

    def no_desk() -> Engine:
        raise DatabaseUnavailable(code="database.no_folder", path="/x/y.db", folder="/x")

    app = workstation(no_desk, None, None)
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_for(pilot, lambda: app.return_code is not None, "the workstation to end")
    assert app.failure is not None and app.failure.code == "database.no_folder"
    assert app.return_code == app.failure.exit_code == 1
