"""A lead allows one person on phone and chat at once: who, their PIN, and why."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from ohjaus_tui.domain.codes import Channel
from ohjaus_tui.domain.privacy import contains_henkilotunnus
from ohjaus_tui.services.desk_values import Person
from ohjaus_tui.tui.keys import localise_bindings
from ohjaus_tui.tui.showing import ClosedBeforeDrawn

if TYPE_CHECKING:
    from ohjaus_tui.tui.app import OhjausApp


@dataclass(frozen=True)
class LeadOverride:
    """What the lead gave; the sign-in screen checks the PIN and stores the sign-on."""

    lead: Person
    pin: str
    reason: str


class LeadOverrideScreen(ClosedBeforeDrawn, ModalScreen[LeadOverride | None]):
    """Pick the lead, who types their PIN and the reason; Esc cancels."""

    BINDINGS = [Binding("escape", "cancel", "Back", id="override.back")]

    def __init__(self, operator: Person, channel: Channel, leads: list[Person]) -> None:
        super().__init__()
        self.operator = operator
        self.channel = channel
        self.leads = leads

    @property
    def desk(self) -> OhjausApp:
        return cast("OhjausApp", self.app)

    def compose(self) -> ComposeResult:
        t = self.desk.texts
        with Vertical(id="override", classes="dialog"):
            yield Label(
                t(
                    "override.title",
                    name=self.operator.name,
                    channel=self.desk.label("channel", self.channel.value),
                ),
                classes="title",
            )
            yield Label(t("override.lead"))
            yield OptionList(*(Option(p.name, id=str(p.id)) for p in self.leads), id="leads")
            yield Label(t("override.pin"))
            yield Input(password=True, max_length=12, restrict=r"[0-9]*", id="lead-pin")
            yield Label(t("override.reason"))
            yield Input(max_length=200, id="reason")
            yield Label("", id="override-error", classes="error")
            yield Label(t("override.keys"), id="override-keys")

    def on_mount(self) -> None:
        localise_bindings(self, self.desk.texts)
        if not self.leads:
            self.query_one("#override-error", Label).update(self.desk.texts("override.no_leads"))
        self.query_one("#leads", OptionList).focus()

    @on(OptionList.OptionSelected, "#leads")
    def lead_chosen(self) -> None:
        self.query_one("#lead-pin", Input).focus()

    @on(Input.Submitted, "#lead-pin")
    def pin_typed(self) -> None:
        self.query_one("#reason", Input).focus()

    @on(Input.Submitted, "#reason")
    def reason_typed(self) -> None:
        index = self.query_one("#leads", OptionList).highlighted
        pin = self.query_one("#lead-pin", Input).value
        reason = " ".join(self.query_one("#reason", Input).value.split())
        error = self.query_one("#override-error", Label)
        if index is None or not self.leads:
            error.update(self.desk.texts("override.no_leads"))
            self.query_one("#leads", OptionList).focus()
        elif not pin:
            error.update(self.desk.texts("signin.pin_first"))
            self.query_one("#lead-pin", Input).focus()
        elif len(reason) < 3:
            error.update(self.desk.texts("override.need_reason"))
        elif contains_henkilotunnus(reason):
            error.update(self.desk.texts("override.hetu"))  # the reason stays, to be fixed
        else:
            self.dismiss(LeadOverride(self.leads[index], pin, reason))

    def action_cancel(self) -> None:
        self.dismiss(None)
