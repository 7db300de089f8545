"""What every handling view shares: the item, release, transfer, end and log."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.events import Key
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, Label, OptionList, Static
from textual.widgets.option_list import Option

from ohjaus_tui.domain.codes import Channel
from ohjaus_tui.errors import OhjausError
from ohjaus_tui.present.followup import when_text
from ohjaus_tui.services.desk_values import Consultation, Item
from ohjaus_tui.tui.consult import (
    AskColleagueScreen,
    Asked,
    addressee,
    ask_choices,
    consultation_line,
)
from ohjaus_tui.tui.followup import open_follow_up
from ohjaus_tui.tui.format import repeat_marker, waited
from ohjaus_tui.tui.keys import describe, localise_bindings
from ohjaus_tui.tui.messages import ContactEnded, QueueChanged, ShowScreen
from ohjaus_tui.tui.showing import ClosedBeforeDrawn, showing
from ohjaus_tui.tui.widgets.header import DeskHeader

if TYPE_CHECKING:
    from ohjaus_tui.tui.app import OhjausApp


class TransferScreen(ClosedBeforeDrawn, ModalScreen[Channel | None]):
    """Pick the channel to move the item to."""

    BINDINGS = [Binding("escape", "dismiss_none", "Back", id="transfer.back")]

    def __init__(self, current: str) -> None:
        super().__init__()
        self.current = current

    def compose(self) -> ComposeResult:
        desk = cast("OhjausApp", self.app)
        with Vertical(id="transfer", classes="dialog"):
            yield Label(desk.texts("transfer.title"), classes="title")
            yield OptionList(
                *(
                    Option(desk.label("channel", c.value), id=c.value)
                    for c in (Channel.PHONE, Channel.MESSAGE)
                    if c.value != self.current
                )
            )

    def on_mount(self) -> None:
        localise_bindings(self, cast("OhjausApp", self.app).texts)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(Channel(event.option.id or "message"))

    def action_dismiss_none(self) -> None:
        self.dismiss(None)


class ConfirmScreen(ClosedBeforeDrawn, ModalScreen[bool]):
    """Ask once more before a step that cannot be undone: Enter (or the same key) confirms."""

    BINDINGS = [
        Binding("enter", "answer(True)", "Confirm", id="confirm.yes"),
        Binding("escape", "answer(False)", "Cancel", id="confirm.no"),
    ]

    def __init__(self, question: str, *, again: str | None = None) -> None:
        """``again``: a key that confirms too (the key that asked, pressed twice)."""
        super().__init__()
        self.question = question
        self.again = again

    def compose(self) -> ComposeResult:
        desk = cast("OhjausApp", self.app)
        with Vertical(id="confirm", classes="dialog"):
            yield Label(self.question, id="confirm-question")
            yield Label(desk.texts("confirm.keys"), id="confirm-keys")

    def on_mount(self) -> None:
        localise_bindings(self, cast("OhjausApp", self.app).texts)

    def on_key(self, event: Key) -> None:
        if self.again is not None and event.key == self.again:
            event.stop()
            self.dismiss(True)

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


HELP = Binding("f1", "help", "Help", id="handle.help", show=False, priority=True)
CONSULT = Binding(
    "f6", "consult", "Ask a colleague", id="handle.consult", show=False, priority=True
)
FOLLOW_UP = Binding(
    "f9", "follow_up", "Follow-up", id="handle.follow_up", show=False, priority=True
)
"""F6 and F9 are on the view's own key line, not in the footer: at 80 columns the footer
would cut F10 off."""
"""Shown in the view's own key line rather than in the footer, which a narrow terminal cuts."""


class HandlingScreen(ClosedBeforeDrawn, Screen[None]):
    """Base of the phone, chat and message views.

    A worker never changes the screens itself: it hands its result to
    :meth:`done` or :meth:`ended` on the UI thread, which close this view
    with whatever the operator opened over it meanwhile (help, a dialog, the
    palette) through :meth:`OhjausApp.leave`. Closing the view does not
    cancel the worker, and a contact that ended always gets its form.
    """

    BINDINGS = [
        Binding("f2", "release", "Release", id="handle.release", priority=True),
        Binding("f3", "transfer", "Transfer", id="handle.transfer", priority=True),
        Binding("f10", "end", "End and log", id="handle.end", priority=True),
        CONSULT,
        FOLLOW_UP,
        Binding("escape", "back", "Back", id="handle.back", priority=True),
        HELP,
    ]

    def __init__(self, item: Item) -> None:
        super().__init__()
        self.item = item
        self.opening_notice = ""
        """Said on the notice line once the view shows (not in a toast over the keys)."""

    @property
    def desk(self) -> OhjausApp:
        return cast("OhjausApp", self.app)

    def compose(self) -> ComposeResult:
        yield DeskHeader()
        yield Static(id="item-info")
        yield Static(id="consultation")
        with Vertical(id="handling"):
            yield from self.compose_body()
        yield Static(self.own_keys(), id="handling-keys")
        yield Static(self.opening_notice, id="notice")
        yield Footer()

    def compose_body(self) -> ComposeResult:
        yield from ()

    def own_keys(self) -> str:
        """This view's own keys (a callback's outcomes, a chat's identification), always
        shown in full above the footer, which a narrow terminal cuts."""
        own = [
            binding
            for kind in reversed(type(self).__mro__)
            if issubclass(kind, HandlingScreen) and kind is not HandlingScreen
            for binding in kind.__dict__.get("BINDINGS", ())
            if isinstance(binding, Binding) and binding not in HandlingScreen.BINDINGS
        ]
        if not any(binding.action == "help" for binding in own):
            own.append(HELP)  # F1: "?" would be typed into a reply
        own[-1:-1] = [CONSULT, FOLLOW_UP]
        return "   ".join(
            f"[b]{self.app.get_key_display(binding)}[/b] {describe(binding, self.desk.texts)}"
            for binding in own
        )

    def on_mount(self) -> None:
        localise_bindings(self, self.desk.texts)
        self.item = self.desk.view.items.get(self.item.id, self.item)  # newer, if read since
        self.render_info()
        self.render_consultations()
        self.set_interval(1.0, self.render_info)
        if self.item.owner_id is not None:
            self.load_follow_up()

    @work(thread=True, exclusive=True, exit_on_error=False, group="follow_up_of")
    def load_follow_up(self) -> None:
        """This item is a follow-up: its owner, window and the note of the contact it
        came from are shown on the notice line (never a transcript)."""
        try:
            follow_up = self.desk.session.follow_up_of(self.item.id)
        except OhjausError:
            return
        if follow_up is None:
            return
        when = when_text(
            follow_up.due_from, follow_up.due_to, self.desk.language, self.desk.settings.zone
        )
        codes = [self.desk.label("reason", code) for code in follow_up.origin_reasons]
        if follow_up.origin_segment:
            codes.append(self.desk.label("segment", follow_up.origin_segment))
        note = " · ".join([*codes, follow_up.note or ""] if follow_up.note else codes) or "-"
        said = self.desk.texts("followup.of", owner=follow_up.owner, when=when, note=note)
        self.app.call_from_thread(self.notice, said)

    def render_consultations(self) -> None:
        """The questions asked about this item, and their answers, under its line."""
        lines = [
            consultation_line(c, self.desk) for c in self.desk.view.consultations_on(self.item.id)
        ]
        for line in self.query("#consultation").results(Static):
            line.update("\n".join(lines))
            line.display = bool(lines)

    def render_info(self) -> None:
        """The item's line at the top: drawn on mount, each second and when the item changes.

        Not guarded by ``is_mounted``, which is still False in ``on_mount``: a
        view that has closed simply has no ``#item-info`` left to update.
        """
        t = self.desk.texts
        item = self.item
        answered = item.first_answered_at
        waited_for = waited(item.received_at, answered or self.desk.clock())
        waited_label = t("col.waited") if answered is None else t("col.waited_done")
        parts = [
            f"[b]{self.desk.label('channel', item.channel)}[/b] #{item.id}",
            f"{waited_label} {waited_for}",
            t("ident.identified") if item.identified else t("ident.anonymous"),
            self.desk.label("language", item.language),
        ]
        if item.on_behalf:
            parts.append(t("col.behalf") + ": " + t("yes"))
        marker = repeat_marker(item.channel, item.earlier_contacts, t)
        if marker:
            parts.append(f"[b yellow]{marker}[/]")
        for line in self.query("#item-info").results(Static):
            line.update(" · ".join(parts))

    def notice(self, text: str, hold: int | None = None) -> None:
        """Say ``text`` on the notice line; ``hold``: the work of that hold failed, and
        the keys typed after its key apply here."""
        if showing(self):
            self.query_one("#notice", Static).update(text)
        if hold is not None:
            self.desk.release_when_shown(hold)

    def on_screen_resume(self) -> None:
        self.desk.release_when_shown()

    def queue_changed(self, message: QueueChanged) -> None:
        if message.consultations is not None:
            self.render_consultations()
        for item in message.items:
            if item.id == self.item.id:
                self.item = item
                self.render_info()
                self.item_changed()

    def item_changed(self) -> None:
        """A subclass refreshes what it shows of the item."""

    # --- actions -------------------------------------------------------------------

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_help(self) -> None:
        self.app.post_message(ShowScreen("help"))

    def action_release(self) -> None:
        hold = self.desk.hold_keys()  # back to the queue: the keys typed next are for it
        self.release(hold)

    @work(thread=True, exclusive=True, exit_on_error=False, group="handling")
    def release(self, hold: int) -> None:
        self.finish_pending()
        try:
            self.desk.session.release(self.item.id)
        except OhjausError as exc:
            self.app.call_from_thread(self.notice, self.desk.error_text(exc), hold)
            return
        self.app.call_from_thread(self.done, self.desk.texts("released"), hold)

    def action_consult(self) -> None:
        """Ask a colleague of another profession: whom, and a short question."""
        self.app.push_screen(AskColleagueScreen(ask_choices(self.desk)), self.ask)

    def ask(self, asked: Asked | None) -> None:
        if asked is not None:
            self.send_question(asked)

    @work(thread=True, exclusive=True, exit_on_error=False, group="consult")
    def send_question(self, asked: Asked) -> None:
        try:
            consultation = self.desk.session.ask_colleague(
                self.item.id,
                asked.question,
                colleague_id=asked.whom.colleague_id,
                profession=asked.whom.profession,
            )
        except OhjausError as exc:
            self.app.call_from_thread(self.notice, self.desk.error_text(exc))
            return
        self.app.call_from_thread(self.asked, consultation)

    def asked(self, consultation: Consultation) -> None:
        self.desk.view.consultations = (*self.desk.view.consultations, consultation)
        self.render_consultations()
        self.notice(self.desk.texts("consult.sent", whom=addressee(consultation, self.desk)))

    def action_transfer(self) -> None:
        self.app.push_screen(TransferScreen(self.item.channel), self.transfer_to)

    def transfer_to(self, channel: Channel | None) -> None:
        if channel is not None:
            self.transfer(channel, self.desk.hold_keys())

    @work(thread=True, exclusive=True, exit_on_error=False, group="handling")
    def transfer(self, channel: Channel, hold: int) -> None:
        self.finish_pending()
        try:
            self.desk.session.transfer(self.item.id, channel)
        except OhjausError as exc:
            self.app.call_from_thread(self.notice, self.desk.error_text(exc), hold)
            return
        label = self.desk.label("channel", channel.value)
        self.app.call_from_thread(self.done, self.desk.texts("transferred", channel=label), hold)

    def action_follow_up(self) -> None:
        open_follow_up(self, self.item, told=self.follow_up_told, refused=self.notice)

    def follow_up_told(self, told: str | None) -> None:
        """A follow-up was scheduled: the resident is told who and when (read out on the
        phone; a subclass with a reply box writes it there)."""
        if told is not None:
            self.notice(self.desk.texts("followup.read_out", text=told))

    def action_end(self) -> None:
        hold = self.desk.hold_keys()  # the keys typed next are for the contact form
        self.end(hold)

    def finish_pending(self) -> None:
        """Run in a worker's thread before the item is released, moved or closed: a
        subclass lets the work started before that key finish (a reply sent)."""

    @work(thread=True, exclusive=True, exit_on_error=False, group="handling")
    def end(self, hold: int) -> None:
        self.finish_pending()
        try:
            item = self.desk.session.close(self.item.id)
        except OhjausError as exc:
            self.app.call_from_thread(self.notice, self.desk.error_text(exc), hold)
            return
        self.app.call_from_thread(self.ended, item, hold)

    def ended(self, item: Item, hold: int) -> None:
        """The contact is over: its form takes this view's place."""
        self.app.post_message(ContactEnded(self, item, hold))

    def done(self, text: str, hold: int) -> None:
        """The item went back to the queue or ended without contact: back to the queue."""
        self.desk.leave(self, hold=hold)
        self.desk.notify(text)
