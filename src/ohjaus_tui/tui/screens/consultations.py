"""The consultations of the signed-in person: questions for them to answer (or to join
the contact), and the ones they asked, with the answers."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Input, OptionList, Static
from textual.widgets.option_list import Option

from ohjaus_tui.errors import OhjausError
from ohjaus_tui.present.times import local_time
from ohjaus_tui.services.desk_values import Consultation, Item, ThreadLine
from ohjaus_tui.tui.consult import addressee, consultation_line
from ohjaus_tui.tui.keys import localise_bindings
from ohjaus_tui.tui.messages import QueueChanged
from ohjaus_tui.tui.showing import ClosedBeforeDrawn, showing
from ohjaus_tui.tui.widgets.header import DeskHeader
from ohjaus_tui.words import N_

if TYPE_CHECKING:
    from ohjaus_tui.tui.app import OhjausApp


class ConsultationsScreen(ClosedBeforeDrawn, Screen[None]):
    """Up and Down pick a consultation; typing answers the one picked (Enter sends);
    F8 joins its contact, whose item is then shown here read-only."""

    BINDINGS = [
        Binding("escape", "back", "Back", id="consultations.back", priority=True),
        Binding("f8", "join", "Join the contact", id="consultations.consult_join", priority=True),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.shown: list[Consultation] = []

    @property
    def desk(self) -> OhjausApp:
        return cast("OhjausApp", self.app)

    def compose(self) -> ComposeResult:
        t = self.desk.texts
        self.title = t("consult.list.title")
        yield DeskHeader()
        with Vertical(id="consultations"):
            yield OptionList(id="consult-list")
            yield Static(id="consult-detail")
            yield Input(placeholder=t("consult.list.answer"), id="consult-answer", max_length=500)
            yield Static(id="consult-item")
        yield Static("", id="notice")
        yield Footer()

    def on_mount(self) -> None:
        localise_bindings(self, self.desk.texts)
        self.redraw()
        self.query_one("#consult-answer", Input).focus()

    def queue_changed(self, message: QueueChanged) -> None:
        if message.consultations is not None:
            self.redraw()

    def mine(self) -> list[Consultation]:
        """Open questions for me first (oldest first), then the rest (newest first)."""
        me = self.desk.operator
        assert me is not None
        everything = self.desk.view.consultations
        waiting = [c for c in everything if c.open and c.for_me(me.id, me.profession)]
        rest = [c for c in reversed(everything) if c not in waiting]
        return waiting + rest

    def redraw(self) -> None:
        listing = self.query_one("#consult-list", OptionList)
        picked = self.picked()
        self.shown = self.mine()
        listing.clear_options()
        listing.add_options(Option(Text(self.summary(c)), id=str(c.id)) for c in self.shown)
        ids = [c.id for c in self.shown]
        if picked is not None and picked.id in ids:
            listing.highlighted = ids.index(picked.id)
        elif self.shown:
            listing.highlighted = 0
        self.show_detail()

    def summary(self, consultation: Consultation) -> str:
        t = self.desk.texts
        when = local_time(consultation.asked_at, self.desk.settings.zone, self.desk.clock(), t)
        me = self.desk.operator
        if me is not None and consultation.asker_id == me.id:
            who = t("consult.list.to", whom=addressee(consultation, self.desk))
        else:
            who = t("consult.list.from", name=consultation.asker)
        state = t("consult.list.open") if consultation.open else t("consult.list.done")
        return f"{when}  {who}  [{state}]  {consultation.question}"

    def picked(self) -> Consultation | None:
        listing = self.query_one("#consult-list", OptionList)
        index = listing.highlighted
        if index is None or index >= len(self.shown):
            return None
        return self.shown[index]

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self.show_detail()

    def show_detail(self) -> None:
        t = self.desk.texts
        consultation = self.picked()
        detail = self.query_one("#consult-detail", Static)
        if consultation is None:
            detail.update(t("consult.list.none"))
            return
        codes = ", ".join(self.code_words(consultation))
        lines = [
            t("consult.detail.question", name=consultation.asker, question=consultation.question),
            t("consult.detail.codes", codes=codes or "-"),
        ]
        if not consultation.open:
            lines.append(consultation_line(consultation, self.desk))
        detail.update(Text("\n".join(lines)))
        me = self.desk.operator
        if (
            me is not None
            and consultation.outcome == "joined"
            and consultation.answered_by_id == me.id
            and consultation.item_id is not None
        ):
            self.load_item(consultation.item_id)
        else:
            self.query_one("#consult-item", Static).update("")

    def code_words(self, consultation: Consultation) -> list[str]:
        """The contact's codes in words: its channel, language, and "on behalf" if so."""
        said = []
        for key, value in consultation.codes:
            if key in ("channel", "language"):
                said.append(self.desk.label(key, value))
            elif key == "on_behalf" and value == "True":
                said.append(self.desk.texts("col.behalf"))
        return said

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        consultation = self.picked()
        if consultation is None or not event.value.strip():
            return
        self.send_answer(consultation.id, event.value)

    @work(thread=True, exclusive=True, exit_on_error=False, group="consult")
    def send_answer(self, consultation_id: int, text: str) -> None:
        try:
            settled = self.desk.session.answer_consultation(consultation_id, text)
        except OhjausError as exc:
            self.app.call_from_thread(self.notice, self.desk.error_text(exc))
            return
        self.app.call_from_thread(self.settled, settled)

    def action_join(self) -> None:
        consultation = self.picked()
        if consultation is not None:
            self.send_join(consultation.id)

    @work(thread=True, exclusive=True, exit_on_error=False, group="consult")
    def send_join(self, consultation_id: int) -> None:
        try:
            settled = self.desk.session.join_consultation(consultation_id)
        except OhjausError as exc:
            self.app.call_from_thread(self.notice, self.desk.error_text(exc))
            return
        self.app.call_from_thread(self.settled, settled)

    def settled(self, consultation: Consultation) -> None:
        view = self.desk.view
        view.consultations = tuple(
            consultation if c.id == consultation.id else c for c in view.consultations
        )
        self.query_one("#consult-answer", Input).value = ""
        key = (
            N_("consult.answer_sent")
            if consultation.outcome == "answered"
            else N_("consult.joined")
        )
        self.notice(self.desk.texts(key, name=consultation.asker))
        self.redraw()

    @work(thread=True, exclusive=True, exit_on_error=False, group="consult_item")
    def load_item(self, item_id: int) -> None:
        try:
            item, thread = self.desk.session.joined_item(item_id)
        except OhjausError as exc:
            self.app.call_from_thread(self.notice, self.desk.error_text(exc))
            return
        self.app.call_from_thread(self.show_item, item, thread)

    def show_item(self, item: Item, thread: tuple[ThreadLine, ...]) -> None:
        """The joined contact, read-only: its line, its owner and its thread."""
        if not showing(self):
            return
        t = self.desk.texts
        owner = self.desk.view.names.get(item.claimed_by_id or 0, "-")
        head = t(
            "consult.item.line",
            channel=self.desk.label("channel", item.channel),
            id=item.id,
            owner=owner,
        )
        lines = [head] + [f"{line.author}: {line.text}" for line in thread]
        if item.subject:
            lines.insert(1, item.subject)
        if item.text and not thread:
            lines.append(item.text)
        self.query_one("#consult-item", Static).update(Text("\n".join(lines)))

    def notice(self, text: str) -> None:
        if showing(self):
            self.query_one("#notice", Static).update(text)

    def action_back(self) -> None:
        self.app.pop_screen()
