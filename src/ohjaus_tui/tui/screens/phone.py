"""A callback: the number as dialled, and the outcome of each try."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Label, Static

from ohjaus_tui.domain.codes import CallbackOutcome, QueueStatus
from ohjaus_tui.errors import OhjausError
from ohjaus_tui.tui.format import dialling
from ohjaus_tui.tui.handling import ConfirmScreen, HandlingScreen
from ohjaus_tui.tui.showing import showing


class PhoneScreen(HandlingScreen):
    BINDINGS = [
        Binding(
            "1", "attempt('reached')", "Reached", id="phone.reached", show=False, priority=True
        ),
        Binding(
            "2",
            "attempt('no_answer')",
            "No answer",
            id="phone.no_answer",
            show=False,
            priority=True,
        ),
        Binding(
            "3",
            "attempt('wrong_number')",
            "Wrong number",
            id="phone.wrong",
            show=False,
            priority=True,
        ),
        Binding("question_mark", "help", "Help", id="phone.help", show=False, priority=True),
    ]

    def compose_body(self) -> ComposeResult:
        t = self.desk.texts
        yield Label(t("phone.title"), classes="title")
        yield Label(t("phone.call"))
        yield Static(dialling(self.item.callback_number), id="number")
        yield Static(id="attempts")
        if self.item.text:
            yield Static(self.item.text, id="phone-note")

    def on_mount(self) -> None:
        super().on_mount()
        self.load_attempts(None)

    @work(thread=True, exclusive=True, exit_on_error=False, group="attempts")
    def load_attempts(self, hold: int | None) -> None:
        """The tries so far; ``hold``: the keys typed after an outcome, released once
        it is shown (None: the view's own first read, which releases nothing)."""
        tries = self.desk.session.attempts(self.item.id)
        t = self.desk.texts
        zone = self.desk.settings.zone
        outcomes = {"reached": t("key.reached"), "no_answer": t("key.no_answer")}
        wrong = t("key.wrong")
        done = ", ".join(
            f"{a.attempt_no}. {a.at.astimezone(zone):%H:%M} {outcomes.get(a.outcome, wrong)}"
            for a in tries
        )
        text = t("phone.attempts") + f": {done}" if tries else ""
        self.app.call_from_thread(self.show_attempts, text, hold)

    def show_attempts(self, text: str, hold: int | None) -> None:
        if showing(self):
            self.query_one("#attempts", Static).update(text)
        if hold is not None:
            self.desk.release_when_shown(hold)

    def action_attempt(self, outcome: str) -> None:
        if outcome == CallbackOutcome.WRONG_NUMBER:
            # The request ends with no contact: one more key, so a slip of 2 is not it.
            question = self.desk.texts(
                "phone.confirm_wrong", number=dialling(self.item.callback_number)
            )
            self.app.push_screen(ConfirmScreen(question, again="3"), self.wrong_confirmed)
            return
        # The keys typed next wait for the outcome to be stored: F10 right after 1
        # ends the call only once "reached" is on record.
        self.attempt(CallbackOutcome(outcome), self.desk.hold_keys())

    def wrong_confirmed(self, yes: bool | None) -> None:
        if yes:
            self.attempt(CallbackOutcome.WRONG_NUMBER, self.desk.hold_keys())

    @work(thread=True, exclusive=True, exit_on_error=False, group="handling")
    def attempt(self, outcome: CallbackOutcome, hold: int) -> None:
        t = self.desk.texts
        try:
            item = self.desk.session.record_attempt(self.item.id, outcome)
        except OhjausError as exc:
            self.app.call_from_thread(self.notice, self.desk.error_text(exc), hold)
            return
        self.item = item
        if item.status == QueueStatus.WAITING:
            minutes = self.desk.settings.callback_retry_minutes
            self.app.call_from_thread(self.done, t.plural("phone.retry", minutes), hold)
        elif item.status == QueueStatus.ABANDONED:
            self.app.call_from_thread(self.done, t("phone.abandoned"), hold)
        else:
            self.load_attempts(hold)
