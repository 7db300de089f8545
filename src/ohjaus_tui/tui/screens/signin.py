"""Sign-in: who is at the desk (with their PIN), and on which channel."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Input, Label, OptionList
from textual.widgets.option_list import Option

from ohjaus_tui.domain.codes import Channel, Role
from ohjaus_tui.errors import NotAllowed, OhjausError
from ohjaus_tui.services.desk_values import Person
from ohjaus_tui.tui.key_order import edit_text, move_in_list
from ohjaus_tui.tui.keys import localise_bindings
from ohjaus_tui.tui.messages import SignedIn
from ohjaus_tui.tui.override import LeadOverride, LeadOverrideScreen
from ohjaus_tui.tui.showing import showing
from ohjaus_tui.tui.widgets.header import DeskHeader
from ohjaus_tui.words.roles import ROLE_NAMES

if TYPE_CHECKING:
    from ohjaus_tui.tui.app import OhjausApp


class SignInScreen(Screen[None]):
    """Pick yourself, type your PIN, pick the channel.

    The screen is drawn before the desk is open: its people and channels fill
    in when the app hands them over (:meth:`desk_opened`). The PIN is checked
    and the sign-on stored by one worker. When the phone/chat rule refuses the
    sign-on, Ctrl+O lets a lead allow it (their own PIN and a reason). A
    ``trusted`` preset (the OS account of the person, or a test) signs on
    without a PIN.
    """

    @dataclass
    class Refused(Message):
        """The phone/chat rule refused the sign-on of a person whose PIN was right."""

        operator: Person
        channel: Channel

    BINDINGS = [
        Binding("escape", "app.quit", "Quit", id="signin.quit"),
        Binding("ctrl+o", "override", "Lead override", id="signin.override"),
    ]

    def __init__(self, *, channel: Channel | None, trusted: bool = False) -> None:
        super().__init__()
        self.preset_operator: Person | None = None
        """The person asked for on the command line, known once the desk is open."""
        self.preset_channel = channel
        self.trusted = trusted
        self.people: list[Person] = []
        self.refused: SignInScreen.Refused | None = None
        """The sign-on the rule refused, which a lead may allow."""
        self.pin_for: int | None = None
        """The person (list index) the PIN field is being typed for."""

    @property
    def desk(self) -> OhjausApp:
        return cast("OhjausApp", self.app)

    def compose(self) -> ComposeResult:
        t = self.desk.texts
        yield DeskHeader()
        with Vertical(id="signin"):
            yield Label(t("signin.title"), classes="title")
            with Horizontal():
                with Vertical():
                    yield Label(t("signin.who"))
                    yield OptionList(id="people")
                with Vertical(id="pin-column"):
                    yield Label(t("signin.pin"))
                    yield Input(password=True, max_length=12, restrict=r"[0-9]*", id="pin")
                with Vertical():
                    yield Label(t("signin.channel"))
                    yield OptionList(id="channels")  # named in the desk's code lists
            yield Label("", id="signin-error", classes="error")
        yield Footer()

    def on_mount(self) -> None:
        localise_bindings(self, self.desk.texts)

    def desk_opened(self, people: Sequence[Person], preset: Person | None) -> None:
        """The desk is open: list its people and channels, ``preset`` chosen (and signed
        on at once when trusted with a channel)."""
        self.people = list(people)
        self.preset_operator = preset
        names = self.query_one("#people", OptionList)
        for person in self.people:
            role = self.desk.texts(ROLE_NAMES[person.role])
            names.add_option(Option(f"{person.name}  ({role})", id=str(person.id)))
        channels = self.query_one("#channels", OptionList)
        channels.add_options(
            Option(self.desk.label("channel", channel.value), id=channel.value)
            for channel in Channel
        )
        channels.highlighted = 0
        if not self.people:
            self.show_error(self.desk.texts("signin.no_people"))
        if preset is not None and self.preset_channel is not None and self.trusted:
            self.sign_on(preset, None, self.preset_channel)
            return
        if preset is not None:
            names.highlighted = next((i for i, p in enumerate(self.people) if p.id == preset.id), 0)
            self.query_one("#pin", Input).focus()
        else:
            names.highlighted = 0 if self.people else None
            names.focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "override":
            return self.refused is not None
        return True

    def show_error(self, text: str) -> None:
        if not showing(self):
            return
        self.query_one("#signin-error", Label).update(text)

    def chosen(self) -> Person | None:
        index = self.query_one("#people", OptionList).highlighted
        if index is None or not self.people:
            return None
        return self.people[index]

    # --- keys, in the order they came (see tui/key_order.py) ----------------------------

    async def route_key(self, event: events.Key) -> bool:
        """Person, PIN and channel typed ahead land in order: ``Down Enter 1234 Enter``."""
        key = event.key
        focused = self.focused
        people = self.query_one("#people", OptionList)
        pin = self.query_one("#pin", Input)
        channels = self.query_one("#channels", OptionList)
        if key in ("tab", "shift+tab"):
            if key == "tab":
                self.focus_next()
            else:
                self.focus_previous()
            return True
        if focused is people:
            if key == "enter":
                self.person_chosen()
                return True
            if move_in_list(people, key):
                self.person_changed()
                return True
        elif focused is pin:
            if key == "enter":
                self.set_focus(channels)
                return True
            return await edit_text(self.app, pin, event)
        elif focused is channels:
            if key == "enter":
                if channels.highlighted is not None:
                    option = channels.get_option_at_index(channels.highlighted)
                    self.channel_chosen(option.id or Channel.PHONE.value)
                return True
            return move_in_list(channels, key)
        return False

    @on(OptionList.OptionSelected, "#people")
    def person_chosen(self) -> None:
        self.pin_for = self.query_one("#people", OptionList).highlighted
        self.set_focus(self.query_one("#pin", Input))

    @on(OptionList.OptionHighlighted, "#people")
    def person_changed(self) -> None:
        """Another person: the PIN typed so far was not theirs."""
        if self.query_one("#people", OptionList).highlighted == self.pin_for:
            return  # a late message for the person the PIN is being typed for
        self.pin_for = None
        self.query_one("#pin", Input).value = ""
        self.forget_refusal()

    @on(Input.Submitted, "#pin")
    def pin_typed(self) -> None:
        self.set_focus(self.query_one("#channels", OptionList))

    @on(OptionList.OptionSelected, "#channels")
    def channel_selected(self, event: OptionList.OptionSelected) -> None:
        self.channel_chosen(event.option.id or Channel.PHONE.value)

    def channel_chosen(self, channel: str) -> None:
        operator = self.chosen()
        if operator is None:
            self.query_one("#people", OptionList).focus()
            return
        pin = self.query_one("#pin", Input).value
        if not pin and not self.trusted_for(operator):
            self.show_error(self.desk.texts("signin.pin_first"))
            self.query_one("#pin", Input).focus()
            return
        self.forget_refusal()
        self.sign_on(operator, None if self.trusted_for(operator) else pin, Channel(channel))

    def trusted_for(self, operator: Person) -> bool:
        return (
            self.trusted
            and self.preset_operator is not None
            and operator.id == self.preset_operator.id
        )

    def forget_refusal(self) -> None:
        if self.refused is not None:
            self.refused = None
            self.refresh_bindings()

    @work(thread=True, exclusive=True, exit_on_error=False, group="signin")
    def sign_on(self, operator: Person, pin: str | None, channel: Channel) -> None:
        """Check the PIN (unless trusted), then store the sign-on."""
        from ohjaus_tui.services.staffing import SignOnConflict  # loaded with the desk

        desk = self.desk
        try:
            session = desk.door.sign_on(operator, channel, pin=pin)
        except SignOnConflict:
            self.post_message(self.Refused(operator, channel))
            return
        except NotAllowed as exc:  # a wrong PIN, a name locked or deactivated
            self.app.call_from_thread(self.refuse_pin, desk.error_text(exc))
            return
        except OhjausError as exc:
            self.app.call_from_thread(self.show_error, desk.error_text(exc))
            return
        self.post_message(SignedIn(session))

    def refuse_pin(self, text: str) -> None:
        if not showing(self):
            return
        self.show_error(text)
        pin = self.query_one("#pin", Input)
        pin.value = ""
        pin.focus()

    @on(Refused)
    def rule_refused(self, event: Refused) -> None:
        other = Channel.CHAT if event.channel is Channel.PHONE else Channel.PHONE
        text = self.desk.texts(
            "signin.both", name=event.operator.name, channel=self.desk.label("channel", other.value)
        )
        self.show_error(text + "\n" + self.desk.texts("signin.override_hint"))
        self.refused = event
        self.refresh_bindings()

    def action_override(self) -> None:
        refused = self.refused
        if refused is None:
            return
        leads = [p for p in self.people if p.may(Role.LEAD) and p.id != refused.operator.id]
        self.app.push_screen(
            LeadOverrideScreen(refused.operator, refused.channel, leads),
            callback=self.override_given,
        )

    def override_given(self, override: LeadOverride | None) -> None:
        refused = self.refused
        if override is None or refused is None:
            return
        self.sign_on_overridden(refused.operator, refused.channel, override)

    @work(thread=True, exclusive=True, exit_on_error=False, group="signin")
    def sign_on_overridden(
        self, operator: Person, channel: Channel, override: LeadOverride
    ) -> None:
        """A lead allows phone and chat at once: their PIN, their role, a reason."""
        try:
            session = self.desk.door.sign_on_overridden(
                operator, channel, lead=override.lead, pin=override.pin, reason=override.reason
            )
        except OhjausError as exc:
            self.app.call_from_thread(self.show_error, self.desk.error_text(exc))
            return
        self.post_message(SignedIn(session))

    @on(SignedIn)
    def signed_in(self, event: SignedIn) -> None:
        """The sign-on is stored: the workstation takes the session (this screen goes)."""
        event.stop()
        self.desk.start(event.session)
