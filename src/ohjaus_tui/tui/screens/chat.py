"""A chat: the transcript as it grows, a reply box, identification."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Input, Label, Static

from ohjaus_tui.domain.codes import Direction
from ohjaus_tui.errors import OhjausError
from ohjaus_tui.services.desk_values import ThreadLine
from ohjaus_tui.tui.writing import WritingScreen


class ChatScreen(WritingScreen):
    BINDINGS = [
        Binding("f4", "identify", "Ask to identify", id="chat.identify", show=False, priority=True)
    ]

    def compose_body(self) -> ComposeResult:
        t = self.desk.texts
        yield Label(t("chat.title"), classes="title")
        yield VerticalScroll(id="transcript")
        yield Static(id="chat-state")
        yield Input(placeholder=t("chat.reply"), id="reply")

    def line_markup(self, line: ThreadLine) -> str:
        who = line.author if line.direction == Direction.OUT else self.desk.texts("chat.client")
        zone = self.desk.settings.zone
        return f"[dim]{line.at.astimezone(zone):%H:%M}[/] [b]{who}[/b]: {line.text}"

    def transcript_shown(self) -> None:
        t = self.desk.texts
        state = []
        if self.item.identified:
            state.append(t("chat.identified"))
        if self.item.client_left_at is not None:
            state.append(t("chat.left"))
        self.query_one("#chat-state", Static).update(" ".join(state))

    def action_identify(self) -> None:
        self.identify()

    @work(thread=True, exclusive=True, exit_on_error=False, group="handling")
    def identify(self) -> None:
        try:
            self.desk.session.ask_identification(self.item.id)
        except OhjausError as exc:
            self.app.call_from_thread(self.notice, self.desk.error_text(exc))
            return
        self.load_transcript()
