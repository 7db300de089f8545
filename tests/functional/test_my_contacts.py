"""Correcting one's own contact of the day from the workstation (``k``)."""

from __future__ import annotations

from sqlalchemy import Engine
from sqlmodel import Session, col, select
from textual.widgets import DataTable

from ohjaus_tui.db.models import AuditEvent
from ohjaus_tui.domain.codes import Channel
from ohjaus_tui.tui.screens.contact_form import ContactFormScreen
from ohjaus_tui.tui.screens.main import MainScreen
from ohjaus_tui.tui.screens.my_contacts import MyContactsScreen
from tests.functional.conftest import workstation
from tests.functional.test_contact_form import closed_item, contacts, open_form, settle


def edits(engine: Engine) -> list[AuditEvent]:
    with Session(engine) as session:
        query = select(AuditEvent).where(col(AuditEvent.action) == "contact.edit")
        return list(session.exec(query).all())


async def test_an_operator_corrects_a_contact_of_today(
    engine: Engine, people: dict[str, int]
) -> None:
    item = closed_item(engine, people["Anna"])
    app = workstation(engine, "Anna", Channel.PHONE)
    async with app.run_test(size=(120, 36)) as pilot:
        await open_form(pilot, item)
        await pilot.press("1", "enter")  # logged: health
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)

        await pilot.press("k")
        await settle(pilot)
        assert isinstance(app.screen, MyContactsScreen)
        assert app.screen.query_one("#mine", DataTable).row_count == 1

        await pilot.press("enter")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ContactFormScreen) and form.correcting is not None
        await pilot.press("2", "ctrl+s")  # social too
        await settle(pilot)
        assert isinstance(app.screen, MyContactsScreen)
        reasons = str(app.screen.query_one("#mine", DataTable).get_row_at(0)[2])
        assert reasons == "Terveydelliset, Sosiaaliset"
    [(contact, stored)] = contacts(engine)
    assert sorted(stored) == ["health", "social"]
    assert contact.edited_at is not None
    [event] = edits(engine)
    assert event.actor == "Anna" and event.entity_id == str(contact.id)
    assert '"changed": ["reasons"]' in (event.detail or "")


async def test_leaving_a_correction_changes_nothing(engine: Engine, people: dict[str, int]) -> None:
    item = closed_item(engine, people["Anna"])
    app = workstation(engine, "Anna", Channel.PHONE)
    async with app.run_test(size=(120, 36)) as pilot:
        await open_form(pilot, item)
        await pilot.press("1", "enter")
        await settle(pilot)
        await pilot.press("k")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("2", "escape")  # changed, then left
        await settle(pilot)
        assert isinstance(app.screen, MyContactsScreen)
    [(_contact, stored)] = contacts(engine)
    assert stored == ["health"]
    assert edits(engine) == []


async def test_another_operators_contacts_are_not_listed(
    engine: Engine, people: dict[str, int]
) -> None:
    item = closed_item(engine, people["Anna"])
    app = workstation(engine, "Anna", Channel.PHONE)
    async with app.run_test(size=(120, 36)) as pilot:
        await open_form(pilot, item)
        await pilot.press("1", "enter")
        await settle(pilot)
    app = workstation(engine, "Mikko", Channel.MESSAGE)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("k")
        await settle(pilot)
        assert isinstance(app.screen, MyContactsScreen)
        assert app.screen.query_one("#mine", DataTable).row_count == 0
