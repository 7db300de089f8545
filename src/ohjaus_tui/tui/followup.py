"""Schedule a follow-up during a contact: kind, owner, day and window, note.

F6 in a handling view opens this dialog over it. Saved, it closes with what the
resident is to be told ("Asiaasi hoitaa Anna, soitamme ke 4.12. klo 10–12."):
the view writes it into a chat's or message's reply box, or shows it to be read
out on the phone.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import TYPE_CHECKING, Any, cast

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Input, Label, Static

from ohjaus_tui.domain.followup import FollowUpKind
from ohjaus_tui.domain.phones import format_for_dialling
from ohjaus_tui.errors import OhjausError
from ohjaus_tui.present.followup import KIND_WORDS, told_text
from ohjaus_tui.services.desk_values import Item, Person
from ohjaus_tui.tui.key_order import edit_text
from ohjaus_tui.tui.keys import localise_bindings
from ohjaus_tui.tui.showing import ClosedBeforeDrawn, showing
from ohjaus_tui.tui.widgets.choice_row import ChoiceRow
from ohjaus_tui.words import N_

if TYPE_CHECKING:
    from ohjaus_tui.tui.app import OhjausApp

DEFAULT_WINDOW = "10-12"


class FollowUpScreen(ClosedBeforeDrawn, ModalScreen[str | None]):
    """The follow-up's rows; closes with the sentence for the resident, or None."""

    DEFAULT_CSS = """
    FollowUpScreen {
        align: center middle;
    }
    FollowUpScreen > Vertical {
        width: 90%;
        max-width: 110;
        height: auto;
        padding: 0 1;
        border: thick $accent;
        background: $panel;
    }
    FollowUpScreen .title {
        text-style: bold;
    }
    FollowUpScreen Horizontal {
        height: auto;
    }
    FollowUpScreen Horizontal {
        padding-left: 1;
    }
    FollowUpScreen .field-label {
        width: 30;
        color: $text-muted;
    }
    FollowUpScreen Input {
        width: 1fr;
    }
    FollowUpScreen #followup-error {
        color: $error;
    }
    FollowUpScreen #followup-keys {
        color: $text-muted;
    }
    """

    BINDINGS = [
        Binding("escape", "back", "Back", id="followup.back"),
        Binding("ctrl+s", "save", "Save", id="followup.save", priority=True),
        Binding("down", "app.focus_next", show=False, id="followup.down"),
        Binding("up", "app.focus_previous", show=False, id="followup.up"),
    ]

    def __init__(self, item: Item, people: tuple[Person, ...]) -> None:
        """``people``: the active people of the desk, one of whom owns the follow-up."""
        super().__init__()
        self.item = item
        self.people = people or (self.desk_person(),)
        self.saving = False
        self.closed = False
        """Dismissed: a key still on its way here (Escape after a save) changes nothing."""

    def desk_person(self) -> Person:
        return cast("OhjausApp", self.app).session.person

    @property
    def desk(self) -> OhjausApp:
        return cast("OhjausApp", self.app)

    def compose(self) -> ComposeResult:
        t = self.desk.texts
        me = self.desk.session.person
        people = self.people
        kind = FollowUpKind.CALLBACK if self.item.callback_number else FollowUpKind.TASK
        with Vertical():
            yield Label(t("followup.title"), classes="title")
            yield ChoiceRow(
                t("followup.kind"),
                [(k.value, t(KIND_WORDS[k])) for k in FollowUpKind],
                chosen=[kind.value],
                id="followup-kind",
            )
            yield ChoiceRow(
                t("followup.owner"),
                [(str(person.id), person.name) for person in people],
                chosen=[str(me.id)],
                id="followup-owner",
            )
            yield self._field(N_("followup.day"), self._default_day(), "followup-day")
            yield self._field(N_("followup.window"), DEFAULT_WINDOW, "followup-window")
            number = (
                format_for_dialling(self.item.callback_number) if self.item.callback_number else ""
            )
            yield self._field(N_("followup.number"), number, "followup-number")
            yield self._field(N_("followup.note"), "", "followup-note")
            yield Static("", id="followup-error")
            yield Static(t("followup.keys"), id="followup-keys")

    def _field(self, label: str, value: str, id: str) -> Horizontal:
        return Horizontal(
            Label(self.desk.texts(label), classes="field-label"),
            Input(value=value, id=id, compact=True),
        )

    def _default_day(self) -> str:
        """The next business day of the desk (``4.12.``)."""
        calendar = self.desk.door.config.calendar  # read at sign-in and on the live feed
        today = self.desk.clock().astimezone(self.desk.settings.zone).date()
        day = today + timedelta(days=1)
        while not calendar.is_business_day(day):
            day += timedelta(days=1)
        return f"{day.day}.{day.month}."

    def on_mount(self) -> None:
        localise_bindings(self, self.desk.texts)
        self.query_one("#followup-kind", ChoiceRow).focus()
        self.desk.release_when_shown()  # the keys typed since F9 are this dialog's

    async def route_key(self, event: events.Key) -> bool:
        """Every key in the order typed (see tui/key_order.py): a fast "Down 4 Down pe"
        picks on the row the previous Down moved to and types into the next."""
        if self.closed or not showing(self):
            return False
        key = event.key
        if key in ("down", "tab", "up", "shift+tab"):
            if key in ("down", "tab"):
                self.focus_next()
            else:
                self.focus_previous()
            return True
        if key in ("enter", "ctrl+s"):
            self.action_save()
            return True
        if key == "escape":
            self.action_back()
            return True
        focused = self.focused
        if isinstance(focused, Input):
            return await edit_text(self.app, focused, event)
        if isinstance(focused, ChoiceRow):
            moves = {"left": -1, "right": 1}
            if key.isdigit() and key != "0":
                focused.pick(int(key) - 1)
            elif key == "space":
                focused.pick(focused.cursor)
            elif key in moves:
                focused.action_move(moves[key])
            elif event.is_printable:
                self.app.bell()
            else:
                return False
            return True
        return False

    def action_back(self) -> None:
        if not self.saving:  # a save under way ends it: the resident is to be told
            self.close_with(None)

    def close_with(self, told: str | None) -> None:
        """Close once: the first of a save and an Escape wins (found by the chaos test)."""
        if not self.closed:
            self.closed = True
            self.dismiss(told)

    @on(Input.Submitted)
    def field_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    @on(ChoiceRow.Submitted)
    def row_submitted(self, event: ChoiceRow.Submitted) -> None:
        event.stop()
        self.action_save()

    def value(self, id: str) -> str:
        return self.query_one(f"#{id}", Input).value

    def action_save(self) -> None:
        if self.saving or self.closed:
            return
        kind = self.query_one("#followup-kind", ChoiceRow).chosen
        owner = self.query_one("#followup-owner", ChoiceRow).chosen
        if not kind or not owner:
            self.app.bell()
            return
        self.saving = True
        self.save(
            FollowUpKind(kind[0]),
            int(owner[0]),
            self.value("followup-day"),
            self.value("followup-window"),
            self.value("followup-number"),
            self.value("followup-note"),
        )

    @work(thread=True, exclusive=True, exit_on_error=False, group="followup")
    def save(
        self, kind: FollowUpKind, owner_id: int, day: str, window: str, number: str, note: str
    ) -> None:
        session = self.desk.session
        owner = next((p for p in self.people if p.id == owner_id), session.person)
        try:
            view = session.schedule_follow_up(
                self.item,
                kind=kind,
                owner=owner,
                day=day,
                window=window,
                note=note or None,
                callback_number=number or None,
                now=self.desk.clock(),
            )
        except OhjausError as exc:
            self.app.call_from_thread(self.refused, self.desk.error_text(exc))
            return
        told = told_text(
            view.kind,
            view.owner,
            view.due_from,
            view.due_to,
            self.item.language,
            self.desk.settings.zone,
        )
        self.app.call_from_thread(self.saved, told)

    def refused(self, why: str) -> None:
        self.saving = False
        if showing(self):
            self.query_one("#followup-error", Static).update(why)
            self.app.bell()

    def saved(self, told: str) -> None:
        if showing(self):
            self.close_with(told)


def open_follow_up(
    screen: Screen[Any],
    item: Item,
    *,
    told: Callable[[str | None], None],
    refused: Callable[[str], None],
) -> None:
    """F9 on ``screen``: the people of the desk are read for the owner row, then the dialog
    opens over ``screen``; ``told`` gets the sentence for the resident (None: cancelled),
    ``refused`` why the people could not be read. The keys typed meanwhile are the dialog's."""
    desk = cast("OhjausApp", screen.app)
    hold = desk.hold_keys()

    def read_people() -> None:
        try:
            people = desk.door.people()
        except OhjausError as exc:
            desk.call_from_thread(refused, desk.error_text(exc))
            desk.call_from_thread(desk.release_when_shown, hold)
            return
        desk.call_from_thread(show, people)

    def show(people: tuple[Person, ...]) -> None:
        if showing(screen):
            desk.push_screen(FollowUpScreen(item, people), told)

    screen.run_worker(
        read_people, thread=True, exclusive=True, group="follow_up", exit_on_error=False
    )
