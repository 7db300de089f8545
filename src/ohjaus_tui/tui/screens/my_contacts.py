"""The operator's own contacts of today, to open one and correct it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from ohjaus_tui.present.times import local_time
from ohjaus_tui.services.contacts import LoggedContact
from ohjaus_tui.services.desk_values import Item
from ohjaus_tui.tui.keys import localise_bindings
from ohjaus_tui.tui.messages import OpenForm
from ohjaus_tui.tui.showing import ClosedBeforeDrawn, showing
from ohjaus_tui.tui.widgets.header import DeskHeader

if TYPE_CHECKING:
    from ohjaus_tui.tui.app import OhjausApp


class MyContactsScreen(ClosedBeforeDrawn, Screen[None]):
    """Today's contacts of the signed-in operator, newest first; Enter corrects one."""

    @dataclass
    class Loaded(Message):
        """The contacts and their queue items, read by the worker."""

        contacts: list[tuple[LoggedContact, Item]]

    BINDINGS = [
        Binding("escape", "back", "Back", id="mine.back", priority=True),
        Binding("enter", "correct", "Correct", id="mine.correct"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.contacts: list[tuple[LoggedContact, Item]] = []

    @property
    def desk(self) -> OhjausApp:
        return cast("OhjausApp", self.app)

    def compose(self) -> ComposeResult:
        self.title = self.desk.texts("mine.title")  # before its header watches it (see the form)
        yield DeskHeader()
        yield Static(self.desk.texts("mine.hint"), id="mine-hint")
        # The columns are set here, not when mounted: a screen left (or a workstation
        # quit) while it is being mounted has no table any more to find.
        t = self.desk.texts
        table: DataTable[str] = DataTable(id="mine", cursor_type="row", zebra_stripes=True)
        table.add_column(t("mine.time"), key="time", width=12)
        table.add_column(t("col.channel"), key="channel")
        table.add_column(t("mine.reasons"), key="reasons")
        table.add_column(t("mine.referral"), key="referral")
        yield table
        yield Footer()

    def on_mount(self) -> None:
        localise_bindings(self, self.desk.texts)
        self.load()

    def on_screen_resume(self) -> None:
        """Back from a correction: show what is stored now."""
        if self.is_mounted:
            self.load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="mine")
    def load(self) -> None:
        contacts = self.desk.session.my_contacts(now=self.desk.clock())
        with_items = []
        for contact in contacts:
            item = self.desk.session.item(contact.item_id) if contact.item_id else None
            if item is not None:  # the form shows a contact with its queue item
                with_items.append((contact, item))
        self.post_message(self.Loaded(with_items))

    @on(Loaded)
    def loaded(self, event: Loaded) -> None:
        if not showing(self):
            return
        self.contacts = event.contacts
        table = self.query_one("#mine", DataTable)
        table.clear()
        desk = self.desk
        for contact, _item in self.contacts:
            record = contact.record
            reasons = ", ".join(desk.label("reason", code) for code in record.reasons)
            referral = (
                desk.label("referral", record.referral)
                if record.referral is not None
                else desk.texts("not_recorded")
            )
            if contact.service_name:
                referral = f"{referral}: {contact.service_name}"
            table.add_row(
                local_time(contact.logged_at, desk.settings.zone, desk.clock(), desk.texts),
                desk.label("channel", record.channel),
                reasons,
                referral,
                key=str(contact.id),
            )
        hint = desk.texts("mine.hint") if self.contacts else desk.texts("mine.empty")
        self.query_one("#mine-hint", Static).update(hint)
        table.focus()

    @on(DataTable.RowSelected, "#mine")
    def row_chosen(self) -> None:
        self.action_correct()

    def action_correct(self) -> None:
        row = self.query_one("#mine", DataTable).cursor_row
        if not self.contacts or not 0 <= row < len(self.contacts):
            return
        contact, item = self.contacts[row]
        self.app.post_message(OpenForm(item, correcting=contact))

    def action_back(self) -> None:
        self.dismiss()
