"""An electronic message: its body, the due time, a reply."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Input, Label, Static

from ohjaus_tui.tui.format import due_label
from ohjaus_tui.tui.writing import WritingScreen


class MessageScreen(WritingScreen):
    TIME_FORMAT = "%d.%m. %H:%M"

    def compose_body(self) -> ComposeResult:
        t = self.desk.texts
        yield Label(t("message.title"), classes="title")
        yield Static(id="due")
        yield Static(f"[b]{self.item.subject or ''}[/b]", id="subject")
        yield VerticalScroll(id="transcript")
        yield Input(placeholder=t("chat.reply"), id="reply")

    def on_mount(self) -> None:
        super().on_mount()
        if self.item.due_at:
            due = due_label(
                self.item.due_at,
                self.desk.settings.zone,
                self.desk.clock(),
                self.desk.texts,
                callback=False,
                late=self.desk.texts("due.late"),
            )
            self.query_one("#due", Static).update(self.desk.texts("message.due", when=due.plain))
