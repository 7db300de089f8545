"""Sign-in: who is at the desk, and on which channel."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Header, Label, OptionList
from textual.widgets.option_list import Option

from ohjaus_tui.db.models import Operator
from ohjaus_tui.domain.codes import Channel
from ohjaus_tui.errors import OhjausError
from ohjaus_tui.services.operators import list_operators
from ohjaus_tui.services.queue import SignOnConflict
from ohjaus_tui.tui.keys import localise_bindings

if TYPE_CHECKING:
    from ohjaus_tui.tui.app import OhjausApp


class SignInScreen(Screen[None]):
    @dataclass
    class SignedIn(Message):
        """The sign-on is stored (posted by the worker, handled once it is done)."""

        operator: Operator
        channel: Channel

    BINDINGS = [Binding("escape", "app.quit", "Quit", id="signin.quit")]

    def __init__(self, *, operator: Operator | None, channel: Channel | None) -> None:
        super().__init__()
        self.preset_operator = operator
        self.preset_channel = channel
        self.people: list[Operator] = []

    @property
    def desk(self) -> OhjausApp:
        return cast("OhjausApp", self.app)

    def compose(self) -> ComposeResult:
        t = self.desk.texts
        yield Header()
        with Vertical(id="signin"):
            yield Label(t("signin.title"), classes="title")
            with Horizontal():
                with Vertical():
                    yield Label(t("signin.who"))
                    yield OptionList(id="people")
                with Vertical():
                    yield Label(t("signin.channel"))
                    yield OptionList(
                        *(Option(self.desk.label("channel", c.value), id=c.value) for c in Channel),
                        id="channels",
                    )
            yield Label("", id="signin-error", classes="error")
        yield Footer()

    def on_mount(self) -> None:
        localise_bindings(self, self.desk.texts)
        self.people = [p for p in list_operators(self.desk.engine) if p.active]
        people = self.query_one("#people", OptionList)
        for person in self.people:
            people.add_option(Option(f"{person.name}  ({person.role})", id=str(person.id)))
        if not self.people:
            self.show_error(self.desk.texts("signin.no_people"))
        if self.preset_operator is not None and self.preset_channel is not None:
            self.sign_on(self.preset_operator, self.preset_channel)
            return
        if self.preset_operator is not None:
            people.highlighted = next(
                (i for i, p in enumerate(self.people) if p.id == self.preset_operator.id), 0
            )
            self.query_one("#channels", OptionList).focus()
        else:
            people.focus()

    def show_error(self, text: str) -> None:
        self.query_one("#signin-error", Label).update(text)

    @on(OptionList.OptionSelected, "#people")
    def person_chosen(self) -> None:
        self.query_one("#channels", OptionList).focus()

    @on(OptionList.OptionSelected, "#channels")
    def channel_chosen(self, event: OptionList.OptionSelected) -> None:
        index = self.query_one("#people", OptionList).highlighted
        if index is None or not self.people:
            self.query_one("#people", OptionList).focus()
            return
        self.sign_on(self.people[index], Channel(event.option.id or "phone"))

    @work(thread=True, exclusive=True, exit_on_error=False, group="signin")
    def sign_on(self, operator: Operator, channel: Channel) -> None:
        assert operator.id is not None
        try:
            self.desk.queue.sign_on(operator.id, channel)
        except SignOnConflict:
            other = next(
                (c for c in (Channel.PHONE, Channel.CHAT) if c is not channel),
                Channel.PHONE,
            )
            text = self.desk.texts(
                "signin.both", name=operator.name, channel=self.desk.label("channel", other.value)
            )
            self.app.call_from_thread(self.show_error, text)
            return
        except OhjausError as exc:
            self.app.call_from_thread(self.show_error, str(exc))
            return
        self.post_message(self.SignedIn(operator, channel))

    @on(SignedIn)
    def signed_in(self, event: SignedIn) -> None:
        self.desk.signed_in(event.operator, event.channel)
